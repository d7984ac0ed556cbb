"""Files uploaded in the UI: checked, saved under `data_dir/uploads/<collection>/`, then ingested
file by file with honest progress (loaded → embedding k/n passages → embedded).

A file is refused (and named in the summary with the reason) when its name has folders or `..`
in it, starts with a dot, has an extension the loaders do not read, or is over the size limit.
Nothing is ever written outside `data_dir/uploads/`; a file from which nothing could be
ingested is removed again; messages name files, never server paths.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.pipeline import IngestReport, ingestor_for
from rag.core.errors import CitechatError, IngestError
from rag.core.protocols import Embedder

if TYPE_CHECKING:
    from rag.app import App

ALLOWED_EXTENSIONS = SUPPORTED_EXTENSIONS  # what the loaders read, nothing more
MAX_BYTES = 20 * 1024 * 1024
_NAME = re.compile(r"^[\w][\w .()+,=@-]{0,150}$")


def check_name(name: str) -> str:
    """`name` if it is a plain file name with an allowed extension, else raise IngestError."""
    if not name or "/" in name or "\\" in name or "\x00" in name:
        raise IngestError(f"{name!r}: give a file name only, without folders or '..'")
    if not _NAME.match(name):
        raise IngestError(f"{name!r}: use letters, digits, spaces and . _ - ( ) only, "
                          "not starting with a dot, at most 151 characters")
    if Path(name).suffix.lower() not in ALLOWED_EXTENSIONS:
        raise IngestError(f"{name}: unsupported type; allowed: {' '.join(ALLOWED_EXTENSIONS)}")
    return name


def upload_dir(data_dir: Path, collection: str) -> Path:
    """Where uploads for `collection` are kept."""
    return data_dir / "uploads" / collection


def save_upload(source: Path, name: str, dest_dir: Path, max_bytes: int = MAX_BYTES) -> Path:
    """Copy `source` to `dest_dir/name` (atomically); raise IngestError if it may not be saved."""
    check_name(name)
    size = source.stat().st_size
    if size > max_bytes:
        raise IngestError(f"{name}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit")
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / name
    if target.resolve().parent != dest_dir.resolve():
        raise IngestError(f"{name}: would be written outside {dest_dir.name}/")
    fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
        os.replace(tmp, target)  # replaces a link at `target`, never writes through it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


@dataclass
class FileProgress:
    """Where one uploaded file is: queued, loading, loaded, embedding (`done`/`total`
    passages), embedded, unchanged, failed or refused (with `error`)."""

    name: str
    stage: str = "queued"
    done: int = 0
    total: int = 0
    records: int = 0
    error: str = ""


class UploadProgress:
    """The progress of one upload, file by file; written by the ingest thread, read by the UI
    (`snapshot`)."""

    def __init__(self) -> None:
        self._files: dict[str, FileProgress] = {}
        self._lock = threading.Lock()
        self._current = ""

    def add(self, name: str, stage: str = "queued", error: str = "") -> None:
        with self._lock:
            self._files[name] = FileProgress(name, stage, error=error)

    def start(self, name: str) -> None:
        self._set(name, stage="loading")
        self._current = name

    def loaded(self, origin: str) -> None:
        with self._lock:
            f = self._files[self._current]
            f.stage, f.records = "loaded", f.records + 1

    def batch(self, stage: str, origins: Sequence[str], passages: int) -> None:
        """The ingest's `on_batch`: a batch of the current file is embedding, or stored."""
        with self._lock:
            f = self._files[self._current]
            if stage == "embedding":
                f.stage, f.total = "embedding", f.total + passages
            elif stage == "stored":
                f.done = f.total

    def embedded(self, count: int) -> None:
        """`count` more passages of the current file have their vectors."""
        with self._lock:
            f = self._files.get(self._current)
            if f is not None and f.stage == "embedding":
                f.done = min(f.total, f.done + count)

    def finish(self, name: str, report: IngestReport, failures: list[str]) -> None:
        stored = report.added + report.updated
        if failures and not stored and not report.unchanged:
            self._set(name, stage="failed", error="; ".join(failures))
        elif stored:
            self._set(name, stage="embedded", error="; ".join(failures))
        else:
            self._set(name, stage="unchanged", error="; ".join(failures))

    def _set(self, name: str, **fields: object) -> None:
        with self._lock:
            self._files[name] = replace(self._files[name], **fields)  # type: ignore[arg-type]

    def snapshot(self) -> list[FileProgress]:
        with self._lock:
            return [replace(f) for f in self._files.values()]


class CountingEmbedder:
    """`inner`, telling `progress` after each call how many texts it embedded (same
    `model_id`, so content hashes do not change)."""

    def __init__(self, inner: Embedder, progress: UploadProgress) -> None:
        self._inner = inner
        self._progress = progress
        self.model_id = getattr(inner, "model_id", type(inner).__name__)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._inner.embed(texts)
        self._progress.embedded(len(texts))
        return vectors


def save_all(
    files: Sequence[tuple[Path, str]], dest_dir: Path, progress: UploadProgress,
    max_bytes: int = MAX_BYTES,
) -> list[Path]:
    """Save each `(temp_path, original_name)` under `dest_dir`; a refused one is recorded in
    `progress` with the reason. Returns the saved paths."""
    saved: list[Path] = []
    for source, name in files:
        if any(p.name == name for p in saved):
            progress.add(f"{name} (again)", "refused", "uploaded twice in one go; kept the first")
            continue
        try:
            saved.append(save_upload(source, name, dest_dir, max_bytes))
        except IngestError as exc:
            progress.add(name, "refused", str(exc).removeprefix(f"{name}: "))
        except OSError as exc:
            progress.add(name, "refused", exc.strerror or "could not be saved")
        else:
            progress.add(name)
    return saved


def ingest_saved(app: App, paths: Sequence[Path], progress: UploadProgress) -> str:
    """Ingest the saved files one at a time into `app`'s collection; returns a summary line.
    A file from which nothing was stored, and that is not already there, is deleted."""
    ingestor = ingestor_for(app)
    totals = IngestReport()
    for path in paths:
        progress.start(path.name)
        try:
            report = ingestor.ingest([path], on_progress=progress.loaded, on_batch=progress.batch)
        except CitechatError as exc:
            report = IngestReport()
            failures = [_public(str(exc), path.parent)]
        else:
            failures = [_public(str(f), path.parent) for f in report.failed]
        progress.finish(path.name, report, failures)
        if failures and not (report.added or report.updated or report.unchanged):
            path.unlink(missing_ok=True)
        for name in ("added", "updated", "unchanged", "chunks"):
            setattr(totals, name, getattr(totals, name) + getattr(report, name))
        totals.failed += report.failed
    return totals.summary()


def _public(message: str, folder: Path) -> str:
    """`message` without the server's upload folder (files are named by name only)."""
    for prefix in (folder.resolve().as_posix() + "/", folder.as_posix() + "/"):
        message = message.replace(prefix, "")
    return message
