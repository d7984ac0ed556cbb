"""`citechat verify --repair`: put right what `rag.stores.verify.check` found, and say what
was done. It runs under the writer lock, like any ingest.

- a keyword index out of step with its chunks is rebuilt;
- a collection Chroma cannot read (or whose vectors a search no longer finds) is emptied and
  every document re-embedded from the catalog's text;
- vectors no catalog chunk owns are dropped;
- documents with missing vectors, an unfinished rewrite or a passage stored twice are
  re-embedded from the catalog's text;
- a mismatch of embedding model is only reported: which model is right is the user's call.

>>> repair(found, catalog, dense, ingestor)   # doctest: +SKIP
['dropped 757 vectors that no catalog chunk owns', 're-embedded 204 documents ...']
"""

from __future__ import annotations

from ingest.pipeline import Ingestor
from rag.stores.catalog import Catalog
from rag.stores.chroma import DenseStore
from rag.stores.verify import Findings


def repair(
    found: Findings, catalog: Catalog, dense: DenseStore, ingestor: Ingestor,
    *, everything: bool = False,
) -> list[str]:
    """Repair what `found` lists; `everything`: re-embed every document (after a salvage or
    a store set aside). Returns one line per action."""
    done: list[str] = []
    if any("keyword index" in problem for problem in found.integrity):
        catalog.rebuild_keyword_index()
        done.append("rebuilt the keyword index from the chunks")
    if found.broken or found.unfindable:
        dense.reset()
        done.append(f"emptied the collection {dense.name!r} in the vector store (Chroma "
                    "could not use it)")
        everything = True
    elif found.orphans:
        dense.delete_ids(found.orphans)
        done.append(f"dropped {len(found.orphans)} vectors that no catalog chunk owns")
    redo = _to_reembed(found, catalog, everything)
    if redo:
        report = ingestor.reembed(redo)
        done.append(f"re-embedded {len(redo)} documents from the catalog's text "
                    f"({report.chunks} chunks)")
        done += [f"could not re-embed {failure}" for failure in report.failed]
    if found.model:
        done.append(f"not repaired: {found.model}")
    return done


def _to_reembed(found: Findings, catalog: Catalog, everything: bool) -> list[str]:
    if everything:
        return [record.doc_id for record in catalog.documents()]
    repeated = [d.removeprefix("passage in ") for d in found.duplicates
                if d.startswith("passage in ")]
    return sorted({*found.missing_docs, *catalog.pending(), *repeated})
