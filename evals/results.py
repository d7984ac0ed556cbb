"""Typed eval results: per question, per run, and the metric registry (name, direction, scope).

Every metric is a per-question value in [0, 1] or None ("n/a" for that question); a run's
aggregate is the mean over the questions where it applies, or None when none do — never NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from evals.judge_selftest import SelfTestResult
from evals.metrics.correctness import CorrectnessResult
from evals.metrics.faithfulness import FaithfulnessResult
from evals.metrics.llm_faithfulness import LLMJudgeResult
from evals.metrics.refusal import RefusalResult
from evals.metrics.retrieval import RetrievalResult
from rag.core.types import Answer


class QuestionResult(BaseModel):
    """Everything scored for one question; `passed` = honest, correct and faithful."""

    model_config = ConfigDict(frozen=True)

    id: str
    question: str
    tags: list[str] = []
    expect_refusal: bool = False
    gold_answer: str | None = None
    answer: Answer
    retrieval: RetrievalResult
    correctness: CorrectnessResult
    refusal: RefusalResult
    faithfulness: FaithfulnessResult
    llm_judge: LLMJudgeResult | None = None  # only with `--judge llm`; not part of `passed`
    passed: bool
    fail_reasons: list[str] = []


class MetricValue(BaseModel):
    """One aggregate: `value` is None with status "n/a" when no question applies."""

    model_config = ConfigDict(frozen=True)

    value: float | None
    n: int
    status: str


class EvalRun(BaseModel):
    """A whole run: the config it ran under, every question and the aggregates."""

    dataset: str
    dataset_sha: str
    config: dict[str, Any]
    config_hash: str
    created: str
    questions: list[QuestionResult]
    aggregates: dict[str, MetricValue]
    warnings: list[str] = []
    judge_selftests: list[SelfTestResult] = []  # one per judge in use, run before the questions


@dataclass(frozen=True)
class Metric:
    """A registered metric: how to read it from a question, and which way is better."""

    name: str
    per_question: Callable[[QuestionResult], float | None]
    higher_is_better: bool = True
    description: str = ""


def _answerable(fn: Callable[[QuestionResult], float]) -> Callable[[QuestionResult], float | None]:
    return lambda q: None if q.correctness.status == "n/a" else fn(q)


def _answered(
    fn: Callable[[QuestionResult], float | None],
) -> Callable[[QuestionResult], float | None]:
    return lambda q: fn(q) if q.faithfulness.status != "n/a" else None


def _bool(value: bool | None) -> float | None:
    return None if value is None else float(value)


def _llm(
    fn: Callable[[LLMJudgeResult], float | None],
) -> Callable[[QuestionResult], float | None]:
    """None when the LLM judge did not run, or the answer is a refusal (n/a)."""
    return lambda q: None if q.llm_judge is None or q.llm_judge.status == "n/a" \
        else fn(q.llm_judge)


def _check(status: str) -> float | None:
    return None if status == "n/a" else float(status == "ok")


METRICS: tuple[Metric, ...] = (
    Metric("pass_rate", lambda q: float(q.passed), description="honest, correct and faithful"),
    Metric("accuracy", _answerable(lambda q: float(q.correctness.correct)),
           description="short answer matches every alias group (refusal = wrong)"),
    Metric("answer_in_text", _answerable(lambda q: float(q.correctness.in_answer)),
           description="gold answer anywhere in the answer text"),
    Metric("token_f1", _answerable(lambda q: q.correctness.f1), description="SQuAD token F1"),
    Metric("numbers_exact", lambda q: _check(q.correctness.numbers),
           description="gold numbers/dates present in the short answer"),
    Metric("hit@k", lambda q: q.retrieval.hit, description="a gold doc in the top k docs"),
    Metric("recall@k", lambda q: q.retrieval.recall, description="share of gold docs in top k"),
    Metric("mrr", lambda q: q.retrieval.mrr, description="1 / rank of the first gold doc"),
    Metric("ndcg@k", lambda q: q.retrieval.ndcg, description="binary-relevance nDCG at k"),
    Metric("false_refusal_rate",
           lambda q: None if q.expect_refusal else float(q.refusal.refused), False,
           "refused an answerable question"),
    Metric("unanswerable_refusal_rate",
           lambda q: float(q.refusal.refused) if q.expect_refusal else None,
           description="refused a question the corpus cannot answer"),
    Metric("faithful", _answered(lambda q: _bool(q.faithfulness.faithful)),
           description="no unsupported or wrongly cited sentence"),
    Metric("supported_share", _answered(lambda q: q.faithfulness.supported_share),
           description="share of answer sentences supported by their citation"),
    Metric("citation_validity", _answered(lambda q: q.faithfulness.citation_validity),
           description="cited quote found in the cited doc at start:end"),
    Metric("judge_error_rate", _answered(lambda q: float(q.faithfulness.status == "judge_error")),
           False, "the faithfulness judge failed"),
    Metric("llm_faithful", _llm(lambda r: _bool(r.faithful)),
           description="LLM judge: no unsupported sentence"),
    Metric("llm_supported_share", _llm(lambda r: r.supported_share),
           description="LLM judge: share of answer sentences supported by their citation"),
    Metric("llm_judge_error_rate", _llm(lambda r: float(r.status == "judge_error")), False,
           "LLM judge: a reply was not valid JSON for the schema, or a call failed"),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}


def aggregate(questions: Sequence[QuestionResult]) -> dict[str, MetricValue]:
    """Mean of each metric over the questions where it applies."""
    out = {}
    for metric in METRICS:
        values = [v for v in (metric.per_question(q) for q in questions) if v is not None]
        out[metric.name] = MetricValue(
            value=round(sum(values) / len(values), 4) if values else None, n=len(values),
            status="ok" if values else "n/a",
        )
    return out
