"""latency: retrieve and ask p50/p95 over --queries questions, warm process, on (a) the corpus
collection and (b) the corpus plus --synthetic chunks (see bench/synthetic.py), timed query by
query in turn so that changing load on a shared machine hits both alike."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from bench.common import as_date, cpu_seconds, log, pct, summary_ms
from bench.synthetic import build_synthetic
from rag.app import App

if TYPE_CHECKING:
    from bench.corpus import Question
    from bench.state import Bench

Timings = dict[str, dict[str, list[float]]]  # collection -> "retrieve" / "ask" -> seconds


def run(bench: Bench) -> dict[str, Any]:
    app = bench.corpus_app()
    synth_app, build = build_synthetic(bench, app)
    measured = measure_latency(bench, {"corpus": app, "synthetic": synth_app})
    corpus_side, synth_side = measured["corpus"], measured["synthetic"]
    synth_side["build"] = build
    return {
        "questions": bench.corpus.questions_name,
        "as_of": "each question's own date (ask); retrieve has no date filter",
        "corpus": corpus_side,
        "synthetic": synth_side,
    }


def measure_latency(bench: Bench, apps: dict[str, App]) -> dict[str, dict[str, Any]]:
    """Time every query on every collection, interleaved (query 1 on each, then query 2 …),
    so that changing load on a shared machine hits all collections alike."""
    queries = bench.latency_queries()
    k = next(iter(apps.values())).settings.retrieve.top_k
    services = {label: bench.service(app) for label, app in apps.items()}
    for q in queries[:3]:  # warm-up: model, page cache, sqlite statements, HNSW index load
        for label, app in apps.items():
            app.retriever.retrieve(q.question, k)
            if services[label] is not None:
                services[label].ask(q.question, as_of=as_date(q.as_of))
    wall: Timings = {x: {"retrieve": [], "ask": []} for x in apps}
    cpu: Timings = {x: {"retrieve": [], "ask": []} for x in apps}
    _time_retrieve(apps, queries, k, wall, cpu)
    refused = _time_ask(services, queries, wall, cpu)
    results = {}
    for label, app in apps.items():
        out = _figures(app, label, len(queries), k, wall[label], cpu[label])
        if services[label] is None:
            out["ask_unavailable"] = bench.service_error
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


def _time_retrieve(
    apps: dict[str, App], queries: list[Question], k: int, wall: Timings, cpu: Timings
) -> None:
    for q in queries:
        for label, app in apps.items():
            t, c = time.perf_counter(), cpu_seconds()
            app.retriever.retrieve(q.question, k)
            wall[label]["retrieve"].append(time.perf_counter() - t)
            cpu[label]["retrieve"].append(cpu_seconds() - c)


def _time_ask(services: dict, queries: list[Question], wall: Timings, cpu: Timings) -> dict:
    """Time `ask` on every collection whose service loaded; returns refusals per collection."""
    refused = dict.fromkeys(services, 0)
    for q in queries:
        for label, service in services.items():
            if service is None:
                continue
            t, c = time.perf_counter(), cpu_seconds()
            answer = service.ask(q.question, as_of=as_date(q.as_of))
            wall[label]["ask"].append(time.perf_counter() - t)
            cpu[label]["ask"].append(cpu_seconds() - c)
            refused[label] += answer.refused
    return refused


def _figures(
    app: App, label: str, queries: int, k: int, wall: dict[str, list[float]],
    cpu: dict[str, list[float]],
) -> dict[str, Any]:
    docs, chunks = app.catalog.counts()
    return {
        "collection": label,
        "documents": docs,
        "chunks": chunks,
        "dense_vectors": app.dense.count(),
        "queries": queries,
        "retrieve_k": k,
        "retrieve": summary_ms(wall["retrieve"]),
        "retrieve_cpu_ms_p50": round(pct(cpu["retrieve"], 50) * 1000, 1),
        "ask": summary_ms(wall["ask"]) if wall["ask"] else "n/a",
    }


# ---------------------------------------------------------------- report


def markdown(lat: dict[str, Any]) -> list[str]:
    lines = [
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
    return lines + [
        "",
        f"Synthetic collection: the {b['copied_corpus_chunks']:,} corpus chunks plus "
        f"{b['synthetic_chunks']:,} synthetic chunks ({b['synthetic_documents']:,} documents); "
        f"vectors: {b['vectors']}; text: {b['text']}. Built in {b['total_s']} s "
        f"(Chroma add {b['chroma_add_s']} s = {b['chroma_add_chunks_per_s']} chunks/s, "
        f"catalog write {b['catalog_write_s']} s), no embedding model involved.",
        "",
    ]


def summary(lat: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows = []
    for key in ("corpus", "synthetic"):
        c = lat[key]
        ask = c["ask"]
        rows += [
            (
                "latency",
                f"retrieve p50 / p95, {c['chunks']:,} chunks",
                f"{c['retrieve']['p50_ms']} / {c['retrieve']['p95_ms']} ms",
            ),
            (
                "latency",
                f"ask p50 / p95, {c['chunks']:,} chunks",
                "n/a" if isinstance(ask, str) else f"{ask['p50_ms']} / {ask['p95_ms']} ms",
            ),
        ]
    return rows
