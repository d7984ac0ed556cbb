from datetime import date

import pytest

from rag.core.types import Chunk, ScoredChunk
from rag.retrieve.recency import prefer_dates
from rag.text.timeframe import DateWindow, resolve_window

AS_OF = date(2026, 9, 17)  # a Thursday


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("Which leader resigned this week?", date(2026, 9, 11), AS_OF),
        ("Who won the vote last week?", date(2026, 9, 7), date(2026, 9, 13)),
        ("What happened yesterday in Carrow?", date(2026, 9, 16), AS_OF),
        ("What did the council decide on Monday?", date(2026, 9, 14), date(2026, 9, 16)),
        ("What was announced in January?", date(2026, 1, 1), date(2026, 1, 31)),
        ("What was announced in October?", date(2025, 10, 1), date(2025, 10, 31)),
        ("How many died last month?", date(2026, 8, 1), date(2026, 8, 31)),
        ("Who joined earlier this year?", date(2026, 1, 1), AS_OF),
        ("What happened on 12 September 2026?", date(2026, 9, 12), date(2026, 9, 14)),
        ("What happened on September 3?", date(2026, 9, 3), date(2026, 9, 5)),
    ],
)
def test_relative_expressions_resolve_against_as_of(question, since, until):
    window = resolve_window(question, AS_OF)
    assert (window.since, window.until) == (since, until)


def test_no_time_words_means_no_window():
    assert resolve_window("Who leads the port authority?", AS_OF) is None


def _scored(doc_id: str, day: str | None, score: float) -> ScoredChunk:
    chunk = Chunk(chunk_id=f"{doc_id}::0000", doc_id=doc_id, text="t", start=0, end=1,
                  publish_date=day)
    return ScoredChunk(chunk=chunk, score=score)


def test_the_latest_near_duplicate_before_as_of_wins():
    older, newer = _scored("toll-7", "2026-09-03", 0.031), _scored("toll-14", "2026-09-10", 0.030)
    ranked = prefer_dates([older, newer], AS_OF, None, window_boost=0.5, recency_weight=0.2)
    assert [r.chunk.doc_id for r in ranked] == ["toll-14", "toll-7"]


def test_the_window_boosts_matching_chunks_and_undated_ones_keep_their_score():
    window = DateWindow(date(2026, 9, 1), date(2026, 9, 5), "test")
    inside, undated = _scored("in", "2026-09-02", 0.02), _scored("none", None, 0.025)
    ranked = prefer_dates([undated, inside], AS_OF, window, window_boost=0.5, recency_weight=0)
    assert [r.chunk.doc_id for r in ranked] == ["in", "none"]
    assert ranked[1].score == 0.025
