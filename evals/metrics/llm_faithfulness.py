"""LLM faithfulness: each answer sentence judged by an LLM against the passage it *cites*.

Same evidence as the offline judge (`evals/metrics/faithfulness.py`): `split_claims` gives the
sentences and their `[n]` markers; a sentence is judged against its citations' quotes (with the
sources' publication days), then — if not supported — against the cited chunks' text. Without a
marker it is `unsupported` ("no citation"), except an "(as of …)" date note, checked against the
sources' dates as the offline judge does. No model call is made for those.

Answer status: `ok`, `n/a` (refusal, nothing to judge) or `judge_error` (a reply was not valid
JSON for the schema, or one call failed; the reason is kept and `faithful` is None).

>>> result = judge_answer_llm(answer, chunks, judge)        # doctest: +SKIP
>>> result.status, result.faithful                          # doctest: +SKIP
('ok', True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from evals.llm_judge.judge import ClaimVerdict, PairLabel, PairVerdict
from evals.metrics.faithfulness import date_note, split_claims
from rag.core.types import Answer, Chunk
from rag.text.dates import news_date


class PairJudge(Protocol):
    """What the metric needs from a judge (`LLMJudge` satisfies it)."""

    def judge_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[PairVerdict]: ...


class LLMSentenceVerdict(BaseModel):
    """One answer sentence: the LLM's verdict, what it was judged against, and its claims."""

    model_config = ConfigDict(frozen=True)

    sentence: str
    markers: list[int]
    verdict: PairLabel
    evidence: Literal["quote", "chunk", "none"]
    claims: list[ClaimVerdict] = []
    reason: str = ""


class LLMJudgeResult(BaseModel):
    """`supported_share` and `faithful` are None (never NaN) unless the status is ok."""

    model_config = ConfigDict(frozen=True)

    status: Literal["ok", "n/a", "judge_error"]
    sentences: list[LLMSentenceVerdict] = []
    supported_share: float | None = None
    faithful: bool | None = None
    reason: str = ""


def cited_evidence(
    markers: Sequence[int], answer: Answer, chunks: Mapping[str, Chunk]
) -> tuple[str, str]:
    """(the cited quotes with their sources' publication days, the cited chunks' text); ""
    where there is none. Mirrors the offline judge's `judge_sentence`."""
    by_n = {c.n: c for c in answer.citations}
    found = [by_n[n] for n in markers if n in by_n]
    quote = " ".join(c.quote for c in found).strip()
    days = [d for d in (news_date(c.publish_date) for c in found) if d]
    if quote and days:
        quote += f" (published {', '.join(dict.fromkeys(days))})"
    return quote, " ".join(chunks[c.chunk_id].text for c in found if c.chunk_id in chunks).strip()


def judge_answer_llm(
    answer: Answer, chunks: Mapping[str, Chunk], judge: PairJudge
) -> LLMJudgeResult:
    """Judge every sentence of an answer with the LLM; refusals and empty answers are "n/a"."""
    if answer.refused:
        return LLMJudgeResult(status="n/a", reason="refusal")
    claims = split_claims(answer.answer)
    if not claims:
        return LLMJudgeResult(status="n/a", reason="no sentences to judge")
    evidence = [cited_evidence(m, answer, chunks) for _, m in claims]
    first = [(s, quote or chunk) for (s, m), (quote, chunk) in zip(claims, evidence, strict=True)
             if m and (quote or chunk)]
    narrow = dict(zip(first, judge.judge_pairs(first), strict=True))
    retry = [(s, chunk) for (s, m), (quote, chunk) in zip(claims, evidence, strict=True)
             if quote and chunk and chunk != quote and (s, quote) in narrow
             and narrow[(s, quote)].verdict in ("unsupported", "uncertain")]
    wide = dict(zip(retry, judge.judge_pairs(retry), strict=True))
    verdicts = [_sentence(s, m, q, c, narrow, wide, answer)
                for (s, m), (q, c) in zip(claims, evidence, strict=True)]
    return _sum_up(verdicts)


def _sentence(
    sentence: str, markers: list[int], quote: str, chunk: str,
    narrow: Mapping[tuple[str, str], PairVerdict], wide: Mapping[tuple[str, str], PairVerdict],
    answer: Answer,
) -> LLMSentenceVerdict:
    common: dict[str, Any] = {"sentence": sentence, "markers": markers}
    if not markers:
        return _unmarked(sentence, answer, common)
    if not (quote or chunk):
        return LLMSentenceVerdict(verdict="uncertain", evidence="none", **common,
                                  reason="empty quote and the cited chunk was not retrieved")
    pair = narrow[(sentence, quote or chunk)]
    source: Literal["quote", "chunk"] = "quote" if quote else "chunk"
    wider = wide.get((sentence, chunk))
    if wider is not None and wider.verdict == "supported":
        pair, source = wider, "chunk"
    return LLMSentenceVerdict(verdict=pair.verdict, evidence=source, claims=pair.claims,
                              reason=pair.reason, **common)


def _unmarked(sentence: str, answer: Answer, common: dict[str, Any]) -> LLMSentenceVerdict:
    dated = date_note(sentence)
    if dated is None:
        return LLMSentenceVerdict(verdict="unsupported", evidence="none", reason="no citation",
                                  **common)
    ok = dated in {c.publish_date for c in answer.citations}
    return LLMSentenceVerdict(
        verdict="supported" if ok else "unsupported", evidence="none", **common,
        reason="publication date of a cited source" if ok
        else f"as-of date {dated} is no cited source's publication date")


def _sum_up(verdicts: list[LLMSentenceVerdict]) -> LLMJudgeResult:
    errors = [v for v in verdicts if v.verdict == "judge_error"]
    if errors:
        return LLMJudgeResult(status="judge_error", sentences=verdicts, reason=errors[0].reason)
    return LLMJudgeResult(
        status="ok", sentences=verdicts,
        supported_share=round(sum(v.verdict == "supported" for v in verdicts) / len(verdicts), 4),
        faithful=not any(v.verdict == "unsupported" for v in verdicts),
    )
