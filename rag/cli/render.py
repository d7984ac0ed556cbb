"""Plain-text rendering of answers, verification reports and retrieval results for the terminal.

>>> from rag.core.types import Answer, SentenceCheck
>>> answer = Answer(question="q", answer="a", verification=[
...     SentenceCheck(sentence="Seven died.", verdict="supported", citations=[1]),
...     SentenceCheck(sentence="Bob is mayor.", verdict="unsupported",
...                   reasons=["source 1 lacks bob"])])
>>> print(render_verification(answer))
verified: 1 supported, 1 unsupported
  ⚠ unsupported: “Bob is mayor.” — source 1 lacks bob
"""

from __future__ import annotations

import textwrap
from collections import Counter
from typing import TextIO

from rag.core.types import Answer, AskContext, ScoredChunk
from rag.text.dates import shown_date


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
            f"  [{shown_date(c.publish_date, c.date_provenance)}]"
        )
        lines.append(f"    {snippet(c.text)}")
    return "\n".join(lines)


def answered_by(answer: Answer) -> str:
    """Which mode produced the answer, in words.

    >>> answered_by(Answer(question="q", answer="a", mode="local", model="qwen-1.5b"))
    'answered by the local model (qwen-1.5b)'
    >>> answered_by(Answer(question="q", answer="a"))
    'answered extractively (quoted, no model)'
    """
    if answer.mode == "extractive":
        return "answered extractively (quoted, no model)"
    where = "the local model" if answer.mode == "local" else "the LLM endpoint"
    return f"answered by {where} ({answer.model})" if answer.model else f"answered by {where}"


def render_answer(answer: Answer) -> str:
    body = textwrap.fill(answer.answer, width=100)
    context = render_context(answer.context)
    if context and not answer.refused:
        context = f"{context} · {answered_by(answer)}"
    if answer.refused or not answer.citations:
        return "\n".join([body, "", context]) if context else body
    lines = [body, "", "Sources:"]
    for c in answer.citations:
        where = c.url or c.doc_id
        day = shown_date(c.publish_date, c.date_provenance)
        lines.append(f"  [{c.n}] {c.title or c.doc_id} ({day}) — {where}")
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


_ORDER = ("supported", "wrongly_cited", "citation_added", "unsupported", "not_a_claim")
_LABEL = {
    "supported": "supported", "wrongly_cited": "re-cited", "citation_added": "citation added",
    "unsupported": "unsupported", "not_a_claim": "not a claim",
}
_ICON = {"wrongly_cited": "↻", "citation_added": "+", "unsupported": "⚠"}


def render_verification(answer: Answer) -> str:
    """One summary line, then a line for each sentence the verifier changed or rejected."""
    if answer.verification is None:
        return ""
    counts: Counter[str] = Counter(c.verdict for c in answer.verification)
    summary = ", ".join(f"{counts[v]} {_LABEL[v]}" for v in _ORDER if counts[v])
    lines = [f"verified: {summary or 'no sentences'}"]
    for check in answer.verification:
        if check.verdict in _ICON:
            why = "; ".join(check.reasons)
            cite = f" → [{', '.join(map(str, check.citations))}]" if check.citations else ""
            lines.append(f"  {_ICON[check.verdict]} {_LABEL[check.verdict]}: “{check.sentence}”"
                         f"{cite} — {why}")
    return "\n".join(lines)


def print_answer(answer: Answer, out: TextIO, *, streamed: bool = False) -> None:
    """The (verified) answer with its sources, then the verification summary if any."""
    if streamed:
        print("\n— verified answer —", file=out)
    print(render_answer(answer), file=out)
    summary = render_verification(answer)
    if summary:
        print(f"\n{summary}", file=out)
