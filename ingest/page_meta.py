"""What an HTML page says about itself in its `<head>`: title, site name, canonical URL.

Read from the tree, cheaply (trafilatura's full metadata pass also hunts for authors,
categories and licences, which citechat does not keep, and costs a third of the page's time).

>>> from lxml.html import document_fromstring
>>> meta = page_meta(document_fromstring(
...     '<head><meta property="og:site_name" content="Isle News"><title>Ferry back | Isle '
...     'News</title><meta property="og:url" content="https://isle.example/ferry"></head>'))
>>> meta.title, meta.site, meta.url
('Ferry back', 'Isle News', 'https://isle.example/ferry')
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

_TITLE_KEYS = ("og:title", "twitter:title")
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site")


@dataclass(frozen=True)
class PageMeta:
    title: str = ""
    site: str | None = None
    url: str | None = None


def page_meta(tree: HtmlElement) -> PageMeta:
    """og:title (else trafilatura's reading of `<title>` and `<h1>`), og:site_name, and the
    canonical link (else og:url)."""
    from trafilatura.metadata import extract_title

    found = _metas(tree)
    title = next((found[k] for k in _TITLE_KEYS if found.get(k)), "") or extract_title(tree)
    site = next((found[k].lstrip("@") for k in _SITE_KEYS if found.get(k)), None)
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    url = str(canonical[0]).strip() if canonical else found.get("og:url")
    return PageMeta(" ".join((title or "").split()), site, url or None)


def _metas(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        value = " ".join((meta.get("content") or "").split())
        if key and value:
            found.setdefault(key, value)
    return found
