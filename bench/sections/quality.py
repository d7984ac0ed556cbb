"""quality: doc hit@5, recall@5 and MRR@10 over the gold evidence docs for keyword-only,
dense-only, hybrid and the service's date-aware retrieval; then, if the answer service loads,
extractive answer accuracy, refusal rate (unanswerable) and false-refusal rate (answerable)."""

from __future__ import annotations

import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from bench.common import as_date, log
from rag.app import App
from rag.service import CitechatService

if TYPE_CHECKING:
    from bench.corpus import Question
    from bench.state import Bench

CANDIDATES = 40  # chunks retrieved per question, reduced to distinct documents in order


def run(bench: Bench) -> dict[str, Any]:
    if bench.corpus.documents is None and not bench.corpus.questions:
        return {"skipped": "no questions with gold documents"}
    app = bench.corpus_app()
    answerable = [q for q in bench.corpus.questions if not q.unanswerable and q.gold_docs]
    unanswerable = [q for q in bench.corpus.questions if q.unanswerable]
    service = bench.service(app)
    out: dict[str, Any] = {
        "questions": bench.corpus.questions_name,
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "retrieval": {},
    }
    for name, fn in _retrievers(app, service).items():
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
        out["extractive_unavailable"] = bench.service_error
        return out
    out["extractive"] = _extractive(service, answerable, unanswerable)
    log(f"quality: extractive: {out['extractive']}")
    return out


def _retrievers(
    app: App, service: CitechatService | None
) -> dict[str, Callable[[Question], list[str]]]:
    """Each retriever as question -> ranked doc ids (one per chunk, repeats kept)."""
    emb, n = app.embedder, CANDIDATES
    retrievers: dict[str, Callable[[Question], list[str]]] = {
        "keyword (BM25)": lambda q: [c.doc_id for c, _ in app.catalog.search(q.question, n)],
        "dense (MiniLM)": lambda q: [
            cid.split("::")[0] for cid, _ in app.dense.search(emb.embed([q.question])[0], n)
        ],
        "hybrid (RRF)": lambda q: [s.chunk.doc_id for s in app.retriever.retrieve(q.question, n)],
    }
    if service is not None:
        retrievers["hybrid + dates (as_of)"] = lambda q: [
            s.chunk.doc_id for s in service.retrieve(q.question, n, None, as_date(q.as_of))
        ]
    return retrievers


def _extractive(
    service: CitechatService, answerable: list[Question], unanswerable: list[Question]
) -> dict[str, Any]:
    t = time.perf_counter()
    short_ok = whole_ok = false_refusals = 0
    for q in answerable:
        a = service.ask(q.question, as_of=as_date(q.as_of))
        if a.refused:
            false_refusals += 1
            continue
        short_ok += _matches(a.short_answer, q.answer_groups)
        whole_ok += _matches(a.answer, q.answer_groups)
    refusals = sum(service.ask(q.question, as_of=as_date(q.as_of)).refused for q in unanswerable)
    n = max(len(answerable), 1)
    return {
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


def normalise(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def contains(haystack: str | None, needle: str) -> bool:
    """Word-bounded containment after normalisation (case, accents, punctuation)."""
    needle = normalise(needle)
    return bool(needle) and f" {needle} " in f" {normalise(haystack)} "


# ---------------------------------------------------------------- report


def markdown(q: dict[str, Any]) -> list[str]:
    if "skipped" in q:
        return ["## quality", "", f"Skipped: {q['skipped']}.", ""]
    lines = [
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
        return lines + [f"Extractive answers: n/a ({q.get('extractive_unavailable')}).", ""]
    return lines + _extractive_markdown(e, q["answerable"], q["unanswerable"])


def _extractive_markdown(e: dict[str, Any], answerable: int, unanswerable: int) -> list[str]:
    n = e["counts"]
    return [
        f"Extractive answers (`app.service.ask(question, as_of={e['as_of']})`, default "
        "settings; gold answer normalised — case, accents, punctuation — and matched "
        "word-bounded; a refusal counts as wrong):",
        "",
        "| measure | value |",
        "|---|---|",
        "| gold answer in `short_answer` (answerable) | "
        f"{e['short_answer_contains_gold']:.3f} ({n['short_ok']}/{answerable}) |",
        f"| gold answer in the whole `answer` text (answerable) | "
        f"{e['answer_text_contains_gold']:.3f} ({n['answer_ok']}/{answerable}) |",
        f"| false refusal rate (answerable) | {e['false_refusal_rate']:.3f} "
        f"({n['false_refusals']}/{answerable}) |",
        f"| refusal rate (unanswerable) | {e['refusal_rate_unanswerable']:.3f} "
        f"({n['refused_unanswerable']}/{unanswerable}) |",
        "",
    ]


def summary(q: dict[str, Any]) -> list[tuple[str, str, str]]:
    if "skipped" in q:
        return []
    rows = [
        (
            "quality",
            f"{name}: hit@5 / recall@5 / MRR@10",
            f"{r['doc_hit@5']:.3f} / {r['recall@5']:.3f} / {r['mrr@10']:.3f}",
        )
        for name, r in q["retrieval"].items()
    ]
    e = q["extractive"]
    if isinstance(e, str):
        return rows + [("quality", "extractive answers", "n/a")]
    return rows + [
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
