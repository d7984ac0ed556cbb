"""The default answer mode, no LLM: quote the sentences that answer, and name the short answer.

Steps (`ExtractiveAnswerer.extract`): split the retrieved chunks into sentences → score each
sentence (idf-weighted question-term coverage, embedding similarity, retrieval rank) → spot
candidate phrases in the best sentences and keep the one that fits the asked type (person, place,
number, date…) and is not already in the question → a support score that decides refusal.

>>> answerer = ExtractiveAnswerer(embedder=MiniLMEmbedder())         # doctest: +SKIP
>>> answerer.answer("Which team does Hamlin play for?", chunks).answer  # doctest: +SKIP
'Buffalo Bills. "The 24-year-old Buffalo Bills player has shown improvement." [1]'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from rag.answer.answer_types import (
    Candidate,
    QuestionType,
    expected_type,
    generic_words,
    spot_candidates,
    type_fit,
)
from rag.core.protocols import Embedder
from rag.core.types import REFUSAL, Answer, Citation, RetrievedRef, ScoredChunk
from rag.text.dates import news_date
from rag.text.lexicon import lexicon
from rag.text.sentences import sentence_spans, words
from rag.text.stem import stem

# Calibrated through the real pipeline by bench/calibrate_threshold.py
# (bench/results/refusal_calibration.md); first pass: bench/calibrate_extractive.py.
DEFAULT_MIN_SUPPORT = 0.741


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMERIC = frozenset({"number", "money", "percent"})
_FIGURES = frozenset({"number", "money", "percent", "amount", "date"})  # asked-for kinds
_UNANCHORED = 0.7  # a number not next to the asked unit fits less well
_CLOSE = 0.85  # without a short answer, also quote sentences scoring this close to the best
_SUPERSEDED = 0.5
_FROM = re.compile(r"\bfrom(?:\s+(?:the|a|an|its|their|about|around|some))?\s*$", re.IGNORECASE)
_RIVAL_SHARE = 0.75  # a later figure must score this share of the best one to replace it
_RESTATED = 0.6  # Jaccard of the question terms two sentences use, to say the same thing


@dataclass(frozen=True)
class Weights:
    """How the sentence score and the support score are mixed (tuned on the dev set)."""

    coverage: float = 0.5  # idf-weighted share of question terms in the sentence (+ neighbours)
    similarity: float = 0.9  # embedding cosine question ↔ sentence
    rank: float = 0.1  # 1 / sqrt(chunk rank)
    mentions: float = 0.3  # candidate bonus per log(mentions across the chunks)


@dataclass(frozen=True)
class Sentence:
    """One sentence of one retrieved chunk; `start`/`end` index `chunk.text`."""

    chunk: int
    start: int
    end: int
    text: str
    score: float = 0.0


@dataclass(frozen=True)
class Option:
    """A candidate short answer, its type fit, the sentence it is best read in, its score."""

    candidate: Candidate
    fit: float
    home: Sentence
    score: float


@dataclass(frozen=True)
class Extraction:
    """What the answerer found, before the refusal decision."""

    expected: QuestionType
    support: float
    short_answer: str | None
    quotes: list[Sentence] = field(default_factory=list)
    revised: bool = False  # quotes[0] revises the figure in quotes[1] (a later report)
    answerable: bool = True  # False: the asked kind of answer (a figure, a date) is missing


class ExtractiveAnswerer:
    """Answer with the short phrase and the verbatim sentences that support it, or refuse.

    `embedder` adds question↔sentence similarity (term coverage only without it); `min_support`
    is the refusal threshold on `Extraction.support`; `max_quotes` caps the quoted sentences.
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        min_support: float = DEFAULT_MIN_SUPPORT,
        max_quotes: int = 2,
        *,
        weights: Weights | None = None,
        candidate_sentences: int = 20,
        max_embedded: int = 64,
    ) -> None:
        self._embedder = embedder
        self._min_support = min_support
        self._max_quotes = max(1, max_quotes)
        self._w = weights or Weights()
        self._candidate_sentences = candidate_sentences
        self._max_embedded = max_embedded

    def answer(self, question: str, chunks: Sequence[ScoredChunk]) -> Answer:
        retrieved = [
            RetrievedRef(chunk_id=c.chunk.chunk_id, doc_id=c.chunk.doc_id, score=c.score)
            for c in chunks
        ]
        found = self.extract(question, chunks)
        if not found.quotes or not found.answerable or found.support < self._min_support:
            return Answer(question=question, answer=REFUSAL, refused=True, retrieved=retrieved)
        citations = [_citation(n, chunks[s.chunk], s) for n, s in enumerate(found.quotes, 1)]
        quoted = [f'"{c.quote}" [{c.n}]' for c in citations]
        if found.revised and len(citations) > 1:  # what the latest report replaced, and when
            earlier = news_date(citations[1].publish_date)
            quoted[1] = f"Earlier report{', ' + earlier if earlier else ''}: {quoted[1]}"
        text = " ".join(quoted)
        text = f"{found.short_answer}. {text}" if found.short_answer else text
        day = news_date(citations[0].publish_date)  # news answers say when their source was
        text += f" (as of {day})" if day else ""  # published: " (as of 12 Sep 2026)"
        return Answer(
            question=question,
            answer=text,
            short_answer=found.short_answer,
            citations=citations,
            retrieved=retrieved,
        )

    def rank_sentences(self, question: str, chunks: Sequence[ScoredChunk]) -> list[Sentence]:
        """Every sentence of the chunks (once, though chunks overlap), best match first: the
        evidence a reading model is shown (`rag.answer.reader`)."""
        scored = self._score_sentences(question, _sentences(chunks), len(chunks))
        return sorted(scored, key=lambda s: -s.score)

    def extract(self, question: str, chunks: Sequence[ScoredChunk]) -> Extraction:
        """Score sentences and candidates; `support` is compared with `min_support`."""
        expected = expected_type(question)
        sentences = self._score_sentences(question, _sentences(chunks), len(chunks))
        if not sentences:
            return Extraction(expected, 0.0, None)
        ranked = sorted(sentences, key=lambda s: -s.score)
        pool = " ".join(c.chunk.text for c in chunks)
        options = self._candidates(question, expected, ranked, pool)
        if not options:
            close = [s for s in ranked[1:] if s.score >= _CLOSE * ranked[0].score]
            quotes = [ranked[0], *close][: self._max_quotes]
            # A question asking for a number or a date that no passage offers is not answered.
            return Extraction(expected, ranked[0].score, None, quotes,
                              answerable=expected.kind not in _FIGURES)
        versions = self._versions(options, chunks, set(_content_terms(question)))
        latest = versions[-1]
        day = _published(chunks, latest.home)
        earlier = [v for v in versions if _published(chunks, v.home) < day]
        if earlier:  # a revised figure: quote the latest report, then the one it replaced
            return Extraction(expected, ranked[0].score, latest.candidate.text,
                              [latest.home, earlier[-1].home][: self._max_quotes], revised=True)
        quotes = [latest.home] + [s for s in ranked[:1] if s is not latest.home]
        return Extraction(expected, ranked[0].score, latest.candidate.text,
                          quotes[: self._max_quotes])

    # ------------------------------------------------------------------ sentence scores

    def _score_sentences(
        self, question: str, sentences: list[Sentence], n_chunks: int
    ) -> list[Sentence]:
        if not sentences:
            return []
        terms = _content_terms(question)
        bags = [set(_content_terms(s.text)) for s in sentences]
        idf = _local_idf(terms, bags)
        coverage = [_window_coverage(i, sentences, bags, idf) for i in range(len(sentences))]
        similarity = self._similarity(question, [s.text for s in sentences], coverage)
        w = self._w
        return [
            Sentence(
                s.chunk,
                s.start,
                s.end,
                s.text,
                w.coverage * cov + w.similarity * sim + w.rank / math.sqrt(s.chunk + 1),
            )
            for s, cov, sim in zip(sentences, coverage, similarity, strict=True)
        ]

    def _similarity(self, question: str, texts: list[str], coverage: list[float]) -> np.ndarray:
        """Cosine question ↔ sentence for the `max_embedded` sentences of best coverage, else 0.
        Without an embedder, coverage stands in, so that support keeps its calibrated scale."""
        if self._embedder is None:
            return np.array(coverage, dtype=float)
        similarity = np.zeros(len(texts))
        if not texts:
            return similarity
        chosen = sorted(range(len(texts)), key=lambda i: -coverage[i])[: self._max_embedded]
        vectors = self._embedder.embed([question, *(texts[i] for i in chosen)])
        similarity[chosen] = np.clip(vectors[1:] @ vectors[0], 0.0, 1.0)
        return similarity

    # ------------------------------------------------------------------ short answer

    def _candidates(
        self, question: str, expected: QuestionType, ranked: list[Sentence], pool: str
    ) -> list[Option]:
        """Candidates by type fit × evidence, best first; evidence adds up over sentences,
        and a short mention ("Jackson") counts for the full name it is part of."""
        asked = set(_content_terms(question))
        unit = _asked_unit(question)
        found: dict[str, tuple[Candidate, float, Sentence]] = {}
        evidence: dict[str, list[float]] = {}
        for sentence in ranked[: self._candidate_sentences]:
            for raw in spot_candidates(sentence.text, pool):
                candidate, anchored = _drop_asked(raw, sentence.text, asked)
                if candidate is None:
                    continue
                if anchored and unit:  # "how many votes": "141 votes", not "three candidates"
                    anchored = unit in _content_terms(raw.text)
                fit = type_fit(expected, candidate) * (1.0 if anchored else _UNANCHORED)
                if _FROM.search(sentence.text, 0, candidate.start):
                    fit *= _SUPERSEDED  # "up from 3 per cent": the figure being replaced
                if fit <= 0:
                    continue
                key = candidate.text.lower()
                evidence.setdefault(key, []).append(sentence.score)
                if fit > found.get(key, (None, 0.0))[1]:
                    found[key] = (candidate, fit, sentence)
        evidence = _merge_short_mentions(found, evidence)

        def score(key: str) -> float:
            scores = sorted(evidence[key], reverse=True)
            return found[key][1] * (scores[0] + self._w.mentions * sum(scores[1:]))

        options = [Option(*found[key], score(key)) for key in evidence]
        return sorted(options, key=lambda o: -o.score)

    def _versions(
        self, options: list[Option], chunks: Sequence[ScoredChunk], asked: set[str]
    ) -> list[Option]:
        """The best option and its restatements with other figures, oldest report first.

        News revises figures ("seven dead" → "fourteen dead"); every retrieved chunk is
        already on or before `as_of`, so the latest restatement is the answer as of then. A
        rival must be a figure like the best one, score at least `_RIVAL_SHARE` of it, and its
        sentence must say the same thing about the question (`_restates`). On the same day
        the best option comes last."""
        best = options[0]
        if best.candidate.kind not in _NUMERIC:
            return [best]
        rivals = [o for o in options[1:] if o.candidate.kind in _NUMERIC
                  and o.score >= _RIVAL_SHARE * best.score and _restates(best, o, asked)]
        return sorted([best, *rivals], key=lambda o: (_published(chunks, o.home), o is best))


