"""Fit the reading answerer's refusal model on `bench/reader_pass.py` records.

The support check refuses when `ReaderTuning.confidence` — a logistic model over the model's
P(YES), the log of the best chunk's fused retrieval score and the best sentence's match
score — is below `min_support`. This script fits those weights on the dev set's answerable
questions (positives) against its negatives (its own unanswerable questions and the
answer-removed scenario), reports 5-fold cross-validated figures (folds by question, so a
question's answerable and removed scenarios never straddle train and test), and prints the
values to put in `rag/answer/reader.py`.

    python bench/calibrate_reader.py /tmp/reader.jsonl --target 0.8 \
        --out bench/results/reader_calibration.md

The threshold is the one with the fewest false refusals among those that refuse at least
`--target` of the negatives on the training folds; the cross-validated line says what that
choice gives on questions it was not fitted on.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

FEATURES = ("bias", "P(YES)", "log top chunk score", "top sentence score")
THRESHOLDS = [round(0.01 * i, 2) for i in range(1, 100)]
Record = dict


def features(r: Record) -> list[float]:
    return [1.0, r["support"], math.log(max(r["top_score"], 1e-6)), r["top_sentence"]]


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method with a small ridge penalty (not on the bias)."""
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (p - y) + penalty @ w
        hess = (x.T * (p * (1 - p))) @ x + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def confidence(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x @ w))


def rates(scores: np.ndarray, y: np.ndarray, t: float) -> tuple[float, float]:
    """(false refusals among positives, refusals among negatives) at threshold t."""
    refused = scores < t
    return float(refused[y == 1].mean()), float(refused[y == 0].mean())


def pick_threshold(scores: np.ndarray, y: np.ndarray, target: float) -> float:
    best: tuple[tuple[bool, float], float] | None = None
    for t in THRESHOLDS:
        false_refusals, caught = rates(scores, y, t)
        key = (caught >= target, -false_refusals if caught >= target else caught - false_refusals)
        if best is None or key > best[0]:
            best = (key, t)
    assert best is not None
    return best[1]


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def dataset(records: Sequence[Record]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rows = dev_rows(records)
    x = np.array([features(r) for r in rows])
    y = np.array([1.0 if r["scenario"] == "answerable" else 0.0 for r in rows])
    return x, y, [r["qid"] for r in rows]


def dev_rows(records: Sequence[Record]) -> list[Record]:
    return [r for r in records if r["set"] == "dev"]


def curve(records: Sequence[Record], scores: np.ndarray, chosen: float) -> list[str]:
    """The trade-off table: what each threshold refuses, by scenario (all dev rows)."""
    rows = dev_rows(records)
    kind = np.array([r["scenario"] for r in rows])
    in_passages = np.array([bool(r.get("gold_in_passages")) for r in rows])
    lines = ["| threshold | false refusals (answerable) | false refusals where the gold "
             "is in the passages read | unanswerable refused | answer-removed refused | "
             "all negatives refused |", "|---:|---:|---:|---:|---:|---:|"]
    for t in [round(0.05 * i, 2) for i in range(4, 16)] + [chosen]:
        refused = scores < t
        answerable = kind == "answerable"

        def share(mask: np.ndarray, refused: np.ndarray = refused) -> str:
            return f"{refused[mask].mean():.3f}" if mask.any() else "n/a"

        mark = " (shipped)" if t == chosen else ""
        lines.append(f"| {t:.2f}{mark} | {share(answerable)} | "
                     f"{share(answerable & in_passages)} | {share(kind == 'unanswerable')} | "
                     f"{share(kind == 'removed')} | {share(~answerable)} |")
    return lines


def cross_validate(x: np.ndarray, y: np.ndarray, qids: list[str], target: float,
                   folds: int = 5) -> tuple[np.ndarray, list[float]]:
    """Held-out scores for every row, and the threshold chosen on each fold's training rows."""
    order = sorted(set(qids))
    fold_of = {q: i % folds for i, q in enumerate(order)}
    held = np.zeros(len(y))
    chosen = []
    for k in range(folds):
        test = np.array([fold_of[q] == k for q in qids])
        w = fit(x[~test], y[~test])
        t = pick_threshold(confidence(w, x[~test]), y[~test], target)
        held[test] = confidence(w, x[test]) - t + 0.5  # shifted so 0.5 is that fold's threshold
        chosen.append(t)
    return held, chosen


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("records", type=Path, help="JSONL from bench/reader_pass.py")
    p.add_argument("--target", type=float, default=0.9,
                   help="share of negatives the threshold must refuse (default 0.9)")
    p.add_argument("--out", type=Path, help="also write the figures as markdown here")
    args = p.parse_args(argv)
    records = [json.loads(line) for line in args.records.read_text().splitlines() if line]
    x, y, qids = dataset(records)
    out = [f"dev rows: {int(y.sum())} answerable, {int((1 - y).sum())} negatives "
           f"(target: refuse ≥ {args.target} of the negatives)"]
    for i, name in enumerate(FEATURES[1:], start=1):
        out.append(f"  AUC of {name} alone: {auc(x[:, i], y):.3f}")
    held, chosen = cross_validate(x, y, qids, args.target)
    fr, caught = rates(held, y, 0.5)
    out.append(f"5-fold CV (thresholds {chosen}): AUC {auc(held, y):.3f}, "
               f"false refusals {fr:.3f}, negatives refused {caught:.3f}")
    w = fit(x, y)
    scores = confidence(w, x)
    t = pick_threshold(scores, y, args.target)
    fr, caught = rates(scores, y, t)
    out.append(f"all dev rows: AUC {auc(scores, y):.3f}; threshold {t:.2f}: false refusals "
               f"{fr:.3f}, negatives refused {caught:.3f}")
    tuning = (f"ReaderTuning(\n    weights=({', '.join(f'{v:.3f}' for v in w)}),  "
              f"# {', '.join(FEATURES)}\n    min_support={t:.2f},\n)")
    print("\n".join(out) + "\n\n" + tuning)
    if args.out:
        args.out.write_text(
            "# The reading answerer's refusal: calibration\n\nRecords: "
            f"`{args.records.name}` from `bench/reader_pass.py`; command: `python "
            f"bench/calibrate_reader.py RECORDS --target {args.target}`.\n\n```text\n"
            + "\n".join(out) + "\n\n" + tuning + "\n```\n\n## Threshold trade-off (weights "
            "fitted on all dev rows)\n\n" + "\n".join(curve(records, scores, t)) + "\n",
            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
