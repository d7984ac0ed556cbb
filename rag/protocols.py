"""The seams between parts: each role is one small protocol with one clear method."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from rag.types import Answer, ScoredChunk


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied inside both the vector store and the keyword index."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    source: str | None = None


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 vector per text, shape (len(texts), dim)."""
        ...


class Retriever(Protocol):
    def retrieve(
        self, query: str, k: int, filters: SearchFilters | None = None
    ) -> list[ScoredChunk]:
        """Return up to k chunks, best first."""
        ...


class Answerer(Protocol):
    def answer(self, question: str, chunks: Sequence[ScoredChunk]) -> Answer:
        """Answer from the given chunks only, with citations, or refuse."""
        ...
