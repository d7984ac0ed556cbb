"""Answer correctness against alias groups: normalised alias match, token F1, exact numbers/dates.

Steps: `prediction_text` (the short answer, else the answer without quotes' markers) →
`alias_match` per group → `token_f1` against the best alias → `numbers_dates_check`.

>>> r = score_correctness("7 people.", "7 people. \\"Seven died.\\" [1]", False, [["seven", "7"]])
>>> (r.status, r.correct, r.f1, r.numbers)
('ok', True, 0.6667, 'ok')
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict

from evals.metrics.text import contains_phrase, dates_in, numbers_in, tokens

CorrectnessStatus = Literal["ok", "refused", "n/a"]
CheckStatus = Literal["ok", "wrong", "n/a"]
_MARKER = re.compile(r"\s*\[\d+\]")


class CorrectnessResult(BaseModel):
    """`correct`: every alias group matched in the prediction (the short answer when there is
    one); `in_answer`: matched anywhere in the full answer text; `numbers`: the gold's numbers
    and dates all appear in the prediction ("n/a" when the gold has none)."""

    model_config = ConfigDict(frozen=True)

    status: CorrectnessStatus
    correct: bool = False
    in_answer: bool = False
    f1: float = 0.0
    numbers: CheckStatus = "n/a"
    prediction: str = ""
    reason: str = ""


def prediction_text(short_answer: str | None, answer: str) -> str:
    """What is scored strictly: the short answer if given, else the answer without markers."""
    return short_answer if short_answer else _MARKER.sub("", answer)


def alias_match(prediction: str, groups: list[list[str]]) -> bool:
    """True when every group has an alias contained (normalised, word-bounded) in `prediction`."""
    return bool(groups) and all(any(contains_phrase(prediction, a) for a in g) for g in groups)


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD token F1 over normalised tokens (number words as digits, no articles)."""
    pred, ref = tokens(prediction), tokens(gold)
    common = sum((Counter(pred) & Counter(ref)).values())
    if not pred or not ref or common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def numbers_dates_check(prediction: str, groups: list[list[str]]) -> CheckStatus:
    """"ok" when, for every group, some alias's numbers and dates all appear in the prediction."""
    needed = [[numbers_in(a) | dates_in(a) for a in g] for g in groups]
    if not any(any(n) for g in needed for n in g):
        return "n/a"
    have = numbers_in(prediction) | dates_in(prediction)
    return "ok" if all(any(n <= have for n in g) for g in needed) else "wrong"


def score_correctness(
    short_answer: str | None, answer: str, refused: bool, groups: list[list[str]]
) -> CorrectnessResult:
    """Score one answer; "n/a" without gold answers, "refused" (not correct) for a refusal."""
    if not groups:
        return CorrectnessResult(status="n/a", reason="no gold answers")
    if refused:
        return CorrectnessResult(status="refused", reason="refused an answerable question")
    prediction = prediction_text(short_answer, answer)
    best_f1 = sum(max(token_f1(prediction, a) for a in g) for g in groups) / len(groups)
    return CorrectnessResult(
        status="ok", correct=alias_match(prediction, groups),
        in_answer=alias_match(_MARKER.sub("", answer), groups), f1=round(best_f1, 4),
        numbers=numbers_dates_check(prediction, groups), prediction=prediction,
    )
