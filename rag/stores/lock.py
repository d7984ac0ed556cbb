"""One writer per data dir: a lock file that any citechat process (CLI, UI, bench) takes before
it writes, so two writers never embed the same work twice or interleave their batches.

The lock is an `flock` on `<data dir>/writer.lock`, which holds who has it (pid, command, since)
for the messages. The kernel releases it when its process dies, so a lock left by a `kill -9`
is taken over at once (and said so in the log). A second writer waits (telling `on_wait` who
it waits for) or, with `wait_s`, gives up with a message naming the holder. The same thread
may take it again (a repair that re-ingests); other threads of the same process wait like
other processes.

>>> with WriterLock(Path("/tmp/citechat-doctest"), "citechat ingest news/"):  # doctest: +SKIP
...     pass  # write to both stores here
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from rag.core.errors import StoreError

log = logging.getLogger(__name__)

LOCK_FILE = "writer.lock"
POLL_S = 0.2


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock.

    >>> print(Holder(41, "citechat ingest news/", "2026-11-30T14:02:11+00:00"))
    pid 41 (`citechat ingest news/`, since 2026-11-30T14:02:11+00:00)
    """

    pid: int
    command: str
    since: str

    def __str__(self) -> str:
        return f"pid {self.pid} (`{self.command}`, since {self.since})"


_held = threading.local()  # path -> depth, for the thread that holds it


class WriterLock:
    """The single-writer lock of one data dir; a context manager (re-entrant per thread)."""

    def __init__(
        self,
        data_dir: Path,
        command: str,
        *,
        wait_s: float | None = None,
        on_wait: Callable[[Holder | None], None] | None = None,
    ) -> None:
        self.path = data_dir / LOCK_FILE
        self.command = command
        self.wait_s = wait_s  # None: wait as long as it takes
        self.on_wait = on_wait
        self._file: IO[str] | None = None

    def __enter__(self) -> WriterLock:
        depths: dict[Path, int] = _depths()
        if depths.get(self.path, 0) == 0:
            self._file = self._acquire()
        depths[self.path] = depths.get(self.path, 0) + 1
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        depths = _depths()
        depths[self.path] -= 1
        if depths[self.path] == 0 and self._file is not None:
            self._file.close()  # releases the flock; the holder line stays for `holder()`
            self._file = None

    def holder(self) -> Holder | None:
        """Who holds the lock now; None when nobody does."""
        try:
            with self.path.open("r") as probe:
                try:
                    fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    return _read_holder(self.path)
                return None
        except FileNotFoundError:
            return None

    def _acquire(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = _open_lock_file(self.path)
        deadline = None if self.wait_s is None else time.monotonic() + self.wait_s
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _read_holder(self.path)
                if deadline is not None and time.monotonic() >= deadline:
                    handle.close()
                    raise StoreError(busy_message(self.path.parent, holder)) from None
                if not told:
                    told = True
                    log.warning("waiting for the writer of %s: %s", self.path.parent,
                                holder or "another process")
                    if self.on_wait:
                        self.on_wait(holder)
                time.sleep(POLL_S)
        self._took_over(_read_holder(self.path))
        _write_holder(handle, Holder(os.getpid(), self.command, _now()))
        return handle

    def _took_over(self, previous: Holder | None) -> None:
        if previous is not None and previous.pid != os.getpid() and not _running(previous.pid):
            log.info("took over the writer lock of %s, which is no longer running", previous)


def busy_message(data_dir: Path, holder: Holder | None) -> str:
    """Why a writer could not start, and what to do."""
    who = str(holder) if holder else "another process"
    return (f"another citechat writer is using {data_dir}: {who}; wait for it to finish "
            "(or stop it) and run again — its work is kept, nothing is done twice")


def _depths() -> dict[Path, int]:
    if not hasattr(_held, "depths"):
        _held.depths = {}
    depths: dict[Path, int] = _held.depths
    return depths


def _open_lock_file(path: Path) -> IO[str]:
    try:
        return path.open("a+")
    except OSError as exc:
        raise StoreError(f"cannot write the lock file {path} ({exc.strerror}); writing needs a "
                         "data dir you can write to (--data-dir / CITECHAT_DATA_DIR)") from exc


def _read_holder(path: Path) -> Holder | None:
    try:
        data = json.loads(path.read_text() or "null")
        return Holder(int(data["pid"]), str(data["command"]), str(data["since"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None  # written by nobody yet, or half-written by a process that died


def _write_holder(handle: IO[str], holder: Holder) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(holder.__dict__))
    handle.flush()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
