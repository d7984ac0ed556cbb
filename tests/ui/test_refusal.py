"""Explained refusals: the first reason that applies, in words a reader can act on."""

from __future__ import annotations

from datetime import date

import pytest

from rag.core.protocols import SearchFilters
from ui.refusal import Scope, explain

DAY = date(2026, 9, 12)
FULL = Scope(total=39, matching=39, readable=39, earliest="2026-09-01")


@pytest.mark.parametrize(("scope", "filters", "read", "support", "expected"), [
    (Scope(0, 0, 0), None, 0, None,
     "This collection has no documents yet: add some in the Documents tab."),
    (Scope(39, 0, 0, source_docs=0), SearchFilters(source="Wire"), 0, None,
     "No document here has the source “Wire” (no document here names its source)."),
    (Scope(39, 0, 0, source_docs=0, sources=tuple("ABCDEFG")), SearchFilters(source="Z"), 0,
     None, "No document here has the source “Z” (sources: A, B, C, D, E, …)."),
    (Scope(39, 0, 0), SearchFilters(since="2027-01-01", until="2027-02-01"), 0, None,
     "No document here was published between 2027-01-01 and 2027-02-01."),
    (Scope(39, 0, 0), SearchFilters(until="2020-01-01"), 0, None,
     "No document here was published on or before 2020-01-01."),
    (Scope(39, 4, 0, earliest="2026-10-01"), SearchFilters(source="Wire"), 0, None,
     "Every matching document is dated after 2026-09-12, the day this question is asked as of "
     "(the earliest is 2026-10-01): clear “As of” or choose a later day."),
    (FULL, None, 0, None, "No passage shares enough words with the question."),
    (FULL, None, 3, 0.12, "The 3 passages read do not hold the answer: the model put the chance "
     "that they do at 12%."),
    (FULL, None, 1, None, "None of the 1 passage read answers it closely enough to quote."),
])
def test_the_first_reason_that_applies_is_given(scope, filters, read, support, expected):
    assert explain(scope, as_of=DAY, read=read, filters=filters, support=support) == expected
