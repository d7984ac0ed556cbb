"""What loaders produce: one source document, a failure that names the file and why, or a note
of the files a folder held that no loader reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SourceDocument:
    """A document as loaded, before cleaning and chunking.

    `doc_id` is stable across runs: the JSONL record's `id`, or the file's path relative to the
    ingest root (POSIX separators). `origin` says where it came from, for messages
    (`feed.jsonl:12`, `articles/a.html`). `publish_date` is an ISO date `YYYY-MM-DD` or None;
    `date_provenance` says how it was found: `jsonl`, `front-matter`, `html-meta`, `byline`,
    `htmldate`, `url`, `filename` (a --date-from rule), `given` (--publish-date) or `mtime`
    (the file's modification time, the last resort). `notes` are warnings about what loading
    had to change (invalid characters replaced), reported with the run.
    """

    doc_id: str
    text: str
    title: str = ""
    url: str | None = None
    publish_date: str | None = None
    date_provenance: str | None = None
    source: str | None = None
    origin: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadFailure:
    """A file or record that could not be loaded; ingest reports it and carries on."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True)
class SkippedFiles:
    """Files of one unsupported type found under a folder, or a file that is not a regular
    file (a FIFO, socket or device: reading it could hang); ingest lists them, never silently.

    >>> str(SkippedFiles("news/", ".csv", 3))
    'news/: skipped 3 .csv files (not a supported type)'
    >>> str(SkippedFiles("news/pipe.txt", "", 1, SPECIAL_FILE))
    'news/pipe.txt: skipped (not a regular file: a FIFO, socket or device)'
    """

    origin: str
    extension: str
    count: int
    why: str = "not a supported type"

    def __str__(self) -> str:
        if not self.extension:
            return f"{self.origin}: skipped ({self.why})"
        files = "file" if self.count == 1 else "files"
        return f"{self.origin}: skipped {self.count} {self.extension} {files} ({self.why})"


SPECIAL_FILE = "not a regular file: a FIFO, socket or device"


@dataclass(frozen=True)
class Extracted:
    """What one file reader found; the loader adds ids, origin and the date fallbacks.
    `fields` holds what the file says about itself (front matter), for --date-from rules."""

    text: str
    title: str = ""
    publish_date: date | None = None
    date_provenance: str | None = None
    source: str | None = None
    url: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
