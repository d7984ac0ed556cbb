"""Why the documents don't say: a refusal explained from what the collection holds.

`scope_of` counts the documents the question could read (catalog counts, no retrieval);
`explain` turns the counts into one plain sentence, the first reason that applies:

>>> explain(Scope(total=39, matching=39, readable=0, earliest="2026-09-01"),
...         as_of=date(2026, 8, 1), read=0)[:62]
'Every document here is dated after 2026-08-01, the day this qu'
>>> explain(Scope(total=39, matching=0, readable=0, source_docs=0, sources=("Valley Wire",)),
...         as_of=date(2026, 9, 1), read=0, filters=SearchFilters(source="valley wire"))
'No document here has the source “valley wire” (sources: Valley Wire).'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from rag.core.protocols import SearchFilters
from rag.stores.catalog import Catalog

SOURCES_NAMED = 5


@dataclass(frozen=True)
class Scope:
    """Documents in the collection (`total`), passing the filters (`matching`), and also
    published by the as-of cut-off (`readable`; undated ones count, as retrieval reads them)."""

    total: int
    matching: int
    readable: int
    source_docs: int | None = None  # documents of the source filter; None: no source filter
    earliest: str | None = None  # earliest date among the matching documents
    sources: tuple[str, ...] = ()


def scope_of(catalog: Catalog, filters: SearchFilters | None, cutoff: date) -> Scope:
    """Count what the question could read: `cutoff` is the as-of day plus `time.grace_days`."""
    limit = cutoff.isoformat()
    base = filters or SearchFilters()
    source = catalog.count_documents(SearchFilters(source=base.source)) if base.source else None
    readable = replace(base, until=min(base.until or limit, limit))
    return Scope(
        total=catalog.count_documents(), matching=catalog.count_documents(filters),
        readable=catalog.count_documents(readable), source_docs=source,
        earliest=catalog.date_span(filters)[0],
        sources=tuple(name for name, _ in catalog.sources()),
    )


def explain(
    scope: Scope, *, as_of: date, read: int, filters: SearchFilters | None = None,
    support: float | None = None,
) -> str:
    """One sentence: why nothing answered (`read` passages were read; `support` is the local
    model's probability that they hold the answer, when it judged)."""
    if scope.total == 0:
        return "This collection has no documents yet: add some in the Documents tab."
    if filters and filters.source and scope.source_docs == 0:
        known = ", ".join(scope.sources[:SOURCES_NAMED]) + (
            ", …" if len(scope.sources) > SOURCES_NAMED else "")
        named = f" (sources: {known})" if known else " (no document here names its source)"
        return f"No document here has the source “{filters.source}”{named}."
    if scope.matching == 0:
        return f"No document here was published {_window(filters)}."
    if scope.readable == 0:
        which = "matching document" if filters else "document here"
        first = f" (the earliest is {scope.earliest})" if scope.earliest else ""
        return (f"Every {which} is dated after {as_of.isoformat()}, the day this question is "
                f"asked as of{first}: clear “As of” or choose a later day.")
    if read == 0:
        return "No passage shares enough words with the question."
    passages = f"{read} passage{'s' if read != 1 else ''} read"
    if support is not None:
        return (f"The {passages} do not hold the answer: the model put the chance that they "
                f"do at {support:.0%}.")
    return f"None of the {passages} answers it closely enough to quote."


def _window(filters: SearchFilters | None) -> str:
    since, until = (filters.since, filters.until) if filters else (None, None)
    if since and until:
        return f"between {since} and {until}"
    if since:
        return f"on or after {since}"
    return f"on or before {until}" if until else "at all"
