"""The compact evidence a reading model is shown: the best-matching sentences of the retrieved
chunks, each with a neighbour for context, as a few short numbered passages.

Reading costs the local model about 60 tokens a second on two cores, so it reads a few hundred
characters per passage rather than eight whole chunks. A passage is a span of one chunk with
exact offsets, so a citation into it is a citation into the document. Sentences that read like
instructions to a model ("ignore previous instructions…") are never evidence.

>>> from rag.core.types import Chunk
>>> text = "Rain fell. Seven people died in the flood. Roads shut."
>>> chunk = Chunk(chunk_id="a::0", doc_id="a", text=text, start=100, end=100 + len(text))
>>> [p.chunk.text for p in passages_from_spans([chunk], [(0, 11, 42)], max_chars=45)]
['Seven people died in the flood. Roads shut.']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rag.answer.answer_types import expected_type, spot_candidates, type_fit
from rag.answer.llm.verify import is_instruction
from rag.core.types import Chunk
from rag.text.sentences import sentence_spans


@dataclass(frozen=True)
class Scored:
    """A sentence of retrieved chunk `chunk` (index) at `start:end`, with its match score."""

    chunk: int
    start: int
    end: int
    text: str
    score: float


def favour_answer_types(
    question: str, ranked: Sequence[Scored], *, top: int = 20, weight: float = 0.6
) -> list[Scored]:
    """The `top` best sentences re-ranked so that one holding a phrase of the asked type (a
    person for "who", a date for "when") not already in the question rises: the sentence that
    answers rarely repeats the question's words. Measured on realtimeqa_dev: the gold answer
    is in 3 passages of 260 characters for 81.9% of answerable questions, against 76.6% without
    (`bench/results/reader.md`)."""
    expected = expected_type(question)
    asked = question.lower()

    def boosted(s: Scored) -> float:
        fits = [type_fit(expected, c) for c in spot_candidates(s.text)
                if c.text.lower() not in asked]
        return s.score * (1 + weight * max(fits, default=0.0))

    head = sorted(ranked[:top], key=lambda s: -boosted(s))
    return [*head, *ranked[top:]]


@dataclass(frozen=True)
class Passage:
    """A span of a retrieved chunk, as a `Chunk` whose offsets are the document's."""

    chunk: Chunk
    rank: int  # the retrieved chunk's rank (0 = best)


def passages_from_spans(
    chunks: Sequence[Chunk],
    ranked: Sequence[tuple[int, int, int]],
    *,
    max_passages: int = 4,
    max_chars: int = 320,
) -> list[Passage]:
    """Passages around the ranked sentences `(chunk index, start, end)`, best first.

    Each passage is the sentence, then the next and the previous one while the span stays
    within `max_chars`; a sentence already inside a passage adds nothing."""
    out: list[tuple[int, int, int]] = []
    for index, start, end in ranked:
        if len(out) >= max_passages:
            break
        text = chunks[index].text
        if is_instruction(text[start:end]):
            continue
        if any(i == index and s <= start and end <= e for i, s, e in out):
            continue
        span = _widen(text, start, end, max_chars)
        out.append((index, *span))
    return [Passage(_span_chunk(chunks[i], s, e), i) for i, s, e in out]


def _widen(text: str, start: int, end: int, max_chars: int) -> tuple[int, int]:
    """The sentence at `start:end` with the sentence right after it, then the one right before
    it, when they fit in `max_chars` and are not instruction-like."""
    spans = sentence_spans(text)
    after = [s for s in spans if s[0] >= end][:1]
    before = [s for s in spans if s[1] <= start][-1:]
    for s, e in after:
        if e - start <= max_chars and not is_instruction(text[s:e]):
            end = e
    for s, e in before:
        if end - s <= max_chars and not is_instruction(text[s:e]):
            start = s
    return start, end


def _span_chunk(chunk: Chunk, start: int, end: int) -> Chunk:
    """`chunk` cut to `text[start:end]`, its offsets still the document's."""
    return chunk.model_copy(update={"text": chunk.text[start:end], "start": chunk.start + start,
                                    "end": chunk.start + end})
