"""Load news articles from files, folders and JSONL feeds into `SourceDocument`s.

Every unreadable file or bad record becomes a `LoadFailure` naming it and saying why; the rest
still load. Text is returned raw (cleaning is the next step), with a title, and a publication
date whose `date_provenance` says how it was found: `jsonl`, `html-meta`, `byline` or `mtime`.

>>> for item in load_sources([Path("articles"), Path("feed.jsonl")]):  # doctest: +SKIP
...     print(item.doc_id if isinstance(item, SourceDocument) else item)
files/a.html
feed.jsonl:3: missing required field 'text' (map another field with --field text=NAME)
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import docx
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString
from pypdf import PdfReader

from ingest.dates import date_from_html
from ingest.documents import LoadFailure, SourceDocument
from rag.core.errors import ConfigError, IngestError
from rag.text.dates import date_from_text, parse_date

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("id", "title", "text")
OPTIONAL_FIELDS = ("url", "publish_date", "source")
SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl")

_DROPPED_TAGS = [
    "script", "style", "noscript", "template", "svg", "iframe", "nav", "header", "footer",
    "aside", "figure", "figcaption", "form", "button",
]  # fmt: skip
_BLOCK_TAGS = frozenset([
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "hr", "address", "details",
    "summary",
])  # fmt: skip
_SPACES = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BLANK_RUNS = re.compile(r"\n\s*\n\s*")


@dataclass(frozen=True)
class _Extracted:
    """What one file reader found; the loader adds ids, origin and the mtime fallback."""

    text: str
    title: str = ""
    publish_date: date | None = None
    date_provenance: str | None = None
    source: str | None = None
    url: str | None = None


def load_sources(
    paths: Sequence[Path], field_map: Mapping[str, str] | None = None
) -> Iterator[SourceDocument | LoadFailure]:
    """Load every supported file under `paths` (files or folders) and every JSONL record.

    Folders are walked recursively in sorted order, skipping hidden entries and files of other
    types; a file named explicitly with an unsupported extension is a `LoadFailure`. File doc
    ids are paths relative to the folder given (a file given directly: its name). `field_map`
    maps our JSONL field names to the feed's (`{"text": "body"}`). A repeated doc id fails.

    Raises `ConfigError` at once when `field_map` names a field we do not have.
    """
    mapping = _check_field_map(field_map or {})
    return _iter_sources(paths, mapping)


def _check_field_map(field_map: Mapping[str, str]) -> dict[str, str]:
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    for ours, theirs in field_map.items():
        if ours not in known:
            raise ConfigError(
                f"unknown field {ours!r} in --field {ours}={theirs}; "
                f"fields that can be mapped: {', '.join(known)}"
            )
    return dict(field_map)


def _iter_sources(
    paths: Sequence[Path], field_map: dict[str, str]
) -> Iterator[SourceDocument | LoadFailure]:
    seen: dict[str, str] = {}  # doc id -> origin where it was first loaded
    for path in paths:
        for item in _load_path(path, field_map):
            if isinstance(item, SourceDocument):
                if item.doc_id in seen:
                    reason = f"duplicate id {item.doc_id!r} (first loaded from {seen[item.doc_id]})"
                    yield LoadFailure(item.origin, reason)
                    continue
                seen[item.doc_id] = item.origin
            yield item


def _load_path(path: Path, field_map: dict[str, str]) -> Iterator[SourceDocument | LoadFailure]:
    if path.is_dir():
        for relative in _walk(path):
            yield from _load_file(path / relative, relative.as_posix(), field_map)
    elif path.is_file():
        if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            supported = ", ".join(SUPPORTED_EXTENSIONS)
            yield LoadFailure(path.as_posix(), f"unsupported file type (supported: {supported})")
        else:
            yield from _load_file(path, path.name, field_map)
    else:
        yield LoadFailure(path.as_posix(), "no such file or folder")


def _walk(root: Path) -> list[Path]:
    """Supported files under `root`, relative to it, sorted; hidden files and folders skipped."""
    found: list[Path] = []
    skipped = 0
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in SUPPORTED_EXTENSIONS:
                found.append(Path(folder, name).relative_to(root))
            else:
                skipped += 1
    if skipped:
        logger.info("skipped %d file(s) of unsupported types under %s", skipped, root)
    return sorted(found, key=lambda p: p.as_posix())


def _load_file(
    path: Path, doc_id: str, field_map: dict[str, str]
) -> Iterator[SourceDocument | LoadFailure]:
    origin = path.as_posix()
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _load_jsonl(path, field_map)
        return
    try:
        found = _READERS[suffix](path)
    except IngestError as exc:
        yield LoadFailure(origin, str(exc))
        return
    if not found.text.strip():
        yield LoadFailure(origin, "no text found (empty file, or a scanned PDF without text)")
        return
    if found.publish_date is None:  # last resort: the file's modification time (UTC)
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
        found = replace(found, publish_date=modified, date_provenance="mtime")
    yield _to_document(found, doc_id, origin)


def _to_document(found: _Extracted, doc_id: str, origin: str) -> SourceDocument:
    return SourceDocument(
        doc_id=doc_id,
        text=found.text,
        title=found.title or Path(doc_id).stem,
        url=found.url,
        publish_date=found.publish_date.isoformat() if found.publish_date else None,
        date_provenance=found.date_provenance,
        source=found.source,
        origin=origin,
    )


# --- plain text and markdown -------------------------------------------------------------


def _read_utf8(path: Path, fallback: str | None = None) -> str:
    """The file as UTF-8 text, else decoded with `fallback` (an encoding the file declares)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror}") from exc
    for encoding in ["utf-8-sig", fallback] if fallback else ["utf-8-sig"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    declared = f" or its declared {fallback}" if fallback else ""
    raise IngestError(f"not UTF-8{declared} text; re-save the file as UTF-8")


def _read_txt(path: Path) -> _Extracted:
    text = _read_utf8(path)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return _with_byline_date(text, first if _looks_like_headline(first) else "")


def _looks_like_headline(line: str) -> bool:
    """Short, and not ending like a sentence or a clause."""
    return 0 < len(line) <= 150 and len(line.split()) <= 25 and line[-1] not in ".,;:"


def _read_md(path: Path) -> _Extracted:
    text = _read_utf8(path)
    heading = re.search(r"^#[ \t]+(.+?)[ \t#]*$", text, re.MULTILINE)
    return _with_byline_date(text, heading.group(1) if heading else "")


def _with_byline_date(text: str, title: str) -> _Extracted:
    published = date_from_text(text)
    return _Extracted(text, title, published, "byline" if published else None)


# --- HTML --------------------------------------------------------------------------------


def _read_html(path: Path) -> _Extracted:
    soup = BeautifulSoup(_read_utf8(path, _declared_charset(path)), "html.parser")
    title, source, url = _html_title(soup), _meta(soup, "og:site_name"), _html_url(soup)
    published = date_from_html(soup)
    text = html_to_text(soup)
    if published:
        return _Extracted(text, title, published, "html-meta", source, url)
    byline = date_from_text(text)
    return _Extracted(text, title, byline, "byline" if byline else None, source, url)


def _declared_charset(path: Path) -> str | None:
    """The `<meta charset>` an HTML page declares in its first bytes, if any."""
    try:
        with path.open("rb") as file:
            found = _META_CHARSET.search(file.read(4096))
    except OSError:
        return None
    return found.group(1).decode("ascii") if found else None


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    value = tag.get("content") if isinstance(tag, Tag) else None
    if not isinstance(value, str):
        return None
    return _SPACES.sub(" ", value).strip() or None


def _html_title(soup: BeautifulSoup) -> str:
    """og:title, else `<title>`, else the first `<h1>`; empty when none has text."""
    h1 = soup.find("h1")
    candidates = [
        _meta(soup, "og:title"),
        soup.title.get_text() if soup.title else None,
        h1.get_text() if isinstance(h1, Tag) else None,
    ]
    return next((_SPACES.sub(" ", c).strip() for c in candidates if c and c.strip()), "")


def _html_url(soup: BeautifulSoup) -> str | None:
    canonical = soup.find("link", attrs={"rel": "canonical"})
    href = canonical.get("href") if isinstance(canonical, Tag) else None
    return href.strip() if isinstance(href, str) and href.strip() else _meta(soup, "og:url")


def html_to_text(soup: BeautifulSoup) -> str:
    """The readable text of a page: one paragraph per block element, blank lines between.

    Scripts, styles, navigation, page headers and footers, asides, figures and forms are
    dropped; the longest `<article>` (else `<main>`, else `<body>`) is used. A `<header>`
    inside the article (headline, byline, date) is kept. Modifies `soup`.
    """
    root = _content_root(soup)
    for tag in root.find_all(_DROPPED_TAGS):
        inside_article = tag.name == "header" and tag.find_parent("article") is not None
        if not inside_article and not tag.decomposed:
            tag.decompose()
    pieces: list[str] = []
    _collect_text(root, pieces)
    lines = (line.strip() for line in "".join(pieces).split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _content_root(soup: BeautifulSoup) -> Tag:
    articles = [a for a in soup.find_all("article") if isinstance(a, Tag)]
    if articles:
        return max(articles, key=lambda a: len(a.get_text()))
    for name in ("main", "body"):
        found = soup.find(name)
        if isinstance(found, Tag):
            return found
    return soup


def _collect_text(node: Tag, pieces: list[str]) -> None:
    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctypes, CDATA
            continue
        if isinstance(child, NavigableString):
            pieces.append(_SPACES.sub(" ", str(child)))
        elif isinstance(child, Tag) and child.name == "br":
            pieces.append("\n")
        elif isinstance(child, Tag):
            block = child.name in _BLOCK_TAGS
            pieces.append("\n\n" if block else "")
            _collect_text(child, pieces)
            pieces.append("\n\n" if block else "")


# --- PDF and Word ------------------------------------------------------------------------


def _read_pdf(path: Path) -> _Extracted:
    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = reader.metadata.title if reader.metadata else None
    except Exception as exc:  # pypdf raises many types on corrupt input; report, go on
        logger.debug("cannot parse PDF %s", path, exc_info=True)
        raise IngestError(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    return _with_byline_date(text, _first_title(meta_title, text))


def _read_docx(path: Path) -> _Extracted:
    try:
        document = docx.Document(str(path))
        paragraphs = [p.text.strip() for p in document.paragraphs]
        meta_title = document.core_properties.title
    except Exception as exc:  # python-docx raises many types on corrupt input; report, go on
        logger.debug("cannot parse DOCX %s", path, exc_info=True)
        raise IngestError(f"not a readable .docx file ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(p for p in paragraphs if p)
    return _with_byline_date(text, _first_title(meta_title, text))


def _first_title(meta_title: str | None, text: str) -> str:
    """A metadata title if set, else the text's first line when it looks like a headline."""
    if meta_title and meta_title.strip():
        return _SPACES.sub(" ", meta_title).strip()
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if _looks_like_headline(first) else ""


_READERS: dict[str, Callable[[Path], _Extracted]] = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


# --- JSONL -------------------------------------------------------------------------------


def _load_jsonl(path: Path, field_map: dict[str, str]) -> Iterator[SourceDocument | LoadFailure]:
    """One document per non-blank line; a bad line is a failure at `path:LINE`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield LoadFailure(path.as_posix(), f"cannot read the file: {exc.strerror}")
        return
    for number, raw in enumerate(data.splitlines(), start=1):
        if raw.strip():
            origin = f"{path.as_posix()}:{number}"
            try:
                yield _jsonl_document(raw, field_map, origin)
            except IngestError as exc:
                yield LoadFailure(origin, str(exc))


def _jsonl_document(raw: bytes, field_map: dict[str, str], origin: str) -> SourceDocument:
    record = _parse_record(raw)
    values = {name: _field(record, name, field_map) for name in REQUIRED_FIELDS + OPTIONAL_FIELDS}
    published, provenance = _record_date(values)
    return SourceDocument(
        doc_id=values["id"] or "",
        text=values["text"] or "",
        title=values["title"] or "",
        url=values["url"],
        publish_date=published.isoformat() if published else None,
        date_provenance=provenance,
        source=values["source"],
        origin=origin,
    )


def _parse_record(raw: bytes) -> dict[str, object]:
    try:
        record = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise IngestError("line is not UTF-8 text; re-save the file as UTF-8") from exc
    except ValueError as exc:
        raise IngestError(f"invalid JSON ({exc})") from exc
    if not isinstance(record, dict):
        raise IngestError(f"expected a JSON object, got {type(record).__name__}")
    return record


def _field(record: dict[str, object], name: str, field_map: dict[str, str]) -> str | None:
    """Our field `name` from the record (through `field_map`); required ones must be text."""
    key = field_map.get(name, name)
    value = record.get(key)
    mapped = f" (mapped from {key!r})" if key != name else ""
    hint = mapped or f" (map another field with --field {name}=NAME)"
    if value is None or (isinstance(value, str) and not value.strip()):
        if name in REQUIRED_FIELDS:
            state = "missing" if value is None else "empty"
            raise IngestError(f"{state} required field {name!r}{hint}")
        return None
    if not isinstance(value, str):
        raise IngestError(
            f"field {name!r}{mapped} must be a string, got {type(value).__name__} {value!r:.40}"
        )
    return value if name in ("text", "id") else value.strip()


def _record_date(values: dict[str, str | None]) -> tuple[date | None, str | None]:
    """The record's `publish_date` (which must parse), else a byline date in its text."""
    given = values["publish_date"]
    if given is not None:
        parsed = parse_date(given)
        if parsed is None:
            raise IngestError(
                f"cannot parse field 'publish_date' value {given!r} as a date "
                "(use ISO 8601, e.g. 2020-01-12)"
            )
        return parsed, "jsonl"
    byline = date_from_text(values["text"] or "")
    return byline, "byline" if byline else None
