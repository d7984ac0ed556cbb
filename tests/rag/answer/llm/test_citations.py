"""`[n]` markers parsed into data (pure functions)."""

from __future__ import annotations

import pytest

from rag.answer.llm.citations import (
    cited_sentences,
    find_cited,
    marker_numbers,
    normalise_markers,
    strip_markers,
    with_markers,
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Seven died [1].", [1]),
        ("Seven died [1, 2].", [1, 2]),
        ("Seven died [1][2].", [1, 2]),
        ("Seven died [1; 3] and [2].", [1, 3, 2]),
        ("Seven died [2-4].", [2, 3, 4]),
        ("Seven died [Source 2].", [2]),
        ("Seven died [sources 1, 2].", [1, 2]),
        ("Seven died [1] [1].", [1]),
        ("No markers here, [a] or [] or [1.5].", []),
    ],
)
def test_find_cited(text, numbers):
    assert find_cited(text) == numbers


def test_marker_ranges_are_bounded():
    assert len(marker_numbers("[1-999]")) == 21


def test_strip_markers_leaves_clean_prose():
    assert strip_markers("Seven died [1], officials said [2][3].") == "Seven died, officials said."


def test_markers_after_the_full_stop_stay_with_their_sentence():
    assert normalise_markers("Seven died. [1] Roads shut.[2][3] Done.") == (
        "Seven died [1]. Roads shut [2][3]. Done."
    )
    sentences = cited_sentences("Seven died.\n[1]\nRoads shut [2].")
    assert [(s.text, s.cited) for s in sentences] == [("Seven died.", (1,)),
                                                      ("Roads shut.", (2,))]


def test_each_sentence_keeps_its_own_numbers():
    sentences = cited_sentences("Dr. Salt said 12 died [1]. Ruiz won [2]. It rained.")
    assert [(s.text, s.cited) for s in sentences] == [
        ("Dr. Salt said 12 died.", (1,)), ("Ruiz won.", (2,)), ("It rained.", ()),
    ]


def test_with_markers_goes_before_the_end_mark():
    assert with_markers("Seven died.", [1]) == "Seven died [1]."
    assert with_markers('He said "yes."', [2]) == 'He said "yes [2]."'
    assert with_markers("No end mark", [1, 3]) == "No end mark [1][3]"
    assert with_markers("Seven died.", []) == "Seven died."


def test_list_bullets_and_numbers_are_not_sentences():
    sentences = cited_sentences("Rules:\n1. Seven died [1].\n- Roads shut [2].\n2) Rain.")
    assert [s.text for s in sentences] == ["Rules:", "Seven died.", "Roads shut.", "Rain."]
