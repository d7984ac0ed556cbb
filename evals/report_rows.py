"""What both reports show, computed once: formatted figures, the verdict, the metric rows,
the judges' self-test lines and the LLM judge's verdict for a sentence."""

from __future__ import annotations

from evals.gate import GateReport, MetricRow
from evals.judge_selftest import summary_line
from evals.metrics.llm_faithfulness import LLMSentenceVerdict
from evals.results import METRICS, EvalRun, QuestionResult


def fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def verdict(gate: GateReport | None) -> str:
    if gate is None:
        return "NO BASELINE"
    return "PASS" if gate.passed else "FAIL"


def metric_rows(run: EvalRun, gate: GateReport | None) -> list[MetricRow]:
    """The gate's rows, or rows with the current values only when there is no baseline."""
    if gate is not None:
        return gate.rows
    return [MetricRow(name=m.name, higher_is_better=m.higher_is_better, baseline=None,
                      now=run.aggregates[m.name].value,
                      status="ok" if run.aggregates[m.name].value is not None else "n/a")
            for m in METRICS]


def selftest_lines(run: EvalRun) -> list[str]:
    """One "judge self-test (…): balanced accuracy X (floor Y) PASS" line per judge."""
    return [summary_line(r) for r in run.judge_selftests]


def llm_verdict(q: QuestionResult, sentence: str) -> LLMSentenceVerdict | None:
    """The LLM judge's verdict on one answer sentence, if it ran."""
    if q.llm_judge is None:
        return None
    return next((s for s in q.llm_judge.sentences if s.sentence == sentence), None)
