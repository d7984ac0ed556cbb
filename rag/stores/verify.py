"""The two stores checked against each other: what `citechat verify` reports.

The catalog (documents, chunks, keyword index) is the manifest; Chroma holds one vector per
chunk. `check` lists chunk ids found in only one of them, duplicates, documents whose chunk
counts differ, the embedding model and dimension recorded against the configured one, SQLite
and FTS integrity, and whether a sample of vectors can be found again by a search (plain and
date-filtered, as `ask` runs it). Repairs live with ingest (`ingest.reconcile`), which can
re-embed.

>>> Findings(documents=2, chunks=3, vectors=3).ok
True
>>> Findings(documents=2, chunks=3, vectors=2, missing=["a::0001"], missing_docs=["a"]).lines()[1]
'1 chunks have no vector (1 documents affected): a::0001'
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from rag.core.errors import StoreError
from rag.stores.catalog import Catalog
from rag.stores.chroma import DenseStore

SAMPLE = 12
SHOWN = 5


@dataclass
class Findings:
    """What `check` found; `ok` when nothing needs repair."""

    documents: int = 0
    chunks: int = 0
    vectors: int = 0
    orphans: list[str] = field(default_factory=list)  # vectors no catalog chunk owns
    missing: list[str] = field(default_factory=list)  # chunks without a vector
    missing_docs: list[str] = field(default_factory=list)  # their documents
    duplicates: list[str] = field(default_factory=list)  # ids or passages stored twice
    pending: list[str] = field(default_factory=list)  # a rewrite that did not finish
    integrity: list[str] = field(default_factory=list)  # SQLite / FTS problems
    model: str = ""  # a mismatch of embedding model or dimension, said as a fix
    unfindable: list[str] = field(default_factory=list)  # sampled vectors a search misses
    broken: str = ""  # the vector store cannot be read at all
    notes: list[str] = field(default_factory=list)  # worth knowing, nothing to repair

    @property
    def ok(self) -> bool:
        return not (self.orphans or self.missing or self.duplicates or self.integrity
                    or self.model or self.unfindable or self.broken or self.pending)

    def lines(self) -> list[str]:
        """The report, one line per finding; the first gives the counts."""
        out = [f"{self.documents} documents, {self.chunks} chunks, {self.vectors} vectors"]
        if self.broken:
            out.append(self.broken)
        if self.missing:
            out.append(f"{len(self.missing)} chunks have no vector ({len(self.missing_docs)} "
                       f"documents affected): {_some(self.missing)}")
        if self.orphans:
            out.append(f"{len(self.orphans)} vectors belong to no catalog chunk (left by an "
                       f"interrupted run): {_some(self.orphans)}")
        if self.duplicates:
            out.append(f"stored twice: {_some(self.duplicates)}")
        if self.pending:
            out.append(f"{len(self.pending)} documents were being rewritten when a run "
                       f"stopped: {_some(self.pending)}")
        out += [f"catalog integrity: {problem}" for problem in self.integrity]
        if self.model:
            out.append(self.model)
        if self.unfindable:
            out.append(f"{len(self.unfindable)} of the sampled vectors are not found by a "
                       f"search for themselves: {_some(self.unfindable)}")
        return out + self.notes


def check(catalog: Catalog, dense: DenseStore, model_id: str, dim: int) -> Findings:
    """Compare the catalog with the vector store; `model_id`/`dim`: the configured embedder."""
    found = Findings()
    try:
        found.documents, found.chunks = catalog.counts()
        found.integrity = catalog.integrity()
        owners = catalog.chunk_owners()
        found.duplicates = [f"passage in {doc}" for doc in catalog.repeated_passages()]
        found.pending = catalog.pending()
    except sqlite3.DatabaseError as exc:
        found.integrity.append(f"{catalog.path} cannot be read ({exc})")
        found.vectors = dense.count()
        return found
    try:
        ids = dense.ids()
    except StoreError as exc:
        found.broken = str(exc)
        found.missing_docs = sorted(set(owners.values()))
        return found
    found.vectors = len(set(ids))
    found.duplicates += [f"vector {i}" for i, n in Counter(ids).items() if n > 1]
    stored = set(ids)
    found.orphans = sorted(stored - owners.keys())
    found.missing = sorted(owners.keys() - stored)
    found.missing_docs = sorted({owners[c] for c in found.missing})
    _check_model(found, dense, model_id, dim)
    _check_findable(found, dense, sorted(stored & owners.keys()))
    return found


def _check_model(found: Findings, dense: DenseStore, model_id: str, dim: int) -> None:
    recorded, stored_dim = dense.recorded_model()
    if stored_dim is not None and stored_dim != dim:
        found.model = (f"the vectors have {stored_dim} dimensions but the configured embedding "
                       f"model ({model_id}) makes {dim}: configure the model that wrote them "
                       f"({recorded or 'not recorded'}), or ingest into a new collection")
    elif recorded is not None and recorded != model_id:
        found.model = (f"the vectors were written by {recorded} but {model_id} is configured: "
                       "questions are embedded differently from the documents; configure "
                       f"{recorded}, or re-ingest (a change of model re-embeds everything)")
    elif recorded is None and found.vectors:
        found.notes.append("embedding model not recorded (written before it was); the next "
                           "ingest records it")


def _check_findable(found: Findings, dense: DenseStore, ids: list[str]) -> None:
    if not ids:
        return
    step = max(1, len(ids) // SAMPLE)
    sample = ids[::step][:SAMPLE]
    try:
        missed = dense.findable(sample)
    except StoreError as exc:
        found.broken = str(exc)
        return
    if len(missed) * 4 >= len(sample):  # a stale or broken index misses most of them
        found.unfindable = missed
    elif missed:  # the search is approximate: a few misses among near-twins are normal
        found.notes.append(f"{len(missed)} of {len(sample)} sampled vectors are not in the "
                           f"top results for themselves (approximate search): {_some(missed)}")


def _some(items: list[str]) -> str:
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return ", ".join(items[:SHOWN]) + more
