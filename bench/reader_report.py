"""Tables from `bench/reader_pass.py` records: the three answer modes side by side, and the
calibration of the support check's refusal threshold.

    python bench/reader_report.py /tmp/reader.jsonl --out bench/results/reader.md

Modes, from the same pass: `extractive`; `local` (the reading model, refusing only when its
reply is a refusal or names nothing found in the passages); `local + P(YES)` (also refusing when
the model's P(YES) alone is below a threshold chosen here on the dev set: the lowest
false-refusal rate among thresholds that refuse ≥ 90% of the negatives, else the best balanced
accuracy); `local as shipped` (refusing when `ReaderTuning.confidence` — P(YES) with the
retrieval evidence, weights fitted by `bench/calibrate_reader.py` — is below its `min_support`).
Negatives: the dev set's unanswerable questions and its answer-removed scenarios.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report_main  # noqa: E402
from evals.metrics.correctness import alias_match, token_f1  # noqa: E402
from rag.answer.reader import ReaderTuning  # noqa: E402

THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]
Record = dict
Decide = Callable[[Record], tuple[bool, str | None, str | None]]  # refused, short, text


def extractive(r: Record) -> tuple[bool, str | None, str | None]:
    e = r["extractive"]
    return e["refused"], e["short"], e["answer"]


def local(r: Record) -> tuple[bool, str | None, str | None]:
    refused = r["cited"] is None
    return refused, None if refused else r["short"], None if refused else r["reader_answer"]


def with_support(threshold: float) -> Decide:
    def decide(r: Record) -> tuple[bool, str | None, str | None]:
        refused, short, text = local(r)
        if r["support"] < threshold:
            return True, None, None
        return refused, short, text

    return decide


def shipped(tuning: ReaderTuning) -> Decide:
    def decide(r: Record) -> tuple[bool, str | None, str | None]:
        refused, short, text = local(r)
        if tuning.confidence(r["support"], r["top_score"], r["top_sentence"]) < tuning.min_support:
            return True, None, None
        return refused, short, text

    return decide


def scores(records: Sequence[Record], decide: Decide) -> dict[str, float | None]:
    answerable = [r for r in records if r["scenario"] == "answerable"]
    decided = [(r, *decide(r)) for r in answerable]
    gold = [" / ".join(g[0]) for g in (r["gold"] for r in answerable)]

    def share(rows: list[Record], pick: Callable[[Record], bool]) -> float | None:
        return round(sum(map(pick, rows)) / len(rows), 3) if rows else None

    def refused_share(scenario: str) -> float | None:
        return share([r for r in records if r["scenario"] == scenario],
                     lambda r: decide(r)[0])

    n = len(decided)
    return {
        "n answerable": n,
        "gold in short answer": round(sum(
            bool(s) and alias_match(s, r["gold"]) for r, _, s, _ in decided) / n, 3) if n else None,
        "answer contains gold": round(sum(
            bool(t) and alias_match(t, r["gold"]) for r, _, _, t in decided) / n, 3) if n else None,
        "token F1 (short answer)": round(statistics.fmean(
            token_f1(s or "", g) for (_, _, s, _), g in zip(decided, gold, strict=True)), 3)
        if n else None,
        "false refusals": round(sum(refused for _, refused, _, _ in decided) / n, 3) if n else None,
        "unanswerable refused": refused_share("unanswerable"),
        "answer-removed refused": refused_share("removed"),
    }


def calibrate(records: Sequence[Record]) -> tuple[float, list[str]]:
    answerable = [r for r in records if r["scenario"] == "answerable"]
    negatives = [r for r in records if r["scenario"] in ("unanswerable", "removed")]
    rows, best = [], None
    for t in THRESHOLDS:
        false_refusals = sum(r["support"] < t for r in answerable) / len(answerable)
        caught = sum(r["support"] < t for r in negatives) / len(negatives)
        balanced = (1 - false_refusals + caught) / 2
        rows.append(f"| {t:.2f} | {false_refusals:.3f} | {caught:.3f} | {balanced:.3f} |")
        key = (caught >= 0.9, -false_refusals if caught >= 0.9 else balanced)
        if best is None or key > best[0]:
            best = (key, t)
    assert best is not None
    head = ["| threshold | false refusals (answerable) | negatives refused | balanced accuracy |",
            "|---:|---:|---:|---:|"]
    return best[1], head + rows


def latency(records: Sequence[Record]) -> list[str]:
    def ms(values: list[float]) -> str:
        values = sorted(values)
        p50 = values[len(values) // 2]
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        return f"{p50 * 1000:,.0f} / {p95 * 1000:,.0f}"

    answered = [r for r in records if r["seconds"]["first_token_after_support"] is not None]
    first = [r["seconds"]["retrieve"] + r["seconds"]["passages"] + r["seconds"]["support"]
             + r["seconds"]["first_token_after_support"] for r in answered]
    full = [r["seconds"]["retrieve"] + r["seconds"]["reader_total"] for r in answered]
    support = [r["seconds"]["retrieve"] + r["seconds"]["passages"] + r["seconds"]["support"]
               for r in records]
    return [
        "| latency (ms, p50 / p95) | value |", "|---|---:|",
        f"| retrieval + passages + support check (a refusal is shown here) | {ms(support)} |",
        f"| first model token | {ms(first)} |",
        f"| full answer | {ms(full)} |",
        f"| passage characters read (p50) | "
        f"{sorted(r['passage_chars'] for r in records)[len(records) // 2]:,} |",
    ]


def render(records: Sequence[Record], source: str) -> str:
    dev = [r for r in records if r["set"] == "dev"]
    threshold, table = calibrate(dev) if dev else (0.5, [])
    lines = ["# Local reading model vs extractive, and the support check's calibration\n",
             f"Records: `{source}` ({len(records)} question scenarios). P(YES) threshold "
             f"chosen on the dev set: **{threshold:.2f}**. As shipped: weights "
             f"{ReaderTuning().weights}, min_support {ReaderTuning().min_support}.\n"]
    for name in ("dev", "sample"):
        subset = [r for r in records if r["set"] == name]
        if not subset:
            continue
        modes = {"extractive": extractive, "local": local,
                 f"local + P(YES) ≥ {threshold:.2f}": with_support(threshold),
                 "local as shipped": shipped(ReaderTuning())}
        results = {m: scores(subset, d) for m, d in modes.items()}
        metrics = list(next(iter(results.values())))
        lines += [f"\n## {name}\n", "| metric | " + " | ".join(modes) + " |",
                  "|---|" + "---:|" * len(modes)]
        for metric in metrics:
            cells = ["n/a" if results[m][metric] is None else str(results[m][metric])
                     for m in modes]
            lines.append(f"| {metric} | " + " | ".join(cells) + " |")
        lines += ["", *latency(subset)]
    if table:
        lines += ["\n## Calibration (dev set: answerable vs unanswerable + answer-removed)\n",
                  *table]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return report_main(__doc__, render, argv)

if __name__ == "__main__":
    sys.exit(main())
