"""Dates in text: parse the formats news sites use, find a byline or dateline date, and write
a source's date the way answers do.

Pure functions, no network and no locale data.

>>> parse_date("Tue, 14 Sep 2026 08:00:00 GMT")
datetime.date(2026, 9, 14)
>>> date_from_text("Markets rally\\nPublished: Jan. 17, 2020\\nStocks rose on Friday.")
datetime.date(2020, 1, 17)
"""

from __future__ import annotations

import re
from datetime import date

from rag.text.lexicon import lexicon

# Byline and dateline lines are near the top; later dates belong to captions or related links.
MAX_TOP_LINES = 15
MAX_TOP_CHARS = 1500

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
# Date shapes, tried in order; each names its groups `year`, `month`, `day`. Numeric dates
# other than ISO are day-first when dotted (06.05.2018) and read by the slash rule below.
_DATE_PATTERNS = [
    re.compile(rf"(?<!\d){_YEAR}[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}})(?!\d)"),
    re.compile(rf"(?<!\d){_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"(?<![\d.])(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.{_YEAR}"),
    re.compile(rf"(?<![\d/])(?P<first>\d{{1,2}})/(?P<second>\d{{1,2}})/{_YEAR}"),
]
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)

_BULLET = r"^[\s\-–—•*·|]*"
_PUBLISHED = re.compile(_BULLET + r"(?:first\s+|originally\s+)?published(?![a-z])", re.IGNORECASE)
_UPDATED = re.compile(_BULLET + r"(?:last\s+)?(?:updated|modified)(?![a-z])", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+\S", re.IGNORECASE)
# "LONDON, Jan 17 (Reuters) -": a place, a month and day, an agency; the year is found nearby.
_DATELINE = re.compile(
    rf"^(?-i:[A-Z][A-Z .'/-]+),\s+{_MONTH}\s+{_DAY}\s*\([A-Za-z ]+\)", re.IGNORECASE
)
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_AMBIGUOUS_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?!\d)")
_DAY_FIRST_ZONE = re.compile(r"\b(?:GMT|BST|CET|CEST|IST|AEST|AEDT)\b")
_MONTH_FIRST_ZONE = re.compile(r"\b(?:[ECMP][SD]?T)\b")
# What may follow a date on a date-only line: times, zones, separators, "Updated 2 hours ago".
_TIMESTAMP_REST = re.compile(
    r"^(?:[\s,|/·•:.\-–—()+]|\d+|[ap]\.?m\.?|at|on|(?-i:[A-Z]{2,4})|ago|hours?|mins?|minutes?"
    r"|updated|published|last)*+$",
    re.IGNORECASE,
)


def _month_number(name: str) -> int:
    """1-12 for a month name or its abbreviation ("Sept." → 9)."""
    return [m[:3] for m in lexicon().ordered("months")].index(name[:3].lower()) + 1


def parse_date(value: str) -> date | None:
    """Parse one date string as news sites write it; None when it is not a date.

    Accepts ISO 8601 dates and datetimes (the date as written, offsets ignored), RFC 2822,
    "12 January 2020", "January 12, 2020", "Jan. 17, 2020", "Sept. 14, 2026", "2020/01/12",
    day-first "06.05.2018", "13/01/2020" (a slashed date only when day and month cannot be
    swapped), and any of these followed by a time ("April 25, 2026, 3:11 p.m. ET").

    >>> parse_date("2020-01-12T23:30:00-05:00"), parse_date("yesterday")
    (datetime.date(2020, 1, 12), None)
    """
    text = _WEEKDAY.sub("", value.strip())
    found = _match_date(text)
    if found is None or found[1] != 0:
        return None
    return found[0]


def _match_date(text: str) -> tuple[date, int] | None:
    """The earliest valid date in `text` and where it starts."""
    best: tuple[date, int] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parsed = _to_date(match)
            if parsed is not None and (best is None or match.start() < best[1]):
                best = (parsed, match.start())
                break
    return best


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if "first" in groups:
        return _slashed(int(groups["first"]), int(groups["second"]), int(groups["year"]))
    month = groups["month"]
    number = int(month) if month.isdigit() else _month_number(month)
    try:
        return date(int(groups["year"]), number, int(groups["day"]))
    except ValueError:
        return None


def _slashed(first: int, second: int, year: int) -> date | None:
    """dd/mm/yyyy or mm/dd/yyyy, whichever the numbers allow; None when both could be right
    (04/03/2021 is March in London and April in New York).

    >>> _slashed(13, 1, 2020), _slashed(1, 13, 2020), _slashed(4, 3, 2021)
    (datetime.date(2020, 1, 13), datetime.date(2020, 1, 13), None)
    """
    if first <= 12 and second <= 12 and first != second:
        return None
    day, month = (first, second) if first > 12 or first == second else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> date | None:
    """The first date anywhere in `text` (used on byline lines such as "By X | Jan 2, 2020")."""
    found = _match_date(text)
    return found[0] if found else None


def date_from_text(text: str) -> date | None:
    """Find the publication date in the byline or dateline lines at the top of `text`.

    Looks at the first `MAX_TOP_LINES` non-empty lines (within `MAX_TOP_CHARS` characters):
    "Published 12 January 2020", "Published: ...", a date on its own line or opening a line,
    "By Name | Jan 2, 2020", "LONDON, Jan 17 (Reuters) -" with a year nearby, and "Updated ..."
    (used only when nothing better is found). Run it on the raw text, before cleaning.
    """
    lines = _top_lines(text)
    updated: date | None = None
    for index, line in enumerate(lines):
        if _PUBLISHED.match(line) and (found := find_date(line)):
            return found
        if _UPDATED.match(line):
            updated = updated or find_date(line)
        elif found := _date_line(line) or _dateline(lines, index):
            return found
    return updated


def _top_lines(text: str) -> list[str]:
    lines: list[str] = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        if offset >= MAX_TOP_CHARS or len(lines) >= MAX_TOP_LINES:
            break
        offset += len(raw)
        if raw.strip():
            lines.append(raw.strip())
    return lines


def _date_line(line: str) -> date | None:
    """A date opening a line that holds nothing else but times, or a byline with a date."""
    if _BYLINE.match(line):
        return find_date(line)
    found = _match_date(_WEEKDAY.sub("", line))
    if found is None or found[1] != 0:
        return _zoned_slashed(line)
    rest = _remove_first_date(_WEEKDAY.sub("", line))
    return found[0] if _TIMESTAMP_REST.match(rest) else None


def _zoned_slashed(line: str) -> date | None:
    """An ambiguous "04/03/2021 10:42 GMT" read by its time zone: British zones write the day
    first, North American ones the month.

    >>> _zoned_slashed("04/03/2021 10:42 GMT"), _zoned_slashed("04/03/2021 10:42 a.m. ET")
    (datetime.date(2021, 3, 4), datetime.date(2021, 4, 3))
    """
    match = _AMBIGUOUS_SLASHED.match(line)
    if not match or not _TIMESTAMP_REST.match(line[match.end() :]):
        return None
    first, second, year = (int(g) for g in match.groups())
    day_first = _DAY_FIRST_ZONE.search(line)
    month_first = _MONTH_FIRST_ZONE.search(line)
    if bool(day_first) == bool(month_first):
        return None
    day, month = (first, second) if day_first else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _remove_first_date(line: str) -> str:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(line)
        if match and _to_date(match):
            return line[match.end() :]
    return line


def _dateline(lines: list[str], index: int) -> date | None:
    """A "CITY, Mon DD (Agency)" dateline, completed with a year from this or nearby lines."""
    match = _DATELINE.match(lines[index])
    if not match:
        return None
    before = lines[max(0, index - 2) : index]
    for line in [lines[index], *reversed(before), *lines[index + 1 : index + 3]]:
        year = _ANY_YEAR.search(line)
        if year:
            month = _month_number(match.group("month"))
            try:
                return date(int(year.group()), month, int(match.group("day")))
            except ValueError:
                return None
    return None


def news_date(iso_date: str | None) -> str:
    """'2026-09-03' → '3 Sep 2026', how answers write a source's date; '' when unknown.

    >>> news_date("2026-09-03"), news_date(None)
    ('3 Sep 2026', '')
    """
    try:
        day = date.fromisoformat(iso_date or "")
    except ValueError:
        return ""
    return f"{day.day} {day:%b %Y}"


# The `date_provenance` values shown with a mark: a file's modification time is a guess, not the
# publication date. Dates found in the document, or given by whoever ingested it, are shown bare.
_SHOWN_PROVENANCE = {"mtime": "file date"}


def shown_date(iso_date: str | None, provenance: str | None = None) -> str:
    """A source's date as sources lists show it: the ISO date, marked "(file date)" when it is
    only the file's modification time; 'no date' when unknown.

    >>> shown_date("2026-11-30", "mtime"), shown_date("2026-09-29", "html-meta"), shown_date(None)
    ('2026-11-30 (file date)', '2026-09-29', 'no date')
    """
    if not iso_date:
        return "no date"
    label = _SHOWN_PROVENANCE.get(provenance or "")
    return f"{iso_date} ({label})" if label else iso_date
