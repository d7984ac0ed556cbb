"""The ingest chain: load → clean → chunk → embed → upsert, idempotent and resumable.

Each batch of changed documents is chunked and embedded by a LlamaIndex `IngestionPipeline`,
written to Chroma (old chunks of those documents removed first), then committed to the catalog
together with each document's content hash. A document whose hash is already in the catalog is
skipped without embedding. A whole run holds the data dir's writer lock
(`rag.stores.lock`), and starts by bringing the two stores back in step
(`ingest.reconcile`), so a run that died between its two writes costs the next run that batch
and nothing more: chunk ids are deterministic, nothing is duplicated or lost.

One bad item never ends a run: a file or record that fails to load, clean, chunk or embed is
reported as its own failure and the rest is stored (`ingest.limits` for the size limits).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.schema import BaseNode, TransformComponent
from pydantic import PrivateAttr

from ingest.chunker import OffsetSentenceSplitter
from ingest.clean import clean_text, normalise_text
from ingest.date_rules import DateRules
from ingest.documents import LoadFailure, SkippedFiles
from ingest.limits import Limits
from ingest.loaders import Loaded, load_sources, unexpected
from ingest.reconcile import reconcile, reembedded_note
from ingest.records import parts_by_document, to_chunk, to_document, to_records
from ingest.report import IngestReport, file_dated_warning
from rag.core.errors import CitechatError
from rag.core.protocols import Embedder, VectorStore
from rag.core.settings import CitechatSettings
from rag.core.types import Chunk
from rag.stores.catalog import PENDING, Catalog, DocumentRecord
from rag.stores.llamaindex import EmbedderAdapter
from rag.stores.lock import Holder, WriterLock

__all__ = ["BatchProgress", "IngestReport", "Ingestor", "file_dated_warning", "ingestor_for"]

log = logging.getLogger(__name__)

# on_batch(stage, origins, passages): "waiting" while another writer holds the data dir
# (origins: who), "embedding" once a batch is chunked (its passages are about to be embedded,
# the slow part), "stored" once they are written to both stores.
BatchProgress = Callable[[str, Sequence[str], int], None]


class _Run:
    """The state of one ingest run."""

    def __init__(self, report: IngestReport, stored: dict[str, str], stale: set[str]) -> None:
        self.report = report
        self.stored = stored  # doc id -> content hash, as the run found them
        self.stale = stale  # vectors missing, or a rewrite unfinished: never "unchanged"
        self.reembedded = 0
        self.parts = parts_by_document(stored)
        self.seen: dict[str, str] = {}  # doc id -> origin
        self.drop: list[str] = []  # parts a shorter version of their document no longer has
        self.batch: list[DocumentRecord] = []
        self.batch_chars = 0


class Ingestor:
    """Wires loaders, cleaning, the chunker, the embed model and both stores."""

    def __init__(
        self,
        catalog: Catalog,
        dense: VectorStore,
        embed_model: BaseEmbedding,
        splitter: OffsetSentenceSplitter,
        *,
        batch_docs: int = 64,
        fingerprint: str = "",
        limits: Limits | None = None,
        lock: WriterLock | None = None,
    ) -> None:
        self._catalog = catalog
        self._dense = dense
        self._splitter = splitter
        self._pipeline = IngestionPipeline(
            transformations=[splitter, _BeforeEmbedding(self._embedding), embed_model],
            disable_cache=True)
        self._model = embed_model.model_name
        self._on_batch: BatchProgress | None = None
        self._origins: list[str] = []
        self._batch_docs = batch_docs
        self._fingerprint = fingerprint
        self._limits = limits or Limits()
        self._lock = lock

    def ingest(
        self,
        paths: Sequence[Path],
        field_map: Mapping[str, str] | None = None,
        *,
        sync: bool = False,
        on_progress: Callable[[str], None] | None = None,
        dates: DateRules | None = None,
        on_batch: BatchProgress | None = None,
    ) -> IngestReport:
        """Bring the collection in line with `paths`; with `sync`, drop documents not seen.
        `dates`: the --date-from / --publish-date rules for documents that carry no date."""
        items = load_sources(paths, field_map, dates, self._limits)
        return self.ingest_items(items, sync=sync, on_progress=on_progress, on_batch=on_batch)

    def ingest_items(
        self,
        items: Iterable[Loaded],
        *,
        sync: bool = False,
        on_progress: Callable[[str], None] | None = None,
        on_batch: BatchProgress | None = None,
    ) -> IngestReport:
        """Ingest already-loaded documents (the UI's uploads come this way too).
        `on_progress(origin)` is called per item loaded, `on_batch` per batch (see
        `BatchProgress`)."""
        self._on_batch = on_batch
        with self._writing():
            report = IngestReport()
            stale = reconcile(self._catalog, self._dense, report)
            stale.update(self._catalog.pending())
            run = _Run(report, self._catalog.content_hashes(), stale)
            for item in items:
                if on_progress:
                    on_progress(getattr(item, "origin", ""))
                for record in self._accept(item, run):
                    self._queue(record, run)
            self._commit(run)
            self._finish(run, sync)
            return report

    def reembed(self, doc_ids: Sequence[str]) -> IngestReport:
        """Re-embed stored documents from the catalog's own text (`verify --repair`)."""
        with self._writing():
            run = _Run(IngestReport(), self._catalog.content_hashes(), set(doc_ids))
            self._reembed(run, sorted(doc_ids))
            return run.report

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        self._lock.on_wait = self._waiting
        with self._lock:
            yield

    def _waiting(self, holder: Holder | None) -> None:
        if self._on_batch:
            self._on_batch("waiting", [str(holder or "another process")], 0)

    def _accept(self, item: Loaded, run: _Run) -> list[DocumentRecord]:
        """The records of one loaded item (none when it failed, was skipped or is a repeat);
        an error while cleaning it is its own failure."""
        report = run.report
        if isinstance(item, LoadFailure):
            report.failed.append(item)
            return []
        if isinstance(item, SkippedFiles):
            report.skipped.append(item)
            return []
        if item.doc_id in run.seen:
            report.failed.append(
                LoadFailure(item.origin, f"duplicate document id {item.doc_id!r} "
                                         f"(also in {run.seen[item.doc_id]})")
            )
            return []
        run.seen[item.doc_id] = item.origin
        report.notes += [f"{item.origin}: {note}" for note in item.notes]
        try:
            text = clean_text(item.text)
            if not text:  # never lose a document to the cleaner: keep it as loaded, and say so
                text = normalise_text(item.text)
                if not text:
                    report.failed.append(LoadFailure(item.origin, "no text found (empty)"))
                    return []
                report.kept_uncleaned.append(item.origin)
            records = to_records(item, text, self._fingerprint, self._limits.part_chars)
        except Exception as exc:  # one bad document must never end the run: it fails alone
            log.debug("cannot clean %s", item.origin, exc_info=True)
            report.failed.append(LoadFailure(item.origin, unexpected(exc)))
            return []
        if item.date_provenance == "mtime":
            report.file_dated.append(item.origin)
        self._note_parts(item.doc_id, item.origin, records, run)
        return records

    def _note_parts(
        self, doc_id: str, origin: str, records: list[DocumentRecord], run: _Run
    ) -> None:
        ids = {r.doc_id for r in records}
        for record in records[1:]:
            run.seen[record.doc_id] = origin
        run.drop += [old for old in run.parts.get(doc_id, []) if old not in ids]
        if len(records) > 1:
            run.report.notes.append(
                f"{origin}: {len(records)} parts stored ({doc_id}, {records[1].doc_id}, ...): "
                f"its text is over {self._limits.part_chars:,} characters")

    def _queue(self, record: DocumentRecord, run: _Run) -> None:
        if record.doc_id not in run.stale and \
                run.stored.get(record.doc_id) == record.content_hash:
            run.report.unchanged += 1
            return
        run.batch.append(record)
        run.batch_chars += len(record.text)
        if len(run.batch) >= self._batch_docs or run.batch_chars >= self._limits.batch_chars:
            self._commit(run)

    def _finish(self, run: _Run, sync: bool) -> None:
        removed = self._remove_missing(set(run.stored) - set(run.seen), run.report) if sync \
            else set()
        drop = [doc_id for doc_id in run.drop if doc_id not in removed]
        if drop:  # parts a shorter version of their document no longer has
            self._dense.delete(drop)
            self._catalog.delete(drop)
        self._reembed(run, sorted(run.stale - set(run.seen) - removed - set(drop)))

    def _reembed(self, run: _Run, doc_ids: list[str]) -> None:
        """Re-embed `doc_ids` from the catalog's text (their input was not in this run); a
        document left pending gets back the hash of the text it has."""
        for i in range(0, len(doc_ids), self._batch_docs):
            for record in self._catalog.records(doc_ids[i : i + self._batch_docs]):
                run.batch.append(replace(
                    record, content_hash=record.content_hash.removeprefix(PENDING)))
            self._commit(run)
        if run.reembedded:
            run.report.repaired.append(reembedded_note(run.reembedded))

    def _commit(self, run: _Run) -> None:
        batch, run.batch, run.batch_chars = run.batch, [], 0
        if not batch:
            return
        try:
            nodes = self._chunk_and_embed(batch)
        except CitechatError:
            raise
        except Exception:
            unsplittable = self._unsplittable(batch, run.report)
            if not unsplittable:
                raise  # not one document's fault (the embedding model): stop the run
            run.batch = [r for r in batch if r.doc_id not in unsplittable]
            self._commit(run)
            return
        self._store(batch, nodes, run)

    def _unsplittable(self, batch: list[DocumentRecord], report: IngestReport) -> set[str]:
        """The documents of a failed batch that the chunker cannot split, each reported as a
        failure of its own."""
        bad: set[str] = set()
        for record in batch:
            try:
                self._splitter([to_document(record)])
            except Exception as exc:  # this document alone breaks the chunker
                log.debug("cannot chunk %s", record.origin, exc_info=True)
                bad.add(record.doc_id)
                report.failed.append(LoadFailure(
                    record.origin, f"cannot be chunked ({type(exc).__name__}: {str(exc)[:200]})"))
        return bad

    def _chunk_and_embed(self, batch: list[DocumentRecord]) -> Sequence[BaseNode]:
        self._origins = [r.origin for r in batch]
        return self._pipeline.run(documents=[to_document(r) for r in batch])

    def _store(self, batch: list[DocumentRecord], nodes: Sequence[BaseNode], run: _Run) -> None:
        doc_ids = [r.doc_id for r in batch]
        self._catalog.mark_pending([d for d in doc_ids if d in run.stored])
        self._dense.replace(doc_ids, nodes)
        by_doc: dict[str, list[Chunk]] = {r.doc_id: [] for r in batch}
        for node in nodes:
            by_doc[node.metadata["doc_id"]].append(to_chunk(node))
        self._catalog.write((r, by_doc[r.doc_id]) for r in batch)
        self._record_model(nodes)
        for r in batch:
            if r.doc_id in run.stale:
                run.reembedded += 1
            elif r.doc_id in run.stored:
                run.report.updated += 1
            else:
                run.report.added += 1
        run.report.chunks += len(nodes)
        log.info("committed %d documents (%d chunks)", len(batch), len(nodes))
        if self._on_batch:
            self._on_batch("stored", self._origins, len(nodes))

    def _record_model(self, nodes: Sequence[BaseNode]) -> None:
        record = getattr(self._dense, "record_model", None)
        if record is not None and nodes and nodes[0].embedding:
            record(self._model, len(nodes[0].embedding))

    def _embedding(self, passages: int) -> None:
        if self._on_batch:
            self._on_batch("embedding", self._origins, passages)

    def _remove_missing(self, missing: set[str], report: IngestReport) -> set[str]:
        """Remove `missing` from both stores (none when an input failed); returns them."""
        if missing and report.failed:
            report.sync_skipped = True  # a failed file may be one of them: never delete on doubt
            return set()
        ids = sorted(missing)
        self._dense.delete(ids)
        self._catalog.delete(ids)
        report.removed = len(ids)
        return missing


class _BeforeEmbedding(TransformComponent):
    """A pass-through step between the chunker and the embed model: it tells `announce` how
    many passages are about to be embedded (progress for the UI's uploads)."""

    _announce: Callable[[int], None] = PrivateAttr()

    def __init__(self, announce: Callable[[int], None]) -> None:
        super().__init__()
        self._announce = announce

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        self._announce(len(nodes))
        return nodes


class StoreParts(Protocol):
    """What an ingest needs from an app: its settings, both stores and the embedder."""

    settings: CitechatSettings

    @property
    def catalog(self) -> Catalog: ...

    @property
    def dense(self) -> VectorStore: ...

    @property
    def embedder(self) -> Embedder: ...


def ingestor_for(
    parts: StoreParts, *, limits: Limits | None = None, lock_wait_s: float | None = None
) -> Ingestor:
    """The `Ingestor` for an app's collection: its chunker settings, stores and embedder, and
    the writer lock of its data dir (`lock_wait_s`: give up after that long; None: wait).

    The fingerprint (embedding model and chunk settings) is part of every content hash, so a
    change of model or chunking re-embeds everything on the next run."""
    cfg = parts.settings.ingest
    splitter = OffsetSentenceSplitter(
        chunk_chars=cfg.chunk_chars, overlap_sentences=cfg.overlap_sentences
    )
    model_id = getattr(parts.embedder, "model_id", type(parts.embedder).__name__)
    return Ingestor(
        parts.catalog,
        parts.dense,
        EmbedderAdapter(parts.embedder, model_name=model_id,
                        embed_batch_size=parts.settings.embed.batch_size),
        splitter,
        batch_docs=cfg.batch_docs,
        fingerprint=f"{model_id}|{cfg.chunk_chars}|{cfg.overlap_sentences}",
        limits=limits,
        lock=WriterLock(parts.settings.data_dir, command_line(), wait_s=lock_wait_s),
    )


def command_line() -> str:
    """This process's command, short, for the lock's holder line."""
    words = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:]]
    line = " ".join(words)
    return line if len(line) <= 120 else line[:119] + "…"
