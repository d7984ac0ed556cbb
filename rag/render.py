"""Plain-text rendering of answers and retrieval results for the terminal (pure functions)."""

from __future__ import annotations

import textwrap

from rag.types import Answer, AskContext, ScoredChunk


def snippet(text: str, width: int = 160) -> str:
    """One line of at most `width` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def render_results(results: list[ScoredChunk]) -> str:
    if not results:
        return "No passages found. Has anything been ingested? Try `citechat stats`."
    lines = []
    for rank, item in enumerate(results, start=1):
        c = item.chunk
        lines.append(
            f"{rank:>2}. {item.score:.4f}  {c.doc_id}  {c.title or '(untitled)'}"
            f"  [{c.publish_date or 'no date'}]"
        )
        lines.append(f"    {snippet(c.text)}")
    return "\n".join(lines)


def render_answer(answer: Answer) -> str:
    body = textwrap.fill(answer.answer, width=100)
    context = render_context(answer.context)
    if answer.refused or not answer.citations:
        return "\n".join([body, "", context]) if context else body
    lines = [body, "", "Sources:"]
    for c in answer.citations:
        where = c.url or c.doc_id
        lines.append(f"  [{c.n}] {c.title or c.doc_id} ({c.publish_date or 'no date'}) — {where}")
        lines.append(f"      “{snippet(c.quote, 200)}”")
    if context:
        lines += ["", context]
    return "\n".join(lines)


def render_context(context: AskContext | None) -> str:
    """'Asked as of 2026-09-12 · "this week" = 2026-09-06..2026-09-12 · since 2026-09-01'."""
    if context is None:
        return ""
    parts = [f"Asked as of {context.as_of}"]
    if context.window_phrase:
        parts.append(f'"{context.window_phrase}" = {context.window_since}..{context.window_until}')
    parts += [f"{name} {value}" for name, value in
              (("since", context.since), ("until", context.until), ("source", context.source))
              if value]
    return " · ".join(parts)
