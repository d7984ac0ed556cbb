"""Load news articles from files, folders and JSONL feeds into `SourceDocument`s.

Every unreadable file or bad record becomes a `LoadFailure` naming it and saying why, whatever
the reader raised (a page nested a thousand levels deep, a broken PDF); the rest still load.
Files of other types in a folder are counted and reported as `SkippedFiles`, as is anything
that is not a regular file (a FIFO would hang the run); a folder with nothing to load is a
failure. Files over the size limit are refused (`ingest.limits`). Invalid characters (a lone
surrogate from a truncated emoji, bytes that are not UTF-8) are replaced, with a note. Text
is returned raw (cleaning is the next step), with a title, and a publication date whose
`date_provenance` says how it was found (see `SourceDocument`); the file's modification time
is the last resort.

>>> for item in load_sources([Path("articles"), Path("feed.jsonl")]):  # doctest: +SKIP
...     print(item.doc_id if isinstance(item, SourceDocument) else item)
files/a.html
articles: skipped 3 .csv files (not a supported type)
feed.jsonl:3: missing required field 'text' (map another field with --field text=NAME)
"""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import docx
from pypdf import PdfReader

from ingest.date_rules import DateRules
from ingest.documents import SPECIAL_FILE, Extracted, LoadFailure, SkippedFiles, SourceDocument
from ingest.encoding import decode_text, replaced_note, scrub
from ingest.limits import Limits
from ingest.textfiles import first_line_title, read_text_article
from ingest.webpage import read_html
from rag.core.errors import ConfigError, IngestError
from rag.text.dates import date_from_text, parse_date

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("id", "title", "text")
OPTIONAL_FIELDS = ("url", "publish_date", "source")
SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl")

Loaded = SourceDocument | LoadFailure | SkippedFiles


def load_sources(
    paths: Sequence[Path],
    field_map: Mapping[str, str] | None = None,
    dates: DateRules | None = None,
    limits: Limits | None = None,
) -> Iterator[Loaded]:
    """Load every supported file under `paths` (files or folders) and every JSONL record.

    Folders are walked recursively in sorted order, skipping hidden entries; files of other
    types are reported as one `SkippedFiles` per folder and extension, and a folder without a
    supported file is a `LoadFailure`, as is a file named explicitly with an unsupported
    extension. File doc ids are paths relative to the folder given (a file given directly:
    its name). `field_map` maps our JSONL field names to the feed's (`{"text": "body"}`);
    `dates` are the --date-from / --publish-date rules; `limits` the size limits. A repeated
    doc id fails.

    Raises `ConfigError` at once when `field_map` names a field we do not have.
    """
    mapping = _check_field_map(field_map or {})
    return _iter_sources(paths, _Options(mapping, dates or DateRules(), limits or Limits()))


def _check_field_map(field_map: Mapping[str, str]) -> dict[str, str]:
    known = REQUIRED_FIELDS + OPTIONAL_FIELDS
    for ours, theirs in field_map.items():
        if ours not in known:
            raise ConfigError(
                f"unknown field {ours!r} in --field {ours}={theirs}; "
                f"fields that can be mapped: {', '.join(known)}"
            )
    return dict(field_map)


class _Options(NamedTuple):
    field_map: dict[str, str]
    dates: DateRules
    limits: Limits


def _iter_sources(paths: Sequence[Path], options: _Options) -> Iterator[Loaded]:
    seen: dict[str, str] = {}  # doc id -> origin where it was first loaded
    for path in paths:
        for item in _load_path(path, options):
            if isinstance(item, SourceDocument):
                if item.doc_id in seen:
                    reason = f"duplicate id {item.doc_id!r} (first loaded from {seen[item.doc_id]})"
                    yield LoadFailure(item.origin, reason)
                    continue
                seen[item.doc_id] = item.origin
            yield item


def _load_path(path: Path, options: _Options) -> Iterator[Loaded]:
    if path.is_dir():
        yield from _load_folder(path, options)
    elif path.is_file():
        if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            supported = ", ".join(SUPPORTED_EXTENSIONS)
            yield LoadFailure(path.as_posix(), f"unsupported file type (supported: {supported})")
        else:
            yield from _load_file(path, _file_id(path.name), options)
    elif path.exists():
        yield SkippedFiles(path.as_posix(), "", 1, SPECIAL_FILE)
    else:
        yield LoadFailure(path.as_posix(), "no such file or folder")


def _load_folder(root: Path, options: _Options) -> Iterator[Loaded]:
    found, skipped, special = _walk(root)
    if not found:
        others = ", ".join(f"{n} {ext}" for ext, n in sorted(skipped.items()))
        held = f"it holds only {others} files" if others else "it is empty"
        yield LoadFailure(root.as_posix(), f"nothing to ingest: {held} (supported: "
                                           f"{', '.join(SUPPORTED_EXTENSIONS)})")
        return
    for relative in found:
        yield from _load_file(root / relative, _file_id(relative.as_posix()), options)
    for path in special:
        yield SkippedFiles(path.as_posix(), "", 1, SPECIAL_FILE)
    for extension, count in sorted(skipped.items()):
        yield SkippedFiles(root.as_posix(), extension, count)


