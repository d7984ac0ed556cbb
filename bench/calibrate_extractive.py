"""Measure the extractive answerer on the realtimeqa dev set and calibrate its refusal threshold.

The dev set is internal (see ../shared/devsets/realtimeqa_dev/README.md): this script reads it
from there and writes only figures. Chunks are built here (sentence-packed, ~900 chars, one
sentence overlap, as the ingest step does) and ranked with a small BM25, in two settings:

- oracle:    chunks of the gold evidence docs (BM25 order) first, then other top BM25 chunks;
- retrieved: the top chunks of the whole corpus by BM25.

Refusal is calibrated on the retrieved setting: positives are the answerable questions, negatives
the unanswerable ones plus every answerable question re-asked against the corpus with each
document that contains its gold answer removed ("answer-removed"), which gives 189 negatives
instead of 18. The threshold maximises balanced accuracy.

    python bench/calibrate_extractive.py            # prints the markdown report
    python bench/calibrate_extractive.py --write    # and writes bench/results/…calibration.md
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.chunker import chunk_id, pack_sentences  # noqa: E402
from rag.answer.extractive import ExtractiveAnswerer  # noqa: E402
from rag.core.types import Chunk, ScoredChunk  # noqa: E402
from rag.stores.embedder import MiniLMEmbedder  # noqa: E402
from rag.text.sentences import sentence_spans, words  # noqa: E402

DEVSET = REPO.parent / "shared" / "devsets" / "realtimeqa_dev"
RESULTS = REPO / "bench" / "results" / "extractive_calibration.md"
TOP_K = 8
ORACLE_DISTRACTORS = 3
STOP = frozenset(
    str.split(
        "a an the of to in on for and or by with at from as is are was were be been this that "
        "which what who whom when where why how it its his her their they he she week this "
        "recently new"
    )
)


# ---------------------------------------------------------------- data and BM25


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build_chunks(docs: list[dict]) -> list[Chunk]:
    chunks = []
    for doc in docs:
        text = doc["text"]
        for index, (start, end) in enumerate(pack_sentences(sentence_spans(text), 900, 1)):
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc["id"], index),
                    doc_id=doc["id"],
                    text=text[start:end],
                    start=start,
                    end=end,
                    title=doc.get("title", ""),
                    url=doc.get("url"),
                    publish_date=doc.get("publish_date"),
                )
            )
    return chunks


class BM25:
    def __init__(self, chunks: list[Chunk], k1: float = 1.2, b: float = 0.75) -> None:
        self.chunks = chunks
        tfs = [Counter(_terms(c.title + " " + c.text)) for c in chunks]
        lens = np.array([sum(tf.values()) for tf in tfs], dtype=float)
        self.norms = k1 * (1 - b + b * lens / lens.mean())
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, tf in enumerate(tfs):
            for term, f in tf.items():
                self.postings.setdefault(term, []).append((i, f))
        n = len(chunks)
        self.idf = {
            t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()
        }
        self.k1 = k1

    def rank(self, query: str) -> list[tuple[int, float]]:
        scores = np.zeros(len(self.chunks))
        for term in set(_terms(query)):
            for i, f in self.postings.get(term, []):
                scores[i] += self.idf[term] * f * (self.k1 + 1) / (f + self.norms[i])
        order = np.argsort(-scores, kind="stable")
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]


def _terms(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP]


def scored(bm25: BM25, ranked: list[tuple[int, float]]) -> list[ScoredChunk]:
    return [
        ScoredChunk(chunk=bm25.chunks[i], score=s, keyword_rank=r)
        for r, (i, s) in enumerate(ranked, start=1)
    ]


def oracle_chunks(bm25: BM25, q: dict) -> list[ScoredChunk]:
    gold = set(q["evidence"])
    if not gold:
        return retrieved_chunks(bm25, q, None)
    ranked = bm25.rank(q["question"])
    mine = [p for p in ranked if bm25.chunks[p[0]].doc_id in gold][: TOP_K - ORACLE_DISTRACTORS]
    if not mine:  # the question shares no term with its gold docs: take their first chunks
        mine = [(i, 0.0) for i, c in enumerate(bm25.chunks) if c.doc_id in gold][:3]
    others = [p for p in ranked if bm25.chunks[p[0]].doc_id not in gold][:ORACLE_DISTRACTORS]
    return scored(bm25, mine + others)


def retrieved_chunks(bm25: BM25, q: dict, banned: set[str] | None) -> list[ScoredChunk]:
    ranked = bm25.rank(q["question"])
    if banned:
        ranked = [p for p in ranked if bm25.chunks[p[0]].doc_id not in banned]
    return scored(bm25, ranked[:TOP_K])


def docs_with_answer(normed: dict[str, str], answer: str) -> set[str]:
    """Ids of the docs whose normalised text contains the answer (or it without parentheses)."""
    variants = {norm(answer), norm(re.sub(r"\(.*?\)", "", answer))} - {"  "}
    return {doc_id for doc_id, text in normed.items() if any(v in text for v in variants)}


# ---------------------------------------------------------------- metrics


def norm(text: str) -> str:
    text = text.replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9.$%]+", " ", text)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)
    text = re.sub(r"\b(the|a|an)\b", " ", text)
    return " " + " ".join(text.split()) + " "


def contains(hay: str | None, gold: str) -> bool:
    return bool(hay) and norm(gold).strip() != "" and norm(gold) in norm(hay)


@dataclass
class Row:
    qid: str
    answerable: bool
    gold: str
    support: float
    short: str | None
    quotes: list[str]
    gold_retrieved: bool


def run_answerer(answerer, questions, chunk_sets) -> list[Row]:
    rows = []
    for q, chunks in zip(questions, chunk_sets, strict=True):
        ex = answerer.extract(q["question"], chunks)
        gold_ret = any(contains(c.chunk.text, q["answer"]) for c in chunks)
        rows.append(
            Row(
                q["id"],
                q["question_type"] == "answerable",
                q["answer"],
                ex.support,
                ex.short_answer,
                [s.text for s in ex.quotes],
                gold_ret,
            )
        )
    return rows


def run_baseline(questions, chunk_sets) -> list[Row]:
    """Pick the sentence with the most word overlap with the question."""
    rows = []
    for q, chunks in zip(questions, chunk_sets, strict=True):
        qw = set(_terms(q["question"]))
        best, best_n = "", -1
        for c in chunks:
            for s, e in sentence_spans(c.chunk.text):
                n = len(qw & set(_terms(c.chunk.text[s:e])))
                if n > best_n:
                    best, best_n = c.chunk.text[s:e], n
        gold_ret = any(contains(c.chunk.text, q["answer"]) for c in chunks)
        rows.append(
            Row(
                q["id"],
                q["question_type"] == "answerable",
                q["answer"],
                float(best_n),
                None,
                [best],
                gold_ret,
            )
        )
    return rows


def summarise(rows: list[Row], threshold: float | None) -> dict:
    pos = [r for r in rows if r.answerable]
    neg = [r for r in rows if not r.answerable]

    def answered(r: Row) -> bool:
        return threshold is None or r.support >= threshold

    return {
        "n": len(pos),
        "gold_in_chunks": _pct(sum(r.gold_retrieved for r in pos), len(pos)),
        "sentence": _pct(sum(any(contains(s, r.gold) for s in r.quotes) for r in pos), len(pos)),
        "short": _pct(sum(contains(r.short, r.gold) for r in pos), len(pos)),
        "short_answered": _pct(
            sum(answered(r) and contains(r.short, r.gold) for r in pos), len(pos)
        ),
        "sentence_answered": _pct(
            sum(answered(r) and any(contains(s, r.gold) for s in r.quotes) for r in pos), len(pos)
        ),
        "false_refusal": _pct(sum(not answered(r) for r in pos), len(pos)),
        "refusal_unanswerable": _pct(sum(not answered(r) for r in neg), len(neg)),
    }


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}% ({k}/{n})" if n else "n/a"


def calibrate(pos: list[float], neg: list[float]) -> tuple[float, float]:
    """Threshold (midpoint between adjacent scores) with the best balanced accuracy."""
    values = sorted(set(pos) | set(neg))
    cuts = [values[0] - 1e-6] + [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)]
    best = (0.0, cuts[0])
    for t in cuts:
        tpr = sum(p >= t for p in pos) / len(pos)
        tnr = sum(n < t for n in neg) / len(neg)
        best = max(best, ((tpr + tnr) / 2, t))
    return best[1], best[0]


def bal_acc(pos: list[float], neg: list[float], t: float) -> float:
    return (sum(p >= t for p in pos) / len(pos) + sum(n < t for n in neg) / len(neg)) / 2


# ---------------------------------------------------------------- report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the markdown report")
    parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
    args = parser.parse_args()

    docs = load_jsonl(DEVSET / "corpus.jsonl")
    questions = load_jsonl(DEVSET / "questions.jsonl")
    if args.limit:
        questions = questions[: args.limit]
    bm25 = BM25(build_chunks(docs))
    answerable = [q for q in questions if q["question_type"] == "answerable"]
    settings = {
        "oracle": [oracle_chunks(bm25, q) for q in questions],
        "retrieved": [retrieved_chunks(bm25, q, None) for q in questions],
    }
    normed = {d["id"]: norm(d["text"]) for d in docs}
    removed = [retrieved_chunks(bm25, q, docs_with_answer(normed, q["answer"])) for q in answerable]

    answerer = ExtractiveAnswerer(embedder=MiniLMEmbedder())
    started = time.perf_counter()
    rows = {name: run_answerer(answerer, questions, sets) for name, sets in settings.items()}
    per_q_ms = 1000 * (time.perf_counter() - started) / (2 * len(questions))
    removed_rows = run_answerer(answerer, answerable, removed)
    base = {name: run_baseline(questions, sets) for name, sets in settings.items()}

    ret = rows["retrieved"]
    pos = [r.support for r in ret if r.answerable]
    neg_real = [r.support for r in ret if not r.answerable]
    neg_all = neg_real + [r.support for r in removed_rows]
    threshold, best = calibrate(pos, neg_all)
    threshold = round(threshold, 3)

    lines = report(rows, base, pos, neg_real, neg_all, removed_rows, threshold, best, per_q_ms)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")


def report(rows, base, pos, neg_real, neg_all, removed_rows, threshold, best, per_q_ms):
    out = [
        "# Extractive answerer: accuracy and refusal calibration",
        "",
        "Dev set: realtimeqa_dev (internal; 171 answerable, 18 unanswerable questions, 504 "
        "news articles). Command: `python bench/calibrate_extractive.py --write`.",
        f"Chunks: ~900 chars on sentence boundaries, 1 sentence overlap; top {TOP_K} per question.",
        "",
        "Metrics (answerable questions; gold = normalised gold answer string):",
        "- *sentence*: gold answer inside the quoted sentence(s) (baseline: its one sentence);",
        "- *short*: gold answer inside `short_answer` (before the refusal threshold);",
        "- *short, answered* / *sentence, answered*: the same, counting refusals as misses;",
        "- *gold in chunks*: upper bound, gold answer anywhere in the given chunks.",
        "",
        "## Accuracy",
        "",
        "| setting | system | gold in chunks | sentence | short | sentence, answered "
        "| short, answered | false refusal | refusal on unanswerable |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in rows:
        b = summarise(base[name], None)
        out.append(
            f"| {name} | baseline: max word overlap | {b['gold_in_chunks']} | {b['sentence']} "
            "| – | – | – | – | – |"
        )
        s = summarise(rows[name], threshold)
        out.append(
            f"| {name} | ExtractiveAnswerer | {s['gold_in_chunks']} | {s['sentence']} "
            f"| {s['short']} | {s['sentence_answered']} | {s['short_answered']} "
            f"| {s['false_refusal']} | {s['refusal_unanswerable']} |"
        )
    neg_removed = [r.support for r in removed_rows]
    out += [
        "",
        "## Refusal threshold (`min_support`)",
        "",
        "Calibrated on the retrieved setting. Positives: the answerable questions. Negatives: the "
        "18 unanswerable questions plus the 171 answerable ones asked against the corpus minus "
        "every document containing their gold answer (answer-removed).",
        "",
        f"- chosen threshold: **{threshold}** (balanced accuracy {best:.3f} on positives vs all "
        "negatives)",
        f"- balanced accuracy, positives vs the 18 real unanswerable only: "
        f"{bal_acc(pos, neg_real, threshold):.3f}",
        f"- answered rate: answerable {_frac(pos, threshold)}, unanswerable "
        f"{_frac(neg_real, threshold)}, answer-removed {_frac(neg_removed, threshold)}",
        f"- support score medians: answerable {np.median(pos):.3f}, unanswerable "
        f"{np.median(neg_real):.3f}, answer-removed {np.median(neg_removed):.3f}",
        "",
        "| threshold | answered (answerable) | refused (unanswerable) | refused (answer-removed) "
        "| balanced acc. |",
        "|---|---|---|---|---|",
    ]
    quantiles = np.round(np.quantile(pos + neg_all, np.linspace(0.1, 0.9, 9)), 3)
    for t in sorted({threshold, *quantiles}):
        out.append(
            f"| {t:.3f} | {_frac(pos, t)} "
            f"| {1 - sum(n >= t for n in neg_real) / len(neg_real):.2f} "
            f"| {1 - sum(n >= t for n in neg_removed) / len(neg_removed):.2f} "
            f"| {bal_acc(pos, neg_all, t):.3f} |"
        )
    out += ["", f"Mean answerer time per question (MiniLM on CPU): {per_q_ms:.0f} ms."]
    return out


def _frac(values: list[float], t: float) -> str:
    return f"{sum(v >= t for v in values) / len(values):.2f}"


if __name__ == "__main__":
    main()
