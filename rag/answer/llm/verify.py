"""Check each sentence of a generated answer against the retrieved chunks (pure functions).

A chunk *supports* a sentence when every number, date and name in the sentence appears in the
chunk (its text, title or publication date) and enough of the sentence's content words appear
in one or two adjacent sentences of it. Sentences of a chunk that read like instructions to the
model ("ignore previous instructions…") never count as evidence. Steps:

    evidence(sentence, chunk)  →  check_sentence(sentence, cited, chunks)  →  Check

Verdicts: `supported` (a cited chunk supports it, and is the best or close to it),
`wrongly_cited` (another chunk does: re-pointed there), `citation_added` (no marker; the best
chunk supports it), `unsupported` (no chunk does), `not_a_claim` (a refusal, a heading, a lone
word). Support is checked, not relevance: a source sentence echoed verbatim is "supported".

>>> from rag.core.types import Chunk
>>> chunk = Chunk(chunk_id="a::0", doc_id="a", text="Seven people died in the flood.", start=0,
...               end=31)
>>> check_sentence("Seven people died in the flood.", (1,), [chunk]).verdict
'supported'
>>> check_sentence("Twelve people died in the flood.", (1,), [chunk]).reasons
['source 1 lacks 12', 'no other source supports it']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from rag.core.types import REFUSAL, Chunk
from rag.text.lexicon import lexicon
from rag.text.sentences import sentence_spans, words
from rag.text.stem import stem

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")
_NAME = re.compile(r"\b[A-Z][A-Za-z'’-]*")
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules?|prompt|above|previous)\b"
    r"|\b(you are now|as an ai|system prompt|new instructions?|from now on)\b"
    # orders about how to answer: "answer every question … with the word X", "reply only X"
    r"|\b(answer|reply|respond)\b.{0,60}\b(with|using)\b.{0,40}\b(word|words|phrase|only)\b"
    r"|\b(answer|reply|respond)\s+(every|all|any)\s+questions?\b"
    r"|\b(say|output|print|write)\s+(only|just)\b|\bthe single word\b",
    re.I,
)
_REFUSALS = re.compile(r"^\W*(the )?documents (don'?t|do not|doesn'?t|does not) say", re.I)


@dataclass(frozen=True)
class VerifyConfig:
    """`min_coverage`: share of the sentence's content words a chunk must hold;
    `margin`: how far below the best chunk's score a cited chunk may be and still count."""

    min_coverage: float = 0.6
    margin: float = 0.15


@dataclass(frozen=True)
class Evidence:
    """How well one chunk supports one sentence; `quote` is a span of `chunk.text`."""

    coverage: float
    matched: frozenset[str]
    missing: frozenset[str]
    quote: tuple[int, int] | None

    def score(self) -> float:
        return self.coverage - 0.25 * len(self.missing)

    def passes(self, cfg: VerifyConfig) -> bool:
        return not self.missing and self.coverage >= cfg.min_coverage and self.quote is not None


@dataclass(frozen=True)
class Check:
    """The verdict for one sentence; `chunks` are 0-based indexes of the supporting chunks."""

    sentence: str
    verdict: str
    cited: tuple[int, ...]
    chunks: tuple[int, ...] = ()
    quotes: tuple[tuple[int, int], ...] = ()
    support: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _stop() -> frozenset[str]:
    return lexicon().stopwords("verify")


def _number_words() -> dict[str, str]:
    return lexicon().number_words()


def term(word: str) -> str:
    """A word as the verifier compares it: number words as digits, then stemmed."""
    return stem(_number_words().get(word, word))


def content_terms(text: str) -> set[str]:
    """Stemmed words of `text` that carry meaning (no stop words); "4,210" is one word."""
    stop = _stop()
    return {term(w) for w in words(_THOUSANDS.sub("", text)) if w not in stop}


def hard_tokens(sentence: str) -> set[str]:
    """Numbers (digits or number words) and names (capitalised words not opening the sentence)."""
    tokens = {n.replace(",", "") for n in _NUMBER.findall(sentence)}
    numbers = _number_words()
    tokens |= {numbers[w] for w in words(sentence) if w in numbers}
    body = re.sub(r"^\W*\w+", "", sentence)  # the first word is capitalised anyway
    stop = _stop()
    for name in _NAME.findall(body):
        lower = _unpossess(name.lower())
        if lower not in stop:
            tokens.add(lower)
    return tokens


def is_instruction(sentence: str) -> bool:
    """Whether a source sentence reads like an instruction to the model (never evidence)."""
    return bool(_INSTRUCTION.search(sentence))


def is_refusal(sentence: str) -> bool:
    return bool(_REFUSALS.search(sentence)) or sentence.strip() == REFUSAL