def _published(chunks: Sequence[ScoredChunk], sentence: Sentence) -> str:
    return chunks[sentence.chunk].chunk.publish_date or ""


def _restates(a: Option, b: Option, asked: set[str]) -> bool:
    """Do the two home sentences make the same statement about the question? They must share
    at least two of the question's terms and most of those the sparer one uses, and the unit
    after the figure ("people", "votes")."""
    qa = asked & set(_content_terms(a.home.text))
    qb = asked & set(_content_terms(b.home.text))
    shared = len(qa & qb)
    if shared < 2 or shared < _RESTATED * min(len(qa), len(qb)):
        return False
    return _unit(a) == _unit(b)


def _asked_unit(question: str) -> str | None:
    """What "how many …" counts ("votes" → "vote"), or None."""
    match = re.search(r"\bhow (?:many|much)\s+([\w'’-]+)", question.lower())
    if not match or match.group(1) in _stop():
        return None
    return stem(match.group(1))


def _unit(option: Option) -> str:
    """The word after a count ("7 people" → "people"), or "" (money and percentages carry it)."""
    if option.candidate.kind != "number":
        return ""
    tokens = option.home.text[option.candidate.start :].split()[1:]
    scales = lexicon().words("scale_words") | {"more"}
    tokens = [t for t in tokens if t.lower() not in scales]
    word = tokens[0].lower().strip(".,;:") if tokens else ""
    return "" if not word or word in _stop() else stem(word)


