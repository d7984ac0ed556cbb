"""The latency section's large collection: the corpus chunks copied as stored, plus
`--synthetic` chunks of seeded word-list text with random unit vectors, written straight into
Chroma and the catalog (no embedding model involved)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
from llama_index.core.vector_stores.utils import node_to_metadata_dict

from bench.common import SYNTH_COLLECTION, log
from bench.synthetic_text import WordSource
from ingest.chunker import LOCATOR_KEYS, chunk_id
from rag.app import App, build_app
from rag.core.types import Chunk
from rag.stores.catalog import DocumentRecord
from rag.stores.chroma import date_ts

if TYPE_CHECKING:
    from bench.state import Bench

PER_DOC = 5  # chunks per synthetic document
DIM = 384  # MiniLM's vector size
DAY0 = date(2023, 1, 1).toordinal()


@dataclass
class _Batch:
    """One Chroma call's worth of synthetic documents."""

    ids: list[str]
    metas: list[dict[str, Any]]
    texts: list[str]
    rows: list[tuple[DocumentRecord, list[Chunk]]]


@dataclass
class _Timings:
    """Synthetic chunks written, and the seconds spent generating and writing them."""

    written: int = 0
    generate_s: float = 0.0
    dense_s: float = 0.0
    catalog_s: float = 0.0


def build_synthetic(bench: Bench, src: App) -> tuple[App, dict[str, Any]]:
    """The corpus chunks plus `--synthetic` random ones, written without the model."""
    app = build_app(bench.settings(SYNTH_COLLECTION), embedder=src.embedder)
    batch = max(1, min(app.dense.max_batch, 5000))
    t0 = time.perf_counter()
    total = copy_collection(src, app, batch)
    copy_s = time.perf_counter() - t0

    rng = np.random.default_rng(bench.args.seed)
    words = WordSource(rng)
    n_docs = -(-bench.args.synthetic // PER_DOC)
    t1 = time.perf_counter()
    timings = _write_synthetic(app, n_docs, max(1, batch // PER_DOC), words, rng)
    _docs_n, chunks_n = app.catalog.counts()
    if app.dense.count() != chunks_n:
        raise SystemExit(
            f"synthetic collection out of step: {app.dense.count()} vectors, {chunks_n} chunks"
        )
    build = {
        "synthetic_chunks": timings.written,
        "synthetic_documents": n_docs,
        "copied_corpus_chunks": total,
        "copy_corpus_s": round(copy_s, 1),
        "generate_s": round(timings.generate_s, 1),
        "chroma_add_s": round(timings.dense_s, 1),
        "chroma_add_chunks_per_s": (
            round(timings.written / timings.dense_s) if timings.dense_s else None
        ),
        "catalog_write_s": round(timings.catalog_s, 1),
        "total_s": round(time.perf_counter() - t1 + copy_s, 1),
        "vectors": "random N(0,1) 384-d, L2-normalised, float32 (seeded)",
        "text": f"seeded Zipf draws from a {len(words.vocab)}-word list "
        "(news words + pseudo-words), "
        "~95 words per chunk, 5 chunks per document, dates 2023-2024",
        "chroma_batch": batch,
    }
    log(f"synthetic: {chunks_n} chunks in {build['total_s']}s")
    return app, build


def _write_synthetic(
    app: App, n_docs: int, doc_batch: int, words: WordSource, rng: np.random.Generator
) -> _Timings:
    """`n_docs` synthetic documents, `doc_batch` at a time: text, then vectors, then Chroma,
    then the catalog, each timed."""
    timings = _Timings()
    for d0 in range(0, n_docs, doc_batch):
        t = time.perf_counter()
        part = _generate(range(d0, min(n_docs, d0 + doc_batch)), words, rng)
        v = rng.standard_normal((len(part.ids), DIM), dtype=np.float32)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        timings.generate_s += time.perf_counter() - t
        t = time.perf_counter()
        app.dense.add_vectors(part.ids, v, part.metas, part.texts)
        timings.dense_s += time.perf_counter() - t
        t = time.perf_counter()
        app.catalog.write(part.rows)
        timings.catalog_s += time.perf_counter() - t
        timings.written += len(part.ids)
        if (d0 // doc_batch) % 5 == 0:
            log(f"synthetic: {timings.written}/{n_docs * PER_DOC} chunks")
    return timings


def copy_collection(src: App, dst: App, batch: int) -> int:
    """Copy `src`'s vectors and catalog rows as stored into `dst`; returns the vectors copied."""
    total = src.dense.count()
    for records in src.dense.iter_records(batch):
        dst.dense.add_vectors(*records)
    docs = list(src.catalog.documents())
    for i in range(0, len(docs), 200):
        part = docs[i : i + 200]
        by_doc: dict[str, list[Chunk]] = {d.doc_id: [] for d in part}
        for chunk in src.catalog.chunks_of(list(by_doc)):
            by_doc[chunk.doc_id].append(chunk)
        dst.catalog.write((d, by_doc[d.doc_id]) for d in part)
    return total


def _generate(numbers: range, words: WordSource, rng: np.random.Generator) -> _Batch:
    """Synthetic documents `numbers`: 5 chunks each, seeded text, dates, sources."""
    out = _Batch([], [], [], [])
    for d in numbers:
        doc_id = f"syn-{d:06d}"
        title = words.sentence(int(rng.integers(6, 11)), end="")
        published = date.fromordinal(DAY0 + int(rng.integers(0, 731))).isoformat()
        source = f"wire{int(rng.integers(0, 12))}.example"
        parts = [words.paragraph() for _ in range(PER_DOC)]
        chunks, start = [], 0
        for idx, text in enumerate(parts):
            chunk = Chunk(chunk_id=chunk_id(doc_id, idx), doc_id=doc_id, text=text, start=start,
                          end=start + len(text), title=title, url=None, publish_date=published,
                          source=source)
            chunks.append(chunk)
            out.ids.append(chunk.chunk_id)
            out.metas.append(_chroma_metadata(chunk, idx))
            out.texts.append(text)
            start = chunk.end + 1
        record = DocumentRecord(doc_id=doc_id, content_hash=f"synthetic-{d}",
                                text=" ".join(parts), title=title, publish_date=published,
                                date_provenance="synthetic", source=source, origin="synthetic")
        out.rows.append((record, chunks))
    return out


def _chroma_metadata(chunk: Chunk, idx: int) -> dict[str, Any]:
    """The flat metadata LlamaIndex's ChromaVectorStore would store for this chunk's node."""
    node = TextNode(
        id_=chunk.chunk_id,
        text=chunk.text,
        start_char_idx=chunk.start,
        end_char_idx=chunk.end,
        metadata={
            "doc_id": chunk.doc_id,
            "title": chunk.title,
            "url": "",
            "publish_date": chunk.publish_date,
            "date_ts": date_ts(chunk.publish_date),
            "source": chunk.source,
            "chunk_index": idx,
        },
        excluded_embed_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
        excluded_llm_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=chunk.doc_id)},
    )
    meta = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
    return {k: ("" if v is None else v) for k, v in meta.items()}
