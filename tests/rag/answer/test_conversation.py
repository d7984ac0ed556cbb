"""Conversations: follow-ups made standalone (chat and UI alike); sessions; the terminal loop."""

from __future__ import annotations

import io

import pytest

from rag.answer.conversation import (
    LLMRewriter,
    Turn,
    carry_over,
    clean_rewrite,
    entities,
    is_follow_up,
    rule_rewriter,
)
from rag.answer.llm.answerer import LLMAnswerer
from rag.answer.llm.errors import EndpointUnreachable
from rag.chat import ChatSession
from rag.cli.chat import run_chat
from rag.core.types import Answer
from rag.service import CitechatService
from tests.fakes.llm_models import chunks_fixture, scripted_fixture  # noqa: F401 (fixtures)

GOOD = "Twelve people are now known to have died in the Carrow Valley floods [1]."
FLOODS = "How many people died in the Carrow Valley floods?"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (FLOODS, ["Carrow Valley"]),
        ("What did Egypt say?", ["Egypt"]),
        ("Who is the Bank of England governor?", ["Bank of England"]),
        ("how many died?", []),
    ],
)
def test_entities(text, names):
    assert entities(text) == names


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("and what did Egypt say?", True),
        ("What about Kenya?", True),
        ("When did it start?", True),
        ("How many were hurt?", True),
        ("Who chairs the Kestlebury Kestrels?", False),
    ],
)
def test_is_follow_up(question, follow_up):
    assert is_follow_up(question) is follow_up


@pytest.mark.parametrize(
    ("question", "standalone"),
    [
        ("and what did Egypt say?", "What did Egypt say (Carrow Valley)?"),
        ("How many were hurt?", "How many were hurt (Carrow Valley)?"),
        ("What about the Orlow floods?", "How many people died in the Carrow Valley floods "
                                         "(the Orlow floods)?"),
        ("Who chairs the Kestlebury Kestrels?", "Who chairs the Kestlebury Kestrels?"),
        ("And in the Carrow Valley?", "In the Carrow Valley?"),
    ],
)
def test_carry_over(question, standalone):
    assert carry_over(question, [FLOODS]) == standalone


PREVIOUS = "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"


@pytest.mark.parametrize(("question", "expected"), [
    ("Who cut the ribbon on the Port Ellery Harbour Bridge?", ["Port Ellery Harbour Bridge"]),
    ("How many died in the Carrow Valley floods, said Mayor Amundsen?",
     ["Carrow Valley", "Mayor Amundsen"]),
    ("What happened in the U.S. last week?", ["U.S."]),
    ("And when did it reopen?", []),
])
def test_more_entities(question, expected):
    assert entities(question) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("And when?", True),
    ("what about the cost of the whole rebuild project?", True),
    ("It was late by how many weeks in the end?", True),  # opens with a pronoun
    ("They said what about the budget overrun later?", True),
    ("How much did it cost?", True),  # refers back, names nothing
    ("Who won?", True),  # elliptical: asks about one thing, names nothing
    ("When did it reopen?", True),
    ("How many people died in the floods this week?", False),  # "this week" is no pronoun
    ("How many people died in the Carrow Valley floods?", False),
    ("Who won the Valley Cup final?", False),  # short, but stands alone
    ("Andrew Smith was named chief executive of which company?", False),  # "And…" is no "and"
    ("", False),
])
def test_follow_up_is_decided_by_reference_not_length(question, expected):
    assert is_follow_up(question) is expected


def test_a_reopening_follow_up_keeps_its_question_word_first():
    # The question word stays in front, so the answer type ("when") is still read.
    assert carry_over("When did it reopen?", [PREVIOUS]) == (
        "When did it reopen (Port Ellery Harbour Bridge)?"
    )
    assert carry_over("What about the Port Ellery Harbour Bridge?", [PREVIOUS]) == (
        "Who cut the ribbon to reopen the Port Ellery Harbour Bridge "
        "(the Port Ellery Harbour Bridge)?"
    )


def test_carry_over_without_history_changes_nothing():
    assert carry_over("and what did Egypt say?", []) == "and what did Egypt say?"


def turn(standalone: str, answer: str = "Twelve [1].") -> Turn:
    return Turn(standalone, standalone, Answer(question=standalone, answer=answer))


def test_the_llm_rewriter_uses_the_model_and_cleans_its_reply():
    seen: list = []

    def complete(messages):
        seen.append(messages)
        return 'Standalone question: "What did Egypt say about the Carrow Valley floods?"\nok'

    rewrite = LLMRewriter(complete)
    assert rewrite("and what did Egypt say?", [turn(FLOODS)]) == (
        "What did Egypt say about the Carrow Valley floods?"
    )
    prompt = seen[0][1].content
    assert f"User: {FLOODS}" in prompt and "Assistant: Twelve." in prompt
    assert rewrite("Who chairs the Kestlebury Kestrels?", [turn(FLOODS)]) == (
        "Who chairs the Kestlebury Kestrels?"
    )
    assert len(seen) == 1  # a standalone question is not sent to the model


@pytest.mark.parametrize("reply", ["", "\n\n", "x" * 500])
def test_an_implausible_rewrite_falls_back_to_carry_over(reply):
    rewrite = LLMRewriter(lambda messages: reply)
    assert rewrite("and what did Egypt say?", [turn(FLOODS)]) == (
        "What did Egypt say (Carrow Valley)?"
    )


def test_clean_rewrite():
    assert clean_rewrite("\n  'Who won?'  \nbecause…") == "Who won?"


class Recorder:
    """A retriever that records queries and returns fixed chunks."""

    def __init__(self, chunks) -> None:
        self.chunks = chunks
        self.queries: list[str] = []

    def retrieve(self, query: str, k: int, filters=None):
        self.queries.append(query)
        return self.chunks


def test_a_session_rewrites_follow_ups_before_retrieval(scripted, chunks):
    retrieve = Recorder(chunks)
    session = ChatSession(CitechatService(retrieve, LLMAnswerer(scripted(GOOD))), rule_rewriter)
    session.ask(FLOODS)
    follow = session.ask("and what did Egypt say?")
    assert retrieve.queries == [FLOODS, "What did Egypt say (Carrow Valley)?"]
    assert follow.answer.question == "What did Egypt say (Carrow Valley)?"
    assert len(session.history) == 2
    session.reset()
    assert session.history == []


def test_the_chat_loop_streams_reports_and_survives_errors(scripted, chunks):
    class Flaky(LLMAnswerer):
        def stream(self, question, chunks):
            if "Egypt" in question:
                raise EndpointUnreachable("cannot reach the model endpoint: check llm.base_url")
            return super().stream(question, chunks)

    session = ChatSession(CitechatService(Recorder(chunks), Flaky(scripted(GOOD))), rule_rewriter)
    lines = iter([FLOODS, "and what did Egypt say?", "/reset", "", "How many were hurt?"])

    def read(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    assert run_chat(session, streaming=True, read=read, out=out) == 0
    text = out.getvalue()
    assert GOOD in text and "— verified answer —" in text and "verified: 1 supported" in text
    assert "(searching: What did Egypt say (Carrow Valley)?)" in text
    assert "citechat: cannot reach the model endpoint" in text
    assert "(conversation forgotten)" in text
    assert "(searching: How many were hurt" not in text  # history was reset
