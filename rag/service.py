"""The service the CLI, the UI and the evals share: retrieve, and ask for a cited answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from rag.protocols import Answerer, Retriever, SearchFilters
from rag.settings import TimeSettings
from rag.timeframe import DateWindow, prefer_dates, resolve_window
from rag.types import Answer, AskContext, ScoredChunk


class CitechatService:
    """`ask(question)` → an `Answer`; `retrieve(query, k)` → ranked chunks."""

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        *,
        answer_k: int = 8,
        time_settings: TimeSettings | None = None,
        clock: Callable[[], float] = time.perf_counter,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._retriever = retriever
        self._answerer = answerer
        self._answer_k = answer_k
        self._time = time_settings or TimeSettings()
        self._clock = clock
        self._today = today

    def retrieve(
        self, query: str, k: int, filters: SearchFilters | None = None
    ) -> list[ScoredChunk]:
        return self._retriever.retrieve(query, k, filters)

    def ask(
        self,
        question: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        as_of: date | None = None,
    ) -> Answer:
        return self.ask_with_chunks(question, k, filters, as_of)[0]

    def ask_with_chunks(
        self,
        question: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        as_of: date | None = None,
    ) -> tuple[Answer, list[ScoredChunk]]:
        """The answer and the chunks it was drawn from (the UI shows them as sources).

        `as_of` (default: today) is when the question is asked: documents published after it
        (plus `time.grace_days`) are not read, relative phrases ("this week", "on Monday")
        are resolved against it, and among similar passages the latest before it wins.
        """
        started = self._clock()
        as_of = as_of or self._today()
        window = resolve_window(question, as_of)
        chunks = self._retrieve(question, k or self._answer_k, filters, as_of, window)
        answer = self._answerer.answer(question, chunks)
        elapsed_ms = round((self._clock() - started) * 1000, 1)
        context = ask_context(as_of, window, filters)
        update = {"latency_ms": elapsed_ms, "context": context}  # `mode`: the answerer's own
        return answer.model_copy(update=update), chunks

    def retrieve_as_of(
        self, question: str, k: int, filters: SearchFilters | None, as_of: date | None
    ) -> list[ScoredChunk]:
        """Retrieve for a question asked on `as_of`: date cut-off, window and recency."""
        as_of = as_of or self._today()
        return self._retrieve(question, k, filters, as_of, resolve_window(question, as_of))

    def _retrieve(
        self, question: str, k: int, filters: SearchFilters | None, as_of: date,
        window: DateWindow | None,
    ) -> list[ScoredChunk]:
        limit = (as_of + timedelta(days=self._time.grace_days)).isoformat()
        filters = filters or SearchFilters()
        if filters.until is None or filters.until > limit:
            filters = replace(filters, until=limit)
        pool = self._retriever.retrieve(question, max(k * 4, 20), filters)
        ranked = prefer_dates(
            pool, as_of, window,
            window_boost=self._time.window_boost,
            recency_weight=self._time.recency_weight,
            recency_days=self._time.recency_days,
        )
        return ranked[:k]


def ask_context(
    as_of: date, window: DateWindow | None, filters: SearchFilters | None
) -> AskContext:
    """The `AskContext` reported with an answer (filters as the user set them)."""
    filters = filters or SearchFilters()
    return AskContext(
        as_of=as_of.isoformat(),
        window_since=window.since.isoformat() if window else None,
        window_until=window.until.isoformat() if window else None,
        window_phrase=window.phrase if window else None,
        since=filters.since, until=filters.until, source=filters.source,
    )
