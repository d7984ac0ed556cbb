"""The collection header, the documents table and upload progress as HTML (pure, escaped)."""

from __future__ import annotations

from collections.abc import Sequence

from rag.stores.catalog import DocumentInfo
from rag.text.dates import shown_date
from ui.render import escape_text
from ui.uploads import FileProgress

PROVENANCE = {
    "jsonl": "feed field", "front-matter": "front matter", "html-meta": "page metadata",
    "byline": "byline", "htmldate": "page text", "url": "web address", "filename": "file name",
    "given": "given at ingest", "mtime": "file time (a guess)", "set by hand": "set by hand",
}


def header_html(collection: str, docs: int, passages: int, span: tuple[str | None, str | None],
                user: str = "") -> str:
    """The line at the top: the current collection, its counts and date span (and who is in).

    >>> header_html("news", 39, 120, ("2026-09-01", "2026-10-20"))[:62]
    '<div class="collection-bar"><strong class="brand">citechat</st'
    """
    first, last = span
    dates = f" · {escape_text(first)} to {escape_text(last)}" if first and last else ""
    who = f'<span class="who">signed in as {escape_text(user)}</span>' if user else ""
    return (f'<div class="collection-bar"><strong class="brand">citechat</strong> '
            f'<span class="label">Collection</span> '
            f'<strong class="name">{escape_text(collection)}</strong> '
            f'<span class="counts">{docs:,} document{"s" if docs != 1 else ""} · '
            f'{passages:,} passage{"s" if passages != 1 else ""}{dates}</span>{who}</div>')


def provenance_text(provenance: str | None) -> str:
    """How a date was found, in words ('' when unknown)."""
    return PROVENANCE.get(provenance or "", provenance or "")


def documents_html(docs: Sequence[DocumentInfo], total: int, search: str = "") -> str:
    """The documents table: title, source, date and how it was found, passages, ingested at."""
    if not docs:
        what = f"No document matches “{escape_text(search)}”." if search.strip() else \
            "No documents yet: add files below."
        return f'<div class="documents"><p>{what}</p></div>'
    rows = "".join(_row(d) for d in docs)
    shown = f"Showing {len(docs)} of {total:,} documents" + (
        f" matching “{escape_text(search)}”" if search.strip() else "") + "."
    return (f'<div class="documents"><p class="shown">{shown}</p><table><thead><tr>'
            "<th>Title</th><th>Source</th><th>Published</th><th>Date from</th>"
            f"<th>Passages</th><th>Ingested</th></tr></thead><tbody>{rows}</tbody></table></div>")


def _row(doc: DocumentInfo) -> str:
    guess = ' class="guess"' if doc.date_provenance == "mtime" else ""
    ingested = (doc.ingested_at or "").replace("T", " ").removesuffix("Z")
    return (f"<tr{guess}><td>{escape_text(doc.title or doc.doc_id)}"
            f'<div class="doc-id">{escape_text(doc.doc_id)}</div></td>'
            f"<td>{escape_text(doc.source or '')}</td>"
            f"<td>{escape_text(shown_date(doc.publish_date, None))}</td>"
            f"<td>{escape_text(provenance_text(doc.date_provenance))}</td>"
            f"<td>{doc.chunks}</td><td>{escape_text(ingested or 'earlier')}</td></tr>")


def document_choice(doc: DocumentInfo) -> tuple[str, str]:
    """(label, doc id) for the document picker: title, date and how it was dated."""
    when = doc.publish_date or "no date"
    guess = ", file time" if doc.date_provenance == "mtime" else ""
    return f"{doc.title or doc.doc_id} ({when}{guess}) — {doc.doc_id}", doc.doc_id


STAGES = {
    "queued": "waiting", "loading": "loading", "loaded": "loaded, waiting to embed",
    "embedding": "embedding", "embedded": "embedded", "unchanged": "unchanged (already here)",
    "failed": "failed", "refused": "refused",
}


def progress_html(files: Sequence[FileProgress], summary: str = "") -> str:
    """One row per uploaded file: its stage (load, chunk, embed) with passage counts, or why
    it failed; `summary` (the whole upload's result) below."""
    if not files and not summary:
        return '<div class="uploads"></div>'
    rows = "".join(
        f'<li class="upload {f.stage}"><strong>{escape_text(f.name)}</strong>: '
        f"{escape_text(_stage(f))}</li>" for f in files)
    tail = f'<p class="upload-summary">{escape_text(summary)}</p>' if summary else ""
    return f'<div class="uploads" role="status"><ul>{rows}</ul>{tail}</div>'


def _stage(f: FileProgress) -> str:
    words = STAGES.get(f.stage, f.stage)
    if f.stage == "embedding":
        return f"{words} {f.done}/{f.total} passages"
    if f.stage == "embedded":
        return f"{words} ({f.total} passage{'s' if f.total != 1 else ''})"
    if f.stage in ("failed", "refused") and f.error:
        return f"{words}: {f.error}"
    if f.stage == "loaded" and f.records > 1:
        return f"{words} ({f.records} records)"
    return words
