"""Files uploaded in the UI: checked, saved under `data_dir/uploads/<collection>/`, then ingested.

A file is refused (and named in the summary with the reason) when its name has folders or `..`
in it, starts with a dot, has an extension the loaders do not read, or is over the size limit.
Nothing is ever written outside `data_dir/uploads/`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.loaders import SUPPORTED_EXTENSIONS
from ingest.pipeline import IngestReport, ingestor_for
from rag.core.errors import IngestError

if TYPE_CHECKING:
    from rag.app import App

ALLOWED_EXTENSIONS = SUPPORTED_EXTENSIONS  # what the loaders read, nothing more
MAX_BYTES = 20 * 1024 * 1024
_NAME = re.compile(r"^[\w][\w .()+,=@-]{0,150}$")


@dataclass
class UploadSummary:
    """What an upload did: files saved, per-file errors, and the ingest report."""

    saved: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    report: IngestReport | None = None

    def text(self) -> str:
        """A short Markdown-free summary for the UI."""
        lines = [f"saved {len(self.saved)} file(s)"]
        if self.report is not None:
            lines.append(self.report.summary())
            lines += [f"error: {failure}" for failure in self.report.failed]
        lines += [f"error: {e}" for e in self.errors]
        return "\n".join(lines)


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
        raise IngestError(f"{name}: would be written outside {dest_dir}")
    fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out)
        os.replace(tmp, target)  # replaces a link at `target`, never writes through it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def ingest_uploads(
    app: App,
    files: Sequence[tuple[Path, str]],
    *,
    max_bytes: int = MAX_BYTES,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> UploadSummary:
    """Save each `(temp_path, original_name)` and ingest the saved files into `app`'s collection.

    `on_progress(done, total, name)` is called per loaded document (JSONL: per record).
    """
    summary = UploadSummary()
    dest_dir = upload_dir(app.settings.data_dir, app.settings.collection)
    if not dest_dir.resolve().is_relative_to(app.settings.data_dir.resolve()):
        summary.errors.append(f"{dest_dir} leads outside the data dir; nothing was saved")
        return summary
    saved: list[Path] = []
    for source, name in files:
        if name in summary.saved:
            summary.errors.append(f"{name}: uploaded twice in one go; kept the first")
            continue
        try:
            saved.append(save_upload(source, name, dest_dir, max_bytes))
        except (IngestError, OSError) as exc:
            summary.errors.append(str(exc) if isinstance(exc, IngestError) else f"{name}: {exc}")
            continue
        summary.saved.append(name)
    if not saved:
        return summary
    done = 0

    def progress(origin: str) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, len(saved), Path(origin).name)

    summary.report = ingestor_for(app).ingest(saved, on_progress=progress)
    return summary
