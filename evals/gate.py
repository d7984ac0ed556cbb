"""The regression gate: compare a run with its baseline and decide pass or fail.

Fails when a metric is beyond its floor, when the exact McNemar test on per-question pass/fail
says the run got worse (p < alpha, more pass→fail than fail→pass), or when a metric's paired
bootstrap interval lies wholly on the worse side and the mean change exceeds `tolerance`.
Every question that flipped pass → fail is listed, even when the averages hold.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from evals.baseline import Baseline
from evals.config import config_diff
from evals.results import METRICS, EvalRun, QuestionResult
from evals.stats import mcnemar_exact, paired_bootstrap

RowStatus = Literal["ok", "below_floor", "regressed", "n/a"]


class MetricRow(BaseModel):
    """Baseline → now for one metric; `low`/`high` bound the paired mean change."""

    name: str
    higher_is_better: bool
    baseline: float | None
    now: float | None
    change: float | None = None
    low: float | None = None
    high: float | None = None
    floor: float | None = None
    status: RowStatus = "ok"


class Flip(BaseModel):
    """A question whose pass/fail changed between the baseline and now."""

    id: str
    question: str
    old: QuestionResult
    new: QuestionResult


class GateReport(BaseModel):
    passed: bool
    reasons: list[str]
    rows: list[MetricRow]
    mcnemar_b: int  # pass → fail
    mcnemar_c: int  # fail → pass
    mcnemar_p: float
    regressions: list[Flip]
    fixes: list[Flip]
    only_in_baseline: list[str]
    only_now: list[str]
    config_changes: list[tuple[str, Any, Any]]


def compare(
    baseline: Baseline, now: EvalRun, *, tolerance: float = 0.02, alpha: float = 0.05,
    seed: int = 0,
) -> GateReport:
    """Compare `now` with `baseline` (paired by question id)."""
    old_by_id = {q.id: q for q in baseline.run.questions}
    new_by_id = {q.id: q for q in now.questions}
    shared = [i for i in new_by_id if i in old_by_id]
    pairs = [(old_by_id[i], new_by_id[i]) for i in shared]
    rows = [_row(m.name, pairs, baseline, now, tolerance, seed) for m in METRICS]
    regressions = [Flip(id=o.id, question=o.question, old=o, new=n)
                   for o, n in pairs if o.passed and not n.passed]
    fixes = [Flip(id=o.id, question=o.question, old=o, new=n)
             for o, n in pairs if not o.passed and n.passed]
    b, c = len(regressions), len(fixes)
    p = mcnemar_exact(b, c)
    reasons = [f"{r.name} {r.now:.3f} is beyond its floor {r.floor:.2f}"
               for r in rows if r.status == "below_floor" and r.now is not None]
    reasons += [f"{r.name} got worse by {abs(r.change or 0):.3f} "
                f"(paired interval {r.low:+.3f}..{r.high:+.3f})"
                for r in rows if r.status == "regressed"]
    if b > c and p < alpha:
        reasons.append(f"McNemar: {b} pass→fail vs {c} fail→pass (p={p:.4f} < {alpha})")
    return GateReport(
        passed=not reasons, reasons=reasons, rows=rows, mcnemar_b=b, mcnemar_c=c, mcnemar_p=p,
        regressions=regressions, fixes=fixes,
        only_in_baseline=sorted(set(old_by_id) - set(new_by_id)),
        only_now=sorted(set(new_by_id) - set(old_by_id)),
        config_changes=config_diff(baseline.run.config, now.config),
    )


def _row(
    name: str, pairs: list[tuple[QuestionResult, QuestionResult]], baseline: Baseline,
    now: EvalRun, tolerance: float, seed: int,
) -> MetricRow:
    metric = next(m for m in METRICS if m.name == name)
    old = baseline.run.aggregates.get(name)  # absent from baselines older than the metric
    row = MetricRow(name=name, higher_is_better=metric.higher_is_better,
                    baseline=old.value if old else None, now=now.aggregates[name].value,
                    floor=baseline.floors.get(name))
    if row.now is None:
        return row.model_copy(update={"status": "n/a"})
    diffs = [b - a for a, b in ((metric.per_question(o), metric.per_question(n)) for o, n in pairs)
             if a is not None and b is not None]
    update: dict[str, Any] = {}
    if row.baseline is not None:
        update["change"] = round(row.now - row.baseline, 4)
    if diffs:
        boot = paired_bootstrap(diffs, seed=seed)
        update |= {"low": round(boot.low, 4), "high": round(boot.high, 4)}
        sign = 1 if metric.higher_is_better else -1
        worse = -sign * boot.mean  # > 0 means worse
        interval_worse = (boot.high < 0) if metric.higher_is_better else (boot.low > 0)
        if worse > tolerance and interval_worse:
            update["status"] = "regressed"
    if row.floor is not None and (
        row.now < row.floor if metric.higher_is_better else row.now > row.floor
    ):
        update["status"] = "below_floor"
    return row.model_copy(update=update)
