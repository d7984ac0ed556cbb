"""Conversations that stay: every answered turn of the UI, per owner (a browser or a logged-in
user), in `data_dir/conversations.sqlite`, with append-only migrations like every SQLite file
here. An owner sees, renames and deletes only their own conversations.

>>> store = ConversationStore.for_data_dir(Path("/tmp/citechat-data"))   # doctest: +SKIP
>>> cid = store.create("browser:1f3a", "news", "Who cut the ribbon?")    # doctest: +SKIP
>>> store.append(cid, turn); store.turns(cid, "browser:1f3a")            # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rag.core.protocols import SearchFilters
from rag.core.types import Answer, ScoredChunk
from rag.stores.migrations import Migration, connect_migrated
from ui.session import Turn

FILE_NAME = "conversations.sqlite"
TITLE_CHARS = 80

# Append only: never edit or reorder an entry, add a new one.
MIGRATIONS: list[Migration] = [
    ("conversations and their turns", """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            collection TEXT NOT NULL,
            title TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX conversations_owner ON conversations (owner, collection, updated_at);
        CREATE TABLE turns (
            conversation_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            answer_id TEXT NOT NULL,
            question TEXT NOT NULL,
            searched TEXT NOT NULL,
            answer_json TEXT NOT NULL,
            chunks_json TEXT NOT NULL,
            nearest_json TEXT NOT NULL,
            why TEXT NOT NULL,
            mode TEXT NOT NULL,
            k INTEGER NOT NULL,
            as_of TEXT,
            filters_json TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (conversation_id, position)
        );
    """),
]


@dataclass(frozen=True)
class Conversation:
    """A stored conversation as the history list shows it."""

    id: str
    title: str
    updated_at: str
    turns: int


class ConversationStore:
    """Conversations and their turns; a short-lived connection per call (thread-safe)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> ConversationStore:
        return cls(data_dir / FILE_NAME)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return connect_migrated(self.path, MIGRATIONS, "the conversation history")

    def create(self, owner: str, collection: str, title: str) -> str:
        """A new, empty conversation; returns its id."""
        cid, now = uuid.uuid4().hex, _now()
        with self._connect() as db:
            db.execute("INSERT INTO conversations VALUES (?,?,?,?,?,?)",
                       (cid, owner, collection, _title(title), now, now))
        return cid

    def append(self, conversation_id: str, turn: Turn) -> None:
        """Add `turn` after the conversation's last one."""
        with self._connect() as db:
            position = db.execute("SELECT coalesce(max(position), 0) + 1 FROM turns WHERE "
                                  "conversation_id = ?", (conversation_id,)).fetchone()[0]
            db.execute("INSERT INTO turns VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (conversation_id, position, *_row(turn), _now()))
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                       (_now(), conversation_id))

    def drop_last(self, conversation_id: str) -> None:
        """Forget the conversation's last turn (it is being asked again)."""
        with self._connect() as db:
            db.execute("DELETE FROM turns WHERE conversation_id = ? AND position = (SELECT "
                       "max(position) FROM turns WHERE conversation_id = ?)",
                       (conversation_id, conversation_id))

    def conversations(self, owner: str, collection: str, limit: int = 100) -> list[Conversation]:
        """The owner's conversations in `collection`, most recently used first."""
        if not owner or not self.path.exists():
            return []
        with self._connect() as db:
            rows = db.execute(
                "SELECT c.id, c.title, c.updated_at, (SELECT count(*) FROM turns t WHERE "
                "t.conversation_id = c.id) FROM conversations c WHERE owner = ? AND "
                "collection = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?",
                (owner, collection, limit)).fetchall()
        return [Conversation(*row) for row in rows]

    def turns(self, conversation_id: str, owner: str) -> list[Turn]:
        """The turns of the owner's conversation, in order (empty when it is not theirs)."""
        with self._connect() as db:
            found = db.execute("SELECT collection FROM conversations WHERE id = ? AND owner = ?",
                               (conversation_id, owner)).fetchone()
            if found is None:
                return []
            rows = db.execute("SELECT * FROM turns WHERE conversation_id = ? ORDER BY position",
                              (conversation_id,)).fetchall()
        return [_turn(row, found[0], 2 * i + 1) for i, row in enumerate(rows)]

    def rename(self, conversation_id: str, owner: str, title: str) -> bool:
        with self._connect() as db:
            cursor = db.execute("UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                                (_title(title), conversation_id, owner))
        return cursor.rowcount > 0

    def delete(self, conversation_id: str, owner: str) -> bool:
        with self._connect() as db:
            cursor = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?",
                                (conversation_id, owner))
            if cursor.rowcount:
                db.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation_id,))
        return cursor.rowcount > 0


def _row(turn: Turn) -> tuple[object, ...]:
    chunks = json.dumps([c.model_dump(mode="json") for c in turn.chunks], ensure_ascii=False)
    nearest = json.dumps([c.model_dump(mode="json") for c in turn.nearest], ensure_ascii=False)
    filters = json.dumps(dataclasses.asdict(turn.filters)) if turn.filters else None
    return (turn.answer_id, turn.typed, turn.searched, turn.answer.model_dump_json(), chunks,
            nearest, turn.why, turn.mode, turn.k, turn.as_of.isoformat() if turn.as_of else None,
            filters)


def _turn(row: tuple[object, ...], collection: str, message_index: int) -> Turn:
    (_, _, answer_id, question, searched, answer_json, chunks_json, nearest_json, why, mode, k,
     as_of, filters_json, _) = row
    return Turn(
        answer_id=str(answer_id), searched=str(searched),
        answer=Answer.model_validate_json(str(answer_json)),
        chunks=_chunks(chunks_json),
        collection=collection, mode=str(mode), k=int(str(k)), message_index=message_index,
        filters=SearchFilters(**json.loads(str(filters_json))) if filters_json else None,
        as_of=date.fromisoformat(str(as_of)) if as_of else None, question=str(question),
        why=str(why), nearest=_chunks(nearest_json),
    )


def _chunks(text: object) -> list[ScoredChunk]:
    return [ScoredChunk.model_validate(c) for c in json.loads(str(text))]


def _title(text: str) -> str:
    flat = " ".join(text.split()) or "Untitled"
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
