"""Baselines: a stored run (per-question results, aggregates, config) plus the metric floors.

`evals/baselines/<dataset>.json` is written by `citechat eval --update-baseline`. Floors are
kept across updates (edit them by hand); a new baseline gets floors 0.10 below (or above, for
lower-is-better metrics) its own values, rounded to 0.05.
"""

from __future__ import annotations

import math
from pathlib import Path

from pydantic import BaseModel, ValidationError

from evals.dataset import DatasetError
from evals.results import METRICS, EvalRun

FORMAT = 1
FLOOR_MARGIN = 0.10


class Baseline(BaseModel):
    """`floors[name]` is a minimum for higher-is-better metrics and a maximum otherwise."""

    format: int = FORMAT
    floors: dict[str, float]
    run: EvalRun


def default_floors(run: EvalRun, margin: float = FLOOR_MARGIN) -> dict[str, float]:
    floors = {}
    for metric in METRICS:
        value = run.aggregates[metric.name].value
        if value is None:
            continue
        if metric.higher_is_better:
            floors[metric.name] = max(0.0, math.floor((value - margin) * 20) / 20)
        else:
            floors[metric.name] = min(1.0, math.ceil((value + margin) * 20) / 20)
    return floors


def load_baseline(path: Path) -> Baseline:
    if not path.is_file():
        raise DatasetError(f"baseline {path} does not exist; create it with --update-baseline")
    try:
        return Baseline.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"]
        raise DatasetError(f"baseline {path} is not a valid baseline file: {problem} — "
                           "recreate it with --update-baseline") from None


def save_baseline(run: EvalRun, path: Path) -> Baseline:
    """Write `run` (slimmed: `slim`) as the new baseline, keeping the floors of an existing one."""
    floors = load_baseline(path).floors if path.is_file() else default_floors(run)
    baseline = Baseline(floors=floors, run=slim(run))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(baseline.model_dump_json(indent=1) + "\n", encoding="utf-8")
    return baseline


def slim(run: EvalRun) -> EvalRun:
    """The run without what the gate and reports never read from a baseline and what changes
    on every run: latencies, the retrieved-chunk list (its metrics are kept in `retrieval`),
    and the judge's features for supported sentences. Keeps baseline diffs reviewable."""
    questions = []
    for q in run.questions:
        answer = q.answer.model_copy(update={"latency_ms": 0.0, "retrieved": []})
        sentences = [s if s.verdict != "supported" else s.model_copy(update={"judgement": None})
                     for s in q.faithfulness.sentences]
        faithfulness = q.faithfulness.model_copy(update={"sentences": sentences})
        questions.append(q.model_copy(update={"answer": answer, "faithfulness": faithfulness}))
    return run.model_copy(update={"questions": questions})
