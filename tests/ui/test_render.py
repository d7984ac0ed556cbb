"""HTML rendering of answers and sources: markers become chips, passages are shown once with
their quotes marked, refusals say why, every document text is escaped."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from rag.core.protocols import SearchFilters
from rag.core.types import Answer, Chunk, Citation, ScoredChunk
from ui.plain import plain_text
from ui.render import answer_html, escape_block, escape_text, safe_url, source_cards
from ui.render_sources import filters_html, marked, quote_span, sources_html

EVIL = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> ${1+1}'
DOC = "Intro sentence. The mayor cut the ribbon at 6 a.m. on Monday. Last one *here*."


def _chunk(text: str = DOC, start: int = 100, **kw) -> Chunk:
    fields = {"chunk_id": "d1::0000", "doc_id": "d1", "title": "Bridge reopens",
              "url": "https://news.example/bridge", "publish_date": "2026-09-29",
              "source": "Valley Wire", **kw}
    return Chunk(text=text, start=start, end=start + len(text), **fields)


def _citation(chunk: Chunk, quote: str, n: int = 1, **kw) -> Citation:
    at = chunk.text.index(quote)
    fields = {"chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, "title": chunk.title,
              "url": chunk.url, "publish_date": chunk.publish_date, "quote": quote,
              "start": chunk.start + at, "end": chunk.start + at + len(quote), **kw}
    return Citation(n=n, **fields)


def _answer(citations: list[Citation], refused: bool = False) -> Answer:
    text = " ".join(f'"{c.quote}" [{c.n}]' for c in citations) or "The documents don't say."
    return Answer(question="q", answer=text, citations=citations, refused=refused)


def test_markers_become_links_to_their_source():
    out = answer_html('Monday. "The mayor cut the ribbon." [1] "More." [2]')
    assert '<a href="#src-1" class="cite">[1]</a>' in out
    assert '<a href="#src-2" class="cite">[2]</a>' in out
    assert 'class="answer final"' in out


def test_incomplete_marker_while_streaming_stays_text():
    out = answer_html('"The mayor" [', final=False)
    assert "cite" not in out and 'class="answer streaming"' in out


def test_answer_text_and_note_are_escaped():
    out = answer_html(EVIL + " [1]", note="<b>searched</b>")
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and '<a href="#src-1"' in out


def test_escape_text_round_trips_and_neutralises_markdown():
    text = "**bold** _it_ [link](http://x) `code` # h $5 & 'q' \\"
    escaped = escape_text(text)
    assert html.unescape(escaped) == text
    bare = re.sub(r"&#?\w+;", "", escaped)
    for char in "*_[]()`#$<>":
        assert char not in bare


def test_refusal_has_its_own_style():
    assert 'class="answer refusal final"' in answer_html("The documents don't say.", refused=True)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://news.example/a", "https://news.example/a"),
    ("http://news.example", "http://news.example"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("data:text/html,<b>", None),
    ("file:///etc/passwd", None),
    ("//evil.example/x", None),
    ("files/a.html", None),
    (None, None),
])
def test_only_http_urls_are_linked(url, expected):
    assert safe_url(url) == expected


def test_quote_span_uses_document_offsets_minus_chunk_start():
    chunk = _chunk()
    cite = _citation(chunk, "The mayor cut the ribbon at 6 a.m. on Monday.")
    a, b = quote_span(cite, chunk)
    assert chunk.text[a:b] == cite.quote


def test_quote_span_falls_back_to_finding_the_quote():
    chunk = _chunk()
    cite = _citation(chunk, "Last one *here*.").model_copy(update={"start": 0, "end": 3})
    a, b = quote_span(cite, chunk)
    assert chunk.text[a:b] == "Last one *here*."
    missing = cite.model_copy(update={"quote": "not in the chunk"})
    assert quote_span(missing, chunk) is None


def test_sources_panel_shows_metadata_and_marks_the_quote():
    chunk = _chunk()
    cite = _citation(chunk, "The mayor cut the ribbon at 6 a.m. on Monday.")
    out = sources_html(_answer([cite]), [ScoredChunk(chunk=chunk, score=1.0)])
    assert 'id="src-1"' in out
    assert "<mark>The mayor cut the ribbon at 6 a.m. on Monday.</mark>" in out
    assert "Bridge reopens" in out and "2026&#45;09&#45;29" in out and "Valley Wire" in out
    assert '<a href="https://news.example/bridge"' in out and 'rel="noopener noreferrer"' in out
    assert "Intro sentence." in out  # the whole chunk, for context


def test_sources_panel_escapes_every_document_field():
    text = "Safe start. " + EVIL + " End."
    chunk = _chunk(text, title=EVIL, source=EVIL, url="javascript:window.__pwned=1")
    cite = _citation(chunk, EVIL, title=EVIL)
    out = sources_html(_answer([cite]), [ScoredChunk(chunk=chunk, score=1.0)])
    assert "<script" not in out and "<img" not in out and 'href="javascript' not in out
    assert "&lt;script&gt;" in out and "<mark>&lt;script&gt;" in out


def test_sources_panel_without_the_chunk_shows_the_quote_alone():
    chunk = _chunk()
    cite = _citation(chunk, "Intro sentence.")
    out = sources_html(_answer([cite]), [])
    assert "<mark>Intro sentence.</mark>" in out


def test_refusal_says_why_and_lists_the_closest_passages_as_not_used():
    chunks = [ScoredChunk(chunk=_chunk(chunk_id=f"d1::{i}"), score=1.0 / (i + 1))
              for i in range(5)]
    out = sources_html(_answer([], refused=True), chunks, why="None answers it <here>.")
    assert "The documents don&#x27;t say. None answers it &lt;here&gt;." in out
    assert out.count("not used") == 3 + 1  # the heading and the first three passages
    assert "<mark>" not in out and 'id="src-' not in out
    assert "#2 of 5 read · relevance 50%" in out


def test_a_refusal_that_read_nothing_says_so_and_lists_the_nearest_unread_passages():
    nearest = [ScoredChunk(chunk=_chunk(chunk_id="d1::9"), score=0.5)]
    out = html.unescape(sources_html(_answer([], refused=True), [], why="All are newer.",
                                     nearest=nearest))
    assert "No passage could be read. Nearest passages outside the date and filters" in out
    assert "Bridge reopens" in out and "relevance" not in out
    empty = html.unescape(sources_html(_answer([], refused=True), []))
    assert "No passage could be read." in empty and "Closest" not in empty


def test_a_passage_cited_twice_is_shown_once_with_both_quotes_marked():
    chunk = _chunk()
    first = _citation(chunk, "Intro sentence.", n=1)
    second = _citation(chunk, "Last one *here*.", n=2)
    out = sources_html(_answer([first, second]), [ScoredChunk(chunk=chunk, score=1.0)])
    assert out.count('class="source"') == 1 and out.count("<mark>") == 2
    assert '<li id="src-1" class="source"><span id="src-2" class="alias"></span>' in out
    assert "[1][2]" in out and "#1 of 1 read · relevance 100%" in out


def test_marked_merges_overlapping_spans_and_escapes():
    assert marked("<a> b c", [(0, 3), (2, 5)]) == "<mark>&lt;a&gt; b</mark> c"
    assert marked("x", []) == "x"


def test_chips_carry_a_hover_preview_and_cards_list_the_top_sources():
    chunk = _chunk()
    cite = _citation(chunk, "The mayor cut the ribbon at 6 a.m. on Monday.",
                     title='Bridge "<b>"')
    out = answer_html(f'"{cite.quote}" [1] [7]', citations=[cite])
    assert '<a href="#src-1" class="cite" title="Bridge &quot;&lt;b&gt;&quot; — “The mayor' in out
    assert '<a href="#src-7" class="cite">[7]</a>' in out  # no citation 7: a plain chip
    assert '<div class="cards"><a href="#src-1" class="card">[1] Bridge' in out
    assert "29 Sep 2026" in source_cards([cite])
    assert "cards" not in answer_html("draft [1]", final=False, citations=[cite])


def test_why_and_stopped_are_shown_and_newlines_cannot_end_the_html_block():
    refused = answer_html("The documents don't say.", refused=True, why="All newer\n\n**x**")
    assert 'class="answer refusal final"' in refused
    assert '<div class="why">All newer<br><br>&#42;&#42;x&#42;&#42;</div>' in refused
    stopped = answer_html("Felix", stopped=True)
    assert 'class="answer stopped"' in stopped and "incomplete" in stopped
    assert escape_block("a\n<b>") == "a<br>&lt;b&gt;"


def test_plain_text_numbers_the_sources_without_markup():
    chunk = _chunk()
    cite = _citation(chunk, "The mayor cut the ribbon at 6 a.m. on Monday.")
    text = plain_text(_answer([cite]))
    assert text.startswith('"The mayor cut the ribbon at 6 a.m. on Monday." [1]\n\nSources:\n')
    assert "[1] Bridge reopens (29 Sep 2026) — https://news.example/bridge\n    “The mayor" in text
    assert "<" not in text and "&" not in text
    refusal = plain_text(_answer([], refused=True), why="Every document is newer.")
    assert refusal == "The documents don't say.\nEvery document is newer."


def test_filters_line_lists_what_was_set_in_a_fixed_order():
    line = filters_html(SearchFilters(since="2026-09-01", until="2026-09-10",
                                      source="example.com"), date(2026, 9, 12))
    assert line.startswith('<p class="filters">') and line.endswith("</p>")
    text = html.unescape(line[len('<p class="filters">'):-len("</p>")])
    assert text == ("Filters: as of 2026-09-12 · since 2026-09-01 · until 2026-09-10 · "
                    "source example.com")
    assert html.unescape(filters_html(SearchFilters(until="2026-09-10"))) == (
        '<p class="filters">Filters: until 2026-09-10</p>')


def test_no_filters_no_line():
    assert filters_html(None) == "" and filters_html(SearchFilters(), None) == ""


def test_filters_line_escapes_a_hostile_source():
    line = filters_html(SearchFilters(source=EVIL + " **x** [a](b)"))
    assert "<script" not in line and "<img" not in line
    assert "**" not in line and "](" not in line  # no Markdown either
    assert EVIL in html.unescape(line)


def test_sources_panel_shows_the_filters_line_for_answers_and_refusals():
    chunk = _chunk()
    cite = _citation(chunk, "Intro sentence.")
    scored = [ScoredChunk(chunk=chunk, score=1.0)]
    filters = SearchFilters(source="Valley Wire")
    cited = sources_html(_answer([cite]), scored, filters, date(2026, 9, 30))
    assert cited.startswith('<div class="sources"><p class="filters">Filters: as of 2026')
    refused = sources_html(_answer([], refused=True), scored, filters)
    assert refused.startswith('<div class="sources"><p class="filters">Filters: source Valley')
    assert 'class="filters"' not in sources_html(_answer([cite]), scored)
