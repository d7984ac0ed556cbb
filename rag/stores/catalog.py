"""The chunk catalog: a SQLite file per collection holding documents, chunks and a BM25 index.

It is the keyword side of hybrid retrieval (SQLite FTS5 with its built-in `bm25()` ranking and
Porter stemming) and the ingest manifest (content hash per document), written in one
transaction per batch so a crash never leaves the two out of step. LlamaIndex's BM25Retriever
rebuilds its whole index from nodes and its docstore persists only at the end of a run, so
neither survives an interrupted ingest; this file does.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rag.core.errors import StoreError
from rag.core.protocols import SearchFilters
from rag.core.settings import COLLECTION_PATTERN
from rag.core.types import Chunk
from rag.stores.migrations import Migration, migrate
from rag.text.lexicon import lexicon
from rag.text.sentences import words

PENDING = "pending:"  # content-hash prefix of a document whose rewrite did not finish

# Append only (rag.stores.migrations): never edit or reorder a step, add one. The first step
# is written with IF NOT EXISTS so catalogs made before migrations existed adopt it as-is.
MIGRATIONS: list[Migration] = [("documents, chunks and the BM25 index", """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, title TEXT, url TEXT,
    publish_date TEXT, date_provenance TEXT, source TEXT, origin TEXT, text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL, title TEXT,
    url TEXT, publish_date TEXT, source TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, text, content='chunks', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
"""), ("chunks carry their document's date provenance (a file-time date is shown as such)", """
ALTER TABLE chunks ADD COLUMN date_provenance TEXT;
UPDATE chunks SET date_provenance =
    (SELECT d.date_provenance FROM documents d WHERE d.doc_id = chunks.doc_id);
