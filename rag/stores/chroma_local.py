"""One client per embedded Chroma folder in this process, reopened when another process wrote.

chromadb keeps an embedded store's vector index in memory and does not notice when another
process (a CLI `ingest` beside a running `citechat ui`) adds to the folder: its metadata then
names vectors its index lacks, and every filtered query fails with "Error finding id" until the
process restarts. `LocalChroma` watches the store's SQLite file (size and modification time,
one `stat` per call) and opens a fresh client when it changed for a reason other than this
process's own writes; `reopen()` forces it (the dense store calls it once when Chroma raises an
internal error anyway, e.g. for writes that raced with its own).

>>> store = local_chroma(Path("/tmp/citechat-doctest/chroma"))   # doctest: +SKIP
>>> client, generation = store.current()                          # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

log = logging.getLogger(__name__)

SQLITE_FILE = "chroma.sqlite3"
Stamp = tuple[int, int]  # (size, mtime_ns) of the store's SQLite file and its WAL, summed

_REGISTRY: dict[Path, LocalChroma] = {}
_REGISTRY_LOCK = threading.Lock()


def local_chroma(path: Path) -> LocalChroma:
    """The process's one `LocalChroma` for the folder `path` (created on first use)."""
    key = path.resolve()
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            _REGISTRY[key] = LocalChroma(key)
        return _REGISTRY[key]


def local_path_of(client: ClientAPI) -> Path | None:
    """The folder of an embedded client; None for a client of a `chroma run` server."""
    settings = client.get_settings()
    if not settings.is_persistent or not settings.persist_directory:
        return None
    return Path(settings.persist_directory)


class LocalChroma:
    """An embedded store's client, its generation (bumped on every reopen) and the stamp of
    the SQLite file as this process last saw it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._client = _new_client(path)
        self._stamp = stamp(path)
        self.generation = 0

    def current(self) -> tuple[ClientAPI, int]:
        """The client, reopened first when another process changed the store."""
        with self._lock:
            now = stamp(self.path)
            if now != self._stamp:
                log.info("%s changed on disk (another process wrote); reopening", self.path)
                self._reopen_locked()
            return self._client, self.generation

    def wrote(self) -> None:
        """Record this process's own write, so it does not count as another's."""
        with self._lock:
            self._stamp = stamp(self.path)

    def reopen(self, seen_generation: int) -> None:
        """Open a fresh client unless another thread already did since `seen_generation`."""
        with self._lock:
            if self.generation == seen_generation:
                self._reopen_locked()

    def _reopen_locked(self) -> None:
        from chromadb.api.shared_system_client import SharedSystemClient

        # chromadb caches one system per folder and would hand back the stale one. The old
        # client is not stopped: a thread may still be reading with it; it goes with its refs.
        SharedSystemClient.clear_system_cache()
        self._client = _new_client(self.path)
        self._stamp = stamp(self.path)
        self.generation += 1


def stamp(path: Path) -> Stamp:
    """Size and modification time of the store's SQLite file and its WAL (0 when absent).

    >>> stamp(Path("/nonexistent-citechat"))
    (0, 0)
    """
    size = mtime = 0
    for name in (SQLITE_FILE, SQLITE_FILE + "-wal"):
        try:
            info = os.stat(path / name)
        except FileNotFoundError:
            continue
        size += info.st_size
        mtime += info.st_mtime_ns
    return size, mtime


def _new_client(path: Path) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaConfig

    config = ChromaConfig(anonymized_telemetry=False, allow_reset=False)
    return chromadb.PersistentClient(path=str(path), settings=config)


def set_aside(path: Path) -> Path:
    """Move an embedded store that cannot be opened out of the way (renamed, never deleted)
    so a fresh one can start; returns where it went. Every collection in it loses its vectors
    (their catalogs keep the documents, and the next ingest re-embeds them)."""
    from datetime import UTC, datetime

    from chromadb.api.shared_system_client import SharedSystemClient

    target = path.with_name(f"{path.name}.broken-{datetime.now(UTC):%Y%m%dT%H%M%S}")
    with _REGISTRY_LOCK:
        _REGISTRY.pop(path.resolve(), None)
        SharedSystemClient.clear_system_cache()
        os.replace(path, target)
    return target