# ---------------------------------------------------------------------- pure helpers


def _sentences(chunks: Sequence[ScoredChunk]) -> list[Sentence]:
    """Sentences of every chunk, skipping a sentence already seen (chunks overlap)."""
    seen: set[tuple[str, int]] = set()
    out: list[Sentence] = []
    for rank, scored in enumerate(chunks):
        chunk = scored.chunk
        for start, end in sentence_spans(chunk.text):
            key = (chunk.doc_id, chunk.start + start)
            if key in seen or not words(chunk.text[start:end]):
                continue
            seen.add(key)
            out.append(Sentence(rank, start, end, chunk.text[start:end]))
    return out


def _stop() -> frozenset[str]:
    return lexicon().stopwords("extractive")


@cache
def _generic() -> frozenset[str]:
    return frozenset(stem(w) for w in generic_words())


def _content_terms(text: str) -> list[str]:
    stop = _stop()
    return [stem(w) for w in words(text) if w not in stop]


def _local_idf(terms: list[str], bags: list[set[str]]) -> dict[str, float]:
    """Inverse sentence frequency over the retrieved sentences; an absent term weighs most."""
    n = len(bags)
    df = Counter(t for bag in bags for t in bag if t in terms)
    return {t: math.log((n + 1) / (df[t] + 0.5)) for t in set(terms)}


