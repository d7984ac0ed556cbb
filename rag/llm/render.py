"""Plain-text views of a verified answer for the terminal (pure functions).

>>> from rag.types import Answer, SentenceCheck
>>> answer = Answer(question="q", answer="a", verification=[
...     SentenceCheck(sentence="Seven died.", verdict="supported", citations=[1]),
...     SentenceCheck(sentence="Bob is mayor.", verdict="unsupported",
...                   reasons=["source 1 lacks bob"])])
>>> print(render_verification(answer))
verified: 1 supported, 1 unsupported
  ⚠ unsupported: “Bob is mayor.” — source 1 lacks bob
"""

from __future__ import annotations

from collections import Counter

from rag.types import Answer

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
    counts = Counter(c.verdict for c in answer.verification)
    summary = ", ".join(f"{counts[v]} {_LABEL[v]}" for v in _ORDER if counts[v])
    lines = [f"verified: {summary or 'no sentences'}"]
    for check in answer.verification:
        if check.verdict in _ICON:
            why = "; ".join(check.reasons)
            cite = f" → [{', '.join(map(str, check.citations))}]" if check.citations else ""
            lines.append(f"  {_ICON[check.verdict]} {_LABEL[check.verdict]}: “{check.sentence}”"
                         f"{cite} — {why}")
    return "\n".join(lines)
