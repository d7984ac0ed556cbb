"""An answer as plain text for the clipboard: the answer with its `[n]` markers, then its
sources as a numbered list (title, date, source, link, quote). No HTML, no Markdown.

>>> from rag.core.types import Answer, Citation
>>> c = Citation(n=1, chunk_id="b::0", doc_id="b", title="Bridge reopens", url=None,
...              publish_date="2026-09-29", quote="It reopened.", start=0, end=12)
>>> print(plain_text(Answer(question="q", answer='"It reopened." [1]', citations=[c])))
"It reopened." [1]
<BLANKLINE>
Sources:
[1] Bridge reopens (29 Sep 2026)
    “It reopened.”
"""

from __future__ import annotations

from rag.core.types import Answer, Citation
from rag.text.dates import news_date


def plain_text(answer: Answer, why: str = "") -> str:
    """`answer` (and, for a refusal, `why`) with its sources numbered."""
    lines = [answer.answer.strip()]
    if why:
        lines.append(why)
    if answer.citations:
        lines += ["", "Sources:"] + [_source(c) for c in answer.citations]
    return "\n".join(lines)


def _source(citation: Citation) -> str:
    day = news_date(citation.publish_date)
    head = f"[{citation.n}] {citation.title or citation.doc_id}" + (f" ({day})" if day else "")
    if citation.url:
        head += f" — {citation.url}"
    quote = " ".join(citation.quote.split())
    return f"{head}\n    “{quote}”"
