"""What loaders produce: one source document, or a failure that names the file and why."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceDocument:
    """A document as loaded, before cleaning and chunking.

    `doc_id` is stable across runs: the JSONL record's `id`, or the file's path relative to the
    ingest root (POSIX separators). `origin` says where it came from, for messages
    (`feed.jsonl:12`, `articles/a.html`). `publish_date` is an ISO date `YYYY-MM-DD` or None;
    `date_provenance` says how it was found (`jsonl`, `html-meta`, `byline`, `mtime`, ...).
    """

    doc_id: str
    text: str
    title: str = ""
    url: str | None = None
    publish_date: str | None = None
    date_provenance: str | None = None
    source: str | None = None
    origin: str = ""


@dataclass(frozen=True)
class LoadFailure:
    """A file or record that could not be loaded; ingest reports it and carries on."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"
