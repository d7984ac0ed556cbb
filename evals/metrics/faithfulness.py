"""Faithfulness: is each answer sentence supported by the passage it *cites*?

Steps, each a small function: `split_claims` (answer sentences and the `[n]` markers they carry)
→ `check_citation` (the marker maps to a citation whose quote is `document_text[start:end]`)
→ `judge_pair` (hard checks: numbers, dates, names, negation; lexical coverage; embedding
similarity as one feature) against the cited quote, then the cited chunk → if unsupported, does
another retrieved chunk support it better (`wrongly_cited`)? → `judge_answer` sums up.

Verdicts: `supported`, `unsupported`, `wrongly_cited`, `uncertain`. Answer status: `ok`, `n/a`
(refusal or nothing to judge), `judge_error` (the embedder failed; the message is kept).

>>> judge_pair("Twelve people died.", "Twelve people are known to have died.").verdict
'supported'
>>> judge_pair("Fourteen people died.", "Twelve people are known to have died.").verdict
'unsupported'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict

from evals.metrics.judgement import PairJudge
from evals.metrics.text import content_words, dates_in, fold, names_in, numbers_in, present
from rag.core.errors import CitechatError
from rag.core.protocols import Embedder
from rag.core.types import Answer, Chunk, Citation
from rag.text.dates import news_date
from rag.text.sentences import sentence_spans, words

Verdict = Literal["supported", "unsupported", "wrongly_cited", "uncertain"]
_MARKER = re.compile(r"\[(\d+)\]")
_NEGATION = re.compile(r"\b(?:not|no|never|none|neither|nor|without|denied|denies)\b|n['’]t\b",
                       re.IGNORECASE)
_QUOTES = "\"'“”‘’ "
_DATE_NOTE = re.compile(r"^\(?\s*as of\s+([^()]+?)\s*\)?\.?$", re.IGNORECASE)
# The label citechat's answers put before a quote of an earlier report of a revised figure.
_REPORT_LABEL = re.compile(r"^(?:earlier|latest) report(?:,\s*([^:]{4,30}))?:\s*", re.IGNORECASE)


class DocumentSource(Protocol):
    """What the judge reads from the collection (the `Catalog` satisfies it)."""

    def document_text(self, doc_id: str) -> str | None: ...


@dataclass(frozen=True)
class Thresholds:
    """Verdict cut-offs on lexical coverage and embedding similarity (set by the self-test)."""

    supported_coverage: float = 0.8
    max_uncovered: int = 2  # more new content words than this is an added claim
    uncertain_coverage: float = 0.5
    supported_similarity: float = 0.8


class PairJudgement(BaseModel):
    """The features and verdict for one sentence against one evidence text."""

    model_config = ConfigDict(frozen=True)

    verdict: Literal["supported", "unsupported", "uncertain"]
    coverage: float
    uncovered: list[str] = []
    similarity: float | None = None
    missing: list[str] = []  # numbers, dates, names absent from the evidence
    negation_mismatch: bool = False
    p_supported: float | None = None  # the model judge's probability, when it decided
    judge: str = "lexical"
    reasons: list[str] = []


class SentenceVerdict(BaseModel):
    """One answer sentence, the markers it carries and what the judge decided."""

    model_config = ConfigDict(frozen=True)

    sentence: str
    markers: list[int]
    verdict: Verdict
    citations_valid: bool
    cited_text: str = ""
    better_chunk_id: str | None = None
    judgement: PairJudgement | None = None
    reason: str = ""


class FaithfulnessResult(BaseModel):
    """`supported_share` and `citation_validity` are None (never NaN) when there is nothing."""

    model_config = ConfigDict(frozen=True)

    status: Literal["ok", "n/a", "judge_error"]
    sentences: list[SentenceVerdict] = []
    supported_share: float | None = None
    citation_validity: float | None = None
    faithful: bool | None = None
    reason: str = ""


def split_claims(answer_text: str) -> list[tuple[str, list[int]]]:
    """Sentences with their markers; a sentence without its own markers takes those of the
    next marker run in the same segment ("Short. "Quote." [1]" → both carry [1])."""
    claims: list[tuple[str, list[int]]] = []
    pos = 0
    runs = list(re.finditer(r"(?:\s*\[\d+\])+", answer_text))
    for run in [*runs, None]:
        end = run.start() if run else len(answer_text)
        markers = [int(m) for m in _MARKER.findall(run.group(0))] if run else []
        segment = answer_text[pos:end]
        for s, e in sentence_spans(segment):
            sentence = segment[s:e].strip(_QUOTES)
            if words(sentence):
                claims.append((sentence, markers))
        pos = run.end() if run else len(answer_text)
    return claims


def check_citation(citation: Citation | None, docs: DocumentSource) -> str:
    """"" when the citation is valid, else why not."""
    if citation is None:
        return "marker has no citation"
    text = docs.document_text(citation.doc_id)
    if text is None:
        return f"document {citation.doc_id} is not in the collection"
    if text[citation.start : citation.end] != citation.quote:
        return f"quote not found at {citation.start}:{citation.end} of {citation.doc_id}"
    return ""


def judge_pair(
    sentence: str, evidence: str, embedder: Embedder | None = None,
    thresholds: Thresholds = Thresholds(),
) -> PairJudgement:
    """Judge one sentence against one evidence text (offline, deterministic)."""
    folded = fold(evidence)
    missing = sorted((numbers_in(sentence) - numbers_in(evidence))
                     | (dates_in(sentence) - dates_in(evidence))
                     | {n for n in names_in(sentence) if not present(n, folded)})
    negation = bool(_NEGATION.search(sentence)) and not _NEGATION.search(evidence)
    claim = content_words(sentence)
    have = set(content_words(evidence))
    uncovered = [w for w in dict.fromkeys(claim) if w not in have]
    coverage = 1.0 - len(uncovered) / len(set(claim)) if claim else 1.0
    similarity = _similarity(embedder, sentence, evidence)
    t = thresholds
    close = coverage >= t.supported_coverage or (
        similarity is not None and similarity >= t.supported_similarity
    )
    if missing or negation or coverage < t.uncertain_coverage:
        verdict: Literal["supported", "unsupported", "uncertain"] = "unsupported"
    elif close and len(uncovered) <= t.max_uncovered:
        verdict = "supported"
    else:
        verdict = "uncertain"
    return PairJudgement(verdict=verdict, coverage=round(coverage, 4), uncovered=uncovered,
                         similarity=similarity, missing=missing, negation_mismatch=negation)


def _similarity(embedder: Embedder | None, a: str, b: str) -> float | None:
    if embedder is None:
        return None
    vectors = np.asarray(embedder.embed([a, b]), dtype=float)
    return round(float(np.clip(vectors[0] @ vectors[1], -1.0, 1.0)), 4)


def decide(
    sentence: str, evidence: str, embedder: Embedder | None = None,
    pair_judge: PairJudge | None = None,
) -> PairJudgement:
    """The pair judgement: the model judge's when one is given (the default decision where the
    local model is installed), else the lexical judge's."""
    lexical = judge_pair(sentence, evidence, embedder)
    if pair_judge is None:
        return lexical
    j = pair_judge.judge(sentence, evidence)
    return lexical.model_copy(update={"verdict": j.verdict, "p_supported": j.p_supported,
                                      "judge": pair_judge.name, "reasons": j.reasons})


