"""The ingest chain: load → clean → chunk → embed → upsert, idempotent and resumable.

Each batch of changed documents is chunked and embedded by a LlamaIndex `IngestionPipeline`,
written to Chroma (old chunks of those documents removed first), then committed to the catalog
together with each document's content hash. A document whose hash is already in the catalog is
skipped without embedding; a crash between the two writes only means the next run redoes that
batch, and chunk ids are deterministic, so nothing is duplicated or lost.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from llama_index.core import Document
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.schema import BaseNode, TextNode

from ingest.chunker import OffsetSentenceSplitter
from ingest.clean import clean_text, clean_title
from ingest.documents import LoadFailure, SourceDocument
from ingest.loaders import load_sources
from rag.core.protocols import Embedder, VectorStore
from rag.core.settings import CitechatSettings
from rag.core.types import Chunk
from rag.stores.catalog import Catalog, DocumentRecord
from rag.stores.chroma import date_ts
from rag.stores.llamaindex import EmbedderAdapter

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What an ingest run did; `failed` lists each file or record that could not be read."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    failed: list[LoadFailure] = field(default_factory=list)
    sync_skipped: bool = False

    def summary(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"removed {self.removed}, failed {len(self.failed)} ({self.chunks} chunks written)"
        )


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
    ) -> None:
        self._catalog = catalog
        self._dense = dense
        self._pipeline = IngestionPipeline(transformations=[splitter, embed_model],
                                           disable_cache=True)
        self._batch_docs = batch_docs
        self._fingerprint = fingerprint

    def ingest(
        self,
        paths: Sequence[Path],
        field_map: Mapping[str, str] | None = None,
        *,
        sync: bool = False,
        on_progress: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Bring the collection in line with `paths`; with `sync`, drop documents not seen."""
        items = load_sources(paths, field_map)
        return self.ingest_items(items, sync=sync, on_progress=on_progress)

    def ingest_items(
        self,
        items: Iterable[SourceDocument | LoadFailure],
        *,
        sync: bool = False,
        on_progress: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Ingest already-loaded documents (the UI's uploads come this way too)."""
        report = IngestReport()
        stored = self._catalog.content_hashes()
        seen: dict[str, str] = {}
        batch: list[DocumentRecord] = []
        for item in items:
            if on_progress:
                on_progress(getattr(item, "origin", ""))
            record = self._accept(item, seen, report)
            if record is None:
                continue
            if stored.get(record.doc_id) == record.content_hash:
                report.unchanged += 1
                continue
            batch.append(record)
            if len(batch) >= self._batch_docs:
                self._commit(batch, stored, report)
        self._commit(batch, stored, report)
        if sync:
            self._remove_missing(set(stored) - set(seen), report)
        return report

    def _accept(
        self, item: SourceDocument | LoadFailure, seen: dict[str, str], report: IngestReport
    ) -> DocumentRecord | None:
        if isinstance(item, LoadFailure):
            report.failed.append(item)
            return None
        if item.doc_id in seen:
            report.failed.append(
                LoadFailure(item.origin, f"duplicate document id {item.doc_id!r} "
                                         f"(also in {seen[item.doc_id]})")
            )
            return None
        seen[item.doc_id] = item.origin
        text = clean_text(item.text)
        if not text:
            report.failed.append(LoadFailure(item.origin, "no text left after cleaning"))
            return None
        return _record(item, text, self._fingerprint)

    def _commit(
        self, batch: list[DocumentRecord], stored: dict[str, str], report: IngestReport
    ) -> None:
        if not batch:
            return
        nodes = self._pipeline.run(documents=[_to_document(r) for r in batch])
        doc_ids = [r.doc_id for r in batch]
        self._dense.replace(doc_ids, nodes)
        by_doc: dict[str, list[Chunk]] = {r.doc_id: [] for r in batch}
        for node in nodes:
            by_doc[node.metadata["doc_id"]].append(_to_chunk(node))
        self._catalog.write((r, by_doc[r.doc_id]) for r in batch)
        for r in batch:
            if r.doc_id in stored:
                report.updated += 1
            else:
                report.added += 1
        report.chunks += len(nodes)
        log.info("committed %d documents (%d chunks)", len(batch), len(nodes))
        batch.clear()

    def _remove_missing(self, missing: set[str], report: IngestReport) -> None:
        if missing and report.failed:
            report.sync_skipped = True  # a failed file may be one of them: never delete on doubt
            return
        ids = sorted(missing)
        self._dense.delete(ids)
        self._catalog.delete(ids)
        report.removed = len(ids)


class StoreParts(Protocol):
    """What an ingest needs from an app: its settings, both stores and the embedder."""

    settings: CitechatSettings

    @property
    def catalog(self) -> Catalog: ...

    @property
    def dense(self) -> VectorStore: ...

    @property
    def embedder(self) -> Embedder: ...


def ingestor_for(parts: StoreParts) -> Ingestor:
    """The `Ingestor` for an app's collection: its chunker settings, stores and embedder.

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
    )


def _record(doc: SourceDocument, text: str, fingerprint: str) -> DocumentRecord:
    title = clean_title(doc.title)
    payload = json.dumps(
        [text, title, doc.url, doc.publish_date, doc.source, fingerprint], ensure_ascii=False
    )
    return DocumentRecord(
        doc_id=doc.doc_id,
        content_hash=hashlib.sha256(payload.encode()).hexdigest(),
        text=text,
        title=title,
        url=doc.url,
        publish_date=doc.publish_date,
        date_provenance=doc.date_provenance,
        source=doc.source,
        origin=doc.origin,
    )


def _to_document(record: DocumentRecord) -> Document:
    metadata = {
        "doc_id": record.doc_id,
        "title": record.title,
        "url": record.url or "",
        "publish_date": record.publish_date or "",
        "date_ts": date_ts(record.publish_date),
        "source": record.source or "",
    }
    return Document(id_=record.doc_id, text=record.text, metadata=metadata)


def _to_chunk(node: BaseNode) -> Chunk:
    assert isinstance(node, TextNode), type(node)  # the splitter makes TextNodes
    meta = node.metadata
    return Chunk(
        chunk_id=node.node_id,
        doc_id=meta["doc_id"],
        text=node.get_content(),
        start=node.start_char_idx or 0,
        end=node.end_char_idx or 0,
        title=meta.get("title", ""),
        url=meta.get("url") or None,
        publish_date=meta.get("publish_date") or None,
        source=meta.get("source") or None,
    )

