"""Salvage a damaged catalog: copy every document row SQLite can still read into a fresh file.

A damaged page (a disk error, a copy cut short) can make SQLite refuse a whole table scan
("database disk image is malformed"). Rows are read in small runs by rowid, and a run that
fails is read one row at a time, so only the rows on the damaged pages are lost. Chunks and the
keyword index are not copied: they are rebuilt from the documents' text (`verify --repair`
re-chunks and re-embeds them). The damaged file is kept beside the new one.

>>> result = salvage_catalog(Path("news/catalog.sqlite"))   # doctest: +SKIP
>>> result.kept, result.lost_rows, result.backup.name       # doctest: +SKIP
(503, 1, 'catalog.sqlite.damaged-20261130T140211')
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rag.stores.catalog import MIGRATIONS
from rag.stores.migrations import migrate

_COLUMNS = ("doc_id, content_hash, title, url, publish_date, date_provenance, source, origin, "
            "text")
RUN = 200
SCAN_PAST_DAMAGE = 10_000  # rowids probed one by one past a damaged run when max() fails


@dataclass(frozen=True)
class Salvaged:
    """What `salvage_catalog` kept: documents copied, rowids it could not read, the backup."""

    kept: int
    lost_rows: int
    backup: Path


def salvage_catalog(path: Path) -> Salvaged:
    """Replace `path` by a fresh catalog holding every readable document (no chunks)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    backup = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, backup)
    for suffix in ("-journal", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, backup.with_name(backup.name + suffix))
    old = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    new = sqlite3.connect(path)
    try:
        migrate(new, MIGRATIONS)
        kept = lost = 0
        with new:
            for row in _readable_rows(old):
                if row is None:
                    lost += 1
                    continue
                new.execute(f"INSERT OR REPLACE INTO documents ({_COLUMNS}) "
                            "VALUES (?,?,?,?,?,?,?,?,?)", row)
                kept += 1
    finally:
        old.close()
        new.close()
    return Salvaged(kept, lost, backup)


def _readable_rows(db: sqlite3.Connection) -> Iterator[tuple[Any, ...] | None]:
    """Every document row, None for each rowid that cannot be read."""
    last = _max_rowid(db)
    rowid = 0
    while rowid < last:
        try:
            rows = db.execute(f"SELECT rowid, {_COLUMNS} FROM documents WHERE rowid > ? "
                              "ORDER BY rowid LIMIT ?", (rowid, RUN)).fetchall()
        except sqlite3.DatabaseError:
            yield from _one_by_one(db, rowid + 1, min(rowid + RUN, last))
            rowid += RUN
            continue
        if not rows:
            return
        for row in rows:
            yield tuple(row[1:])
        rowid = rows[-1][0]


def _one_by_one(db: sqlite3.Connection, first: int, last: int) -> Iterator[tuple[Any, ...] | None]:
    for rowid in range(first, last + 1):
        try:
            row = db.execute(f"SELECT {_COLUMNS} FROM documents WHERE rowid = ?",
                             (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            yield None
            continue
        if row is not None:
            yield tuple(row)


def _max_rowid(db: sqlite3.Connection) -> int:
    try:
        return int(db.execute("SELECT coalesce(max(rowid), 0) FROM documents").fetchone()[0])
    except sqlite3.DatabaseError:
        return SCAN_PAST_DAMAGE