def judge_sentence(
    sentence: str, markers: Sequence[int], answer: Answer, docs: DocumentSource,
    chunks: Mapping[str, Chunk], embedder: Embedder | None = None,
    pair_judge: PairJudge | None = None,
) -> SentenceVerdict:
    """Judge one sentence against what it cites, then look for a better chunk (lexically)."""
    by_n = {c.n: c for c in answer.citations}
    cited = [by_n.get(n) for n in markers]
    problems = [p for p in (check_citation(c, docs) for c in cited) if p]
    label = _REPORT_LABEL.match(sentence)
    if label:  # "Earlier report, 6 Sep 2026: …": the date must be a cited source's, and the
        day = label.group(1)  # rest is judged as the claim
        dates = {news_date(c.publish_date) for c in cited if c is not None}
        if day and day.strip() not in dates:
            problems.append(f"the label's date {day.strip()} is no cited source's date")
        sentence = sentence[label.end():].strip(_QUOTES) or sentence
    valid = bool(markers) and not problems
    found = [c for c in cited if c is not None]
    quote = " ".join(c.quote for c in found)
    cited_chunks = [chunks[c.chunk_id].text for c in found if c.chunk_id in chunks]
    # A source's publication date is part of what a citation vouches for ("Earlier report,
    # 3 Sep 2026: …"), so the judge reads it beside the quote.
    published = " ".join(news_date(c.publish_date) for c in found)
    judgement = decide(sentence, f"{quote} {published}", embedder, pair_judge) \
        if quote.strip() else None
    if (judgement is None or judgement.verdict != "supported") and cited_chunks:
        wider = decide(sentence, " ".join(cited_chunks), embedder, pair_judge)
        judgement = wider if judgement is None or wider.verdict == "supported" else judgement
    common: dict[str, Any] = {"sentence": sentence, "markers": list(markers),
                              "citations_valid": valid, "cited_text": quote,
                              "judgement": judgement}
    if valid and judgement is not None and judgement.verdict == "supported":
        return SentenceVerdict(verdict="supported", **common)
    dated = date_note(sentence) if not markers else None
    if dated is not None:  # "(as of 6 Sep 2026)": checked against the sources' dates
        ok = dated in {c.publish_date for c in answer.citations}
        return SentenceVerdict(
            verdict="supported" if ok else "unsupported", **common,
            reason="publication date of a cited source" if ok
            else f"as-of date {dated} is no cited source's publication date")
    cited_ids = {c.chunk_id for c in found}
    for chunk_id, chunk in chunks.items():
        if chunk_id not in cited_ids and judge_pair(sentence, chunk.text, embedder).verdict \
                == "supported":
            return SentenceVerdict(verdict="wrongly_cited", better_chunk_id=chunk_id,
                                   reason="another retrieved chunk supports it", **common)
    if not markers:
        return SentenceVerdict(verdict="unsupported", reason="no citation", **common)
    if problems:
        return SentenceVerdict(verdict="unsupported", reason="; ".join(problems), **common)
    if judgement is None:
        return SentenceVerdict(verdict="uncertain", reason="empty quote and the cited chunk was "
                               "not retrieved: nothing to compare", **common)
    return SentenceVerdict(verdict=judgement.verdict, reason=_why(judgement), **common)


