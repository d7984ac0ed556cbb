"""citechat benchmark: ingest throughput, query latency, cold start and dev-set quality.

Everything runs in a fresh temporary data dir (deleted afterwards unless --keep-data), so the
user's own collections are never touched. Figures are printed and written to
bench/results/bench.md (tables) and bench/results/bench.json (the same figures, machine-readable),
together with the command line, the date and the machine (nproc, CPU model, Python version).

Sections (choose with --sections, comma-separated; default: all four):

  ingest    Whole-pipeline ingest of the corpus (clean → chunk → embed → Chroma + catalog),
            in chunks/s, against the raw embedding model alone on the same chunk texts
            (embedded as LlamaIndex does: "title: <title>\\n\\n<text>", same batch size, same
            process), interleaved: each 64-document pipeline slice is followed by the raw
            model on (every --embed-every'th of) that slice's chunk texts, so that load from
            other work on the machine hits both alike. Then a re-ingest of the unchanged
            corpus: seconds, and chunks embedded (should be 0).
  latency   retrieve and ask p50/p95 in ms over --queries questions, (a) on the corpus
            collection and (b) on a collection of >= --synthetic chunks: the corpus chunks
            plus random normalised 384-d vectors and seeded word-list text written straight
            into Chroma and the catalog (no embedding model involved).
  coldstart Wall time of a fresh `python -m rag.cli.main ask --json "<question>"` process against
            the corpus collection (--cold-runs runs, each and the median), and of
            `python -c "import rag.cli.main"`.
  quality   On the dev set: doc hit@5, recall@5 and MRR@10 over the gold evidence docs for
            keyword-only, dense-only and hybrid retrieval (and the service's date-aware
            retrieval, as_of = question date); then, if the answer service loads, extractive
            answer accuracy (gold answer contained in short_answer / in the whole answer),
            refusal rate on unanswerable questions and false-refusal rate on answerable ones.

The corpus is the dev set (--devset, default ../shared/devsets/realtimeqa_dev relative to the
repo root; internal use only: its text is read from there and never written into the repo). If
it is absent, the sample corpus (evals/datasets/sample_corpus) and evals/datasets/sample.jsonl
are used.

    python bench/run_bench.py                                # everything, ~10-15 min on 2 cores
    python bench/run_bench.py --sections latency --synthetic 20000 --no-write
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.documents import SourceDocument  # noqa: E402
from ingest.pipeline import ingestor_for  # noqa: E402
from rag.app import App, build_app  # noqa: E402
from rag.core.settings import load_settings  # noqa: E402
from rag.core.types import Chunk  # noqa: E402
from rag.stores.catalog import DocumentRecord  # noqa: E402

SECTIONS = ("ingest", "latency", "coldstart", "quality")
DEFAULT_DEVSET = REPO.parent / "shared" / "devsets" / "realtimeqa_dev"
SAMPLE_CORPUS = REPO / "evals" / "datasets" / "sample_corpus"
SAMPLE_QUESTIONS = REPO / "evals" / "datasets" / "sample.jsonl"
RESULTS_DIR = REPO / "bench" / "results"
CORPUS_COLLECTION = "bench-corpus"
SYNTH_COLLECTION = "bench-synthetic"


# ---------------------------------------------------------------- small helpers


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 50), 1),
        "p95_ms": round(pct(ms, 95), 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else float("nan"),
        "max_ms": round(max(ms), 1) if ms else float("nan"),
    }


def normalise(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def contains(haystack: str | None, needle: str) -> bool:
    """Word-bounded containment after normalisation (case, accents, punctuation)."""
    needle = normalise(needle)
    return bool(needle) and f" {needle} " in f" {normalise(haystack)} "


def iso_date(value: Any) -> str | None:
    """'2024/03/18', '2024-03-18T10:00:00' … → '2024-03-18'; None when not a date."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", str(value))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def machine_info() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        nproc = int(subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        nproc = len(os.sched_getaffinity(0))
    mem_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        mem_gib = round(kb / 1024 / 1024, 1)
    versions = {}
    for pkg in ("chromadb", "onnxruntime", "llama-index-core", "tokenizers", "numpy"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[pkg] = version(pkg)
    git = {}
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        run = lambda *a: subprocess.run(  # noqa: E731
            ["git", *a], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        git = {
            "commit": run("rev-parse", "--short", "HEAD"),
            "dirty": bool(run("status", "--porcelain")),
        }
    return {
        "nproc": nproc,
        "cpu_model": cpu,
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "git": git,
    }


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads (robust to other load on the box)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


# ---------------------------------------------------------------- the corpus and questions


@dataclass
class Question:
    qid: str
    question: str
    as_of: str | None
    gold_docs: list[str]
    answer_groups: list[list[str]]  # every group must be matched by one of its alternatives
    unanswerable: bool


@dataclass
class Corpus:
    name: str
    documents: list[SourceDocument] | None  # None: ingest `paths` with the file loaders
    paths: list[Path] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    questions_name: str = ""


def load_corpus(devset: Path | None, max_docs: int | None) -> Corpus:
    if devset is not None and (devset / "corpus.jsonl").is_file():
        docs = []
        for n, rec in enumerate(load_jsonl(devset / "corpus.jsonl"), start=1):
            docs.append(
                SourceDocument(
                    doc_id=str(rec["id"]),
                    text=rec.get("text") or "",
                    title=rec.get("title") or "",
                    url=rec.get("url") or None,
                    publish_date=iso_date(rec.get("publish_date")),
                    date_provenance="jsonl",
                    source=rec.get("source") or None,
                    origin=f"corpus.jsonl:{n}",
                )
            )
        if max_docs:
            docs = docs[:max_docs]
        questions = []
        qpath = devset / "questions.jsonl"
        if qpath.is_file():
            for rec in load_jsonl(qpath):
                questions.append(
                    Question(
                        qid=rec["id"],
                        question=rec["question"],
                        as_of=iso_date(rec.get("question_date")),
                        gold_docs=list(rec.get("evidence") or []),
                        answer_groups=[[a.strip() for a in str(rec["answer"]).split(" / ")]],
                        unanswerable=rec.get("question_type") == "unanswerable_in_corpus",
                    )
                )
        return Corpus(
            f"dev set {devset.name} ({len(docs)} docs)",
            docs,
            questions=questions,
            questions_name=f"{devset.name}/questions.jsonl",
        )
    if devset is not None:
        log(
            f"dev set not found at {devset}: using the sample corpus "
            f"{SAMPLE_CORPUS.relative_to(REPO)}"
        )
    questions = []
    if SAMPLE_QUESTIONS.is_file():
        for rec in load_jsonl(SAMPLE_QUESTIONS):
            questions.append(
                Question(
                    qid=rec["id"],
                    question=rec["question"],
                    as_of=iso_date(rec.get("as_of")),
                    gold_docs=list(rec.get("gold_docs") or []),
                    answer_groups=[list(g) for g in rec.get("answers") or []],
                    unanswerable=bool(rec.get("expect_refusal")),
                )
            )
    return Corpus(
        "sample corpus (evals/datasets/sample_corpus)",
        None,
        paths=[SAMPLE_CORPUS],
        questions=questions,
        questions_name="evals/datasets/sample.jsonl",
    )


def spread(items: Sequence[Any], n: int) -> list[Any]:
    """n items evenly spaced through `items` (all of them when n >= len)."""
    if n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


# ---------------------------------------------------------------- the bench


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="citechat-bench-"))
        self.corpus = load_corpus(args.devset, args.max_docs)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("CITECHAT_")}
        for key in [k for k in os.environ if k.startswith("CITECHAT_")]:
            del os.environ[key]  # measure the defaults, not whatever this shell has set
        self._app: App | None = None
        self._ingest_result: dict[str, Any] | None = None
        self._service_error: str | None = None

    def settings(self, collection: str):
        return load_settings(None, data_dir=self.work, collection=collection)

    # ---- ingest (needed by every section)

    def corpus_app(self) -> App:
        if self._app is None:
            self._app = build_app(self.settings(CORPUS_COLLECTION))
            self._ingest_result = self._ingest(self._app)
        return self._app

    def _ingest(self, app: App) -> dict[str, Any]:
        t = time.perf_counter()
        app.embedder.embed(["warm-up: load the model and run it once"] * 2)
        model_load_s = time.perf_counter() - t
        app.catalog, app.dense, app.embedder  # open the stores before timing  # noqa: B018

        items = self._items()
        step = app.settings.ingest.batch_docs
        every = max(1, self.args.embed_every)
        log(
            f"ingest: {self.corpus.name}, {step} documents at a time, each slice followed by the "
            f"raw embedder on {'all' if every == 1 else f'1 in {every} of'} its chunk texts …"
        )
        pipeline_s = pipeline_cpu = raw_s = raw_cpu = 0.0
        added = updated = n_chunks = failed = raw_n = total_texts = 0
        seen_chunks = 0
        db = app.catalog._db
        for start in range(0, len(items), step):
            part = items[start : start + step]
            t, c = time.perf_counter(), cpu_seconds()
            rep = ingestor_for(app).ingest_items(part)
            pipeline_s += time.perf_counter() - t
            pipeline_cpu += cpu_seconds() - c
            added, updated = added + rep.added, updated + rep.updated
            n_chunks, failed = n_chunks + rep.chunks, failed + len(rep.failed)
            ids = [d.doc_id for d in part if isinstance(d, SourceDocument)]
            marks = ",".join("?" * len(ids))
            rows = db.execute(
                f"SELECT title, text FROM chunks WHERE doc_id IN ({marks}) ORDER BY rowid", ids
            ).fetchall()
            texts = [f"title: {title or ''}\n\n{text}" for title, text in rows]
            sample = [x for n, x in enumerate(texts, start=seen_chunks) if n % every == 0]
            seen_chunks += len(texts)
            total_texts += len(texts)
            t, c = time.perf_counter(), cpu_seconds()
            app.embedder.embed(sample)
            raw_s += time.perf_counter() - t
            raw_cpu += cpu_seconds() - c
            raw_n += len(sample)
        docs, chunks = app.catalog.counts()
        log(
            f"ingest: {added} added, {failed} failed, {n_chunks} chunks: pipeline "
            f"{pipeline_s:.1f}s, raw embedder {raw_s:.1f}s for {raw_n} chunk texts"
        )

        log("ingest: re-ingest of the unchanged corpus …")
        t = time.perf_counter()
        again = self._run_ingest(app)
        reingest_s = time.perf_counter() - t

        pipe_rate = n_chunks / pipeline_s
        raw_rate = raw_n / raw_s
        chars = db.execute("SELECT coalesce(sum(length(text)), 0) FROM chunks").fetchone()[0]
        return {
            "corpus": self.corpus.name,
            "documents": docs,
            "chunks": chunks,
            "mean_chunk_chars": round(chars / max(chunks, 1)),
            "failed": failed,
            "slice_docs": step,
            "model_load_s": round(model_load_s, 2),
            "pipeline_s": round(pipeline_s, 2),
            "pipeline_chunks_per_s": round(pipe_rate, 2),
            "pipeline_docs_per_s": round((added + updated) / pipeline_s, 2),
            "pipeline_cpu_ms_per_chunk": round(1000 * pipeline_cpu / max(n_chunks, 1), 1),
            "raw_embed_chunks": raw_n,
            "raw_embed_s": round(raw_s, 2),
            "raw_embed_chunks_per_s": round(raw_rate, 2),
            "raw_embed_cpu_ms_per_chunk": round(1000 * raw_cpu / max(raw_n, 1), 1),
            "raw_embed_selection": (
                "all chunk texts"
                if raw_n == total_texts
                else f"{raw_n} of the {total_texts} chunk texts (1 in {every}, in ingest order)"
            )
            + f", embedded right after each {step}-document pipeline slice (interleaved)",
            "embed_share_of_pipeline_wall": round((n_chunks / raw_rate) / pipeline_s, 3),
            "embed_share_of_pipeline_cpu": round(
                (raw_cpu / max(raw_n, 1)) / (pipeline_cpu / max(n_chunks, 1)), 3
            ),
            "raw_embed_text": "exactly what LlamaIndex embeds for these nodes: "
            '"title: <title>\\n\\n<chunk text>" (title is the only metadata not excluded), '
            f"batch size {app.settings.embed.batch_size}, "
            f"max {app.settings.embed.max_tokens} tokens",
            "reingest_s": round(reingest_s, 3),
            "reingest_chunks_embedded": again.chunks,
            "reingest_unchanged_docs": again.unchanged,
        }

    def _items(self) -> list:
        if self.corpus.documents is not None:
            return list(self.corpus.documents)
        from ingest.loaders import load_sources

        return list(load_sources(self.corpus.paths, None))

    def _run_ingest(self, app: App):
        if self.corpus.documents is not None:
            return ingestor_for(app).ingest_items(self.corpus.documents)
        return ingestor_for(app).ingest(self.corpus.paths)

    def section_ingest(self) -> dict[str, Any]:
        self.corpus_app()
        assert self._ingest_result is not None
        return self._ingest_result

    # ---- the answer service

    def service(self, app: App):
        if self._service_error is not None:
            return None
        try:
            return app.service
        except Exception as exc:  # extractive answerer missing or broken: measure retrieve only
            self._service_error = f"{type(exc).__name__}: {exc}"
            log(f"answer service unavailable ({self._service_error}): ask is reported as n/a")
            return None

    # ---- latency

    def latency_queries(self) -> list[Question]:
        qs = self.corpus.questions
        if not qs:
            raise SystemExit("no questions found for the latency section")
        chosen = spread(qs, self.args.queries)
        while len(chosen) < self.args.queries:  # a small question file: go round again
            chosen += qs[: self.args.queries - len(chosen)]
        return chosen

    def measure_latency(self, apps: dict[str, App]) -> dict[str, dict[str, Any]]:
        """Time every query on every collection, interleaved (query 1 on each, then query 2 …),
        so that changing load on a shared machine hits all collections alike."""
        queries = self.latency_queries()
        k = next(iter(apps.values())).settings.retrieve.top_k
        services = {label: self.service(app) for label, app in apps.items()}
        for q in queries[:3]:  # warm-up: model, page cache, sqlite statements, HNSW index load
            for label, app in apps.items():
                app.retriever.retrieve(q.question, k)
                if services[label] is not None:
                    services[label].ask(q.question, as_of=_as_date(q.as_of))
        wall: dict[str, dict[str, list[float]]] = {x: {"retrieve": [], "ask": []} for x in apps}
        cpu: dict[str, dict[str, list[float]]] = {x: {"retrieve": [], "ask": []} for x in apps}
        refused = dict.fromkeys(apps, 0)
        for q in queries:
            for label, app in apps.items():
                t, c = time.perf_counter(), cpu_seconds()
                app.retriever.retrieve(q.question, k)
                wall[label]["retrieve"].append(time.perf_counter() - t)
                cpu[label]["retrieve"].append(cpu_seconds() - c)
        for q in queries:
            for label, service in services.items():
                if service is None:
                    continue
                t, c = time.perf_counter(), cpu_seconds()
                answer = service.ask(q.question, as_of=_as_date(q.as_of))
                wall[label]["ask"].append(time.perf_counter() - t)
                cpu[label]["ask"].append(cpu_seconds() - c)
                refused[label] += answer.refused
        results = {}
        for label, app in apps.items():
            docs, chunks = app.catalog.counts()
            out: dict[str, Any] = {
                "collection": label,
                "documents": docs,
                "chunks": chunks,
                "dense_vectors": app.dense.count(),
                "queries": len(queries),
                "retrieve_k": k,
                "retrieve": summary_ms(wall[label]["retrieve"]),
                "retrieve_cpu_ms_p50": round(pct(cpu[label]["retrieve"], 50) * 1000, 1),
                "ask": summary_ms(wall[label]["ask"]) if wall[label]["ask"] else "n/a",
            }
            if services[label] is None:
                out["ask_unavailable"] = self._service_error
            else:
                out["ask_cpu_ms_p50"] = round(pct(cpu[label]["ask"], 50) * 1000, 1)
                out["ask_refused"] = refused[label]
            ask = out["ask"]
            log(
                f"latency [{label}]: retrieve p50 {out['retrieve']['p50_ms']} ms, "
                f"ask {'n/a' if isinstance(ask, str) else str(ask['p50_ms']) + ' ms'}"
            )
            results[label] = out
        return results

    def section_latency(self) -> dict[str, Any]:
        app = self.corpus_app()
        synth_app, build = self.build_synthetic(app)
        measured = self.measure_latency({"corpus": app, "synthetic": synth_app})
        corpus_side, synth_side = measured["corpus"], measured["synthetic"]
        synth_side["build"] = build
        return {
            "questions": self.corpus.questions_name,
            "as_of": "each question's own date (ask); retrieve has no date filter",
            "corpus": corpus_side,
            "synthetic": synth_side,
        }

    def build_synthetic(self, src: App) -> tuple[App, dict[str, Any]]:
        """The corpus chunks plus `--synthetic` random ones, written without the model."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode
        from llama_index.core.vector_stores.utils import node_to_metadata_dict

        from ingest.chunker import LOCATOR_KEYS, chunk_id
        from rag.stores.chroma import date_ts

        n_target = self.args.synthetic
        app = build_app(self.settings(SYNTH_COLLECTION), embedder=src.embedder)
        coll = app.dense._collection
        batch = max(1, min(app.dense._batch, 5000))
        t0 = time.perf_counter()

        # 1. copy the real corpus (vectors as stored, catalog rows as stored)
        total = src.dense.count()
        for off in range(0, total, batch):
            got = src.dense._collection.get(
                limit=batch, offset=off, include=["embeddings", "metadatas", "documents"]
            )
            coll.add(
                ids=got["ids"],
                embeddings=got["embeddings"],
                metadatas=got["metadatas"],
                documents=got["documents"],
            )
        db = src.catalog._db
        docs = db.execute(
            "SELECT doc_id, content_hash, text, title, url, publish_date, date_provenance, source, "
            "origin FROM documents"
        ).fetchall()
        for i in range(0, len(docs), 200):
            part = docs[i : i + 200]
            app.catalog.write(
                (DocumentRecord(*row), list(src.catalog.chunks(_chunk_ids(db, row[0])).values()))
                for row in part
            )
        copy_s = time.perf_counter() - t0

        # 2. synthetic documents: 5 chunks each, seeded word-list text, random unit vectors
        rng = np.random.default_rng(self.args.seed)
        source_words = WordSource(rng)
        per_doc = 5
        n_docs = -(-n_target // per_doc)
        day0 = date(2023, 1, 1).toordinal()
        t1 = time.perf_counter()
        text_s = dense_s = catalog_s = 0.0
        written = 0
        doc_batch = max(1, batch // per_doc)
        for d0 in range(0, n_docs, doc_batch):
            t = time.perf_counter()
            ids, metas, texts, rows = [], [], [], []
            for d in range(d0, min(n_docs, d0 + doc_batch)):
                doc_id = f"syn-{d:06d}"
                title = source_words.sentence(int(rng.integers(6, 11)), end="")
                published = date.fromordinal(day0 + int(rng.integers(0, 731))).isoformat()
                source = f"wire{int(rng.integers(0, 12))}.example"
                parts = [source_words.paragraph() for _ in range(per_doc)]
                doc_text = " ".join(parts)
                chunks, start = [], 0
                for idx, part in enumerate(parts):
                    cid = chunk_id(doc_id, idx)
                    end = start + len(part)
                    chunks.append(
                        Chunk(
                            chunk_id=cid,
                            doc_id=doc_id,
                            text=part,
                            start=start,
                            end=end,
                            title=title,
                            url=None,
                            publish_date=published,
                            source=source,
                        )
                    )
                    node = TextNode(
                        id_=cid,
                        text=part,
                        start_char_idx=start,
                        end_char_idx=end,
                        metadata={
                            "doc_id": doc_id,
                            "title": title,
                            "url": "",
                            "publish_date": published,
                            "date_ts": date_ts(published),
                            "source": source,
                            "chunk_index": idx,
                        },
                        excluded_embed_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
                        excluded_llm_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
                        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)},
                    )
                    meta = node_to_metadata_dict(node, remove_text=True, flat_metadata=True)
                    ids.append(cid)
                    metas.append({k: ("" if v is None else v) for k, v in meta.items()})
                    texts.append(part)
                    start = end + 1
                rows.append(
                    (
                        DocumentRecord(
                            doc_id=doc_id,
                            content_hash=f"synthetic-{d}",
                            text=doc_text,
                            title=title,
                            publish_date=published,
                            date_provenance="synthetic",
                            source=source,
                            origin="synthetic",
                        ),
                        chunks,
                    )
                )
            v = rng.standard_normal((len(ids), 384), dtype=np.float32)
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            text_s += time.perf_counter() - t
            t = time.perf_counter()
            coll.add(ids=ids, embeddings=v, metadatas=metas, documents=texts)
            dense_s += time.perf_counter() - t
            t = time.perf_counter()
            app.catalog.write(rows)
            catalog_s += time.perf_counter() - t
            written += len(ids)
            if (d0 // doc_batch) % 5 == 0:
                log(f"synthetic: {written}/{n_docs * per_doc} chunks")
        docs_n, chunks_n = app.catalog.counts()
        if app.dense.count() != chunks_n:
            raise SystemExit(
                f"synthetic collection out of step: {app.dense.count()} vectors, {chunks_n} chunks"
            )
        build = {
            "synthetic_chunks": written,
            "synthetic_documents": n_docs,
            "copied_corpus_chunks": total,
            "copy_corpus_s": round(copy_s, 1),
            "generate_s": round(text_s, 1),
            "chroma_add_s": round(dense_s, 1),
            "chroma_add_chunks_per_s": round(written / dense_s) if dense_s else None,
            "catalog_write_s": round(catalog_s, 1),
            "total_s": round(time.perf_counter() - t1 + copy_s, 1),
            "vectors": "random N(0,1) 384-d, L2-normalised, float32 (seeded)",
            "text": f"seeded Zipf draws from a {len(source_words.vocab)}-word list "
            "(news words + pseudo-words), "
            "~95 words per chunk, 5 chunks per document, dates 2023-2024",
            "chroma_batch": batch,
        }
        log(f"synthetic: {chunks_n} chunks in {build['total_s']}s")
        return app, build

    # ---- cold start

    def section_coldstart(self) -> dict[str, Any]:
        app = self.corpus_app()
        first = self.latency_queries()[0]
        question = first.question
        runs = self.args.cold_runs
        base = [
            sys.executable,
            "-m",
            "rag.cli.main",
            "ask",
            "--json",
            "--data-dir",
            str(self.work),
            "--collection",
            CORPUS_COLLECTION,
        ]
        ask_wall, ask_inner, import_wall = [], [], []
        for i in range(runs):
            t = time.perf_counter()
            proc = subprocess.run(
                [*base, question], cwd=REPO, env=self.env, capture_output=True, text=True
            )
            wall = time.perf_counter() - t
            if proc.returncode != 0:
                raise SystemExit(
                    f"cold-start ask failed ({proc.returncode}): {proc.stderr[-2000:]}"
                )
            answer = json.loads(proc.stdout)
            ask_wall.append(round(wall, 2))
            ask_inner.append(answer.get("latency_ms"))
            log(
                f"coldstart: ask run {i + 1}: {wall:.2f}s "
                f"(in-process ask {answer.get('latency_ms')} ms)"
            )
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", "import rag.cli.main"], cwd=REPO, env=self.env, check=True
            )
            import_wall.append(round(time.perf_counter() - t, 3))
        shown = [
            "python",
            "-m",
            "rag.cli.main",
            "ask",
            "--json",
            "--data-dir",
            "<tmp>",
            "--collection",
            CORPUS_COLLECTION,
        ]
        # the dev set is internal: name the question by its id instead of quoting it
        shown_cmd = shlex.join(shown) + f" '<question {first.qid}>'"
        return {
            "command": shown_cmd,
            "collection_chunks": app.catalog.counts()[1],
            "ask_wall_s": ask_wall,
            "ask_wall_median_s": round(statistics.median(ask_wall), 2),
            "ask_in_process_ms": ask_inner,
            "import_rag_cli_s": import_wall,
            "import_rag_cli_median_s": round(statistics.median(import_wall), 3),
        }

    # ---- quality

    def section_quality(self) -> dict[str, Any]:
        if self.corpus.documents is None and not self.corpus.questions:
            return {"skipped": "no questions with gold documents"}
        app = self.corpus_app()
        answerable = [q for q in self.corpus.questions if not q.unanswerable and q.gold_docs]
        unanswerable = [q for q in self.corpus.questions if q.unanswerable]
        emb = app.embedder
        service = self.service(app)
        retrievers: dict[str, Callable[[Question], list[str]]] = {
            "keyword (BM25)": lambda q: [c.doc_id for c, _ in app.catalog.search(q.question, 40)],
            "dense (MiniLM)": lambda q: [
                cid.split("::")[0] for cid, _ in app.dense.search(emb.embed([q.question])[0], 40)
            ],
            "hybrid (RRF)": lambda q: [
                s.chunk.doc_id for s in app.retriever.retrieve(q.question, 40)
            ],
        }
        if service is not None:
            retrievers["hybrid + dates (as_of)"] = lambda q: [
                s.chunk.doc_id
                for s in service.retrieve_as_of(q.question, 40, None, _as_date(q.as_of))
            ]
        out: dict[str, Any] = {
            "questions": self.corpus.questions_name,
            "answerable": len(answerable),
            "unanswerable": len(unanswerable),
            "retrieval": {},
        }
        for name, fn in retrievers.items():
            t = time.perf_counter()
            scores = [_doc_scores(_distinct(fn(q)), set(q.gold_docs)) for q in answerable]
            out["retrieval"][name] = {
                "doc_hit@5": round(statistics.fmean(s[0] for s in scores), 3),
                "recall@5": round(statistics.fmean(s[1] for s in scores), 3),
                "mrr@10": round(statistics.fmean(s[2] for s in scores), 3),
                "seconds": round(time.perf_counter() - t, 1),
            }
            log(f"quality: {name}: {out['retrieval'][name]}")
        if service is None:
            out["extractive"] = "n/a"
            out["extractive_unavailable"] = self._service_error
            return out
        t = time.perf_counter()
        short_ok = whole_ok = false_refusals = 0
        for q in answerable:
            a = service.ask(q.question, as_of=_as_date(q.as_of))
            if a.refused:
                false_refusals += 1
                continue
            short_ok += _matches(a.short_answer, q.answer_groups)
            whole_ok += _matches(a.answer, q.answer_groups)
        refusals = sum(
            service.ask(q.question, as_of=_as_date(q.as_of)).refused for q in unanswerable
        )
        n = max(len(answerable), 1)
        out["extractive"] = {
            "as_of": "question date",
            "short_answer_contains_gold": round(short_ok / n, 3),
            "answer_text_contains_gold": round(whole_ok / n, 3),
            "false_refusal_rate": round(false_refusals / n, 3),
            "refusal_rate_unanswerable": round(refusals / max(len(unanswerable), 1), 3),
            "counts": {
                "short_ok": short_ok,
                "answer_ok": whole_ok,
                "false_refusals": false_refusals,
                "refused_unanswerable": refusals,
            },
            "seconds": round(time.perf_counter() - t, 1),
        }
        log(f"quality: extractive: {out['extractive']}")
        return out

    def close(self) -> None:
        if self.args.keep_data:
            log(f"data kept in {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def _as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _chunk_ids(db: sqlite3.Connection, doc_id: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT chunk_id FROM chunks WHERE doc_id = ? ORDER BY rowid", (doc_id,)
        )
    ]


def _distinct(doc_ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(doc_ids))


def _doc_scores(ranked: list[str], gold: set[str]) -> tuple[float, float, float]:
    top5 = set(ranked[:5])
    hit = float(bool(top5 & gold))
    recall = len(top5 & gold) / len(gold)
    rr = next((1.0 / r for r, d in enumerate(ranked[:10], start=1) if d in gold), 0.0)
    return hit, recall, rr


def _matches(text: str | None, groups: list[list[str]]) -> bool:
    return bool(groups) and all(any(contains(text, alt) for alt in group) for group in groups)


# ---------------------------------------------------------------- synthetic text

_NEWS_TEXT = """
government president minister officials police court judge election vote voters campaign party
senate congress council mayor governor state city county country nation federal local report
reports reported statement spokesperson agency department authorities investigation charges trial
jury verdict lawsuit settlement company market shares stocks prices inflation rates bank economy
jobs workers union strike wages budget tax taxes plan proposal bill law rule ruling policy health
hospital patients doctors virus vaccine disease study research scientists university school students
teachers parents children families residents community neighborhood storm flood fire wildfire
hurricane tornado earthquake heat weather rain snow winds damage power outage evacuation rescue
crews emergency shelter victims survivors deaths injured killed missing team game season coach
players fans league championship final match win loss score record title tournament stadium
film movie music album singer actor show series award festival concert tour museum art book author
technology software phone internet users data privacy security hackers platform app artificial
intelligence energy oil gas climate emissions electric vehicles cars airline flights airport train
bridge road traffic crash driver border immigration migrants war troops military attack ceasefire
talks deal agreement leaders summit sanctions allies protest protesters rally crowd march water
drought farmers food restaurant price sales retail store holiday travel tourists beach park river
island coast mountain village downtown north south east west monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december week month year million billion percent people officials announced according
expected including during after before while since could would about more than early late major
new first last second third former current public private national international global regional
"""
_NEWS_WORDS = _NEWS_TEXT.split()


_SYLLABLES = "ba ker lo mi tan dor vel si ra gon pe lin stro qua ne fi mar zu hol den ca tri vo lem"


class WordSource:
    """Seeded news-like text: the news words first (most frequent), then pseudo-words, drawn
    with Zipf(1.05) probabilities. Words are drawn a million at a time (fast)."""

    def __init__(self, rng: np.random.Generator, size: int = 20000) -> None:
        syll = _SYLLABLES.split()
        words = list(dict.fromkeys(_NEWS_WORDS))
        seen = set(words)
        while len(words) < size:
            w = "".join(rng.choice(syll, size=int(rng.integers(2, 5))))
            if w not in seen:
                seen.add(w)
                words.append(w)
        probs = np.arange(1, size + 1, dtype=np.float64) ** -1.05
        self.vocab = np.array(words)
        self._cdf = np.cumsum(probs / probs.sum())
        self._rng = rng
        self._buf: list[str] = []
        self._pos = 0

    def take(self, n: int) -> list[str]:
        if self._pos + n > len(self._buf):
            draws = np.searchsorted(self._cdf, self._rng.random(1_000_000) * self._cdf[-1])
            self._buf = self.vocab[np.minimum(draws, len(self.vocab) - 1)].tolist()
            self._pos = 0
        out = self._buf[self._pos : self._pos + n]
        self._pos += n
        return out

    def sentence(self, n: int, end: str = ".") -> str:
        return " ".join(self.take(n)).capitalize() + end

    def paragraph(self) -> str:
        lengths = self._rng.integers(12, 26, size=5)
        return " ".join(self.sentence(int(n)) for n in lengths)


# ---------------------------------------------------------------- output


def render_markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        "# citechat benchmark",
        "",
        f"Generated by `bench/run_bench.py` on {result['date']}.",
        "",
        f"Command: `{result['command']}`",
        "",
        f"Machine: {m['nproc']} CPUs (`nproc`), {m['cpu_model']}, {m.get('memory_gib')} GiB RAM, "
        f"Python {m['python']}, {m['platform']}. Packages: "
        + ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items())
        + f". Git: {m.get('git', {}).get('commit', '?')}"
        + (" (with uncommitted changes)" if m.get("git", {}).get("dirty") else "")
        + f". Load average (1/5/15 min) at start {result.get('loadavg_start')}, at end "
        f"{result.get('loadavg_end')}; total run {result.get('total_wall_s')} s.",
        "",
        *_busy_note(result),
        "## Summary",
        "",
        "| section | figure | value |",
        "|---|---|---|",
    ]
    for row in summary_rows(result["sections"]):
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    lines.append("")
    s = result["sections"]
    if "ingest" in s:
        i = s["ingest"]
        lines += [
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
    if "latency" in s:
        lat = s["latency"]
        lines += [
            "## latency",
            "",
            f"Questions: {lat['corpus']['queries']} from `{lat['questions']}` (evenly spread); "
            f"{lat['as_of']}. `retrieve` = "
            f"`app.retriever.retrieve(q, {lat['corpus']['retrieve_k']})`; "
            "`ask` = `app.service.ask(q, as_of=…)` "
            "(retrieve + date preference + extractive answer). "
            "Warm process, 3 warm-up questions first; the two collections are open side by "
            "side and timed query by query in turn, so load changes hit both alike. CPU p50 is "
            "the process's user+system time per call (all threads).",
            "",
            "| collection | chunks | retrieve p50 | retrieve p95 | retrieve CPU p50 "
            "| ask p50 | ask p95 | ask CPU p50 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for key in ("corpus", "synthetic"):
            c = lat[key]
            ask = c["ask"]
            a50, a95 = (
                ("n/a", "n/a")
                if isinstance(ask, str)
                else (f"{ask['p50_ms']} ms", f"{ask['p95_ms']} ms")
            )
            lines.append(
                f"| {key} | {c['chunks']:,} | {c['retrieve']['p50_ms']} ms | "
                f"{c['retrieve']['p95_ms']} ms | {c.get('retrieve_cpu_ms_p50', '–')} ms "
                f"| {a50} | {a95} | {c.get('ask_cpu_ms_p50', 'n/a')} ms |"
            )
        b = lat["synthetic"]["build"]
        lines += [
            "",
            f"Synthetic collection: the {b['copied_corpus_chunks']:,} corpus chunks plus "
            f"{b['synthetic_chunks']:,} synthetic chunks ({b['synthetic_documents']:,} documents); "
            f"vectors: {b['vectors']}; text: {b['text']}. Built in {b['total_s']} s "
            f"(Chroma add {b['chroma_add_s']} s = {b['chroma_add_chunks_per_s']} chunks/s, "
            f"catalog write {b['catalog_write_s']} s), no embedding model involved.",
            "",
        ]
    if "coldstart" in s:
        c = s["coldstart"]
        lines += [
            "## coldstart",
            "",
            f"Fresh process each run, against the {c['collection_chunks']}-chunk corpus "
            "collection: "
            f"`{c['command']}`.",
            "",
            "| measure | runs | median |",
            "|---|---|---|",
            "| `python -m rag.cli.main ask --json …` wall time | "
            f"{', '.join(f'{x} s' for x in c['ask_wall_s'])} "
            f"| {c['ask_wall_median_s']} s |",
            f"| of which the in-process `ask` (its `latency_ms`) | "
            f"{', '.join(f'{x} ms' for x in c['ask_in_process_ms'])} | – |",
            '| `python -c "import rag.cli.main"` | '
            f"{', '.join(f'{x} s' for x in c['import_rag_cli_s'])} "
            f"| {c['import_rag_cli_median_s']} s |",
            "",
        ]
    if "quality" in s:
        q = s["quality"]
        if "skipped" in q:
            lines += ["## quality", "", f"Skipped: {q['skipped']}.", ""]
        else:
            lines += [
                "## quality",
                "",
                f"`{q['questions']}`: {q['answerable']} answerable questions (gold = the "
                f"`evidence` doc ids), {q['unanswerable']} unanswerable. Ranked chunk lists "
                "(40 candidates) are "
                "reduced to distinct documents in order. hit@5: any gold doc among the top-5 docs; "
                "recall@5: fraction of gold docs there; MRR@10: 1/rank of the first gold doc.",
                "",
                "| retriever | doc hit@5 | recall@5 | MRR@10 |",
                "|---|---|---|---|",
            ]
            for name, r in q["retrieval"].items():
                lines.append(
                    f"| {name} | {r['doc_hit@5']:.3f} | {r['recall@5']:.3f} | {r['mrr@10']:.3f} |"
                )
            e = q["extractive"]
            lines.append("")
            if isinstance(e, str):
                lines += [f"Extractive answers: n/a ({q.get('extractive_unavailable')}).", ""]
            else:
                lines += [
                    f"Extractive answers (`app.service.ask(question, as_of={e['as_of']})`, default "
                    "settings; gold answer normalised — case, accents, punctuation — and matched "
                    "word-bounded; a refusal counts as wrong):",
                    "",
                    "| measure | value |",
                    "|---|---|",
                    "| gold answer in `short_answer` (answerable) | "
                    f"{e['short_answer_contains_gold']:.3f} "
                    f"({e['counts']['short_ok']}/{q['answerable']}) |",
                    f"| gold answer in the whole `answer` text (answerable) | "
                    f"{e['answer_text_contains_gold']:.3f} "
                    f"({e['counts']['answer_ok']}/{q['answerable']}) |",
                    f"| false refusal rate (answerable) | {e['false_refusal_rate']:.3f} "
                    f"({e['counts']['false_refusals']}/{q['answerable']}) |",
                    f"| refusal rate (unanswerable) | {e['refusal_rate_unanswerable']:.3f} "
                    f"({e['counts']['refused_unanswerable']}/{q['unanswerable']}) |",
                    "",
                ]
    for name, sec in s.items():
        if (
            isinstance(sec, dict)
            and sec.get("measured")
            and sec["measured"].get("date") != result["date"]
        ):
            lines.append(
                f"_{name} measured earlier: {sec['measured']['date']} with "
                f"`{sec['measured']['command']}`._"
            )
    return "\n".join(lines).rstrip() + "\n"


def _busy_note(result: dict[str, Any]) -> list[str]:
    n = result["machine"]["nproc"]
    loads = [(result.get(key) or [0])[0] for key in ("loadavg_start", "loadavg_end")]
    if not loads or max(loads) <= n:
        return []
    return [
        f"**Note:** the machine was shared and busy during this run (1-min load average up to "
        f"{max(loads)} on {n} CPUs), so wall times here are inflated by other work; CPU ms/chunk "
        "is less affected. Re-run on an idle machine for clean timings.",
        "",
    ]


def summary_rows(s: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    if "ingest" in s:
        i = s["ingest"]
        rows += [
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
    if "latency" in s:
        for key in ("corpus", "synthetic"):
            c = s["latency"][key]
            rows.append(
                (
                    "latency",
                    f"retrieve p50 / p95, {c['chunks']:,} chunks",
                    f"{c['retrieve']['p50_ms']} / {c['retrieve']['p95_ms']} ms",
                )
            )
            ask = c["ask"]
            rows.append(
                (
                    "latency",
                    f"ask p50 / p95, {c['chunks']:,} chunks",
                    "n/a" if isinstance(ask, str) else f"{ask['p50_ms']} / {ask['p95_ms']} ms",
                )
            )
    if "coldstart" in s:
        c = s["coldstart"]
        rows += [
            (
                "coldstart",
                "`python -m rag.cli.main ask --json` (median of runs)",
                f"{c['ask_wall_median_s']} s ({', '.join(map(str, c['ask_wall_s']))})",
            ),
            (
                "coldstart",
                '`python -c "import rag.cli.main"` (median)',
                f"{c['import_rag_cli_median_s']} s",
            ),
        ]
    if "quality" in s and "skipped" not in s["quality"]:
        q = s["quality"]
        for name, r in q["retrieval"].items():
            rows.append(
                (
                    "quality",
                    f"{name}: hit@5 / recall@5 / MRR@10",
                    f"{r['doc_hit@5']:.3f} / {r['recall@5']:.3f} / {r['mrr@10']:.3f}",
                )
            )
        e = q["extractive"]
        if isinstance(e, str):
            rows.append(("quality", "extractive answers", "n/a"))
        else:
            rows += [
                (
                    "quality",
                    "answer accuracy: gold in short_answer / in answer text",
                    f"{e['short_answer_contains_gold']:.3f} / {e['answer_text_contains_gold']:.3f}",
                ),
                (
                    "quality",
                    "refusal rate unanswerable / false refusals answerable",
                    f"{e['refusal_rate_unanswerable']:.3f} / {e['false_refusal_rate']:.3f}",
                ),
            ]
    return rows


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/run_bench.py",
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run, from {', '.join(SECTIONS)} (default: all)",
    )
    p.add_argument(
        "--devset",
        type=Path,
        default=DEFAULT_DEVSET,
        help="dev-set folder with corpus.jsonl and questions.jsonl (default: %(default)s); "
        "when absent, the sample corpus and evals/datasets/sample.jsonl are used",
    )
    p.add_argument(
        "--synthetic",
        type=int,
        default=100_000,
        metavar="N",
        help="synthetic chunks added for the large-collection latency (default: %(default)s)",
    )
    p.add_argument(
        "--queries",
        type=int,
        default=50,
        metavar="N",
        help="questions timed per collection in the latency section (default: %(default)s)",
    )
    p.add_argument(
        "--cold-runs",
        type=int,
        default=3,
        metavar="N",
        help="fresh-process runs in the coldstart section (default: %(default)s)",
    )
    p.add_argument(
        "--embed-every",
        type=int,
        default=2,
        metavar="N",
        help="raw-embedder comparison on every Nth chunk text of each ingested slice; 1 = all "
        "of them (default: %(default)s, to keep the run under ~15 min on 2 cores)",
    )
    p.add_argument(
        "--max-docs",
        type=int,
        default=0,
        metavar="N",
        help="use only the first N dev-set documents (quick runs; default: all)",
    )
    p.add_argument(
        "--seed", type=int, default=1234, help="seed of the synthetic data (default: %(default)s)"
    )
    p.add_argument(
        "--out-dir",
        type=Path,
        default=RESULTS_DIR,
        help="where bench.md and bench.json go (default: bench/results)",
    )
    p.add_argument("--no-write", action="store_true", help="print only; write no result files")
    p.add_argument("--keep-data", action="store_true", help="keep the temporary data dir")
    args = p.parse_args(argv)
    chosen = [x.strip() for x in args.sections.split(",") if x.strip()]
    unknown = [x for x in chosen if x not in SECTIONS]
    if unknown:
        p.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    args.sections = [x for x in SECTIONS if x in chosen]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(REPO)
    started = time.perf_counter()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = shlex.join(
        ["python", "bench/run_bench.py", *(argv if argv is not None else sys.argv[1:])]
    )
    result: dict[str, Any] = {
        "command": command,
        "date": when,
        "machine": machine_info(),
        "loadavg_start": loadavg(),
        "sections": {},
    }
    bench = Bench(args)
    try:
        for name in args.sections:
            log(f"=== {name}")
            t = time.perf_counter()
            sec = getattr(bench, f"section_{name}")()
            sec["section_wall_s"] = round(time.perf_counter() - t, 1)
            sec["measured"] = {"date": when, "command": command}
            result["sections"][name] = sec
    finally:
        bench.close()
    result["loadavg_end"] = loadavg()
    result["total_wall_s"] = round(time.perf_counter() - started, 1)

    if not args.no_write:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        json_path = args.out_dir / "bench.json"
        merged = dict(result)
        if json_path.is_file() and set(args.sections) != set(SECTIONS):
            with contextlib.suppress(ValueError, OSError):
                old = json.loads(json_path.read_text())
                merged["sections"] = {**old.get("sections", {}), **result["sections"]}
                merged["sections"] = {
                    k: merged["sections"][k] for k in SECTIONS if k in merged["sections"]
                }
        json_path.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
        (args.out_dir / "bench.md").write_text(render_markdown(merged))
        log(
            f"wrote {json_path.relative_to(REPO) if json_path.is_relative_to(REPO) else json_path} "
            "and bench.md"
        )
    print(render_markdown(result))
    log(f"done in {result['total_wall_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
