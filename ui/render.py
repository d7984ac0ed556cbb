"""Answers and their sources as HTML for the chat UI: pure functions, every document text escaped.

>>> answer_html('Seven. "Seven people died." [1]')[26:]
'Seven. &quot;Seven people died.&quot; <a href="#src-1" class="cite">[1]</a></div>'

Document text reaches the browser only through `escape_text`, which HTML-escapes it and turns the
characters Markdown would interpret into numeric entities: the chat renders Markdown, and a quote
containing `*` or `[x](y)` must show as written, not as emphasis or a link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from datetime import date
from urllib.parse import urlsplit

from rag.core.protocols import SearchFilters
from rag.core.types import REFUSAL, Answer, Chunk, Citation, ScoredChunk

_MARKER = re.compile(r"\[(\d{1,3})\]")
# One pass (never escape an entity twice): HTML specials, then what Markdown would interpret.
_ESCAPES = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
    **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!|~$"},
})
REFUSAL_LEAD = REFUSAL.removesuffix(".") + "…"
CLOSEST_SHOWN = 3

CSS = """
.answer .cite { font-weight: 600; text-decoration: none; }
.answer.refusal { border-left: 4px solid #b45309; padding-left: .6em; color: #78350f; }
.answer .rewrite { font-size: .85em; opacity: .75; }
.sources ol { padding-left: 0; list-style: none; }
.sources .source { margin: 0 0 1em 0; padding: .5em .7em; border: 1px solid #d4d4d8;
  border-radius: 6px; }
.sources .source:target { outline: 2px solid #2563eb; }
.sources .not-used { opacity: .8; border-style: dashed; }
.sources .src-meta { font-size: .85em; opacity: .8; }
.sources .src-text { white-space: pre-wrap; margin: .4em 0 0 0; }
.sources mark { background: #fde68a; color: inherit; }
.sources .refusal-note { color: #78350f; font-weight: 600; }
.sources .filters { font-size: .85em; margin: 0 0 .6em 0; padding: .2em .5em;
  background: #eff6ff; border-radius: 4px; }
"""


def escape_text(text: str) -> str:
    """HTML-escape `text` and neutralise Markdown syntax, so it renders exactly as written."""
    return text.translate(_ESCAPES)


def _link_markers(escaped: str) -> str:
    # The marker brackets were turned into entities by escape_text; match those.
    pattern = re.compile(r"&#91;(\d{1,3})&#93;")
    return pattern.sub(r'<a href="#src-\1" class="cite">[\1]</a>', escaped)


def answer_html(text: str, *, refused: bool = False, final: bool = True, note: str = "") -> str:
    """The chat message for an answer (or a prefix of one while streaming).

    Each complete `[n]` marker becomes `<a href="#src-n" class="cite">[n]</a>`; a refusal gets the
    `refusal` style; `note` (e.g. the question as searched) is shown above the text, escaped.
    """
    classes = "answer" + (" refusal" if refused else "") + (" final" if final else " streaming")
    body = _link_markers(escape_text(text))
    lead = f'<div class="rewrite">{escape_text(note)}</div>' if note else ""
    return f'<div class="{classes}">{lead}{body}</div>'


def reading_html(chunks: Sequence[ScoredChunk], shown: int = 3) -> str:
    """What the user sees while the model reads: which articles it is reading.

    >>> from rag.core.types import Chunk
    >>> c = ScoredChunk(chunk=Chunk(chunk_id="a::0", doc_id="a", text="x", start=0, end=1,
    ...                 title="Bridge <reopens>"), score=1.0)
    >>> reading_html([c])
    '<div class="answer streaming reading">Reading 1 passage: Bridge &lt;reopens&gt; …</div>'
    """
    if not chunks:
        return '<div class="answer streaming reading">Searching …</div>'
    titles = list(dict.fromkeys(c.chunk.title or c.chunk.doc_id for c in chunks))[:shown]
    count = f"{len(chunks)} passage{'s' if len(chunks) != 1 else ''}"
    return (f'<div class="answer streaming reading">Reading {count}: '
            f'{escape_text(" · ".join(titles))} …</div>')


def stream_words(text: str, step: int = 1) -> Iterator[str]:
    """Growing prefixes of `text`, `step` words longer each time; the last one is `text` itself.

    >>> list(stream_words("a b c", step=2))
    ['a b ', 'a b c']
    """
    ends = [m.end() for m in re.finditer(r"\S+\s*", text)]
    for i in range(step - 1, len(ends), step):
        yield text[: ends[i]]
    if not ends or (len(ends) - 1) % step != step - 1:
        yield text


def safe_url(url: str | None) -> str | None:
    """`url` if it is an http(s) URL with a host, else None (never link javascript: or files)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def quote_span(citation: Citation, chunk: Chunk) -> tuple[int, int] | None:
    """Offsets of the cited quote inside `chunk.text`, or None if it is not in this chunk.

    The citation's offsets index the cleaned document text; `chunk.start` is the chunk's own
    offset there. If they do not line up with the quote, the quote is looked up by content.
    """
    start, end = citation.start - chunk.start, citation.end - chunk.start
    if 0 <= start <= end <= len(chunk.text) and chunk.text[start:end] == citation.quote:
        return start, end
    found = chunk.text.find(citation.quote) if citation.quote else -1
    return (found, found + len(citation.quote)) if found >= 0 else None


def _meta(title: str, publish_date: str | None, source: str | None, url: str | None) -> str:
    parts = [f"<strong>{escape_text(title or '(untitled)')}</strong>"]
    parts.append(escape_text(publish_date) if publish_date else "no date")
    if source:
        parts.append(escape_text(source))
    link = safe_url(url)
    if link:
        href = html.escape(link, quote=True)
        parts.append(f'<a href="{href}" target="_blank" rel="noopener noreferrer">'
                     f"{escape_text(link)}</a>")
    elif url:
        parts.append(escape_text(url))
    return " · ".join(parts)


def _cited_source(citation: Citation, chunk: Chunk | None) -> str:
    text = chunk.text if chunk else citation.quote
    span = quote_span(citation, chunk) if chunk else (0, len(text))
    if span is None:  # the quote is not in the chunk we have: show the quote alone
        text, span = citation.quote, (0, len(citation.quote))
    a, b = span
    body = (escape_text(text[:a]) + "<mark>" + escape_text(text[a:b]) + "</mark>"
            + escape_text(text[b:]))
    meta = _meta(citation.title or citation.doc_id, citation.publish_date,
                 chunk.source if chunk else None, citation.url)
    return (f'<li id="src-{citation.n}" class="source"><div class="src-meta">'
            f"[{citation.n}] {meta}</div><div class=\"src-text\">{body}</div></li>")


def _unused_source(rank: int, chunk: Chunk) -> str:
    meta = _meta(chunk.title or chunk.doc_id, chunk.publish_date, chunk.source, chunk.url)
    return (f'<li class="source not-used"><div class="src-meta">not used · #{rank} {meta}</div>'
            f'<div class="src-text">{escape_text(chunk.text)}</div></li>')


def filters_html(filters: SearchFilters | None, as_of: date | None = None) -> str:
    """The filters an answer was found under, as one escaped line; '' when none was set.

    >>> filters_html(SearchFilters(source="Valley Wire"), date(2026, 9, 12))[:40]
    '<p class="filters">Filters: as of 2026&#'
    """
    parts = [f"as of {as_of.isoformat()}"] if as_of else []
    if filters:
        parts += [f"{name} {value}" for name, value in
                  (("since", filters.since), ("until", filters.until), ("source", filters.source))
                  if value]
    if not parts:
        return ""
    return f'<p class="filters">Filters: {escape_text(" · ".join(parts))}</p>'


def sources_html(
    answer: Answer, chunks: Sequence[ScoredChunk], filters: SearchFilters | None = None,
    as_of: date | None = None,
) -> str:
    """The sources panel: the filters line (if any), then each citation with title, date,
    source/URL and its chunk, the quoted span in `<mark>`; for a refusal, the closest passages
    marked "not used"."""
    shown = filters_html(filters, as_of)
    if answer.refused or not answer.citations:
        items = "".join(_unused_source(i, s.chunk) for i, s in
                        enumerate(chunks[:CLOSEST_SHOWN], start=1))
        lead = escape_text(REFUSAL_LEAD)
        note = f'<p class="refusal-note">{lead} Closest passages (not used):</p>'
        return f'<div class="sources">{shown}{note}<ol>{items}</ol></div>'
    by_id = {s.chunk.chunk_id: s.chunk for s in chunks}
    items = "".join(_cited_source(c, by_id.get(c.chunk_id)) for c in answer.citations)
    return f'<div class="sources">{shown}<ol>{items}</ol></div>'


def empty_sources_html() -> str:
    """What the sources panel shows before the first answer."""
    return '<div class="sources"><p>Sources of the latest answer appear here.</p></div>'
