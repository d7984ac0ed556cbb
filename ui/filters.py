"""The chat UI's Filters fields, as typed, turned into what `CitechatService.ask_with_chunks` takes.

>>> parse_filters(as_of="2026-09-12", since=" 2026-09-01 ")
(SearchFilters(since='2026-09-01', until=None, source=None), datetime.date(2026, 9, 12))
>>> parse_filters()
(None, None)
"""

from __future__ import annotations

from datetime import date

from rag.core.filters import make_filters, parse_day
from rag.core.protocols import SearchFilters

# The field labels in `ui.app`; errors name the field the user has to fix.
AS_OF, SINCE, UNTIL, SOURCE = "As of", "Since", "Until", "Source"


def parse_filters(
    as_of: str | None = "", since: str | None = "", until: str | None = "",
    source: str | None = "",
) -> tuple[SearchFilters | None, date | None]:
    """(filters or None, as-of date or None = today); blank fields are not set. Raises
    `ConfigError` naming the field for a bad date, or when since is after until or as of."""
    day = parse_day(as_of, AS_OF)
    filters = make_filters(parse_day(since, SINCE), parse_day(until, UNTIL), source, as_of=day)
    return filters, day
