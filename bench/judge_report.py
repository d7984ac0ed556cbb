"""Tables from `bench/judge_pass.py` records: every judge side by side on WiCE (per claim: a
claim is supported when any of its evidence chunks supports it) and Factcheck-GPT (per row),
and the calibration of the model judge's threshold.

    python bench/judge_pass.py --limit 210 --out /tmp/judge.jsonl     # ~25 min on 2 cores
    python bench/judge_report.py /tmp/judge.jsonl --out bench/results/judge.md

Judges: `lexical` (the previous offline judge: word coverage, numbers, names); `overlap rule`
(a one-line reference: supported when ≥ X% of the claim's content words are in the evidence,
X tuned here); `model` (P(supported) ≥ threshold); `model + checks` (plus the vetoes the tuning
keeps). `uncertain` counts as not supported everywhere. The threshold maximises the mean
balanced accuracy of the two sets; 95% intervals are a seeded bootstrap over claims (WiCE) and
rows (Factcheck-GPT).
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import report_main  # noqa: E402

Record = dict
Predict = Callable[[Record], bool]  # True: supported
THRESHOLDS = [round(0.02 * i, 2) for i in range(5, 50)]


def items(records: Sequence[Record], name: str, predict: Predict) -> list[tuple[bool, bool]]:
    """(gold supported, predicted supported) per scored item of one set."""
    rows = [r for r in records if r["set"] == name]
    if name != "wice":
        return [(r["label"] == "supported", predict(r)) for r in rows]
    claims: dict[str, list[Record]] = defaultdict(list)
    for r in rows:
        claims[r["group"]].append(r)
    return [(any(r["label"] == "supported" for r in group), any(predict(r) for r in group))
            for group in claims.values()]


def balanced(pairs: Sequence[tuple[bool, bool]]) -> float:
    pos = [p for g, p in pairs if g]
    neg = [p for g, p in pairs if not g]
    tpr = sum(pos) / len(pos) if pos else 0.0
    tnr = sum(not p for p in neg) / len(neg) if neg else 0.0
    return (tpr + tnr) / 2


def interval(pairs: Sequence[tuple[bool, bool]], runs: int = 1000) -> tuple[float, float]:
    rng = random.Random(13)
    values = sorted(balanced([rng.choice(pairs) for _ in pairs]) for _ in range(runs))
    return values[int(0.025 * runs)], values[int(0.975 * runs) - 1]


def unsupported_prf(pairs: Sequence[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Precision, recall, F1 for catching unsupported claims."""
    tp = sum(not g and not p for g, p in pairs)
    fp = sum(g and not p for g, p in pairs)
    fn = sum(not g and p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def judges(records: Sequence[Record]) -> dict[str, Predict]:
    overlap = _best(records, lambda x: (lambda r: r.get("coverage", 0.0) >= x),
                    [i / 20 for i in range(21)])
    t = _best(records, lambda x: (lambda r: r["p"] >= x), THRESHOLDS)

    def checked(x: float) -> Predict:
        return lambda r: r["p"] >= x and not r["numbers_missing"] and not r["names_missing"]

    tc = _best(records, checked, THRESHOLDS)
    return {
        "lexical (previous offline judge)": lambda r: r["lexical"] == "supported",
        f"overlap rule (≥ {overlap:.2f} of content words)":
            lambda r: r.get("coverage", 0.0) >= overlap,
        f"model (P ≥ {t:.2f})": lambda r: r["p"] >= t,
        f"model + checks (P ≥ {tc:.2f}, numbers veto, missing name = uncertain)": checked(tc),
    }


def _best(records: Sequence[Record], make: Callable[[float], Predict],
          grid: Sequence[float]) -> float:
    def score(x: float) -> float:
        return sum(balanced(items(records, s, make(x))) for s in ("wice", "factcheckgpt")) / 2

    return max(grid, key=score)


def held_out(records: Sequence[Record]) -> list[str]:
    """Thresholds chosen on one half (split by claim group), scored on the other, both ways:
    what the tuned judges give on pairs their threshold never saw."""
    halves = [[r for r in records if (sum(map(ord, r["group"])) % 2) == k] for k in (0, 1)]

    def checked(x: float) -> Predict:
        return lambda r: r["p"] >= x and not r["numbers_missing"] and not r["names_missing"]

    makers: dict[str, Callable[[float], Predict]] = {
        "model": lambda x: (lambda r: r["p"] >= x), "model + checks": checked}
    lines = ["| judge | set | balanced accuracy, threshold from the other half (half A / half B) |",
             "|---|---|---|"]
    for name, make in makers.items():
        chosen = [_best(halves[1 - k], make, THRESHOLDS) for k in (0, 1)]
        for s in ("wice", "factcheckgpt"):
            scores = [balanced(items(halves[k], s, make(chosen[k]))) for k in (0, 1)]
            lines.append(f"| {name} (thresholds {chosen[0]:.2f} / {chosen[1]:.2f}) | {s} | "
                         f"{scores[0]:.3f} / {scores[1]:.3f} |")
    return lines


def render(records: Sequence[Record], source: str) -> str:
    lines = ["# Faithfulness judges on human-labelled claims (faithfulness_dev)\n",
             f"Records: `{source}` (`python bench/judge_pass.py --limit 210 --out {source}`: "
             "the first 210 rows of each dev set, then `python bench/judge_report.py "
             f"{source}`). `uncertain` counts as not supported. Reference points "
             "(different pair construction): GPT-4-class 0.79 (WiCE) / 0.78 (Factcheck-GPT); "
             "MiniCheck-class 0.72-0.83; a tuned word-overlap rule 0.59-0.66.\n"]
    for name, predict in judges(records).items():
        lines.append(f"\n## {name}\n")
        lines.append("| set | n | balanced accuracy (95% CI) | unsupported P / R / F1 | "
                     "confusion (gold sup→pred sup, sup→not, unsup→sup, unsup→not) |")
        lines.append("|---|---:|---|---|---|")
        for s in ("wice", "factcheckgpt"):
            pairs = items(records, s, predict)
            low, high = interval(pairs)
            p, r, f = unsupported_prf(pairs)
            conf = [sum(g == a and pp == b for g, pp in pairs)
                    for a, b in ((True, True), (True, False), (False, True), (False, False))]
            lines.append(f"| {s} | {len(pairs)} | {balanced(pairs):.3f} ({low:.3f}–{high:.3f}) "
                         f"| {p:.3f} / {r:.3f} / {f:.3f} | {' / '.join(map(str, conf))} |")
    lines += ["\n## Held out\n", *held_out(records)]
    model_s = [r["seconds"]["model"] for r in records if not r["cached"]]
    lex_s = [r["seconds"]["lexical"] for r in records]
    if model_s:
        lines.append(f"\nThroughput on this machine: model {len(model_s) / sum(model_s):.2f} "
                     f"pairs/s ({len(model_s)} uncached pairs, windows of "
                     f"{sum(r['window_chars'] for r in records) / len(records):.0f} chars on "
                     f"average); lexical {len(lex_s) / sum(lex_s):.0f} pairs/s.\n")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return report_main(__doc__, render, argv)

if __name__ == "__main__":
    sys.exit(main())
