"""Thumbs up/down on answers, kept in `data_dir/feedback.sqlite` and exported as an eval dataset.

Every rating is one row holding what is needed to replay it: the question, the answer text, the
citations (JSON), the retrieved chunk ids and the settings used (k, mode, collection, and the
as-of date and since/until/source filters the user set). Rating the same answer again adds
a row; the export keeps the latest row per answer. The schema only ever grows: each entry of
`MIGRATIONS` runs once, in order, and is recorded in `schema_version`.

>>> store = FeedbackStore.for_data_dir(Path("/tmp/citechat-data"))  # doctest: +SKIP
>>> store.add(answer, up=True, answer_id="a1", collection="news",  # doctest: +SKIP
...           mode="extractive", k=8)
1
>>> store.export_dataset(Path("feedback.jsonl"))  # doctest: +SKIP
1
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from rag.core.protocols import SearchFilters
from rag.core.types import Answer
from rag.stores.migrations import Migration, connect_migrated

FILE_NAME = "feedback.sqlite"

# Append only: never edit or reorder an entry, add a new one.
MIGRATIONS: list[Migration] = [
    ("create feedback", """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            answer_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
            comment TEXT NOT NULL DEFAULT '',
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            short_answer TEXT,
            refused INTEGER NOT NULL,
            citations_json TEXT NOT NULL,
            retrieved_json TEXT NOT NULL,
            collection TEXT NOT NULL,
            mode TEXT NOT NULL,
            k INTEGER NOT NULL
        );
        CREATE INDEX feedback_answer ON feedback (answer_id);
    """),
    ("add as_of and filters", """
        ALTER TABLE feedback ADD COLUMN as_of TEXT;
        ALTER TABLE feedback ADD COLUMN filters_json TEXT
    """),
]


class FeedbackStore:
    """Append ratings and export them; opens a short-lived connection per call (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> FeedbackStore:
        """The store at `data_dir/feedback.sqlite`."""
        return cls(data_dir / FILE_NAME)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect_migrated(self.path, MIGRATIONS, "the feedback store")

    def add(
        self, answer: Answer, *, up: bool, answer_id: str, collection: str, mode: str, k: int,
        comment: str = "", as_of: date | None = None, filters: SearchFilters | None = None,
    ) -> int:
        """Record a rating of `answer` (asked as of `as_of`, under `filters`, when the user set
        them); returns the new row id."""
        row = (
            answer_id, datetime.now(UTC).isoformat(timespec="seconds"), 1 if up else -1,
            comment.strip(), answer.question, answer.answer, answer.short_answer,
            int(answer.refused),
            json.dumps([c.model_dump() for c in answer.citations], ensure_ascii=False),
            json.dumps([r.model_dump() for r in answer.retrieved], ensure_ascii=False),
            collection, mode, k, as_of.isoformat() if as_of else None,
            json.dumps(dataclasses.asdict(filters), ensure_ascii=False) if filters else None,
        )
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (answer_id, created_at, rating, comment, question, answer, "
                "short_answer, refused, citations_json, retrieved_json, collection, mode, k, "
                "as_of, filters_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", row,
            )
            return int(cursor.lastrowid or 0)

    def rows(self) -> list[dict[str, Any]]:
        """Every stored rating, oldest first, as dicts keyed by column name."""
        if not self.path.exists():
            return []
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY id")]

    def export_dataset(self, path: Path) -> int:
        """Write the latest rating of each answer as one eval-dataset JSONL line; returns how
        many lines were written."""
        latest: dict[str, dict[str, Any]] = {}
        for row in self.rows():
            latest.pop(row["answer_id"], None)  # re-insert: order by latest rating
            latest[row["answer_id"]] = row
        with path.open("w", encoding="utf-8") as out:
            for row in latest.values():
                out.write(json.dumps(to_eval_item(row), ensure_ascii=False) + "\n")
        return len(latest)


def to_eval_item(row: dict[str, Any]) -> dict[str, Any]:
    """One feedback row as an eval item: a thumbs-up answer becomes the gold standard.

    The user's as-of date becomes `as_of`; the dataset has no field for since/until/source, so
    an answer found under them is tagged `filtered` (its gold may need those filters)."""
    up = row["rating"] > 0
    citations = json.loads(row["citations_json"])
    docs = list(dict.fromkeys(c["doc_id"] for c in citations))
    when = {"as_of": row["as_of"]} if row.get("as_of") else {}
    tags = ["feedback", "up" if up else "down"]
    if row.get("filters_json"):
        tags.append("filtered")
    return {
        "id": f"fb-{row['id']}",
        "question": row["question"],
        **when,
        "answers": [[row["short_answer"]]] if up and row["short_answer"] else [],
        "gold_docs": docs if up else [],
        "gold_quotes": [c["quote"] for c in citations] if up else [],
        "expect_refusal": bool(row["refused"]) and up,
        "tags": tags,
        "comment": row["comment"],
    }
