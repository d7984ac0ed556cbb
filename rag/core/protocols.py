"""The seams between parts: each role is one small protocol with one clear method.

Every adapter behind a seam passes the same contract tests (tests/contracts/): embedders
(MiniLM, the hashing fake), stores (embedded and server Chroma; the catalog), answerers
(extractive, LLM over a scripted model, the local model).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from rag.core.types import Answer, Chunk, ScoredChunk

if TYPE_CHECKING:
    from llama_index.core.schema import BaseNode


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


@dataclass(frozen=True)
class ModelPrompt:
    """What a chat model reads: a system message and a user message in two parts.

    `context` (passages and question) comes first and `task` (what to do with them) last, so
    two prompts that differ only in their task share the work of reading the context: a model
    that caches its state (the local one) reads the context once for the support check and the
    answer."""

    system: str
    context: str
    task: str


class ChatModel(Protocol):
    """A language model behind one seam (llama.cpp in-process, or an OpenAI-compatible
    endpoint): generate text, and the probability that it answers a YES/NO task with YES."""

    @property
    def name(self) -> str: ...

    def stream(self, prompt: ModelPrompt, max_tokens: int) -> Iterator[str]:
        """The reply, piece by piece (temperature 0)."""
        ...

    def yes_probability(self, prompt: ModelPrompt) -> float:
        """P(YES) / (P(YES) + P(NO)) for the first token of the reply, from its logits."""
        ...


class AnswerStream(Protocol):
    """Tokens as the model writes them (iterate), then the verified answer (`result()`)."""

    def __iter__(self) -> Iterator[str]: ...

    def result(self) -> Answer: ...


@runtime_checkable
class StreamingAnswerer(Answerer, Protocol):
    """An answerer that can also stream its answer (the LLM answerers)."""

    def stream(self, question: str, chunks: Sequence[ScoredChunk]) -> AnswerStream: ...


class VectorStore(Protocol):
    """Chunk vectors of one collection; ids are chunk ids (Chroma embedded or server)."""

    def count(self) -> int: ...

    def replace(self, doc_ids: Sequence[str], nodes: Sequence[BaseNode]) -> None:
        """Remove every chunk of `doc_ids`, then add `nodes` (which carry embeddings)."""
        ...

    def delete(self, doc_ids: Sequence[str]) -> None: ...

    def search(
        self, embedding: Sequence[float], k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, similarity), best first."""
        ...


class KeywordStore(Protocol):
    """Documents, chunks and their keyword index (the catalog)."""

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]: ...

    def search(
        self, query: str, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[Chunk, float]]:
        """(chunk, score), best first."""
        ...


class TurnSink(Protocol):
    """Where finished Q&A turns go (the turn log)."""

    def record(self, answer: Answer, chunks: Sequence[ScoredChunk]) -> None: ...
