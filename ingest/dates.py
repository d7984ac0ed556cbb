"""Publication dates in HTML pages: `<meta>` tags, JSON-LD and `<time>` elements.

Pure functions, no network. Every finder returns a `datetime.date` or None; the loaders record
where the date came from (`html-meta`, `byline`, ...). Dates in plain text (bylines,
datelines) are found by `rag.text.dates`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

from bs4 import BeautifulSoup, Tag

from rag.text.dates import parse_date

_META_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate",
    "publishdate", "publish-date", "publication_date", "date", "dc.date", "dc.date.issued",
)  # fmt: skip


def date_from_html(page: BeautifulSoup | str) -> date | None:
    """Find the publication date in an HTML page's metadata.

    Tries, in order: `<meta>` tags (`article:published_time`, `og:published_time`,
    `datePublished`, `pubdate`, `publishdate`, `date`, ...), JSON-LD `datePublished` (also
    inside `@graph` or lists), then the first `<time datetime>` (inside `<article>` if any).
    """
    soup = page if isinstance(page, BeautifulSoup) else BeautifulSoup(page, "html.parser")
    return _date_from_meta(soup) or _date_from_json_ld(soup) or _date_from_time_tag(soup)


def _date_from_meta(soup: BeautifulSoup) -> date | None:
    found: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        value = meta.get("content") or meta.get("datetime") or ""
        if isinstance(key, str) and isinstance(value, str):
            found.setdefault(key.strip().lower(), value)
    for key in _META_KEYS:
        parsed = parse_date(found.get(key, ""))
        if parsed:
            return parsed
    return None


def _date_from_json_ld(soup: BeautifulSoup) -> date | None:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue
        for value in _json_values(data, "datePublished"):
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


def _date_from_time_tag(soup: BeautifulSoup) -> date | None:
    scope = soup.find("article")
    root = scope if isinstance(scope, Tag) else soup
    for tag in root.find_all("time"):
        value = tag.get("datetime")
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed:
            return parsed
    return None
