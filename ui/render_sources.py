"""The sources panel as HTML: one card per passage (a passage cited twice is shown once, with
both quotes marked), its title, date, source, link and relevance; for a refusal, why, and the
nearest passages marked "not used". Pure functions; every document text escaped.

Card ids are `src-n` for the first citation of the passage; each further `[n]` it holds gets
an empty anchor `src-n` inside the card, so every chip in the answer lands on its passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rag.core.protocols import SearchFilters
from rag.core.types import REFUSAL, Answer, Chunk, Citation, ScoredChunk
from rag.text.dates import shown_date
from ui.render import escape_text, link_html

CLOSEST_SHOWN = 3


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


def marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` escaped, each span (overlaps merged) in `<mark>`.

    >>> marked("a <b> c", [(2, 5)])
    'a <mark>&lt;b&gt;</mark> c'
    """
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, at = [], 0
    for a, b in merged:
        out += [escape_text(text[at:a]), "<mark>", escape_text(text[a:b]), "</mark>"]
        at = b
    return "".join([*out, escape_text(text[at:])])


def _meta(chunk: Chunk | None, citation: Citation | None) -> str:
    title = (citation.title if citation else "") or (chunk.title if chunk else "")
    doc_id = citation.doc_id if citation else chunk.doc_id if chunk else ""
    day = (citation.publish_date if citation else None) or (chunk.publish_date if chunk else None)
    provenance = (citation.date_provenance if citation else None) or (
        chunk.date_provenance if chunk else None)
    parts = [f"<strong>{escape_text(title or doc_id or '(untitled)')}</strong>",
             escape_text(shown_date(day, provenance))]
    if chunk and chunk.source:
        parts.append(escape_text(chunk.source))
    link = link_html((citation.url if citation else None) or (chunk.url if chunk else None))
    return " · ".join([*parts, link] if link else parts)


def relevance(rank: int, score: float, best: float, read: int) -> str:
    """The relevance line of a card: rank among the passages read, score relative to the best.

    >>> relevance(2, 0.02, 0.04, 8)[-36:]
    '>#2 of 8 read · relevance 50%</span>'
    """
    share = round(100 * score / best) if best > 0 else 0
    return ('<span class="rel" title="fused keyword and meaning rank, relative to the best '
            f'passage">#{rank} of {read} read · relevance {share}%</span>')


def _card(citations: Sequence[Citation], scored: ScoredChunk | None, rank: int, best: float,
          read: int) -> str:
    first, chunk = citations[0], scored.chunk if scored else None
    spans = [s for c in citations if (s := quote_span(c, chunk))] if chunk else []
    text = chunk.text if chunk and spans else first.quote  # else: the quote alone
    spans = spans if chunk and spans else [(0, len(first.quote))]
    numbers = "".join(f"[{c.n}]" for c in citations)
    aliases = "".join(f'<span id="src-{c.n}" class="alias"></span>' for c in citations[1:])
    rel = relevance(rank, scored.score, best, read) if scored else ""
    return (f'<li id="src-{first.n}" class="source">{aliases}<div class="src-meta">{numbers} '
            f'{_meta(chunk, first)}</div>{rel}<div class="src-text">{marked(text, spans)}</div>'
            "</li>")


def _unused(rank: int, scored: ScoredChunk, best: float, read: int) -> str:
    chunk = scored.chunk
    rel = relevance(rank, scored.score, best, read) if read else ""
    return (f'<li class="source not-used"><div class="src-meta">not used · {_meta(chunk, None)}'
            f'</div>{rel}<div class="src-text">{escape_text(chunk.text)}</div></li>')


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
    as_of: date | None = None, *, why: str = "", nearest: Sequence[ScoredChunk] = (),
) -> str:
    """The sources panel of one answer: the filters line (if any), then a card per cited
    passage; for a refusal, `why` and the closest passages read (else `nearest`: passages
    found without the date and filters, which were not read)."""
    shown = filters_html(filters, as_of)
    best = max((s.score for s in chunks), default=0.0)
    if answer.refused or not answer.citations:
        return f'<div class="sources">{shown}{_refusal(chunks, best, why, nearest)}</div>'
    ranks = {s.chunk.chunk_id: (i, s) for i, s in enumerate(chunks, start=1)}
    groups: dict[str, list[Citation]] = {}
    for c in answer.citations:
        groups.setdefault(c.chunk_id, []).append(c)
    items = "".join(
        _card(group, ranks.get(cid, (0, None))[1], ranks.get(cid, (0, None))[0], best,
              len(chunks)) for cid, group in groups.items())
    return f'<div class="sources">{shown}<ol>{items}</ol></div>'


def _refusal(chunks: Sequence[ScoredChunk], best: float, why: str,
             nearest: Sequence[ScoredChunk]) -> str:
    lead = escape_text(REFUSAL + (f" {why}" if why else ""))
    note = f'<p class="refusal-note">{lead}</p>'
    if chunks:
        items = "".join(_unused(i, s, best, len(chunks))
                        for i, s in enumerate(chunks[:CLOSEST_SHOWN], start=1))
        return f'{note}<p class="closest">Closest passages read (not used):</p><ol>{items}</ol>'
    if nearest:
        items = "".join(_unused(i, s, 0.0, 0) for i, s in enumerate(nearest, start=1))
        return (f'{note}<p class="closest">No passage could be read. Nearest passages outside '
                f"the date and filters (not read):</p><ol>{items}</ol>")
    return f'{note}<p class="closest">No passage could be read.</p>'



def empty_sources_html() -> str:
    """What the sources panel shows before the first answer."""
    return '<div class="sources"><p>Sources of the latest answer appear here.</p></div>'
