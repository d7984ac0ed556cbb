"""Every question and answer, as data: `<data dir>/turns.sqlite` (setting `log.turns`).

One row per answered turn, from any surface (CLI, chat, UI, evals): the question, the day it was
asked as of, the date window and filters, the retrieved chunk ids and scores, the answer with its
citations, the mode and model, and the latency. The whole `Answer` is kept as JSON, so a turn
can be replayed (`citechat eval --replay turns.sqlite`) or attached to a bug report. The schema
only grows (`rag.stores.migrations`).

>>> log = TurnLog(Path("/tmp/citechat/turns.sqlite"))          # doctest: +SKIP
>>> service = CitechatService(retriever, answerer, turn_log=log)  # doctest: +SKIP
>>> [a.question for a in log.answers()]                          # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from rag.core.errors import StoreError
from rag.core.types import Answer, ScoredChunk
from rag.stores.migrations import Migration, migrate

FILE_NAME = "turns.sqlite"
log = logging.getLogger(__name__)

# Append only: never edit or reorder an entry, add a new one.
MIGRATIONS: list[Migration] = [
    ("create turns", """
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created_at TEXT NOT NULL,
            collection TEXT NOT NULL,
            question TEXT NOT NULL,
            as_of TEXT,
            mode TEXT NOT NULL,
            model TEXT,
            refused INTEGER NOT NULL,
            answer TEXT NOT NULL,
            short_answer TEXT,
            latency_ms REAL NOT NULL,
            retrieved_json TEXT NOT NULL,
            answer_json TEXT NOT NULL
        );
        CREATE INDEX turns_question ON turns (question)
    """),
]


class TurnLog:
    """Append turns to one SQLite file; safe across threads (one short connection per call)."""

    def __init__(self, path: Path, collection: str = "") -> None:
        self.path = path
        self._collection = collection
        self._ready = False
        self._lock = threading.Lock()
        self._warned = False

    @classmethod
    def for_data_dir(cls, data_dir: Path, collection: str) -> TurnLog:
        return cls(data_dir / FILE_NAME, collection)

    def record(self, answer: Answer, chunks: Sequence[ScoredChunk]) -> None:
        """Append one finished turn (the `TurnSink` protocol). A turn that cannot be written
        (a read-only data dir, a full disk) is not worth the user's answer: it is logged as a
        warning, once, and the answer goes out."""
        try:
            self._record(answer, chunks)
        except (StoreError, sqlite3.Error) as exc:
            if not self._warned:
                self._warned = True
                log.warning("%s", exc)

    def _record(self, answer: Answer, chunks: Sequence[ScoredChunk]) -> None:
        retrieved = [{"chunk_id": c.chunk.chunk_id, "doc_id": c.chunk.doc_id, "score": c.score}
                     for c in chunks]
        row = (datetime.now(UTC).isoformat(timespec="seconds"), self._collection,
               answer.question, answer.context.as_of if answer.context else None, answer.mode,
               answer.model, int(answer.refused), answer.answer, answer.short_answer,
               answer.latency_ms, json.dumps(retrieved), answer.model_dump_json())
        with self._connect() as db, db:
            db.execute("INSERT INTO turns (created_at, collection, question, as_of, mode, model, "
                       "refused, answer, short_answer, latency_ms, retrieved_json, answer_json) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)

    def answers(self) -> Iterator[Answer]:
        """Every logged answer, oldest first."""
        with self._connect() as db:
            for (raw,) in db.execute("SELECT answer_json FROM turns ORDER BY id"):
                yield Answer.model_validate_json(raw)

    def count(self) -> int:
        with self._connect() as db:
            return int(db.execute("SELECT count(*) FROM turns").fetchone()[0])

    def _connect(self) -> closing[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10)
            with self._lock:
                if not self._ready:
                    migrate(db, MIGRATIONS)
                    self._ready = True
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot write the turn log {self.path}: {exc} (turn it off with "
                             "log.turns = false, CITECHAT_LOG__TURNS=false)") from exc
        return closing(db)