def evidence(sentence: str, chunk: Chunk) -> Evidence:
    """How well `chunk` supports `sentence` (see the module docstring)."""
    terms = content_terms(sentence)
    spans = [(s, e) for s, e in sentence_spans(chunk.text) if not is_instruction(chunk.text[s:e])]
    bags = [content_terms(chunk.text[s:e]) for s, e in spans]
    title = content_terms(f"{chunk.title} {_date_words(chunk)}")
    best: tuple[float, frozenset[str], tuple[int, int] | None] = (0.0, frozenset(), None)
    for i, bag in enumerate(bags):
        after = bags[i + 1] if i + 1 < len(bags) else set()
        matched = frozenset(terms & (bag | after | title))
        coverage = len(matched) / len(terms) if terms else 0.0
        if coverage > best[0]:
            quote = spans[i + 1] if len(terms & after) > len(terms & bag) else spans[i]
            best = (coverage, matched, quote)
    vocabulary = _vocabulary(" ".join(chunk.text[s:e] for s, e in spans), chunk)
    missing = frozenset(t for t in hard_tokens(sentence) if t not in vocabulary)
    return Evidence(best[0], best[1], missing, best[2])


def check_sentence(
    sentence: str, cited: Sequence[int], chunks: Sequence[Chunk], cfg: VerifyConfig | None = None
) -> Check:
    """The verdict for one sentence citing source numbers `cited` (1-based into `chunks`)."""
    cfg = cfg or VerifyConfig()
    cited = tuple(cited)
    if is_refusal(sentence):
        return Check(sentence, "not_a_claim", cited, reasons=["refusal"])
    terms = content_terms(sentence)
    if not terms or (not cited and not any(t.isalpha() for t in terms)):
        return Check(sentence, "not_a_claim", cited, reasons=["no content words"])
    if sentence.rstrip().endswith(":") or (len(terms) == 1 and not hard_tokens(sentence)):
        return Check(sentence, "not_a_claim", cited, reasons=["a heading or a single word"])
    found = [evidence(sentence, c) for c in chunks]
    if not found:
        return Check(sentence, "unsupported", cited, reasons=["no sources"])
    best = max(range(len(found)), key=lambda i: found[i].score())
    valid = [n for n in cited if 1 <= n <= len(chunks)]
    reasons = [f"there is no source {n}" for n in cited if n not in valid]
    good = [n - 1 for n in valid if found[n - 1].passes(cfg)
            and found[n - 1].score() >= found[best].score() - cfg.margin]
    if good:
        top = max(good, key=lambda i: found[i].score())
        return _supported(sentence, "supported", cited, [top], found, reasons)
    joint = _joint(valid, found, len(terms), cfg)
    if joint:
        return _supported(sentence, "supported", cited, joint, found, reasons)
    reasons += [_why(n, found[n - 1], cfg) for n in valid]
    if found[best].passes(cfg):
        verdict = "wrongly_cited" if cited else "citation_added"
        if not cited:
            reasons.append("no marker")
        return _supported(sentence, verdict, cited, [best], found, reasons)
    reasons.append(f"best match: {_why(best + 1, found[best], cfg)}"
                   if best + 1 not in valid else "no other source supports it")
    return Check(sentence, "unsupported", cited, support=round(found[best].score(), 3),
                 reasons=reasons)


def _supported(
    sentence: str, verdict: str, cited: tuple[int, ...], chosen: list[int],
    found: list[Evidence], reasons: list[str],
) -> Check:
    quotes = tuple(q for q in (found[i].quote for i in chosen) if q is not None)
    support = max(found[i].score() for i in chosen)
    return Check(sentence, verdict, cited, tuple(chosen), quotes, round(support, 3), reasons)


def _joint(valid: list[int], found: list[Evidence], n_terms: int, cfg: VerifyConfig) -> list[int]:
    """Cited chunks that together (not alone) support the sentence, or []."""
    if len(valid) < 2:
        return []
    union = frozenset().union(*(found[n - 1].matched for n in valid))
    missing = frozenset.intersection(*(found[n - 1].missing for n in valid))
    if missing or len(union) < cfg.min_coverage * n_terms:
        return []
    return [n - 1 for n in valid if found[n - 1].matched and found[n - 1].quote is not None]


def _why(n: int, ev: Evidence, cfg: VerifyConfig) -> str:
    if ev.missing:
        return f"source {n} lacks " + ", ".join(sorted(ev.missing))
    if ev.coverage < cfg.min_coverage:
        return f"source {n} holds {ev.coverage:.0%} of the sentence's words"
    return f"source {n} is a weaker match than another source"


def _unpossess(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s").rstrip("'’")


def _vocabulary(text: str, chunk: Chunk) -> set[str]:
    """Every number and lower-cased word of the chunk, its title and its publication date."""
    vocab = {w for w in words(f"{text} {chunk.title}")}
    vocab |= {n.replace(",", "") for n in _NUMBER.findall(f"{text} {chunk.title}")}
    numbers = _number_words()
    vocab |= {numbers[w] for w in vocab if w in numbers}
    vocab |= {_unpossess(w) for w in vocab}
    return vocab | set(_date_words(chunk).split())


def _date_words(chunk: Chunk) -> str:
    """The publication date as words: "2026 7 september sep sept" ("" if none)."""
    try:
        day = date.fromisoformat(chunk.publish_date or "")
    except ValueError:
        return ""
    month = lexicon().ordered("months")[day.month - 1]
    return f"{day.year} {day.day} {month} {month[:3]} {month[:4]}"
