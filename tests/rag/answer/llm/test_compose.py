"""From the model's raw text to the shown answer: re-cited, marked or dropped, numbered."""

from __future__ import annotations

import json

from rag.answer.llm.compose import UNSUPPORTED_MARK, compose
from rag.core.types import REFUSAL, Answer
from tests.fakes.llm_models import DOC_TEXTS, sample_chunks

SOURCES = [c.chunk for c in sample_chunks()]
RAW = (
    "Twelve people have died in the Carrow Valley floods [1]. "
    "Ana Ruiz won 4,210 votes [1]. "
    "The mayor is Bob [2]."
)


def test_citations_are_numbered_in_order_with_exact_document_offsets():
    shown = compose("q", RAW, SOURCES)
    assert [c.n for c in shown.citations] == [1, 2]
    for citation in shown.citations:
        document = DOC_TEXTS[citation.doc_id]
        assert document[citation.start : citation.end] == citation.quote
    assert shown.citations[1].chunk_id == "mayor::0000"


def test_unsupported_sentences_are_marked_and_wrong_citations_repointed():
    shown = compose("q", RAW, SOURCES, unsupported="mark")
    assert shown.text == (
        "Twelve people have died in the Carrow Valley floods [1]. "
        "Ana Ruiz won 4,210 votes [2]. "
        f"{UNSUPPORTED_MARK} The mayor is Bob."
    )
    verdicts = [c.verdict for c in shown.verification]
    assert verdicts == ["supported", "wrongly_cited", "unsupported"]
    assert shown.verification[1].cited == [1] and shown.verification[1].citations == [2]
    assert shown.verification[1].chunk_ids == ["mayor::0000"]
    assert "marked" in shown.verification[2].reasons


def test_unsupported_sentences_can_be_dropped():
    shown = compose("q", RAW, SOURCES, unsupported="drop")
    assert "Bob" not in shown.text and UNSUPPORTED_MARK not in shown.text
    assert shown.verification[2].verdict == "unsupported"
    assert "dropped" in shown.verification[2].reasons


def test_a_shared_quote_is_cited_once():
    raw = "Twelve people died in the Carrow Valley floods [1]. Twelve people died there [1]."
    shown = compose("q", raw, SOURCES)
    assert len(shown.citations) == 1 and shown.text.count("[1]") == 2


def test_no_markers_at_all_get_citations_attached():
    shown = compose("q", "The Harbour Bridge reopened after repairs costing $12 million.", SOURCES)
    assert shown.text == "The Harbour Bridge reopened after repairs costing $12 million [1]."
    assert shown.citations[0].doc_id == "bridge"
    assert shown.verification[0].verdict == "citation_added"


def test_a_refusal_is_a_refusal_without_citations():
    shown = compose("q", "The documents don't say.", SOURCES)
    assert shown.refused and shown.text == REFUSAL and shown.citations == []
    assert shown.verification[0].verdict == "not_a_claim"


def test_the_verification_serialises_to_json_and_defaults_to_null():
    shown = compose("q", RAW, SOURCES)
    answer = Answer(question="q", answer=shown.text, citations=shown.citations,
                    verification=shown.verification)
    payload = json.loads(answer.model_dump_json())
    assert payload["verification"][2] == {
        "sentence": "The mayor is Bob.", "verdict": "unsupported", "cited": [2],
        "citations": [], "chunk_ids": [], "support": payload["verification"][2]["support"],
        "reasons": payload["verification"][2]["reasons"],
    }
    assert json.loads(Answer(question="q", answer="a").model_dump_json())["verification"] is None
