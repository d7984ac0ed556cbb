"""Every answerer behind the `Answerer` seam passes the same contract, whatever writes the text:

- every `[n]` in the answer maps to a citation, and every citation is marked in the answer;
- every quote is the cited document's text at the citation's offsets, from a chunk it was given;
- a refusal says so and carries no citations;
- the mode it reports is the one that wrote the text shown (a fallback reports its own mode).

New answerers join the parametrised fixture below; the reading answerer over the real local
model runs the same checks in tests/rag/answer/llm/test_local_model.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.llm.answerer import LLMAnswerer
from rag.answer.reader import ReaderAnswerer
from rag.core.protocols import Answerer
from rag.core.types import Answer, ScoredChunk
from tests.fakes.chat_model import ScriptedChatModel
from tests.fakes.hashing import HashingEmbedder
from tests.fakes.llm_models import DOC_TEXTS, sample_chunks, scripted_llm

ANSWERABLE = "How many people have died in the Carrow Valley floods?"
UNANSWERABLE = "What colour is the Harlow mayor's car?"
GOOD = ("Twelve people are now known to have died in the Carrow Valley floods, the regional "
        "coroner said [1].")
REFUSAL = "The documents don't say."
MODES = {"extractive", "llm", "local"}


def extractive() -> tuple[Answerer, set[str]]:
    return ExtractiveAnswerer(embedder=HashingEmbedder()), {"extractive"}


def llm_that_answers() -> tuple[Answerer, set[str]]:
    def reply(question: str) -> str:
        return GOOD if question == ANSWERABLE else REFUSAL

    return _scripted(reply), {"llm"}


def llm_that_invents() -> tuple[Answerer, set[str]]:
    """Its only sentence fails verification: the extractive fallback answers instead."""
    return _scripted(lambda q: "The mayor drives a red car [2]."), {"extractive"}


def local_reader() -> tuple[Answerer, set[str]]:
    """The reading answerer over a scripted model that names the flood toll."""
    def reply(prompt) -> str:  # noqa: ANN001
        return "Twelve people [1]" if "Carrow" in prompt.context else REFUSAL

    model = ScriptedChatModel(reply=reply,
                              support=lambda p: 0.9 if "Carrow" in p.context else 0.1)
    return ReaderAnswerer(model, ExtractiveAnswerer(embedder=HashingEmbedder())), {"local"}


def _scripted(reply: Callable[[str], str]) -> LLMAnswerer:
    class PerQuestion(LLMAnswerer):
        def answer(self, question, chunks):  # noqa: ANN001
            self._llm = scripted_llm(reply(question))
            return super().answer(question, chunks)

    return PerQuestion(scripted_llm(""), fallback=ExtractiveAnswerer(embedder=HashingEmbedder()))


@pytest.fixture(params=[extractive, llm_that_answers, llm_that_invents, local_reader],
                ids=lambda f: f.__name__)
def answerer(request) -> tuple[Answerer, set[str]]:
    return request.param()


def check_contract(answer: Answer, chunks: list[ScoredChunk], modes: set[str]) -> None:
    given = {c.chunk.chunk_id for c in chunks}
    assert answer.mode in MODES and answer.mode in modes
    marked = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert marked == {c.n for c in answer.citations}
    for c in answer.citations:
        assert c.chunk_id in given
        assert DOC_TEXTS[c.doc_id][c.start : c.end] == c.quote
    if answer.refused:
        assert answer.citations == [] and answer.answer.startswith("The documents don't say")
    assert [r.chunk_id for r in answer.retrieved] == [c.chunk.chunk_id for c in chunks]


def test_an_answerable_question_is_answered_with_exact_citations(answerer):
    impl, modes = answerer
    chunks = sample_chunks()
    answer = impl.answer(ANSWERABLE, chunks)
    check_contract(answer, chunks, modes)
    assert not answer.refused and answer.citations
    assert answer.citations[0].doc_id == "flood"


def test_an_unanswerable_question_keeps_the_contract(answerer):
    impl, modes = answerer
    chunks = sample_chunks()
    check_contract(impl.answer(UNANSWERABLE, chunks), chunks, modes | {"extractive"})


def test_no_passages_means_a_refusal(answerer):
    impl, modes = answerer
    answer = impl.answer(ANSWERABLE, [])
    check_contract(answer, [], modes | MODES)  # no model call: the answerer refuses itself
    assert answer.refused
