"""ingest: whole-pipeline ingest of the corpus in chunks/s against the raw embedding model on
the same chunk texts, interleaved slice by slice; then a re-ingest of the unchanged corpus."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bench.common import cpu_seconds, log
from ingest.documents import SourceDocument
from ingest.pipeline import ingestor_for
from rag.app import App
from rag.stores.catalog import Catalog

if TYPE_CHECKING:
    from bench.corpus import Corpus
    from bench.state import Bench


def run(bench: Bench) -> dict[str, Any]:
    bench.corpus_app()
    assert bench.ingest_result is not None
    return bench.ingest_result


@dataclass
class _Tally:
    """Running totals over the pipeline slices and the raw-embedder runs after each."""

    pipeline_s: float = 0.0
    pipeline_cpu: float = 0.0
    raw_s: float = 0.0
    raw_cpu: float = 0.0
    added: int = 0
    updated: int = 0
    chunks: int = 0
    failed: int = 0
    raw_n: int = 0
    texts: int = 0


def measure_ingest(app: App, corpus: Corpus, embed_every: int) -> dict[str, Any]:
    """Ingest `corpus` into `app`'s (empty) collection, measuring as described above."""
    t = time.perf_counter()
    app.embedder.embed(["warm-up: load the model and run it once"] * 2)
    model_load_s = time.perf_counter() - t
    app.catalog, app.dense, app.embedder  # open the stores before timing  # noqa: B018

    step = app.settings.ingest.batch_docs
    every = max(1, embed_every)
    log(
        f"ingest: {corpus.name}, {step} documents at a time, each slice followed by the "
        f"raw embedder on {'all' if every == 1 else f'1 in {every} of'} its chunk texts …"
    )
    tally = _interleaved(app, _items(corpus), step, every)
    docs, chunks = app.catalog.counts()
    log(
        f"ingest: {tally.added} added, {tally.failed} failed, {tally.chunks} chunks: pipeline "
        f"{tally.pipeline_s:.1f}s, raw embedder {tally.raw_s:.1f}s for {tally.raw_n} chunk texts"
    )

    log("ingest: re-ingest of the unchanged corpus …")
    t = time.perf_counter()
    again = _run_ingest(app, corpus)
    reingest_s = time.perf_counter() - t

    out = {
        "corpus": corpus.name,
        "documents": docs,
        "chunks": chunks,
        "mean_chunk_chars": round(_chunk_chars(app.catalog) / max(chunks, 1)),
        "failed": tally.failed,
        "slice_docs": step,
        "model_load_s": round(model_load_s, 2),
    }
    out.update(_rates(tally, step, every))
    out["raw_embed_text"] = (
        "exactly what LlamaIndex embeds for these nodes: "
        '"title: <title>\\n\\n<chunk text>" (title is the only metadata not excluded), '
        f"batch size {app.settings.embed.batch_size}, "
        f"max {app.settings.embed.max_tokens} tokens"
    )
    out["reingest_s"] = round(reingest_s, 3)
    out["reingest_chunks_embedded"] = again.chunks
    out["reingest_unchanged_docs"] = again.unchanged
    return out


def _interleaved(app: App, items: list, step: int, every: int) -> _Tally:
    """Each `step`-document pipeline slice, then the raw embedder on 1 in `every` of the chunk
    texts that slice stored (numbered through the whole run), timed separately."""
    tally = _Tally()
    for start in range(0, len(items), step):
        part = items[start : start + step]
        t, c = time.perf_counter(), cpu_seconds()
        rep = ingestor_for(app).ingest_items(part)
        tally.pipeline_s += time.perf_counter() - t
        tally.pipeline_cpu += cpu_seconds() - c
        tally.added, tally.updated = tally.added + rep.added, tally.updated + rep.updated
        tally.chunks, tally.failed = tally.chunks + rep.chunks, tally.failed + len(rep.failed)
        ids = [d.doc_id for d in part if isinstance(d, SourceDocument)]
        texts = [f"title: {ch.title}\n\n{ch.text}" for ch in app.catalog.chunks_of(ids)]
        sample = [x for n, x in enumerate(texts, start=tally.texts) if n % every == 0]
        tally.texts += len(texts)
        t, c = time.perf_counter(), cpu_seconds()
        app.embedder.embed(sample)
        tally.raw_s += time.perf_counter() - t
        tally.raw_cpu += cpu_seconds() - c
        tally.raw_n += len(sample)
    return tally


