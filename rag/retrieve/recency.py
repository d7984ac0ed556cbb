"""Date-aware re-ranking: chunks inside the question's window and close to its as-of day
rise, so among near-duplicate passages the latest report before `as_of` wins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rag.core.types import ScoredChunk
from rag.text.timeframe import DateWindow


def prefer_dates(
    chunks: Sequence[ScoredChunk],
    as_of: date,
    window: DateWindow | None,
    *,
    window_boost: float,
    recency_weight: float,
    recency_days: int = 30,
) -> list[ScoredChunk]:
    """Re-rank retrieved chunks for a question asked on `as_of`.

    A chunk published inside the question's window gets `window_boost` (relative); every chunk
    gets up to `recency_weight` (relative) for being published close to `as_of`, decaying to
    nothing over `recency_days`, so among near-duplicate passages the latest report before
    `as_of` wins. Undated chunks get neither.
    """
    def adjusted(item: ScoredChunk) -> float:
        day = _iso(item.chunk.publish_date)
        if day is None:
            return item.score
        factor = 1.0
        if window is not None and window.contains(day):
            factor += window_boost
        age = (as_of - day).days
        if 0 <= age < recency_days:
            factor += recency_weight * (1 - age / recency_days)
        return item.score * factor

    rescored = [item.model_copy(update={"score": adjusted(item)}) for item in chunks]
    return sorted(rescored, key=lambda item: -item.score)


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
