"""Time-aware questions: resolve relative date expressions against `as_of`, in code.

"this week", "last week", "yesterday", "today", "on Monday", "in January", "this month",
"last month", "earlier this year", "this year" and explicit dates ("on 12 September 2026",
"September 14", "2026-09-14") become a `DateWindow`; nothing is left to a model to guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from rag.text.dates import parse_date
from rag.text.lexicon import lexicon


def _months() -> list[str]:
    return lexicon().ordered("months")


def _weekdays() -> list[str]:
    return lexicon().ordered("weekdays")


@cache
def _explicit_pattern() -> re.Pattern[str]:
    months = "|".join(_months())
    return re.compile(
        rf"\b(\d{{4}}-\d{{2}}-\d{{2}}|(?:\d{{1}}|\d{{2}})\s+(?:{months})(?:\s+\d{{4}})?"
        rf"|(?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)\b",
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of publication dates a question is about."""

    since: date
    until: date
    phrase: str

    def contains(self, day: date) -> bool:
        return self.since <= day <= self.until


def resolve_window(question: str, as_of: date) -> DateWindow | None:
    """The date window a question's wording points at, relative to `as_of`, or None.

    "This week" means the seven days up to `as_of` (news quizzes use it so); an event "on Monday"
    is looked for in reports from that day and the two after it.

    >>> resolve_window("Who resigned this week?", date(2026, 9, 17)).since
    datetime.date(2026, 9, 11)
    >>> w = resolve_window("What happened on Monday?", date(2026, 9, 17))
    >>> w.since, w.until, w.phrase
    (datetime.date(2026, 9, 14), datetime.date(2026, 9, 16), 'on monday')
    """
    text = question.lower()
    for finder in (_explicit, _relative_day, _weekday, _week, _month, _year):
        window = finder(text, as_of)
        if window is not None:
            return window
    return None


def _explicit(text: str, as_of: date) -> DateWindow | None:
    match = _explicit_pattern().search(text)
    if not match:
        return None
    phrase = match.group(0)
    has_year = re.search(r"\d{4}", phrase)
    parsed = parse_date(phrase if has_year else f"{phrase} {as_of.year}")
    if parsed is None:
        return None
    if not has_year and parsed > as_of:
        parsed = parsed.replace(year=parsed.year - 1)
    return DateWindow(parsed, parsed + timedelta(days=2), phrase)


def _relative_day(text: str, as_of: date) -> DateWindow | None:
    if re.search(r"\btoday\b|\bthis morning\b|\btonight\b", text):
        return DateWindow(as_of - timedelta(days=1), as_of, "today")
    if "yesterday" in text:
        day = as_of - timedelta(days=1)
        return DateWindow(day, as_of, "yesterday")
    return None


def _weekday(text: str, as_of: date) -> DateWindow | None:
    weekdays = _weekdays()
    match = re.search(r"\b(?:on|last|this)\s+(" + "|".join(weekdays) + r")\b", text)
    if not match:
        return None
    back = (as_of.weekday() - weekdays.index(match.group(1))) % 7
    if match.group(0).startswith("last") and back == 0:
        back = 7
    day = as_of - timedelta(days=back)
    return DateWindow(day, min(as_of, day + timedelta(days=2)), match.group(0))


def _week(text: str, as_of: date) -> DateWindow | None:
    monday = as_of - timedelta(days=as_of.weekday())
    if re.search(r"\bthis week\b|\bthis past week\b|\bpast (?:seven|7) days\b", text):
        return DateWindow(min(monday, as_of - timedelta(days=6)), as_of, "this week")
    if "last week" in text:
        return DateWindow(monday - timedelta(days=7), monday - timedelta(days=1), "last week")
    return None


def _month(text: str, as_of: date) -> DateWindow | None:
    first = as_of.replace(day=1)
    if "this month" in text:
        return DateWindow(first, as_of, "this month")
    if "last month" in text:
        prev_last = first - timedelta(days=1)
        return DateWindow(prev_last.replace(day=1), prev_last, "last month")
    months = _months()
    match = re.search(rf"\bin ({'|'.join(months)})\b", text)
    if not match:
        return None
    month = months.index(match.group(1)) + 1
    year = as_of.year if month <= as_of.month else as_of.year - 1
    start = date(year, month, 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return DateWindow(start, min(end, as_of), match.group(0))


def _year(text: str, as_of: date) -> DateWindow | None:
    if re.search(r"\bearlier this year\b|\bthis year\b", text):
        return DateWindow(date(as_of.year, 1, 1), as_of, "this year")
    return None