def _rates(tally: _Tally, step: int, every: int) -> dict[str, Any]:
    pipe_rate = tally.chunks / tally.pipeline_s
    raw_rate = tally.raw_n / tally.raw_s
    selection = (
        "all chunk texts"
        if tally.raw_n == tally.texts
        else f"{tally.raw_n} of the {tally.texts} chunk texts (1 in {every}, in ingest order)"
    )
    return {
        "pipeline_s": round(tally.pipeline_s, 2),
        "pipeline_chunks_per_s": round(pipe_rate, 2),
        "pipeline_docs_per_s": round((tally.added + tally.updated) / tally.pipeline_s, 2),
        "pipeline_cpu_ms_per_chunk": round(1000 * tally.pipeline_cpu / max(tally.chunks, 1), 1),
        "raw_embed_chunks": tally.raw_n,
        "raw_embed_s": round(tally.raw_s, 2),
        "raw_embed_chunks_per_s": round(raw_rate, 2),
        "raw_embed_cpu_ms_per_chunk": round(1000 * tally.raw_cpu / max(tally.raw_n, 1), 1),
        "raw_embed_selection": selection
        + f", embedded right after each {step}-document pipeline slice (interleaved)",
        "embed_share_of_pipeline_wall": round((tally.chunks / raw_rate) / tally.pipeline_s, 3),
        "embed_share_of_pipeline_cpu": round(
            (tally.raw_cpu / max(tally.raw_n, 1)) / (tally.pipeline_cpu / max(tally.chunks, 1)), 3
        ),
    }


def _items(corpus: Corpus) -> list:
    if corpus.documents is not None:
        return list(corpus.documents)
    from ingest.loaders import load_sources

    return list(load_sources(corpus.paths, None))


def _run_ingest(app: App, corpus: Corpus):  # -> IngestReport
    if corpus.documents is not None:
        return ingestor_for(app).ingest_items(corpus.documents)
    return ingestor_for(app).ingest(corpus.paths)


def _chunk_chars(catalog: Catalog) -> int:
    """Characters of chunk text stored, all chunks."""
    ids = [d.doc_id for d in catalog.documents()]
    return sum(
        len(c.text) for i in range(0, len(ids), 500) for c in catalog.chunks_of(ids[i : i + 500])
    )


# ---------------------------------------------------------------- report


def markdown(i: dict[str, Any]) -> list[str]:
    return [
        "## ingest",
        "",
        f"Corpus: {i['corpus']}: {i['documents']} documents → {i['chunks']} chunks "
        f"(mean {i['mean_chunk_chars']} chars). Fresh temporary data dir; model load "
        f"({i['model_load_s']} s) excluded. Raw embedder input: {i['raw_embed_text']}.",
        "",
        "| measure | seconds | chunks/s | CPU ms/chunk |",
        "|---|---|---|---|",
        f"| whole pipeline (`Ingestor.ingest_items`, slices of {i.get('slice_docs', '–')} "
        f"documents), {i['chunks']} chunks | {i['pipeline_s']} "
        f"| {i['pipeline_chunks_per_s']} | {i.get('pipeline_cpu_ms_per_chunk', '–')} |",
        f"| raw `MiniLMEmbedder.embed`, {i.get('raw_embed_selection', i['raw_embed_chunks'])} "
        f"| {i['raw_embed_s']} | {i['raw_embed_chunks_per_s']} "
        f"| {i.get('raw_embed_cpu_ms_per_chunk', '–')} |",
        f"| re-ingest unchanged corpus ({i['reingest_unchanged_docs']} unchanged, "
        f"{i['reingest_chunks_embedded']} chunks embedded) | {i['reingest_s']} | – | – |",
        "",
        "CPU ms/chunk is user+system time of the process (all threads) per chunk: less "
        "sensitive than wall time to other load on the machine.",
        "",
        "Embedding accounts for about "
        f"{i.get('embed_share_of_pipeline_cpu', 0):.0%} of the pipeline's CPU time "
        f"({i.get('embed_share_of_pipeline_wall', 0):.0%} of its wall time).",
        "",
    ]


def summary(i: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (
            "ingest",
            f"whole pipeline ({i['chunks']} chunks)",
            f"{i['pipeline_chunks_per_s']} chunks/s",
        ),
        ("ingest", "raw embedder, same texts", f"{i['raw_embed_chunks_per_s']} chunks/s"),
        (
            "ingest",
            "re-ingest unchanged corpus",
            f"{i['reingest_s']} s, {i['reingest_chunks_embedded']} chunks embedded",
        ),
    ]