"""), ("when each document was last ingested (the UI's documents view)", """
CREATE TABLE IF NOT EXISTS ingested (doc_id TEXT PRIMARY KEY, ingested_at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS documents_ingested AFTER INSERT ON documents BEGIN
    INSERT OR REPLACE INTO ingested VALUES (new.doc_id, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;
CREATE TRIGGER IF NOT EXISTS documents_forgotten AFTER DELETE ON documents BEGIN
    DELETE FROM ingested WHERE doc_id = old.doc_id;
END;
""")]

_CHUNK_COLUMNS = (
    "chunk_id, doc_id, start, end, text, title, url, publish_date, source, date_provenance"
)


@dataclass(frozen=True)
class DocumentInfo:
    """One row of the documents view: what a document is, how it is dated, how it is stored.
    `ingested_at` is an ISO UTC time, None for documents ingested before it was recorded."""

    doc_id: str
    title: str
    source: str | None
    publish_date: str | None
    date_provenance: str | None
    chunks: int
    ingested_at: str | None
    origin: str


@dataclass(frozen=True)
class DocumentRecord:
    """A cleaned document as the catalog keeps it."""

    doc_id: str
    content_hash: str
    text: str
    title: str = ""
    url: str | None = None
    publish_date: str | None = None
    date_provenance: str | None = None
    source: str | None = None
    origin: str = ""


class Catalog:
    """Documents, chunks and their keyword index for one collection."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, check_same_thread=False)
            migrate(self._db, MIGRATIONS)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the keyword index {path}: {exc}") from exc
        self.path = path

    def close(self) -> None:
        self._db.close()

    def content_hashes(self) -> dict[str, str]:
        """doc_id -> content hash of every stored document."""
        return dict(self._db.execute("SELECT doc_id, content_hash FROM documents"))

    def write(self, batch: Iterable[tuple[DocumentRecord, Sequence[Chunk]]]) -> None:
        """Replace each document and its chunks, all in one transaction."""
        with self._writing():
            for doc, chunks in batch:
                self._delete(doc.doc_id)
                self._db.execute(
                    "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, doc.content_hash, doc.title, doc.url, doc.publish_date,
                     doc.date_provenance, doc.source, doc.origin, doc.text),
                )
                self._db.executemany(
                    f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    [(c.chunk_id, c.doc_id, c.start, c.end, c.text, c.title, c.url,
                      c.publish_date, c.source, c.date_provenance or doc.date_provenance)
                     for c in chunks],
                )

    def delete(self, doc_ids: Iterable[str]) -> None:
        with self._writing():
            for doc_id in doc_ids:
                self._delete(doc_id)

    def mark_pending(self, doc_ids: Sequence[str]) -> None:
        """Mark stored documents as being rewritten (before their vectors are replaced): a run
        that dies before `write` leaves them marked, and the next run redoes them instead of
        trusting a hash whose vectors may already be another version's."""
        with self._writing():
            self._db.executemany(
                f"UPDATE documents SET content_hash = '{PENDING}' || content_hash "
                f"WHERE doc_id = ? AND content_hash NOT LIKE '{PENDING}%'",
                [(doc_id,) for doc_id in doc_ids])

    def pending(self) -> list[str]:
        """Documents a run was rewriting when it stopped (see `mark_pending`)."""
        rows = self._db.execute("SELECT doc_id FROM documents WHERE content_hash LIKE ? "
                                "ORDER BY rowid", (PENDING + "%",))
        return [row[0] for row in rows]

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction; a full disk or a read-only file is a `StoreError` that names the
        file and the fix (everything committed before is kept)."""
        try:
            with self._db:
                yield
        except sqlite3.OperationalError as exc:
            raise StoreError(write_error(self.path, exc)) from exc

    def _delete(self, doc_id: str) -> None:
        self._db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def counts(self) -> tuple[int, int]:
        """(documents, chunks) stored."""
        docs = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
        chunks = self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return docs, chunks

    def newest_publish_date(self) -> date | None:
        """The latest publication date stored (None when no document is dated)."""
        row = self._db.execute("SELECT max(publish_date) FROM documents").fetchone()
        try:
            return date.fromisoformat(row[0]) if row and row[0] else None
        except ValueError:
            return None

    def document_text(self, doc_id: str) -> str | None:
        row = self._db.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def chunks(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        marks = ",".join("?" * len(chunk_ids))
        rows = self._db.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})", list(chunk_ids)
        )
        return {row[0]: _chunk(row) for row in rows}

    def search(
        self, query: str, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[Chunk, float]]:
        """BM25 search (title weighted half as much as text); best first, score = -bm25."""
        stop = lexicon().stopwords("keyword_search")  # function words: they only dilute OR
        terms = [t for t in dict.fromkeys(words(query)) if t not in stop]
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        where, params = _filter_sql(filters)
        sql = (
            f"SELECT {', '.join('c.' + col for col in _CHUNK_COLUMNS.split(', '))}, "
            "bm25(chunks_fts, 0.5, 1.0) AS rank FROM chunks_fts "
            "JOIN chunks c ON c.rowid = chunks_fts.rowid "
            f"WHERE chunks_fts MATCH ? {where} ORDER BY rank LIMIT ?"
        )
        rows = self._db.execute(sql, [match, *params, k]).fetchall()
        return [(_chunk(row[:-1]), -row[-1]) for row in rows]

    def documents(self) -> Iterable[DocumentRecord]:
        """Every stored document, in the order written (read lazily, one row at a time)."""
        rows = self._db.execute(
            "SELECT doc_id, content_hash, text, title, url, publish_date, date_provenance, "
            "source, origin FROM documents ORDER BY rowid"
        )
        for row in rows:
            yield DocumentRecord(*row)

    def chunks_of(self, doc_ids: Sequence[str]) -> list[Chunk]:
        """The chunks of `doc_ids`, in the order written (keep `doc_ids` to a few hundred)."""
        marks = ",".join("?" * len(doc_ids))
        rows = self._db.execute(
            f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE doc_id IN ({marks}) ORDER BY rowid",
            list(doc_ids),
        )
        return [_chunk(row) for row in rows]

    # --- checks against the vector store (rag.stores.verify, ingest) ---------------------------

    def chunk_owners(self) -> dict[str, str]:
        """chunk id -> document id, for every stored chunk."""
        return dict(self._db.execute("SELECT chunk_id, doc_id FROM chunks"))

    def repeated_passages(self) -> list[str]:
        """Documents holding the same passage (same offsets) twice (none: empty)."""
        rows = self._db.execute("SELECT DISTINCT doc_id FROM chunks GROUP BY doc_id, start, end "
                                "HAVING count(*) > 1 ORDER BY doc_id")
        return [row[0] for row in rows]

    def records(self, doc_ids: Sequence[str]) -> list[DocumentRecord]:
        """The stored documents among `doc_ids`, in the order written (keep it to a few
        hundred)."""
        marks = ",".join("?" * len(doc_ids))
        rows = self._db.execute(
            "SELECT doc_id, content_hash, text, title, url, publish_date, date_provenance, "
            f"source, origin FROM documents WHERE doc_id IN ({marks}) ORDER BY rowid",
            list(doc_ids))
        return [DocumentRecord(*row) for row in rows]

    def integrity(self) -> list[str]:
        """What SQLite's own checks find wrong with the file and its keyword index (none:
        empty): damaged pages, an index out of step with its table, an FTS index that does
        not match the chunks."""
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check")
                    if row[0] != "ok"]
        try:
            self._db.execute("INSERT INTO chunks_fts(chunks_fts, rank) "
                             "VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            problems.append(f"keyword index: {exc}")
        finally:
            self._db.rollback()  # the check is an INSERT: do not hold its write lock
        return problems

    def rebuild_keyword_index(self) -> None:
        """Rebuild the FTS index from the chunks table (what `verify --repair` does)."""
        with self._writing():
            self._db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")

    # --- the documents view (ui) ------------------------------------------------------------

    def list_documents(
        self, search: str = "", limit: int = 200, doc_ids: Sequence[str] | None = None
    ) -> list[DocumentInfo]:
        """Documents whose title, id or source contains `search` (any case), most recently
        ingested first, at most `limit`; only `doc_ids` when given (keep it to a few hundred)."""
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", search.strip().lower()) + "%"
        only = f"AND d.doc_id IN ({','.join('?' * len(doc_ids))})" if doc_ids is not None else ""
        rows = self._db.execute(
            "SELECT d.doc_id, d.title, d.source, d.publish_date, d.date_provenance, "
            "(SELECT count(*) FROM chunks c WHERE c.doc_id = d.doc_id), i.ingested_at, d.origin "
            "FROM documents d LEFT JOIN ingested i ON i.doc_id = d.doc_id "
            "WHERE lower(coalesce(d.title, '') || ' ' || d.doc_id || ' ' || "
            f"coalesce(d.source, '')) LIKE ? ESCAPE '\\' {only} "
            "ORDER BY coalesce(i.ingested_at, '') DESC, d.rowid DESC LIMIT ?",
            (pattern, *(doc_ids or []), limit),
        )
        return [DocumentInfo(*row) for row in rows]

    def count_documents(self, filters: SearchFilters | None = None) -> int:
        """How many documents `filters` lets through (the rules of `search`: `until` keeps
        undated documents, `since` drops them)."""
        where, params = _filter_sql(filters)
        sql = f"SELECT count(*) FROM documents c WHERE 1 = 1 {where}"
        return int(self._db.execute(sql, params).fetchone()[0])

    def date_span(self, filters: SearchFilters | None = None) -> tuple[str | None, str | None]:
        """(earliest, latest) publication date of the documents `filters` lets through;
        (None, None) when none of them is dated."""
        where, params = _filter_sql(filters)
        row = self._db.execute("SELECT min(publish_date), max(publish_date) FROM documents c "
                               f"WHERE publish_date IS NOT NULL {where}", params).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def sources(self) -> list[tuple[str, int]]:
        """Every source name with its number of documents, by name."""
        rows = self._db.execute("SELECT source, count(*) FROM documents WHERE source IS NOT NULL "
                                "AND source != '' GROUP BY source ORDER BY source")
        return [(str(name), int(n)) for name, n in rows]

    def set_publish_date(self, doc_ids: Sequence[str], day: str,
                         provenance: str = "set by hand") -> int:
        """Date `doc_ids` (and their chunks) `day` (YYYY-MM-DD); returns how many documents
        changed. The vectors' date metadata is `DenseStore.set_publish_date`'s job."""
        date.fromisoformat(day)  # a ValueError for anything but a real day
        with self._writing():
            changed = 0
            for doc_id in doc_ids:
                changed += self._db.execute(
                    "UPDATE documents SET publish_date = ?, date_provenance = ? WHERE doc_id = ?",
                    (day, provenance, doc_id)).rowcount
                self._db.execute(
                    "UPDATE chunks SET publish_date = ?, date_provenance = ? WHERE doc_id = ?",
                    (day, provenance, doc_id))
        return changed


def write_error(path: Path, exc: sqlite3.Error) -> str:
    """What to do when SQLite cannot write `path`.

    >>> full = sqlite3.OperationalError("database or disk is full")
    >>> print(write_error(Path("/d/c.sqlite"), full))  # doctest: +NORMALIZE_WHITESPACE
    cannot write /d/c.sqlite (database or disk is full): free some disk space and run the same
    command again; everything committed before is kept
    """
    text = str(exc)
    if "full" in text:
        fix = "free some disk space and run the same command again"
    elif "readonly" in text or "read-only" in text:
        fix = ("the data dir is read-only: make it writable, or pick another with --data-dir "
               "(CITECHAT_DATA_DIR)")
    elif "locked" in text:
        fix = "another process holds it: wait for it to finish and run again"
    else:
        fix = "check the disk and the file's permissions, then run `citechat verify`"
    return f"cannot write {path} ({text}): {fix}; everything committed before is kept"


def _filter_sql(filters: SearchFilters | None) -> tuple[str, list[str]]:
    if filters is None:
        return "", []
    clauses, params = [], []
    if filters.since:
        clauses.append("AND c.publish_date >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("AND (c.publish_date IS NULL OR c.publish_date <= ?)")  # as in Chroma
        params.append(filters.until)
    if filters.source:
        clauses.append("AND c.source = ?")
        params.append(filters.source)
    return " ".join(clauses), params


def _chunk(row: Sequence[Any]) -> Chunk:
    chunk_id, doc_id, start, end, text, title, url, publish_date, source, provenance = row
    return Chunk(
        chunk_id=chunk_id, doc_id=doc_id, start=start, end=end, text=text, title=title or "",
        url=url, publish_date=publish_date, source=source, date_provenance=provenance,
    )


def list_collections(data_dir: Path) -> list[str]:
    """Names of the collections stored under `data_dir/collections/`, sorted."""
    root = data_dir / "collections"
    if not root.is_dir():
        return []
    valid = re.compile(COLLECTION_PATTERN)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and valid.match(p.name))
