"""Chat messages as HTML for the UI: pure functions, every text from a document or a user escaped.

>>> answer_html('Seven. "Seven people died." [1]')[26:]
'Seven. &quot;Seven people died.&quot; <a href="#src-1" class="cite">[1]</a></div>'

Document text reaches the browser only through `escape_text`, which HTML-escapes it and turns the
characters Markdown would interpret into numeric entities: the chat renders Markdown, and a quote
containing `*` or `[x](y)` must show as written, not as emphasis or a link. Newlines become
`<br>`, so a blank line can never end the HTML block and hand the rest to Markdown. The sources
panel is `ui.render_sources`; the documents view, header and upload progress `ui.render_docs`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from rag.core.types import REFUSAL, Citation, ScoredChunk
from rag.text.dates import news_date

# One pass (never escape an entity twice): HTML specials, then what Markdown would interpret.
_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
    **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!|~$"},
})
_MARKER = re.compile(r"&#91;(\d{1,3})&#93;")  # a `[n]` after escape_text
REFUSAL_LEAD = REFUSAL.removesuffix(".") + "…"
CARDS_SHOWN = 3


def escape_text(text: str) -> str:
    """HTML-escape `text` and neutralise Markdown syntax, so it renders exactly as written."""
    return text.translate(_ESCAPES)


def escape_block(text: str) -> str:
    """`escape_text`, with line breaks as `<br>` (for text inside a chat message)."""
    return "<br>".join(escape_text(line) for line in text.split("\n"))


def _hover(citation: Citation) -> str:
    """A chip's hover preview: the source's title and the quoted words, as an attribute."""
    quote = " ".join(citation.quote.split())
    quote = quote if len(quote) <= 300 else quote[:299] + "…"
    return escape_text(f"{citation.title or citation.doc_id} — “{quote}”")


def _link_markers(escaped: str, citations: Sequence[Citation]) -> str:
    hover = {c.n: _hover(c) for c in citations}

    def chip(match: re.Match[str]) -> str:
        n = int(match.group(1))
        title = f' title="{hover[n]}"' if n in hover else ""
        return f'<a href="#src-{n}" class="cite"{title}>[{n}]</a>'

    return _MARKER.sub(chip, escaped)


def answer_html(
    text: str, *, refused: bool = False, final: bool = True, note: str = "",
    citations: Sequence[Citation] = (), why: str = "", stopped: bool = False,
) -> str:
    """The chat message for an answer (or the part written so far).

    Each complete `[n]` becomes a chip linking to source *n* (`<a href="#src-n" class="cite">`,
    its hover text the quote); `note` (the question as searched) goes above, `why` (a refusal
    explained) below; a final answer with `citations` starts with cards of its top sources,
    shown on narrow screens only. All text is escaped."""
    state = " stopped" if stopped else " final" if final else " streaming"
    classes = "answer" + (" refusal" if refused else "") + state
    lead = f'<div class="rewrite">{escape_text(note)}</div>' if note else ""
    cards = source_cards(citations) if final else ""
    body = _link_markers(escape_block(text), citations)
    tail = f'<div class="why">{escape_block(why)}</div>' if why else ""
    tail += '<div class="why">Stopped: the answer above is incomplete.</div>' if stopped else ""
    return f'<div class="{classes}">{lead}{cards}{body}{tail}</div>'


def source_cards(citations: Sequence[Citation], shown: int = CARDS_SHOWN) -> str:
    """Compact cards of the first cited documents (title · date), each linking to its source;
    CSS shows them above the answer on narrow screens only."""
    seen: dict[str, Citation] = {}
    for c in citations:
        seen.setdefault(c.doc_id, c)
    cards = [f'<a href="#src-{c.n}" class="card">[{c.n}] {escape_text(c.title or c.doc_id)}'
             + (f" · {escape_text(news_date(c.publish_date))}" if c.publish_date else "")
             + "</a>" for c in list(seen.values())[:shown]]
    return f'<div class="cards">{"".join(cards)}</div>' if cards else ""


def user_html(question: str) -> str:
    """The user's question as a chat message (escaped)."""
    return escape_block(question)


def searching_html() -> str:
    """What the answer says while the passages are being found."""
    return '<div class="answer streaming reading">Searching the documents …</div>'


def reading_html(chunks: Sequence[ScoredChunk], shown: int = 3) -> str:
    """What the user sees while the model reads: which articles it is reading.

    >>> from rag.core.types import Chunk
    >>> c = ScoredChunk(chunk=Chunk(chunk_id="a::0", doc_id="a", text="x", start=0, end=1,
    ...                 title="Bridge <reopens>"), score=1.0)
    >>> reading_html([c])
    '<div class="answer streaming reading">Reading 1 passage: Bridge &lt;reopens&gt; …</div>'
    """
    if not chunks:
        return searching_html()
    titles = list(dict.fromkeys(c.chunk.title or c.chunk.doc_id for c in chunks))[:shown]
    count = f"{len(chunks)} passage{'s' if len(chunks) != 1 else ''}"
    return (f'<div class="answer streaming reading">Reading {count}: '
            f'{escape_text(" · ".join(titles))} …</div>')


def error_html(why: str) -> str:
    """An answer that could not be given, with the reason (escaped)."""
    return f'<div class="answer error">Cannot answer: {escape_text(why)}</div>'


def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) URL with a host, else None (never link javascript: or files)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def link_html(url: str | None) -> str:
    """`url` as a link opening in a new tab when it is http(s), else as plain text; '' if none."""
    link = safe_url(url)
    if link:
        href = html.escape(link, quote=True)
        return (f'<a href="{href}" target="_blank" rel="noopener noreferrer">'
                f"{escape_text(link)}</a>")
    return escape_text(url) if url else ""