def _window_coverage(
    i: int, sentences: list[Sentence], bags: list[set[str]], idf: dict[str, float]
) -> float:
    """Share of question-term weight found in sentence i; terms only in neighbours count half."""
    total = sum(idf.values())
    if total <= 0:
        return 0.0
    near = set()
    for j in (i - 1, i + 1):
        if 0 <= j < len(sentences) and sentences[j].chunk == sentences[i].chunk:
            near |= bags[j]
    own = sum(w for t, w in idf.items() if t in bags[i])
    half = sum(w for t, w in idf.items() if t in near and t not in bags[i])
    return (own + 0.5 * half) / total


def _drop_asked(
    candidate: Candidate, sentence: str, asked: set[str]
) -> tuple[Candidate | None, bool]:
    """Trim question words off the ends of a candidate; None if no new word is left (the
    question's own words are never the answer). `anchored` is True for a number whose unit was
    a question word ("113 million viewers" for "how many viewers")."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", candidate.text)]

    def is_asked(tok: tuple[int, int]) -> bool:
        found = _content_terms(candidate.text[tok[0] : tok[1]])
        return bool(found) and all(t in asked for t in found) and not set(found) <= _generic()

    if candidate.kind != "title":
        while tokens and is_asked(tokens[0]):
            tokens.pop(0)
        while tokens and is_asked(tokens[-1]):
            tokens.pop()
    if not tokens:
        return None, False
    start, end = candidate.start + tokens[0][0], candidate.start + tokens[-1][1]
    text = sentence[start:end].rstrip(".,;:")
    generic = _generic()
    new = [t for t in _content_terms(text) if t not in asked and t not in generic]
    if not new:
        return None, False
    anchored = candidate.kind in _NUMERIC and candidate.text != text
    if text == candidate.text:
        return candidate, anchored
    return Candidate(text, start, start + len(text), candidate.kind, candidate.place), anchored


def _merge_short_mentions(
    found: dict[str, tuple[Candidate, float, Sentence]], evidence: dict[str, list[float]]
) -> dict[str, list[float]]:
    """Credit a one-word name's evidence to the longest name that ends or starts with it."""
    merged = {k: list(v) for k, v in evidence.items()}
    for key, (candidate, _, _) in found.items():
        if " " in key or candidate.kind not in ("name", "person", "org"):
            continue
        longer = [
            k
            for k in evidence
            if k != key
            and found[k][0].kind in ("name", "person", "org")
            and (k.startswith(key + " ") or k.endswith(" " + key))
        ]
        if longer:
            target = max(longer, key=lambda k: len(evidence[k]))
            merged[target] += merged.pop(key)
    return merged


def _citation(n: int, scored: ScoredChunk, sentence: Sentence) -> Citation:
    chunk = scored.chunk
    return Citation(
        n=n,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=chunk.title,
        url=chunk.url,
        publish_date=chunk.publish_date,
        date_provenance=chunk.date_provenance,
        quote=sentence.text,
        start=chunk.start + sentence.start,
        end=chunk.start + sentence.end,
    )
