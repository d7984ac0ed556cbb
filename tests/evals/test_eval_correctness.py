"""Correctness: alias normalisation, number words, F1, numbers/dates, refusal and no-gold edges."""

from __future__ import annotations

import pytest

from evals.metrics.correctness import (
    alias_match,
    numbers_dates_check,
    score_correctness,
    token_f1,
)


@pytest.mark.parametrize(
    ("prediction", "groups", "expected"),
    [
        ("The Buffalo Bills.", [["Buffalo Bills"]], True),
        ("twelve", [["12"]], True),
        ("12 people", [["twelve"]], True),
        ("1,200 homes", [["1200"]], True),
        ("Bills", [["Buffalo Bills"]], False),
        ("Ann and Bo", [["Ann"], ["Bo"]], True),  # every group must match
        ("Ann", [["Ann"], ["Bo"]], False),
        ("anything", [], False),
    ],
)
def test_alias_match(prediction, groups, expected):
    assert alias_match(prediction, groups) is expected


def test_token_f1():
    assert token_f1("the Buffalo Bills", "Buffalo Bills") == 1.0
    assert token_f1("Bills", "Buffalo Bills") == pytest.approx(2 / 3)
    assert token_f1("", "x") == 0.0


def test_numbers_and_dates():
    assert numbers_dates_check("14 dead", [["fourteen"]]) == "ok"
    assert numbers_dates_check("12 dead", [["14"]]) == "wrong"
    assert numbers_dates_check("on September 28", [["September 28"]]) == "ok"
    assert numbers_dates_check("Ann", [["Ann"]]) == "n/a"


def test_uses_short_answer_strictly_and_full_text_loosely():
    r = score_correctness("five more", 'five more. "Twelve people died." [1]', False, [["12"]])
    assert r.status == "ok" and not r.correct and r.in_answer and r.numbers == "wrong"


def test_refusal_and_no_gold():
    assert score_correctness(None, "no", True, [["x"]]).status == "refused"
    assert score_correctness(None, "no", True, [["x"]]).correct is False
    assert score_correctness("x", "x", False, []).status == "n/a"
