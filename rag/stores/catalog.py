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
from collections.abc import Iterable, Sequence
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
""")]

_CHUNK_COLUMNS = "chunk_id, doc_id, start, end, text, title, url, publish_date, source"


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
        with self._db:
            for doc, chunks in batch:
                self._delete(doc.doc_id)
                self._db.execute(
                    "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?)",
                    (doc.doc_id, doc.content_hash, doc.title, doc.url, doc.publish_date,
                     doc.date_provenance, doc.source, doc.origin, doc.text),
                )
                self._db.executemany(
                    f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                    [(c.chunk_id, c.doc_id, c.start, c.end, c.text, c.title, c.url,
                      c.publish_date, c.source) for c in chunks],
                )

    def delete(self, doc_ids: Iterable[str]) -> None:
        with self._db:
            for doc_id in doc_ids:
                self._delete(doc_id)

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
    chunk_id, doc_id, start, end, text, title, url, publish_date, source = row
    return Chunk(
        chunk_id=chunk_id, doc_id=doc_id, start=start, end=end, text=text, title=title or "",
        url=url, publish_date=publish_date, source=source,
    )


def list_collections(data_dir: Path) -> list[str]:
    """Names of the collections stored under `data_dir/collections/`, sorted."""
    root = data_dir / "collections"
    if not root.is_dir():
        return []
    valid = re.compile(COLLECTION_PATTERN)
    return sorted(p.name for p in root.iterdir() if p.is_dir() and valid.match(p.name))
