"""Per-browser-tab state (the turns of one chat) and the shared pool of collections."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rag.app import App, build_app
from rag.core.errors import ConfigError
from rag.core.protocols import Embedder, SearchFilters
from rag.core.settings import COLLECTION_PATTERN
from rag.core.types import Answer, ScoredChunk
from rag.stores.catalog import Catalog, list_collections


@dataclass
class Turn:
    """One question and its answer, with what is needed to show sources, copy and rate it."""

    answer_id: str
    searched: str  # the question as sent to retrieval (after follow-up carry-over)
    answer: Answer
    chunks: list[ScoredChunk]
    collection: str
    mode: str
    k: int
    message_index: int  # position of the answer in `Session.messages`
    filters: SearchFilters | None = None  # the user's since/until/source, if any
    as_of: date | None = None  # the user's as-of date; None = the day it was asked
    question: str = ""  # as typed ("" in turns made before this field: use `searched`)
    why: str = ""  # for a refusal: why the documents don't say (plain text)
    nearest: list[ScoredChunk] = field(default_factory=list)  # refusal, nothing read: closest

    @property
    def typed(self) -> str:
        return self.question or self.searched

    @property
    def rewritten(self) -> bool:
        """Whether the question was searched in another wording (a follow-up)."""
        return self.searched != self.typed


@dataclass(frozen=True)
class Asked:
    """The latest question put in the chat: as typed, whether to search it as typed, and
    where in `Session.messages` it went (what Regenerate and "ask as typed" take back)."""

    question: str
    as_typed: bool
    index: int


@dataclass
class Run:
    """The answer being written: what it says so far, and how to stop it."""

    stop: threading.Event = field(default_factory=threading.Event)
    draft: str = ""
    index: int = 0  # its place in `Session.messages`


@dataclass
class Session:
    """What one browser tab holds: who it is, its collection and conversation, the chat
    messages and the answered turns."""

    collection: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    owner: str = ""  # "user:NAME" after a login, else "browser:ID"; "" = not persisted
    conversation_id: str | None = None
    selected: int | None = None  # message index of the answer last clicked
    run: Run | None = None
    last: Asked | None = None

    def clear(self) -> None:
        """Start a new chat in the same collection."""
        self.messages.clear()
        self.turns.clear()
        self.conversation_id = None
        self.selected = None
        self.last = None

    def turn_at(self, message_index: int) -> Turn | None:
        """The turn whose question or answer is at `message_index` in the chat."""
        for turn in self.turns:
            if message_index in (turn.message_index, turn.message_index - 1):
                return turn
        return None

    def chosen(self) -> Turn | None:
        """The answer last clicked, else the latest one."""
        turn = self.turn_at(self.selected) if self.selected is not None else None
        return turn or (self.turns[-1] if self.turns else None)


def check_collection_name(name: str) -> str:
    """`name` stripped, or a ConfigError saying what a collection name may be."""
    name = (name or "").strip()
    if not re.fullmatch(COLLECTION_PATTERN, name):
        raise ConfigError(f"collection name {name!r}: use 3-64 letters, digits, '_' or '-', "
                          "starting and ending with a letter or digit")
    return name


class AppPool:
    """One `App` per collection, built on first use by `factory`; a lock per App serialises the
    work that touches its stores and models (asking, deleting, re-dating). Uploads ingest in
    their own App (`worker`), so asking stays possible while a file is embedded, and counts
    and lists are read through a catalog connection of their own (`reading`), so they never
    wait for an answer being written."""

    def __init__(self, first: App, factory: Callable[[str], App] | None = None) -> None:
        self.settings = first.settings
        self._first = first
        self._factory = factory or (lambda name: _same_settings_app(first, name))
        self._apps: dict[str, App] = {first.settings.collection: first}
        self._locks: dict[str, threading.RLock] = {first.settings.collection: threading.RLock()}
        self._guard = threading.Lock()
        self._readers: dict[str, tuple[Catalog, threading.Lock]] = {}

    @property
    def default(self) -> str:
        """The collection the UI opens with."""
        return self.settings.collection

    def choices(self) -> list[str]:
        """Collections on disk plus those already open."""
        return sorted(set(list_collections(self.settings.data_dir)) | set(self._apps))

    def create(self, name: str) -> str:
        """Make collection `name` (checked) exist on disk; returns the name."""
        name = check_collection_name(name)
        with self.use(name) as app:
            app.catalog.counts()  # opens (so creates) its catalog
        return name

    @contextmanager
    def use(self, collection: str) -> Iterator[App]:
        """The App for `collection`, held under its lock for the `with` block."""
        with self._guard:
            if collection not in self._apps:
                self._apps[collection] = self._factory(collection)
                self._locks[collection] = threading.RLock()
            app, lock = self._apps[collection], self._locks[collection]
        with lock:
            yield app

    @property
    def embedder(self) -> Embedder:
        """The embedding model every App of the pool shares."""
        return self._first.embedder

    @contextmanager
    def reading(self, collection: str) -> Iterator[Catalog]:
        """A catalog connection of its own for `collection`, for counts and lists only."""
        with self._guard:
            if collection not in self._readers:
                settings = self.settings.model_copy(update={"collection": collection})
                catalog = Catalog(settings.collection_dir / "catalog.sqlite")
                self._readers[collection] = (catalog, threading.Lock())
            catalog, lock = self._readers[collection]
        with lock:
            yield catalog

    def worker(self, collection: str, embedder: Embedder | None = None) -> App:
        """A separate App for `collection` (its own catalog connection) for background work,
        with `embedder` (default: the first App's) — never shared with askers."""
        settings = self.settings.model_copy(update={"collection": collection})
        return build_app(settings, embedder=embedder or self._first.embedder)


def _same_settings_app(first: App, collection: str) -> App:
    settings = first.settings.model_copy(update={"collection": collection})
    return build_app(settings, embedder=first.embedder)
