"""Turn the model's raw text into the shown answer: verify each sentence, re-point or mark it,
and number the citations exactly as the extractive mode does (pure functions).

>>> from rag.core.types import Chunk
>>> chunk = Chunk(chunk_id="a::0", doc_id="a", text="Seven people died in the flood.",
...               start=100, end=131)
>>> shown = compose("How many died?", "Seven people died in the flood [1]. Bob is mayor [1].",
...                 [chunk])
>>> shown.text
'Seven people died in the flood [1]. ⚠ unsupported: Bob is mayor.'
>>> shown.citations[0].start, shown.citations[0].quote
(100, 'Seven people died in the flood.')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

from rag.answer.llm.citations import cited_sentences, with_markers
from rag.answer.llm.verify import Check, VerifyConfig, check_sentence
from rag.core.types import REFUSAL, Chunk, Citation, SentenceCheck, Verdict

UNSUPPORTED_MARK = "⚠ unsupported:"
KEPT = ("supported", "wrongly_cited", "citation_added")


@dataclass(frozen=True)
class Composed:
    """The verified answer text, its citations and the per-sentence report."""

    text: str
    citations: list[Citation]
    verification: list[SentenceCheck]
    refused: bool

    @property
    def survived(self) -> int:
        """Sentences shown with a citation that supports them."""
        return sum(c.verdict in KEPT for c in self.verification)


def verify_answer(
    raw: str, sources: Sequence[Chunk], cfg: VerifyConfig | None = None
) -> list[Check]:
    """One `Check` per sentence of the model's answer."""
    return [check_sentence(s.text, s.cited, sources, cfg) for s in cited_sentences(raw)]


def compose(
    question: str,
    raw: str,
    sources: Sequence[Chunk],
    *,
    unsupported: Literal["mark", "drop"] = "mark",
    cfg: VerifyConfig | None = None,
) -> Composed:
    """Verify `raw` against `sources` (numbered from 1) and build what the user sees."""
    checks = verify_answer(raw, sources, cfg)
    citations: list[Citation] = []
    shown: list[str] = []
    report: list[SentenceCheck] = []
    for check in checks:
        numbers = [_cite(citations, sources[i], span) for i, span in zip(check.chunks, check.quotes,
                                                                         strict=True)]
        if check.verdict in KEPT:
            shown.append(with_markers(check.sentence, numbers))
        elif check.verdict == "not_a_claim" and "refusal" in check.reasons:
            shown.append(check.sentence)  # other non-claims ("HACKED.") are not shown
        elif unsupported == "mark":
            shown.append(f"{UNSUPPORTED_MARK} {check.sentence}")
        report.append(_report(check, numbers, sources, dropped=unsupported == "drop"))
    refused = not any(c.verdict in KEPT for c in checks) and any(
        "refusal" in c.reasons for c in checks
    )
    text = REFUSAL if refused else " ".join(shown)
    return Composed(text, [] if refused else citations, report, refused)


def _cite(citations: list[Citation], chunk: Chunk, span: tuple[int, int]) -> int:
    """The `n` of the citation quoting `span` of `chunk`, adding it if new."""
    start, end = chunk.start + span[0], chunk.start + span[1]
    for citation in citations:
        if citation.chunk_id == chunk.chunk_id and citation.start == start:
            return citation.n
    citations.append(Citation(
        n=len(citations) + 1, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=chunk.title,
        url=chunk.url, publish_date=chunk.publish_date, date_provenance=chunk.date_provenance,
        quote=chunk.text[span[0]:span[1]],
        start=start, end=end,
    ))
    return len(citations)


def _report(
    check: Check, numbers: list[int], sources: Sequence[Chunk], *, dropped: bool
) -> SentenceCheck:
    reasons = list(check.reasons)
    if check.verdict == "unsupported":
        reasons.append("dropped" if dropped else "marked")
    return SentenceCheck(
        sentence=check.sentence, verdict=cast(Verdict, check.verdict), cited=list(check.cited),
        citations=numbers, chunk_ids=[sources[i].chunk_id for i in check.chunks],
        support=check.support, reasons=reasons,
    )