def date_note(sentence: str) -> str | None:
    """ISO date of an "(as of 12 Sep 2026)" note (the answer's source date), else None."""
    match = _DATE_NOTE.match(sentence.strip())
    if not match:
        return None
    for fmt in ("%d %b %Y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(match.group(1), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _why(j: PairJudgement) -> str:
    if j.p_supported is not None:
        return "; ".join(j.reasons) or f"P(supported) {j.p_supported:.2f} ({j.judge})"
    if j.missing:
        return "not in the cited text: " + ", ".join(j.missing)
    if j.negation_mismatch:
        return "negated, the cited text is not"
    return f"coverage {j.coverage:.2f}; new words: {', '.join(j.uncovered[:6])}"


def judge_answer(
    answer: Answer, docs: DocumentSource, chunks: Mapping[str, Chunk],
    embedder: Embedder | None = None, pair_judge: PairJudge | None = None,
) -> FaithfulnessResult:
    """Judge every sentence of an answer; refusals and empty answers are "n/a"."""
    if answer.refused:
        return FaithfulnessResult(status="n/a", reason="refusal")
    claims = split_claims(answer.answer)
    if not claims:
        return FaithfulnessResult(status="n/a", reason="no sentences to judge")
    try:
        verdicts = [judge_sentence(s, m, answer, docs, chunks, embedder, pair_judge)
                    for s, m in claims]
    except (CitechatError, RuntimeError, ValueError, OSError) as exc:
        return FaithfulnessResult(status="judge_error", reason=f"{type(exc).__name__}: {exc}")
    marked = [v.citations_valid for v in verdicts if v.markers]
    return FaithfulnessResult(
        status="ok", sentences=verdicts,
        supported_share=sum(v.verdict == "supported" for v in verdicts) / len(verdicts),
        citation_validity=sum(marked) / len(marked) if marked else None,
        faithful=all(v.verdict == "supported" for v in verdicts),  # uncertain is not supported
    )
