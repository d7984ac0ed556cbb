"""Date and source filters as typed (CLI flags, UI fields), checked into `SearchFilters`.

>>> make_filters(parse_day("2026-09-01"), None, " Valley Wire ")
SearchFilters(since='2026-09-01', until=None, source='Valley Wire')
>>> parse_day("2026-13-01", "Since")
Traceback (most recent call last):
...
rag.core.errors.ConfigError: Since: '2026-13-01' is not a date (use YYYY-MM-DD, e.g. 2026-09-14)
"""

from __future__ import annotations

import re
from datetime import date

from rag.core.errors import ConfigError, InputError
from rag.core.protocols import SearchFilters

# Only the extended form: the stores compare dates as YYYY-MM-DD strings.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str | None, field: str = "") -> date | None:
    """`text` (surrounding spaces ignored) as a date, or None when blank; a ConfigError that
    starts with `field` when it is not a real YYYY-MM-DD date."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if _ISO_DAY.fullmatch(value) else None
    except ValueError:  # e.g. month 13
        day = None
    if day is None:
        lead = f"{field}: " if field else ""
        raise ConfigError(f"{lead}{value!r} is not a date (use YYYY-MM-DD, e.g. 2026-09-14)")
    return day


def make_filters(
    since: date | None, until: date | None, source: str | None, *, as_of: date | None = None
) -> SearchFilters | None:
    """The filters, or None when none is set; a ConfigError when no document could match
    (since after until, or since after the as-of date)."""
    if since and until and since > until:
        raise ConfigError(f"since {since} is after until {until}: no document can match; "
                          "swap the dates or clear one")
    if since and as_of and since > as_of:
        raise ConfigError(f"since {since} is after as of {as_of}: documents after the as-of "
                          "date are not read, so none can match; move one of the dates")
    source = (source or "").strip() or None
    if not (since or until or source):
        return None
    return SearchFilters(
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        source=source,
    )


MAX_QUESTION_CHARS = 2000


def clean_question(question: str) -> str:
    """`question` without surrounding space and with any invalid character (a lone surrogate
    from a truncated emoji, undecodable bytes) replaced; an InputError when it is empty or
    longer than MAX_QUESTION_CHARS.

    >>> clean_question("  Who won" + chr(0xD83D) + "?  ") == "Who won" + chr(0xFFFD) + "?"
    True
    """
    # UTF-16 pairs surrogates that belong together and replaces a lone one with U+FFFD.
    text = question.encode("utf-16", "surrogatepass").decode("utf-16", "replace").strip()
    if not text:
        raise InputError("the question is empty: type what you want to know")
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(f"the question is {len(text):,} characters long; at most "
                         f"{MAX_QUESTION_CHARS:,} are read — shorten it")
    return text
