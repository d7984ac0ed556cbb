"""The reading answerer: a language model reads a few short passages and names the answer;
a calibrated support check decides refusal; the shown answer is checked word by word.

Steps (`ReaderAnswerer.answer`):

1. **Evidence**: the extractive stage ranks the retrieved sentences; the best few, each with a
   neighbour, become short numbered passages (`rag.answer.passages`).
2. **Support check**: the model's probability of YES for "does a passage contain the answer?"
   (from its logits). Below `min_support` — calibrated on data, `bench/calibrate_reader.py` —
   the answer is an honest refusal; the model's own "I don't know" is not trusted for this.
3. **Reading**: the model writes the short answer and the number of the passage it took it
   from ("Felix Amundsen [2]"), at temperature 0.
4. **Grounding**: every number, name and content word of that short answer must be in the
   cited passage (else in another one, which is then cited), and the sentence that holds it
   is quoted verbatim with its document offsets; an answer found in no passage is refused.

Prompts are package data (`rag/answer/prompts/reader_v1.txt`); passages are quoted data, never
instructions, and instruction-like sentences are never shown to the model at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.llm.citations import find_cited, strip_markers
from rag.answer.llm.prompt import load_template
from rag.answer.llm.verify import content_terms, hard_tokens, is_refusal
from rag.answer.passages import Passage, Scored, favour_answer_types, passages_from_spans
from rag.answer.streamed import StreamedAnswer
from rag.core.protocols import ChatModel, ModelPrompt
from rag.core.types import REFUSAL, Answer, Citation, RetrievedRef, ScoredChunk, SentenceCheck
from rag.text.dates import news_date
from rag.text.sentences import sentence_spans

PROMPT_VERSION = "reader_v1"


@dataclass(frozen=True)
class ReaderTuning:
    """Knobs of the reading answerer. The refusal decision: `confidence` combines the model's
    P(YES) with the retrieval evidence (the best chunk's fused score, the best sentence's
    match score) in a logistic model whose `weights` and threshold `min_support` were
    calibrated on realtimeqa_dev plus answer-removed negatives (`bench/calibrate_reader.py`,
    bench/results/reader_calibration.md)."""

    # Fitted by `bench/calibrate_reader.py --target 0.8` (bench/results/reader_calibration.md):
    # 5-fold CV on realtimeqa_dev: false refusals 0.129, negatives refused 0.804.
    min_support: float = 0.46
    weights: tuple[float, float, float, float] = (11.531, 2.364, 4.633, 2.432)  # bias, P(YES),
    # log of the best chunk's fused score, the best sentence's score
    max_passages: int = 3
    passage_chars: int = 260
    max_tokens: int = 48
    type_weight: float = 0.6  # boost for sentences holding a phrase of the asked type

    def confidence(self, p_yes: float, top_chunk: float, top_sentence: float) -> float:
        """P(the passages hold the answer): a logistic model over the model's P(YES), the
        log of the best chunk's fused retrieval score, and the best sentence's score."""
        bias, w_yes, w_top, w_sentence = self.weights
        if (w_top, w_sentence) == (0.0, 0.0):
            return p_yes  # uncalibrated: the model alone
        z = bias + w_yes * p_yes + w_top * math.log(max(top_chunk, 1e-6)) \
            + w_sentence * top_sentence
        return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class Reading:
    """What the model made of the passages, before the answer is composed."""

    support: float
    reply: str = ""
    short: str = ""
    cited: int | None = None  # 1-based passage number, after grounding


class ReaderAnswerer:
    """Answer by reading (see the module docstring); `mode` is what `Answer.mode` reports."""

    prompt_version = PROMPT_VERSION

    def __init__(
        self, model: ChatModel, ranker: ExtractiveAnswerer, tuning: ReaderTuning | None = None,
        *, mode: str = "local",
    ) -> None:
        self._model = model
        self._ranker = ranker
        self.tuning = tuning or ReaderTuning()
        self.mode = mode

    def answer(self, question: str, chunks: Sequence[ScoredChunk]) -> Answer:
        return self.stream(question, chunks).result()

    def stream(self, question: str, chunks: Sequence[ScoredChunk]) -> StreamedAnswer:
        """The reply as the model writes it, then the composed answer. Nothing is read before
        the first piece is asked for, so a caller can say "reading…" at once."""
        done: dict[str, Answer] = {}
        read_state: dict[str, object] = {}

        def pieces() -> Iterator[str]:
            ranked = self.ranked(question, chunks)
            passages = self.passages(chunks, ranked, question)
            if not passages:
                done["answer"] = self._refusal(question, chunks, None)
                yield REFUSAL
                return
            support = self.tuning.confidence(self.support(question, passages),
                                             chunks[0].score, ranked[0].score)
            if support < self.tuning.min_support:
                done["answer"] = self._refusal(question, chunks, support)
                yield REFUSAL
                return
            read_state.update(passages=passages, support=support)
            yield from self._model.stream(self.prompt("answer", question, passages),
                                          self.tuning.max_tokens)

        def finish(reply: str) -> Answer:
            if "answer" in done:
                return done["answer"]
            passages = read_state["passages"]
            support = read_state["support"]
            assert isinstance(passages, list) and isinstance(support, float)
            return self.compose(question, chunks, passages, read(reply, passages, support))

        return StreamedAnswer(pieces(), finish)

    # ------------------------------------------------------------------ steps

    def ranked(self, question: str, chunks: Sequence[ScoredChunk]) -> list[Scored]:
        """The retrieved sentences, best match first (the extractive stage's scores)."""
        return [Scored(s.chunk, s.start, s.end, s.text, s.score)
                for s in self._ranker.rank_sentences(question, chunks)]

    def passages(self, chunks: Sequence[ScoredChunk], ranked: Sequence[Scored],
                 question: str = "") -> list[Passage]:
        """The short numbered passages the model reads, best first."""
        favoured = favour_answer_types(question, ranked, weight=self.tuning.type_weight) \
            if question else list(ranked)
        return passages_from_spans(
            [c.chunk for c in chunks], [(s.chunk, s.start, s.end) for s in favoured],
            max_passages=self.tuning.max_passages, max_chars=self.tuning.passage_chars)

    def support(self, question: str, passages: Sequence[Passage]) -> float:
        """The model's probability that a passage answers the question."""
        return self._model.yes_probability(self.prompt("support", question, passages))

    def prompt(self, task: str, question: str, passages: Sequence[Passage]) -> ModelPrompt:
        parts = load_template(PROMPT_VERSION)
        blocks = [parts["passage"].format(n=n, title=p.chunk.title or "untitled",
                                          date=news_date(p.chunk.publish_date) or "undated",
                                          text=" ".join(p.chunk.text.split()))
                  for n, p in enumerate(passages, start=1)]
        context = parts["context"].format(passages="\n".join(blocks), question=question.strip())
        return ModelPrompt(parts["system"], context + "\n", parts[task])

    def compose(
        self, question: str, chunks: Sequence[ScoredChunk], passages: Sequence[Passage],
        reading: Reading,
    ) -> Answer:
        if reading.cited is None:
            return self._refusal(question, chunks, reading.support, reading.reply)
        passage = passages[reading.cited - 1].chunk
        start, end = quote_span(passage.text, reading.short, question)
        citation = Citation(
            n=1, chunk_id=passage.chunk_id, doc_id=passage.doc_id, title=passage.title,
            url=passage.url, publish_date=passage.publish_date,
            date_provenance=passage.date_provenance,
            quote=passage.text[start:end], start=passage.start + start, end=passage.start + end,
        )
        day = news_date(passage.publish_date)
        text = f'{reading.short.rstrip(".")}. "{citation.quote}" [1]'
        text += f" (as of {day})" if day else ""
        check = SentenceCheck(sentence=reading.short, verdict="supported", cited=[reading.cited],
                              citations=[1], chunk_ids=[passage.chunk_id], support=1.0,
                              reasons=[f"every word of it is in passage {reading.cited}"])
        return Answer(question=question, answer=text, short_answer=reading.short,
                      citations=[citation], retrieved=_refs(chunks), mode=self.mode,
                      model=self._model.name, support=round(reading.support, 4),
                      verification=[check])

    def _refusal(
        self, question: str, chunks: Sequence[ScoredChunk], support: float | None,
        reply: str = "",
    ) -> Answer:
        checks = []
        if reply.strip():
            why = ("the model said the passages lack it" if is_refusal(reply)
                   else "not in the passages: refused instead")
            checks.append(SentenceCheck(sentence=strip_markers(reply), verdict="unsupported",
                                        reasons=[why]))
        return Answer(question=question, answer=REFUSAL, refused=True, retrieved=_refs(chunks),
                      mode=self.mode, model=self._model.name,
                      support=None if support is None else round(support, 4),
                      verification=checks or None)


_PASSAGE = re.compile(r"\(?\s*passages?\s+(\d{1,2})\s*\)?", re.I)


def read(reply: str, passages: Sequence[Passage], support: float) -> Reading:
    """Parse "short answer (passage n)" (or "[n]") and ground it: the passage it names if that
    one holds it, else the first that does; `cited` stays None when none does (or the model
    refused)."""
    first = reply.strip().splitlines()[0] if reply.strip() else ""
    named = [int(n) for n in _PASSAGE.findall(first)] + find_cited(first)
    short = strip_markers(_PASSAGE.sub("", first))
    short = re.sub(r"^\s*(?:answer|short answer)\s*:\s*", "", short, flags=re.I)
    short = short.strip(" \"'“”,;:-").removesuffix(".").strip()
    if not short or is_refusal(short):
        return Reading(support, reply, short)
    cited = [n for n in named if 1 <= n <= len(passages)]
    order = cited + [n for n in range(1, len(passages) + 1) if n not in cited]
    for n in order:
        chunk = passages[n - 1].chunk
        if grounded(short, f"{chunk.title}\n{chunk.text}"):
            return Reading(support, reply, short, n)
    return Reading(support, reply, short)


def grounded(short: str, text: str) -> bool:
    """Every number and name of `short`, and most of its content words, are in `text`."""
    vocabulary = content_terms(text) | {w.lower() for w in re.findall(r"[\w'’]+", text)}
    vocabulary |= {t.replace(",", "") for t in re.findall(r"\d[\d,.]*", text)}
    if not hard_tokens(f"x {short}") <= vocabulary:  # "x": the first word counts as a name too
        return False
    terms = content_terms(short)
    return bool(terms) and len(terms & content_terms(text)) >= 0.75 * len(terms)


def quote_span(text: str, short: str, question: str = "") -> tuple[int, int]:
    """The sentence of `text` that shares the most words with `short`, then with the question
    (an answer read in the passage's title): the first on a tie."""
    spans = sentence_spans(text) or [(0, len(text))]
    terms, asked = content_terms(short), content_terms(question)

    def shared(span: tuple[int, int]) -> tuple[int, int]:
        words = content_terms(text[span[0]:span[1]])
        return len(terms & words), len(asked & words)

    return max(spans, key=shared)


def _refs(chunks: Sequence[ScoredChunk]) -> list[RetrievedRef]:
    return [RetrievedRef(chunk_id=c.chunk.chunk_id, doc_id=c.chunk.doc_id, score=c.score)
            for c in chunks]
