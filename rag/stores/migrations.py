"""Append-only schema migrations for citechat's SQLite files (catalog, turn log, feedback).

Each store keeps a list of `(name, sql)` steps; `migrate` runs the ones not yet recorded in the
file's `schema_version` table, each in its own transaction, in order. Steps are never edited or
reordered: a change to a schema is a new step at the end.

>>> import sqlite3
>>> db = sqlite3.connect(":memory:")
>>> steps = [("create t", "CREATE TABLE t (a INTEGER)"), ("add b", "ALTER TABLE t ADD COLUMN b")]
>>> migrate(db, steps), migrate(db, steps), schema_version(db)
(2, 0, 2)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rag.core.errors import StoreError

Migration = tuple[str, str]


def migrate(db: sqlite3.Connection, steps: Sequence[Migration]) -> int:
    """Apply the steps not yet recorded; returns how many ran. A second process waits on the
    first one's lock, then sees its rows and runs nothing twice."""
    db.execute("CREATE TABLE IF NOT EXISTS schema_version "
               "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    db.commit()
    if schema_version(db) >= len(steps):
        return 0
    ran = 0
    for version, (name, sql) in enumerate(steps, start=1):
        db.execute("BEGIN IMMEDIATE")
        try:
            if version > schema_version(db):
                for statement in _statements(sql):
                    db.execute(statement)
                db.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                           (version, name, datetime.now(UTC).isoformat(timespec="seconds")))
                ran += 1
            db.commit()
        except BaseException:
            db.rollback()
            raise
    return ran


@contextmanager
def connect_migrated(path: Path, steps: Sequence[Migration],
                     what: str) -> Iterator[sqlite3.Connection]:
    """A short-lived connection to the SQLite file at `path`, migrated, inside one transaction
    (committed on success). A damaged or unusable file is a StoreError naming `what` and the
    path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(path, timeout=10)) as db:
            migrate(db, steps)
            with db:
                yield db
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot use {what} {path}: {exc}") from exc


def schema_version(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])


def _statements(sql: str) -> list[str]:
    """`sql` split into complete statements (a trigger's inner `;` stays with its trigger)."""
    out: list[str] = []
    buffer = ""
    for part in sql.split(";"):
        buffer += part + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n\t;"):
                out.append(buffer.strip())
            buffer = ""
    return out
