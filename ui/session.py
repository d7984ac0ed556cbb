"""Per-browser-session state (the turns of one chat) and the shared pool of collections."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rag.app import App, build_app
from rag.core.protocols import SearchFilters
from rag.core.types import Answer, ScoredChunk
from rag.stores.catalog import list_collections


@dataclass
class Turn:
    """One question and its answer, with what is needed to show sources and save feedback."""

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


@dataclass
class Session:
    """What one browser tab holds: its collection, the chat messages and the answered turns."""

    collection: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)

    def clear(self) -> None:
        """Start a new chat in the same collection."""
        self.messages.clear()
        self.turns.clear()

    def turn_at(self, message_index: int) -> Turn | None:
        """The turn whose question or answer is at `message_index` in the chat."""
        for turn in self.turns:
            if message_index in (turn.message_index, turn.message_index - 1):
                return turn
        return None


class AppPool:
    """One `App` per collection, built on first use by `factory`; a lock per App serialises the
    work that touches its stores (asking, ingesting)."""

    def __init__(self, first: App, factory: Callable[[str], App] | None = None) -> None:
        self.settings = first.settings
        self._factory = factory or (lambda name: _same_settings_app(first, name))
        self._apps: dict[str, App] = {first.settings.collection: first}
        self._locks: dict[str, threading.RLock] = {first.settings.collection: threading.RLock()}
        self._guard = threading.Lock()

    @property
    def default(self) -> str:
        """The collection the UI opens with."""
        return self.settings.collection

    def choices(self) -> list[str]:
        """Collections on disk plus those already open."""
        return sorted(set(list_collections(self.settings.data_dir)) | set(self._apps))

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


def _same_settings_app(first: App, collection: str) -> App:
    settings = first.settings.model_copy(update={"collection": collection})
    return build_app(settings, embedder=first.embedder)
