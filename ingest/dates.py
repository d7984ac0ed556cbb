"""Publication dates in HTML pages (`<meta>` tags, JSON-LD, `<time>` elements) and in URLs.

Pure functions, no network. Every finder returns a `datetime.date` or None; the loaders record
where the date came from (`html-meta`, `byline`, `htmldate`, `url`, ...). Dates in plain text
(bylines, datelines) are found by `rag.text.dates`.

>>> date_from_html('<meta property="og:article:published_time" content="06.05.2018 10:00">')
datetime.date(2018, 5, 6)
>>> date_from_url("https://news.example/2026/09/29/harbour-bridge-reopens")
datetime.date(2026, 9, 29)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit

from lxml.html import HtmlElement, document_fromstring

from rag.text.dates import date_from_text, parse_date

# Most specific first: a page's generic `date` is often the day it was crawled or modified.
_META_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article.published", "published_time", "datepublished", "date_published", "publishdate",
    "publish-date", "publish_date", "pubdate", "publication_date", "citation_publication_date",
    "citation_date", "sailthru.date", "parsely-pub-date", "dc.date.issued", "dcterms.issued",
    "dc:date", "dc.date", "dcterms.date", "dc.date.created", "dcterms.created", "uploaddate",
    "datecreated", "originalpublicationdate", "date",
)  # fmt: skip
_JSON_LD_KEYS = ("datePublished", "uploadDate", "dateCreated")
# Dates of the last edit: htmldate falls back on them when a page names no publication date,
# and a question asked "as of" a day needs the day the story was published.
_MODIFIED_KEYS = frozenset([
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "last-modified", "lastmod", "dcterms.modified", "dc.date.modified", "revised",
])  # fmt: skip
# Text nodes read after the headline, and the elements that make a line of them.
_HEADLINE_NODES = 40
_BLOCK_TAGS = frozenset([
    "p", "div", "section", "article", "header", "main", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "dd", "dt", "td", "th", "blockquote", "figcaption", "address", "aside", "footer", "body",
])  # fmt: skip
_URL_DATES = [
    re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)"),
]


def page_date(tree: HtmlElement, text: str, url: str | None) -> tuple[date | None, str | None]:
    """A page's publication date and where it was found, the first of: its metadata
    (`html-meta`), a byline or dateline in the article's text or under its headline
    (`byline`), htmldate (`htmldate`, last-edit dates hidden from it; `url` when what it found
    is the date in the URL's path), the URL's path. Changes `tree` (last-edit dates removed):
    call it last.

    >>> page_date(document_fromstring("<h1>Ferry back</h1><p>Jan. 13, 2020</p>"), "", None)
    (datetime.date(2020, 1, 13), 'byline')
    >>> page_date(document_fromstring("<p>Boats sailed.</p>"), "Boats sailed.",
    ...           "https://x.example/2020/01/15/ferry")
    (datetime.date(2020, 1, 15), 'url')
    """
    if (found := date_from_html(tree)) is not None:
        return found, "html-meta"
    if (found := date_from_text(text) or date_near_headline(tree)) is not None:
        return found, "byline"
    drop_modified_dates(tree)
    in_url = date_from_url(url)
    if (found := _htmldate(tree, url)) is not None:  # htmldate reads the URL first, as we would
        return found, "url" if found == in_url else "htmldate"
    return in_url, "url" if in_url else None


def _htmldate(tree: HtmlElement, url: str | None) -> date | None:
    """htmldate's reading of the page (its own copy of `tree`; `url` is only read)."""
    from htmldate import find_date

    found = find_date(tree, extensive_search=True, original_date=True, url=url)
    return parse_date(found) if found else None


def date_from_html(page: HtmlElement | str) -> date | None:
    """Find the publication date in an HTML page's metadata.

    Tries, in order: `<meta>` tags (`article:published_time`, `og:article:published_time`,
    `datePublished`, `pubdate`, `DC.date.issued`, `DC:date`, `uploadDate`, ... then `date`),
    JSON-LD `datePublished` / `uploadDate` / `dateCreated` (also inside `@graph` or lists),
    then `<time datetime>` (inside `<article>` if there is one) or an element marked
    `itemprop="datePublished"`. Reads the tree, never changes it.
    """
    tree = document_fromstring(page) if isinstance(page, str) else page
    return _date_from_meta(tree) or _date_from_json_ld(tree) or _date_from_time_tag(tree)


def date_near_headline(tree: HtmlElement) -> date | None:
    """A byline or dateline date in the lines that follow the page's first `<h1>`, read from
    the page itself (an extractor may have left the byline out of the article's text).

    >>> date_near_headline(document_fromstring(
    ...     "<h1>Ferry back</h1><div class='byline'>By <a>Ana Reyes</a> | Jan. 13, 2020</div>"))
    datetime.date(2020, 1, 13)
    """
    headline = tree.find(".//h1")
    if headline is None:
        return None
    lines: list[str] = [headline.text_content()]
    block = headline
    for node in headline.xpath("following::text()[normalize-space()]")[:_HEADLINE_NODES]:
        parent = _block_of(node.getparent())
        if parent is block:
            lines[-1] += node
        else:
            lines.append(str(node))
            block = parent
    return date_from_text("\n".join(" ".join(line.split()) for line in lines))


def _block_of(element: HtmlElement | None) -> HtmlElement | None:
    while element is not None and element.tag not in _BLOCK_TAGS:
        element = element.getparent()
    return element


def date_from_url(url: str | None) -> date | None:
    """A date written in a URL's path: /2026/09/29/, /2026-09-29-, /20260929/.

    >>> date_from_url("https://x.example/news/20180506_ferry.html"), date_from_url("/a/b")
    (datetime.date(2018, 5, 6), None)
    """
    path = urlsplit(url or "").path
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                continue
    return None


def drop_modified_dates(tree: HtmlElement) -> None:
    """Remove the `<meta>` tags and `itemprop="dateModified"` elements that give a page's
    last-edit date, so that date finders run after this one never take it for the
    publication date.

    >>> tree = document_fromstring('<meta property="article:modified_time" content="2026-01-05">'
    ...                            '<p>Text <time itemprop="dateModified">5 Jan</time></p>')
    >>> drop_modified_dates(tree); tree.xpath("//meta | //time")
    []
    """
    for meta in tree.xpath("//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if key.strip().lower() in _MODIFIED_KEYS:
            meta.drop_tree()
    for node in tree.xpath("//*[@itemprop='dateModified']"):
        node.drop_tree()


def _date_from_meta(tree: HtmlElement) -> date | None:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        value = meta.get("content") or meta.get("datetime") or ""
        found.setdefault(key.strip().lower(), value)
    for key in _META_KEYS:
        parsed = parse_date(found.get(key, ""))
        if parsed:
            return parsed
    return None


def _date_from_json_ld(tree: HtmlElement) -> date | None:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        for key in _JSON_LD_KEYS:
            for value in _json_values(data, key):
                parsed = parse_date(value) if isinstance(value, str) else None
                if parsed:
                    return parsed
    return None


def _json_values(data: object, key: str) -> Iterator[object]:
    """Every value stored under `key` in nested JSON (dicts, lists, `@graph`)."""
    if isinstance(data, dict):
        if key in data:
            yield data[key]
        for value in data.values():
            yield from _json_values(value, key)
    elif isinstance(data, list):
        for item in data:
            yield from _json_values(item, key)


def _date_from_time_tag(tree: HtmlElement) -> date | None:
    scope = "//article//time" if tree.xpath("//article") else "//time"
    for path in (f"{scope}/@datetime", "//*[@itemprop='datePublished']/@datetime"):
        for value in tree.xpath(path):
            parsed = parse_date(str(value))
            if parsed:
                return parsed
    return None
