"""Refusal rates: false refusals on answerable, refusals on unanswerable; None when empty."""

from __future__ import annotations

from evals.metrics.refusal import refusal_rates, score_refusal


def test_rates():
    results = [score_refusal(True, False), score_refusal(False, False), score_refusal(True, True)]
    rates = refusal_rates(results)
    assert rates.false_refusal_rate == 0.5 and rates.unanswerable_refusal_rate == 1.0
    assert [r.status for r in results] == ["wrong", "ok", "ok"]


def test_no_questions_of_a_kind_gives_none():
    rates = refusal_rates([score_refusal(False, False)])
    assert rates.unanswerable_refusal_rate is None and rates.unanswerable == 0
