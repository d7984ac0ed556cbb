"""The service the CLI, the UI and the evals share: retrieve, and ask for a cited answer."""

from __future__ import annotations

import time
from collections.abc import Callable

from rag.protocols import Answerer, Retriever, SearchFilters
from rag.types import Answer, ScoredChunk


class CitechatService:
    """`ask(question)` → an `Answer`; `retrieve(query, k)` → ranked chunks."""

    def __init__(
        self,
        retriever: Retriever,
        answerer: Answerer,
        *,
        answer_k: int = 8,
        mode: str = "extractive",
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._retriever = retriever
        self._answerer = answerer
        self._answer_k = answer_k
        self._mode = mode
        self._clock = clock

    def retrieve(
        self, query: str, k: int, filters: SearchFilters | None = None
    ) -> list[ScoredChunk]:
        return self._retriever.retrieve(query, k, filters)

    def ask(
        self, question: str, k: int | None = None, filters: SearchFilters | None = None
    ) -> Answer:
        return self.ask_with_chunks(question, k, filters)[0]

    def ask_with_chunks(
        self, question: str, k: int | None = None, filters: SearchFilters | None = None
    ) -> tuple[Answer, list[ScoredChunk]]:
        """The answer and the chunks it was drawn from (the UI shows them as sources)."""
        started = self._clock()
        chunks = self._retriever.retrieve(question, k or self._answer_k, filters)
        answer = self._answerer.answer(question, chunks)
        elapsed_ms = round((self._clock() - started) * 1000, 1)
        return answer.model_copy(update={"mode": self._mode, "latency_ms": elapsed_ms}), chunks
