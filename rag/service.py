"""The one service every surface goes through (CLI, chat, UI, evals, LlamaIndex).

`retrieve` and `ask` read the documents as of a day (default today): documents published after
it (plus `time.grace_days`) are not read, the question's date words ("this week", "on Monday")
become a window, and among similar passages the latest before the day wins. `stream` is `ask`
with the answer's tokens as the model writes them. Every answer carries its `context` (as-of
day, window, filters) and `latency_ms`; every turn goes to the turn log when one is given.

>>> service = CitechatService(retriever, answerer)                # doctest: +SKIP
>>> service.ask("Who won?", as_of=date(2026, 9, 12)).context.as_of  # doctest: +SKIP
'2026-09-12'
>>> streamed = service.stream("Who won?")                         # doctest: +SKIP
>>> "".join(streamed), streamed.result().latency_ms               # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from rag.core.filters import clean_question
from rag.core.protocols import Answerer, Retriever, SearchFilters, TurnSink
from rag.core.settings import TimeSettings
from rag.core.types import Answer, AskContext, ScoredChunk
from rag.retrieve.recency import prefer_dates
from rag.text.timeframe import DateWindow, resolve_window


@dataclass(frozen=True)
class Asked:
    """A question as the service resolved it: the day, the date window, the filters."""

    question: str
    k: int
    filters: SearchFilters | None
    as_of: date
    window: DateWindow | None

    def context(self) -> AskContext:
        return ask_context(self.as_of, self.window, self.filters)


class ServiceStream:
    """Iterate for the answer's text as it is written; `result()` is the final `Answer`
    (verified, with context and latency) and `chunks` the passages it was drawn from.

    With an answerer that cannot stream (extractive), the whole answer comes as one piece."""

    def __init__(
        self, tokens: Iterator[str], finish: Callable[[], Answer], chunks: list[ScoredChunk]
    ) -> None:
        self._tokens = tokens
        self._finish = finish
        self._answer: Answer | None = None
        self.chunks = chunks

    def __iter__(self) -> Iterator[str]:
        yield from self._tokens

    def result(self) -> Answer:
        if self._answer is None:
            for _ in self._tokens:  # the rest of the stream, if the caller stopped early
                pass
            self._answer = self._finish()
        return self._answer


class CitechatService:
    """`ask(question)` → an `Answer`; `retrieve(query, k)` → ranked chunks; `stream(question)`."""

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        *,
        answer_k: int = 8,
        time_settings: TimeSettings | None = None,
        turn_log: TurnSink | None = None,
        clock: Callable[[], float] = time.perf_counter,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._retriever = retriever
        self._answerer = answerer
        self._answer_k = answer_k
        self._time = time_settings or TimeSettings()
        self._turn_log = turn_log
        self._clock = clock
        self._today = today

    @property
    def answerer(self) -> Answerer:
        return self._answerer

    def retrieve(
        self,
        query: str,
        k: int,
        filters: SearchFilters | None = None,
        as_of: date | None = None,
        *,
        cutoff: bool = True,
    ) -> list[ScoredChunk]:
        """The passages `ask` would read for `query` as of `as_of` (default today).

        `cutoff=False` reads documents of every date, ranked by relevance alone (no as-of
        cut-off, no window or recency boost): `citechat retrieve --any-date`."""
        if not cutoff:
            return self._retriever.retrieve(query, k, filters)
        return self._retrieve(self._resolve(query, k, filters, as_of))

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
        """The answer and the chunks it was drawn from (the UI shows them as sources)."""
        started = self._clock()
        asked = self._resolve(question, k, filters, as_of)
        chunks = self._retrieve(asked)
        answer = self._answerer.answer(asked.question, chunks)
        return self._done(asked, answer, chunks, started), chunks

    def stream(
        self,
        question: str,
        k: int | None = None,
        filters: SearchFilters | None = None,
        as_of: date | None = None,
    ) -> ServiceStream:
        """`ask`, with the answer's text as it is written (see `ServiceStream`)."""
        started = self._clock()
        asked = self._resolve(question, k, filters, as_of)
        chunks = self._retrieve(asked)
        streamer = getattr(self._answerer, "stream", None)
        if streamer is None:
            answer = self._answerer.answer(asked.question, chunks)
            return ServiceStream(iter([answer.answer]),
                                 lambda: self._done(asked, answer, chunks, started), chunks)
        streamed = streamer(asked.question, chunks)
        return ServiceStream(iter(streamed),
                             lambda: self._done(asked, streamed.result(), chunks, started),
                             chunks)

    # ------------------------------------------------------------------ steps

    def _resolve(
        self, question: str, k: int | None, filters: SearchFilters | None, as_of: date | None
    ) -> Asked:
        day = as_of or self._today()
        question = clean_question(question)
        return Asked(question, k or self._answer_k, filters, day, resolve_window(question, day))

    def _retrieve(self, asked: Asked) -> list[ScoredChunk]:
        limit = (asked.as_of + timedelta(days=self._time.grace_days)).isoformat()
        filters = asked.filters or SearchFilters()
        if filters.until is None or filters.until > limit:
            filters = replace(filters, until=limit)
        pool = self._retriever.retrieve(asked.question, max(asked.k * 4, 20), filters)
        ranked = prefer_dates(
            pool, asked.as_of, asked.window,
            window_boost=self._time.window_boost,
            recency_weight=self._time.recency_weight,
            recency_days=self._time.recency_days,
        )
        return ranked[: asked.k]

    def _done(
        self, asked: Asked, answer: Answer, chunks: list[ScoredChunk], started: float
    ) -> Answer:
        elapsed_ms = round((self._clock() - started) * 1000, 1)
        update = {"latency_ms": elapsed_ms, "context": asked.context()}  # `mode`: the answerer's
        final = answer.model_copy(update=update)
        if self._turn_log is not None:
            self._turn_log.record(final, chunks)
        return final


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
