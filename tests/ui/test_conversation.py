"""Follow-up carry-over: short or pronoun-led questions borrow the previous question's names."""

from __future__ import annotations

import pytest

from ui.conversation import carry_over, entities, is_follow_up

PREVIOUS = "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"


@pytest.mark.parametrize(("question", "expected"), [
    ("Who cut the ribbon on the Port Ellery Harbour Bridge?", ["Port Ellery Harbour Bridge"]),
    ("How many died in the Carrow Valley floods, said Mayor Amundsen?",
     ["Carrow Valley", "Mayor Amundsen"]),
    ("What did the Bank of England say?", ["Bank of England"]),
    ("What happened in the U.S. last week?", ["U.S."]),
    ("how much did it cost?", []),
    ("And when did it reopen?", []),
])
def test_entities(question, expected):
    assert entities(question) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("And when?", True),
    ("what about the cost of the whole rebuild project?", True),
    ("How about the final cost of the rebuilt bridge?", True),
    ("It was late by how many weeks in the end?", True),
    ("They said what about the budget overrun later?", True),
    ("How much did it cost?", True),  # refers back, names nothing
    ("Who won?", True),  # short
    ("How many people died in the floods this week?", False),
    ("How many people died in the Carrow Valley floods?", False),
    ("Andrew Smith was named chief executive of which company?", False),  # "And…" is not "and"
    ("", False),
])
def test_is_follow_up(question, expected):
    assert is_follow_up(question) is expected


def test_follow_up_gets_the_previous_entities():
    assert carry_over("And when did it reopen?", PREVIOUS) == (
        "Port Ellery Harbour Bridge: And when did it reopen?"
    )


def test_entities_already_named_are_not_repeated():
    assert carry_over("What about the Port Ellery Harbour Bridge?", PREVIOUS) == (
        "What about the Port Ellery Harbour Bridge?"
    )


def test_a_new_full_question_is_unchanged():
    question = "How many people died in the Carrow Valley floods?"
    assert carry_over(question, PREVIOUS) == question


def test_no_previous_question_or_nothing_to_carry():
    assert carry_over("And when?", None) == "And when?"
    assert carry_over("And when?", "how much did it cost?") == "And when?"


def test_carry_over_chains_through_the_searched_question():
    first = carry_over("And when did it reopen?", PREVIOUS)
    assert carry_over("Who paid?", first) == "Port Ellery Harbour Bridge: Who paid?"
