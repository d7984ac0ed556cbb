"""Terminal rendering of answers: the ask context line."""

from __future__ import annotations

from rag.cli.render import render_answer, render_context
from rag.core.types import Answer, AskContext


def test_context_line_names_as_of_window_and_filters():
    context = AskContext(as_of="2026-09-12", window_since="2026-09-06",
                         window_until="2026-09-12", window_phrase="this week",
                         source="Valley Wire")
    assert render_context(context) == (
        'Asked as of 2026-09-12 · "this week" = 2026-09-06..2026-09-12 · source Valley Wire')
    assert render_context(AskContext(as_of="2026-09-12")) == "Asked as of 2026-09-12"
    assert render_context(None) == ""


def test_a_refusal_still_says_when_it_was_asked():
    refusal = Answer(question="q", answer="The documents don't say.", refused=True,
                     context=AskContext(as_of="2026-09-12", until="2026-09-10"))
    assert render_answer(refusal).endswith("Asked as of 2026-09-12 · until 2026-09-10")
