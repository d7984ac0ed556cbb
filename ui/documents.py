"""Collections and documents you can see and manage (no Gradio here): the header counts, the
documents list with search, delete (Chroma and the catalog together), set-date, new
collections, uploads started in the background and watched, and what the Filters offer.

>>> docs = DocumentHandlers(AppPool(app), UploadJobs(pool))       # doctest: +SKIP
>>> html, choices = docs.listing("news", "bridge")                  # doctest: +SKIP
>>> docs.delete("news", [choices[0][1]])                            # doctest: +SKIP
'Deleted 1 document (3 passages).'
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from rag.core.errors import InputError
from rag.core.filters import parse_day
from ui.jobs import JobView, UploadJobs
from ui.render_docs import document_choice, documents_html, header_html, progress_html
from ui.session import AppPool
from ui.uploads import upload_dir

LISTED = 200
SET_BY_HAND = "set by hand"


class DocumentHandlers:
    """What the header, the Documents tab and the Filters need from a collection."""

    def __init__(self, pool: AppPool, jobs: UploadJobs) -> None:
        self.pool = pool
        self.jobs = jobs

    def header(self, collection: str, user: str = "") -> str:
        """The collection bar: name, documents, passages, date span."""
        with self.pool.reading(collection) as catalog:
            docs, passages = catalog.counts()
            span = catalog.date_span()
        return header_html(collection, docs, passages, span, user)

    def listing(self, collection: str, search: str = "") -> tuple[str, list[tuple[str, str]]]:
        """The documents table for `search` and the picker's (label, doc id) choices."""
        with self.pool.reading(collection) as catalog:
            docs = catalog.list_documents(search, LISTED)
            total = catalog.counts()[0]
        return documents_html(docs, total, search), [document_choice(d) for d in docs]

    def delete(self, collection: str, doc_ids: Sequence[str]) -> str:
        """Delete `doc_ids` from the vectors and the catalog (vectors first: a failure between
        the two leaves a document that is still listed, and deleting it again finishes)."""
        if not doc_ids:
            return "Choose the documents to delete first."
        with self.pool.use(collection) as app:
            known = {d.doc_id: d for d in app.catalog.list_documents("", len(doc_ids), doc_ids)}
            chosen = [i for i in doc_ids if i in known]
            passages = sum(known[i].chunks for i in chosen)
            app.dense.delete(chosen)
            app.catalog.delete(chosen)
            for doc_id in chosen:
                self._forget_upload(app.settings.data_dir, collection, known[doc_id].origin)
        return f"Deleted {_count(len(chosen), 'document')} ({_count(passages, 'passage')})."

    def set_date(self, collection: str, doc_ids: Sequence[str], day: str | None) -> str:
        """Give `doc_ids` the publication date `day` (YYYY-MM-DD), marked as set by hand."""
        parsed = parse_day(day, "Publication date")
        if parsed is None:
            raise InputError("Publication date: type the day the documents were published "
                             "(YYYY-MM-DD)")
        if not doc_ids:
            return "Choose the documents to date first."
        with self.pool.use(collection) as app:
            app.dense.set_publish_date(list(doc_ids), parsed.isoformat(), SET_BY_HAND)
            changed = app.catalog.set_publish_date(doc_ids, parsed.isoformat(), SET_BY_HAND)
        return f"Dated {_count(changed, 'document')} {parsed.isoformat()}."

    def create(self, name: str) -> str:
        """Create collection `name`; returns it (a ConfigError explains a bad name)."""
        return self.pool.create(name)

    def sources(self, collection: str) -> list[str]:
        """The source names in `collection`, for the Filters' source list."""
        with self.pool.reading(collection) as catalog:
            return [name for name, _ in catalog.sources()]

    def date_hint(self, collection: str) -> str:
        """A line under the date filters: the span of dates in the collection."""
        with self.pool.reading(collection) as catalog:
            first, last = catalog.date_span()
        return f"Documents here are dated {first} to {last}." if first else \
            "No document here is dated."

    # --- uploads --------------------------------------------------------------------------

    def upload(self, collection: str, files: Sequence[str] | None) -> str | None:
        """Save the uploaded temp files and queue their ingest; returns the job id (None when
        no file was given)."""
        if not files:
            return None
        return self.jobs.start(collection, [(Path(f), Path(f).name) for f in files])

    def watch(self, job_id: str | None, every: float = 0.5) -> Iterator[tuple[str, bool]]:
        """(progress HTML, finished) every `every` seconds until the upload is finished."""
        while True:
            view = self.jobs.view(job_id) if job_id else None
            if view is None:
                yield progress_html([], "Choose one or more files first."), True
                return
            yield progress_html(view.files, _summary(view)), view.finished
            if view.finished:
                return
            time.sleep(every)

    def _forget_upload(self, data_dir: Path, collection: str, origin: str) -> None:
        """Remove the uploaded file a deleted document came from (only a whole file inside
        this collection's uploads folder; never a JSONL line's file)."""
        folder = upload_dir(data_dir, collection).resolve()
        try:
            path = Path(origin).resolve()
        except (OSError, ValueError):
            return
        if path.parent == folder and path.is_file():
            path.unlink(missing_ok=True)


def _summary(view: JobView) -> str:
    if not view.finished:
        return "Working in the background: you can keep asking meanwhile."
    return f"Finished: {view.summary}."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' if n != 1 else ''}"

