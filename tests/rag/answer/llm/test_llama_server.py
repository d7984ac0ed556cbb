"""LLM mode against a real llama.cpp server (Qwen2.5-Coder-0.5B) on 127.0.0.1.

The model is small and often wanders off the sources. So this proves the protocol end to end
(non-streaming and streaming through `OpenAILike`, and the `ChatModel` seam over HTTP) and that
the verifier holds an unreliable model to the sources — not answer quality.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.chunker import chunk_id, pack_sentences
from rag.answer.llm.answerer import LLMAnswerer
from rag.answer.llm.compose import UNSUPPORTED_MARK
from rag.core.settings import LLMSettings
from rag.core.types import Answer, Chunk, ScoredChunk
from rag.text.sentences import sentence_spans

pytestmark = pytest.mark.integration

DOCS = ("ev-flood-02", "ev-flood-01", "ev-stadium-01")
QUESTION = "How many people had died in the Carrow Valley floods?"


@pytest.fixture(scope="module")
def sample_chunks(sample_corpus: Path) -> list[ScoredChunk]:
    """The first chunk of a few sample-corpus articles, as the ingest step would cut them."""
    rows = [json.loads(line) for line in (sample_corpus / "articles.jsonl").open()]
    by_id = {row["id"]: row for row in rows}
    out = []
    for rank, doc_id in enumerate(DOCS):
        doc = by_id[doc_id]
        start, end = pack_sentences(sentence_spans(doc["text"]), 700, 1)[0]
        chunk = Chunk(chunk_id=chunk_id(doc_id, 0), doc_id=doc_id, text=doc["text"][start:end],
                      start=start, end=end, title=doc["title"],
                      publish_date=doc.get("publish_date"))
        out.append(ScoredChunk(chunk=chunk, score=1.0 / (rank + 1)))
    return out


@pytest.fixture(scope="module")
def answerer(llama_server: str) -> LLMAnswerer:
    settings = LLMSettings(base_url=llama_server, model="qwen-0.5b", max_tokens=64,
                           timeout_s=120, context_tokens=4096, max_retries=1)
    return LLMAnswerer.from_settings(settings, env={})


def assert_verified(answer: Answer) -> None:
    """Well-formed, every sentence has a verdict, and nothing unsupported is shown unmarked."""
    assert answer.mode == "llm" and answer.verification
    assert all(c.verdict for c in answer.verification)
    unsupported = [c.sentence for c in answer.verification if c.verdict == "unsupported"]
    unmarked = answer.answer
    for sentence in unsupported:
        unmarked = unmarked.replace(f"{UNSUPPORTED_MARK} {sentence}", "")
    for check in answer.verification:
        if check.verdict == "unsupported":
            assert check.sentence not in unmarked
        if check.verdict in ("supported", "wrongly_cited", "citation_added"):
            assert check.citations and all(1 <= n <= len(answer.citations)
                                           for n in check.citations)
    for citation in answer.citations:
        assert citation.quote and citation.end > citation.start
    Answer.model_validate_json(answer.model_dump_json())


def test_a_real_server_answers_and_every_sentence_is_verified(answerer, sample_chunks):
    answer = answerer.answer(QUESTION, sample_chunks)
    assert_verified(answer)


def test_a_real_server_streams_tokens_then_a_verified_answer(answerer, sample_chunks):
    streamed = answerer.stream(QUESTION, sample_chunks)
    tokens = list(streamed)
    assert len(tokens) > 1
    answer = streamed.result()
    assert_verified(answer)
    assert len(answer.verification) >= 1


def test_the_served_model_gives_the_reader_its_support_probability(llama_server):
    """The same `ChatModel` seam over HTTP: P(YES) from the first token's log-probabilities."""
    from rag.answer.llm.client import Endpoint
    from rag.answer.llm.openai_model import OpenAIChatModel
    from rag.core.protocols import ModelPrompt

    model = OpenAIChatModel(Endpoint(llama_server, "qwen-0.5b", "not-needed", 120.0))
    prompt = ModelPrompt("Reply YES or NO.", "Passage: Seven people died.\n",
                         "Does the passage say how many died? YES or NO:")
    p = model.yes_probability(prompt)
    assert 0.0 <= p <= 1.0 and model.yes_probability(prompt) == p
    assert "".join(model.stream(prompt, 4)).strip()
