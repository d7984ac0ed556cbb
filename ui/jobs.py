"""Uploads ingested in the background, one at a time, so the rest of the app (and every other
collection) stays usable while a large file is embedded; the UI polls `view(job_id)`.

>>> jobs = UploadJobs(pool)                                            # doctest: +SKIP
>>> job_id = jobs.start("news", [(Path("/tmp/gradio/x"), "bees.txt")])  # doctest: +SKIP
>>> jobs.view(job_id).files[0].stage                                   # doctest: +SKIP
'embedding'
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rag.core.errors import CitechatError
from ui.session import AppPool
from ui.uploads import (
    MAX_BYTES,
    CountingEmbedder,
    FileProgress,
    UploadProgress,
    ingest_saved,
    save_all,
    upload_dir,
)

log = logging.getLogger(__name__)
KEPT_JOBS = 200  # finished jobs remembered for late pollers


@dataclass
class Job:
    """One upload: its collection, per-file progress, and the summary once finished."""

    id: str
    collection: str
    progress: UploadProgress
    summary: str = ""
    done: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class JobView:
    """A consistent copy of a job's state for rendering."""

    collection: str
    files: list[FileProgress]
    summary: str
    finished: bool


class UploadJobs:
    """Save uploads at once, ingest them in one background thread, in arrival order."""

    def __init__(self, pool: AppPool, max_bytes: int = MAX_BYTES) -> None:
        self._pool = pool
        self._max_bytes = max_bytes
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="citechat-upload")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, collection: str, files: Sequence[tuple[Path, str]]) -> str:
        """Save `(temp_path, name)` files for `collection` now (refusing bad ones) and queue
        their ingest; returns the job id."""
        job = Job(uuid.uuid4().hex, collection, UploadProgress())
        dest = upload_dir(self._pool.settings.data_dir, collection)
        saved = save_all(files, dest, job.progress, self._max_bytes)
        with self._lock:
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-KEPT_JOBS]:
                del self._jobs[old]
        if saved:
            self._executor.submit(self._run, job, saved)
        else:
            job.summary = "nothing to ingest"
            job.done.set()
        return job.id

    def view(self, job_id: str) -> JobView | None:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            return None
        finished = job.done.is_set()
        return JobView(job.collection, job.progress.snapshot(), job.summary, finished)

    def wait(self, job_id: str, timeout: float | None = None) -> bool:
        """Block until the job is finished (tests); False on timeout."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job is None or job.done.wait(timeout)

    def _run(self, job: Job, saved: list[Path]) -> None:
        try:
            embedder = CountingEmbedder(self._pool.embedder, job.progress)
            app = self._pool.worker(job.collection, embedder)
            try:
                job.summary = ingest_saved(app, saved, job.progress)
            finally:
                app.catalog.close()
        except CitechatError as exc:
            job.summary = f"upload failed: {exc}"
        except Exception:  # a bug must not kill the worker thread silently: log it, say so
            log.exception("upload %s failed", job.id)
            job.summary = "upload failed: internal error (see the server log)"
        finally:
            job.done.set()
