"""Calibrate the extractive refusal threshold through the real pipeline (hybrid retrieval,
as-of dating) on the RealTime QA dev set, and print the figures as markdown.

Positives: answerable questions. Negatives: the unanswerable ones, plus each answerable
question with every chunk of a document containing its gold answer removed from the retrieved
pool ("answer removed"), since 18 real negatives alone make a noisy threshold.

    python bench/calibrate_threshold.py --data-dir /tmp/dev --collection rtqa \
        --devset ../shared/devsets/realtimeqa_dev

The collection must already hold the dev corpus (`citechat ingest corpus.jsonl`).
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date
from pathlib import Path

from rag.answer.extractive import DEFAULT_MIN_SUPPORT, ExtractiveAnswerer
from rag.app import build_app
from rag.core.settings import load_settings


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def _supports(app, questions, k: int) -> tuple[list[float], list[float], list[float]]:
    answerer = ExtractiveAnswerer(embedder=app.embedder)
    pos, neg_real, neg_removed = [], [], []
    for q in questions:
        as_of = date.fromisoformat(q["question_date"])
        pool = app.service.retrieve(q["question"], k * 4, None, as_of)
        support = answerer.extract(q["question"], pool[:k]).support
        if q["question_type"] != "answerable":
            neg_real.append(support)
            continue
        pos.append(support)
        gold = f" {_norm(q['answer'])} "
        removed = [c for c in pool
                   if gold not in f" {_norm(app.catalog.document_text(c.chunk.doc_id) or '')} "]
        neg_removed.append(answerer.extract(q["question"], removed[:k]).support)
    return pos, neg_real, neg_removed


def _balanced(pos: list[float], neg: list[float], t: float) -> float:
    return (sum(p >= t for p in pos) / len(pos) + sum(n < t for n in neg) / len(neg)) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--collection", default="rtqa")
    parser.add_argument("--devset", type=Path, default=Path("../shared/devsets/realtimeqa_dev"))
    parser.add_argument("-k", type=int, default=8)
    args = parser.parse_args()
    app = build_app(load_settings(data_dir=args.data_dir, collection=args.collection))
    questions = [json.loads(x) for x in (args.devset / "questions.jsonl").open()]
    pos, neg_real, neg_removed = _supports(app, questions, args.k)
    negatives = neg_real + neg_removed
    grid = sorted(set(round(x, 3) for x in pos + negatives))
    best = max(grid, key=lambda t: _balanced(pos, negatives, t))
    print("| threshold | answered (answerable) | refused (unanswerable) | refused (answer removed) "
          "| balanced accuracy (all negatives) |")
    print("|---|---|---|---|---|")
    for label, t in (("current", DEFAULT_MIN_SUPPORT), ("best", best)):
        print(f"| {label} {t:.3f} | {sum(p >= t for p in pos) / len(pos):.3f} "
              f"| {sum(n < t for n in neg_real) / len(neg_real):.3f} "
              f"| {sum(n < t for n in neg_removed) / len(neg_removed):.3f} "
              f"| {_balanced(pos, negatives, t):.3f} |")
    print(f"\n{len(pos)} answerable, {len(neg_real)} unanswerable, "
          f"{len(neg_removed)} answer-removed; k={args.k}")


if __name__ == "__main__":
    main()
