"""Typed data shared by ingest, retrieval, answering, the UI and the evals.

Offsets (`start`, `end`) are always character offsets into the *cleaned* document text, so that
`document_text[start:end] == chunk.text` and `document_text[c.start:c.end] == c.quote`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

# The one refusal every answerer gives (and every prompt asks a model for), word for word.
REFUSAL = "The documents don't say."


class Chunk(BaseModel):
    """One passage of a document, as stored in the vector store and the keyword index."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    text: str
    start: int = Field(description="Offset of the chunk in the cleaned document text.")
    end: int = Field(description="End offset (exclusive) in the cleaned document text.")
    title: str = ""
    url: str | None = None
    publish_date: str | None = Field(default=None, description="ISO date (YYYY-MM-DD) or None.")
    source: str | None = None
    date_provenance: str | None = Field(
        default=None, description="How publish_date was found: html-meta, byline, jsonl, "
        "mtime (the file's modification time: a guess) ... (ingest.documents.SourceDocument)."
    )


class ScoredChunk(BaseModel):
    """A retrieved chunk with its fused score and the ranks each retriever gave it."""

    model_config = ConfigDict(frozen=True)

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    keyword_rank: int | None = None


class Citation(BaseModel):
    """A quoted span of a chunk that supports part of an answer; `n` is the `[n]` marker."""

    model_config = ConfigDict(frozen=True)

    n: int
    chunk_id: str
    doc_id: str
    title: str
    url: str | None
    publish_date: str | None
    quote: str
    start: int = Field(description="Offset of the quote in the cleaned document text.")
    end: int
    date_provenance: str | None = Field(
        default=None, description="How publish_date was found (as `Chunk.date_provenance`): "
        "\"mtime\" marks a file date, not a publication date."
    )


class RetrievedRef(BaseModel):
    """A retrieved chunk as reported in the JSON output, in rank order."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    score: float


Verdict = Literal["supported", "wrongly_cited", "citation_added", "unsupported", "not_a_claim"]


class SentenceCheck(BaseModel):
    """How one sentence of a generated answer was checked against the retrieved chunks.

    `cited`: the source numbers the model wrote; `citations`: the `[n]` the shown answer
    carries for it; `chunk_ids`: the chunks that support it; `support`: the match score.
    """

    model_config = ConfigDict(frozen=True)

    sentence: str
    verdict: Verdict
    cited: list[int] = Field(default_factory=list)
    citations: list[int] = Field(default_factory=list)
    chunk_ids: list[str] = Field(default_factory=list)
    support: float = 0.0
    reasons: list[str] = Field(default_factory=list)


class AskContext(BaseModel):
    """When and within what the question was asked: the as-of day (documents published after
    it were not read), the dates its wording points at ("this week" → a window) and the
    filters the user set."""

    model_config = ConfigDict(frozen=True)

    as_of: str = Field(description="ISO date the question was asked on.")
    window_since: str | None = Field(default=None, description="Start of the asked-about dates.")
    window_until: str | None = None
    window_phrase: str | None = Field(default=None, description='e.g. "this week".')
    since: str | None = None
    until: str | None = None
    source: str | None = None


class Answer(BaseModel):
    """What `ask` returns: an answer whose `[n]` markers map to `citations`, or a refusal."""

    model_config = ConfigDict(frozen=True)

    question: str
    answer: str
    short_answer: str | None = None
    refused: bool = False
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[RetrievedRef] = Field(default_factory=list)
    mode: str = "extractive"
    model: str | None = Field(default=None, description="The model that wrote it (LLM modes).")
    latency_ms: float = 0.0
    support: float | None = Field(
        default=None, description="The support check's probability that the passages hold the "
        "answer (reading modes); null otherwise.",
    )
    verification: list[SentenceCheck] | None = Field(
        default=None, description="Per-sentence checks of a generated answer; null otherwise."
    )
    context: AskContext | None = Field(
        default=None, description="The as-of day, resolved date window and filters used."
    )
