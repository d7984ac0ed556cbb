"""HTML news pages: the article's text (trafilatura), title, site and URL, and its date with
provenance.

trafilatura finds the story among menus, teasers, reader comments and related-article blocks
(its fast mode: the fallback extractors cost a third more time for +0.006 F1 on its own
benchmark). The date comes from citechat's own finders where they fire (`html-meta`,
`byline`), then htmldate (on the page itself, never a URL, so nothing is fetched), then the
URL's path (`ingest.dates.page_date`). Bytes are decoded by `ingest.encoding`, so a page whose
declared charset lies still loads.

>>> page = (b"<html><head><title>Ferry back | Isle News</title></head><body><article>"
...         b"<h1>Ferry back</h1><p>Published 12 January 2020</p><p>Boats sailed again on "
...         b"Tuesday after a three-week pause.</p></article></body></html>")
>>> found = read_html(page)
>>> found.title, found.publish_date, found.date_provenance
('Ferry back', datetime.date(2020, 1, 12), 'byline')
>>> print(found.text)
Ferry back
<BLANKLINE>
Published 12 January 2020
<BLANKLINE>
Boats sailed again on Tuesday after a three-week pause.
"""

from __future__ import annotations

import re
from copy import deepcopy
from html.parser import HTMLParser as HTMLParser_

from lxml.etree import ParserError
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from ingest.dates import page_date
from ingest.documents import Extracted
from ingest.encoding import declared_charset, decode_text
from ingest.page_meta import page_meta

_TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACES = re.compile(r"\s+")
_DOCUMENT = re.compile(r"<html[\s>]|<!doctype\s+html", re.IGNORECASE)


def read_html(data: bytes) -> Extracted:
    """The article in an HTML page: text (a blank line between blocks), title, site name,
    canonical URL and publication date with its provenance. Empty text when none was found."""
    tree = parse_html(decode_text(data, declared_charset(data))[0])
    if tree is None:
        return Extracted("")
    meta = page_meta(tree)
    text = article_text(extract_body(tree))
    if not text:  # no article (a fragment, a page of plain text): keep what is visible
        text = visible_text(tree)
    if not text:  # nested deeper than lxml builds a tree (it stops at ~256 levels)
        text = flat_text(decode_text(data, declared_charset(data))[0])
    published, provenance = page_date(tree, text, meta.url)
    return Extracted(text, meta.title, published, provenance, meta.site, meta.url)


def extract_body(tree: HtmlElement) -> HtmlElement | None:
    """trafilatura's article body (fast mode, reader comments off, tables kept: results,
    budgets and polls are often tables). `tree` is left as it was."""
    from trafilatura import bare_extraction

    document = bare_extraction(tree, fast=True, include_comments=False, include_tables=True)
    body: HtmlElement | None = getattr(document, "body", None)
    return body


def parse_html(text: str) -> HtmlElement | None:
    """The page as an lxml tree: a whole document as trafilatura parses it, a fragment or plain
    text wrapped in `<html><body>`; None when there is nothing to parse."""
    if _DOCUMENT.search(text[:2048]):
        from trafilatura.utils import load_html

        tree = load_html(text)
        if tree is not None:
            return tree
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses text that names an encoding
    if not text.strip():
        return None
    parser = HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True)
    try:
        fragment: HtmlElement = document_fromstring(text, parser=parser)
    except (ParserError, ValueError):
        return None
    return fragment


def article_text(body: HtmlElement | None) -> str:
    """Text of trafilatura's extracted body: one paragraph per block, blank lines between them,
    line breaks kept, table rows as `cell | cell`."""
    if body is None:
        return ""
    from trafilatura.xml import xmltotxt

    for node in body.iter():  # source line wrapping is not a line break; <br> (lb) is
        node.text = _SPACES.sub(" ", node.text) if node.text else node.text
        node.tail = _SPACES.sub(" ", node.tail) if node.tail else node.tail
    blocks = (xmltotxt(child, include_formatting=False) for child in body)
    return "\n\n".join(text for text in map(_tidy_block, blocks) if text)


def visible_text(tree: HtmlElement) -> str:
    """Every line of text in the page's body, scripts and styles left out: the fallback for a
    page in which trafilatura finds no article. `tree` is left as it was."""
    tree = deepcopy(tree)
    for node in tree.xpath("//script | //style | //noscript | //template"):
        node.drop_tree()
    body = tree.find("body")
    lines = (line.strip() for line in (body if body is not None else tree).text_content()
             .splitlines())
    return "\n".join(line for line in lines if line)


class _TextOnly(HTMLParser_):
    """Collects the text between tags, leaving out scripts and styles; tags are never
    nested into a tree, so no depth of nesting can make it fail."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in _NOT_TEXT:
            self._skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_TEXT:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


_NOT_TEXT = frozenset(["script", "style", "noscript", "template", "head"])
_BLOCKS = frozenset(["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                     "article", "section", "blockquote", "pre", "table"])


def flat_text(html: str) -> str:
    """The text of `html` line by line, read without building a tree (the fallback for a page
    nested too deep for lxml).

    >>> flat_text("<div>" * 3 + "<p>Boats  sailed.</p><script>x()</script>" + "</div>" * 3)
    'Boats sailed.'
    """
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _tidy_block(block: str) -> str:
    lines = []
    for line in block.splitlines():
        line = line.strip()
        if _TABLE_RULE.match(line):
            continue
        if line.startswith("|") and line.endswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip("|").split("|"))
        lines.append(line)
    return "\n".join(line for line in lines if line)