def _walk(root: Path) -> tuple[list[Path], Counter[str], list[Path]]:
    """Supported files under `root` (relative, sorted), a count of the others by extension,
    and the entries that are not regular files (FIFOs, sockets, devices: never opened);
    hidden files and folders are left out of all three."""
    found: list[Path] = []
    skipped: Counter[str] = Counter()
    special: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            extension = Path(name).suffix.lower()
            if not _is_regular(Path(folder, name)):
                special.append(Path(folder, name))
            elif extension in SUPPORTED_EXTENSIONS:
                found.append(Path(folder, name).relative_to(root))
            else:
                skipped[extension or "(no extension)"] += 1
    return sorted(found, key=lambda p: p.as_posix()), skipped, sorted(special)


def _is_regular(path: Path) -> bool:
    """A regular file, or a link to one (a dangling link counts: reading it reports it)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def _file_id(relative: str) -> str:
    """A file's doc id: its relative path, with bytes a file name may hold that are not text
    replaced (they could not be stored)."""
    return scrub(relative)[0]


def _load_file(path: Path, doc_id: str, options: _Options) -> Iterator[Loaded]:
    if path.suffix.lower() == ".jsonl":
        yield from _load_jsonl(path, options)
        return
    yield _read_file(path, doc_id, options)


def _read_file(path: Path, doc_id: str, options: _Options) -> SourceDocument | LoadFailure:
    """One file as a document, or its failure: whatever goes wrong stays with this file."""
    origin = scrub(path.as_posix())[0]
    try:
        size = path.stat().st_size
        if size > options.limits.max_file_bytes:
            return LoadFailure(origin, options.limits.too_big(size))
        with _naming_file(origin):
            found = _READERS[path.suffix.lower()](path)
        if not found.text.strip():
            return LoadFailure(origin, "no text found (empty file, a page without an article, "
                                       "or a scanned PDF without text)")
        return _to_document(_dated(found, path, doc_id, options.dates), doc_id, origin)
    except IngestError as exc:
        return LoadFailure(origin, str(exc))
    except OSError as exc:
        return LoadFailure(origin, f"cannot read the file: {exc.strerror or exc}")
    except Exception as exc:  # one bad file must never end the run: it fails alone
        logger.debug("cannot load %s", origin, exc_info=True)
        return LoadFailure(origin, unexpected(exc))


def unexpected(exc: BaseException) -> str:
    """A failure reason for an error no reader expected (a bug worth reporting).

    >>> deep = RecursionError("maximum recursion depth exceeded")
    >>> print(unexpected(deep))  # doctest: +NORMALIZE_WHITESPACE
    cannot be read (RecursionError: maximum recursion depth exceeded); the rest of the run went
    on — run with -v for the details
    """
    return (f"cannot be read ({type(exc).__name__}: {str(exc)[:200]}); the rest of the run "
            "went on — run with -v for the details")


def _dated(found: Extracted, path: Path, doc_id: str, dates: DateRules) -> Extracted:
    """The date a rule gives, else the one found, else --publish-date, else the file's
    modification time (UTC)."""
    ruled = dates.find(doc_id, found.fields)
    if ruled is not None:
        kind = "front-matter" if dates.front_matter_key else "filename"
        return replace(found, publish_date=ruled, date_provenance=kind)
    if found.publish_date is not None:
        return found
    if dates.publish_date is not None:
        return replace(found, publish_date=dates.publish_date, date_provenance="given")
    modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    return replace(found, publish_date=modified, date_provenance="mtime")


def _to_document(found: Extracted, doc_id: str, origin: str) -> SourceDocument:
    return scrubbed(SourceDocument(
        doc_id=doc_id,
        text=found.text,
        title=found.title or first_line_title(found.text) or Path(doc_id).stem,
        url=found.url,
        publish_date=found.publish_date.isoformat() if found.publish_date else None,
        date_provenance=found.date_provenance,
        source=found.source,
        origin=origin,
    ))


def scrubbed(doc: SourceDocument) -> SourceDocument:
    """`doc` with lone surrogates replaced in every text field, and a note saying so."""
    changes: dict[str, str] = {}
    replaced = 0
    for name in ("doc_id", "text", "title", "url", "source"):
        value = getattr(doc, name)
        if value:
            fixed, count = scrub(value)
            if count:
                changes[name], replaced = fixed, replaced + count
    if not replaced:
        return doc
    return replace(doc, **changes, notes=(*doc.notes, replaced_note(replaced)))


# --- plain text, markdown and HTML -------------------------------------------------------


_reading = threading.local()  # the file this thread is reading, for parsers' own warnings


@contextmanager
def _naming_file(origin: str) -> Iterator[None]:
    """While a reader runs, the warnings its parser logs (pypdf: "Ignoring wrong pointing
    object 6 0") start with the file they are about."""
    _install_file_namer()
    _reading.origin = origin
    try:
        yield
    finally:
        _reading.origin = None


def _name_the_file(record: logging.LogRecord) -> bool:
    origin = getattr(_reading, "origin", None)
    if origin and not str(record.msg).startswith(origin):
        record.msg = f"{origin}: {record.msg}"
    return True


def _install_file_namer() -> None:
    """A filter on the logger of every pypdf module (pypdf logs under each module's name;
    a logger's filters do not reach its children's records, so each gets one)."""
    for name in [m for m in sys.modules if m == "pypdf" or m.startswith("pypdf.")]:
        parser_log = logging.getLogger(name)
        if _name_the_file not in parser_log.filters:
            parser_log.addFilter(_name_the_file)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read the file: {exc.strerror}") from exc


def _read_txt(path: Path) -> Extracted:
    return read_text_article(decode_text(_read_bytes(path))[0])


def _read_md(path: Path) -> Extracted:
    return read_text_article(decode_text(_read_bytes(path))[0], markdown=True)


def _read_html(path: Path) -> Extracted:
    return read_html(_read_bytes(path))


# --- PDF and Word ------------------------------------------------------------------------


def _read_pdf(path: Path) -> Extracted:
    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = reader.metadata.title if reader.metadata else None
    except Exception as exc:  # pypdf raises many types on corrupt input; report, go on
        logger.debug("cannot parse PDF %s", path, exc_info=True)
        raise IngestError(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    return _with_byline_date(text, meta_title)


def _read_docx(path: Path) -> Extracted:
    try:
        document = docx.Document(str(path))
        paragraphs = [p.text.strip() for p in document.paragraphs]
        meta_title = document.core_properties.title
    except Exception as exc:  # python-docx raises many types on corrupt input; report, go on
        logger.debug("cannot parse DOCX %s", path, exc_info=True)
        raise IngestError(f"not a readable .docx file ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(p for p in paragraphs if p)
    return _with_byline_date(text, meta_title)


def _with_byline_date(text: str, meta_title: str | None) -> Extracted:
    """A metadata title if set (else the first line's, added by the loader), a byline date."""
    title = " ".join(meta_title.split()) if meta_title else ""
    published = date_from_text(text)
    return Extracted(text, title, published, "byline" if published else None)


_READERS: dict[str, Callable[[Path], Extracted]] = {
    ".txt": _read_txt,
    ".md": _read_md,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


# --- JSONL -------------------------------------------------------------------------------


def _load_jsonl(path: Path, options: _Options) -> Iterator[SourceDocument | LoadFailure]:
    """One document per non-blank line, read a line at a time; a bad line is a failure at
    `path:LINE`, whatever went wrong with it."""
    name = scrub(path.as_posix())[0]
    empty = True
    try:
        with path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                if raw.strip():
                    empty = False
                    yield _jsonl_line(raw, f"{name}:{number}", options)
    except OSError as exc:
        yield LoadFailure(name, f"cannot read the file: {exc.strerror or exc}")
        return
    if empty:
        yield LoadFailure(name, "no records (the file is empty)")


def _jsonl_line(raw: bytes, origin: str, options: _Options) -> SourceDocument | LoadFailure:
    if len(raw) > options.limits.max_file_bytes:
        return LoadFailure(origin, options.limits.too_big(len(raw), "line"))
    try:
        return _jsonl_document(raw, origin, options)
    except IngestError as exc:
        return LoadFailure(origin, str(exc))
    except Exception as exc:  # one bad record must never end the run: it fails alone
        logger.debug("cannot load %s", origin, exc_info=True)
        return LoadFailure(origin, unexpected(exc))


def _jsonl_document(raw: bytes, origin: str, options: _Options) -> SourceDocument:
    record, decoded_as = _parse_record(raw)
    field_map = options.field_map
    values = {name: _field(record, name, field_map) for name in REQUIRED_FIELDS + OPTIONAL_FIELDS}
    published, provenance = _record_date(values)
    given = options.dates.publish_date
    if published is None and given is not None:
        published, provenance = given, "given"
    notes = () if decoded_as == "utf-8" else (
        f"the line is not UTF-8; read as {decoded_as} (re-save the file as UTF-8 to be sure)",)
    return scrubbed(SourceDocument(
        doc_id=values["id"] or "",
        text=values["text"] or "",
        title=values["title"] or "",
        url=values["url"],
        publish_date=published.isoformat() if published else None,
        date_provenance=provenance,
        source=values["source"],
        origin=origin,
        notes=notes,
    ))


def _parse_record(raw: bytes) -> tuple[dict[str, object], str]:
    """The record and the encoding its bytes were read in (anything but UTF-8 is noted)."""
    text, encoding = decode_text(raw)
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise IngestError(f"invalid JSON ({exc})") from exc
    if not isinstance(record, dict):
        raise IngestError(f"expected a JSON object, got {type(record).__name__}")
    return record, encoding


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
