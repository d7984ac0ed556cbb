"""What the chat's events do, as plain methods over a `Session` (no Gradio: tests call them).

>>> handlers = ChatHandlers(AppPool(app), FeedbackStore.for_data_dir(data_dir))  # doctest: +SKIP
>>> for messages, sources, session in handlers.chat("Who won?", session, k=5):  # doctest: +SKIP
...     pass
>>> updates = handlers.chat("Who won?", session, 5, as_of="2026-09-12")  # doctest: +SKIP

The answer is written in a thread of its own (`ui.answering`): the chat shows "Searching" at
once, then, for a model, the articles it reads and its words as they come; `stop` ends it.
Answered turns are kept in the conversation history when the session has an owner.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from rag.answer.conversation import carry_over
from rag.app import App
from rag.core.errors import CitechatError, ConfigError
from rag.core.protocols import SearchFilters, StreamingAnswerer
from rag.core.types import Answer, ScoredChunk
from ui import render
from ui.answering import Emit, in_background
from ui.feedback import FeedbackStore
from ui.filters import parse_filters
from ui.history import ConversationStore
from ui.plain import plain_text
from ui.refusal import explain, scope_of
from ui.render_sources import CLOSEST_SHOWN, empty_sources_html, sources_html
from ui.session import AppPool, Asked, Run, Session, Turn

log = logging.getLogger(__name__)

EXTRACTIVE = "extractive"
LOCAL = "local"
LLM = "llm"
Update = tuple[list[dict[str, Any]], str, Session]
FALLBACK_NOTE = "the model's answer failed the citation check; the extractive answer is shown"


def answer_modes(app: App) -> list[str]:
    """The answer modes the UI offers: "local" when the local model can run here (or one was
    given), extractive always, "llm" when an endpoint is usable (a base URL, or a key for
    OpenAI's own)."""
    from rag.answer.llm.client import resolve_endpoint

    modes = [LOCAL] if app.resolve_mode("auto") == LOCAL else []
    modes.append(EXTRACTIVE)
    try:
        resolve_endpoint(app.settings.llm)
    except ConfigError:
        return modes
    return [*modes, LLM]


def rewrite_note(turn: Turn) -> str:
    return f"Searched for: {turn.searched}" if turn.rewritten else ""


def final_html(turn: Turn, note: str = "") -> str:
    """The chat message of an answered turn."""
    answer = turn.answer
    return render.answer_html(answer.answer, refused=answer.refused, citations=answer.citations,
                              note=note or rewrite_note(turn), why=turn.why)


def turn_sources(turn: Turn) -> str:
    return sources_html(turn.answer, turn.chunks, turn.filters, turn.as_of, why=turn.why,
                        nearest=turn.nearest)


class ChatHandlers:
    """Asking, stopping, asking again, sources, copying and rating, for the Gradio layer."""

    def __init__(
        self, pool: AppPool, store: FeedbackStore, history: ConversationStore | None = None,
    ) -> None:
        self.pool = pool
        self.store = store
        self.history = history

    def new_session(self, owner: str = "") -> Session:
        """A fresh session on the default collection."""
        return Session(collection=self.pool.default, owner=owner)

    # --- asking ---------------------------------------------------------------------------

    def chat(
        self, question: str, session: Session, k: int, mode: str = EXTRACTIVE, *,
        as_of: str = "", since: str = "", until: str = "", source: str = "",
        as_typed: bool = False,
    ) -> Iterator[Update]:
        """Yield (messages, sources HTML, session): the question and "Searching" at once, then
        (for a model) the answer as it is written, then the final answer with chips, or an
        explained refusal. A follow-up is searched with the previous question's names unless
        `as_typed`. Filters are the fields as typed; a bad one is answered with a message."""
        question = question.strip()
        if not question or session.run is not None:
            yield list(session.messages), empty_sources_html(), session
            return
        previous = session.turns[-1].searched if session.turns else None
        searched = question if as_typed else carry_over(question, [previous] if previous else [])
        note = f"Searched for: {searched}" if searched != question else ""
        session.last = Asked(question, as_typed, len(session.messages))
        session.messages.append({"role": "user", "content": render.user_html(question)})
        run = session.run = Run(index=len(session.messages))
        session.messages.append({"role": "assistant", "content": render.searching_html()})
        yield list(session.messages), empty_sources_html(), session
        try:
            filters, day = parse_filters(as_of, since, until, source)
            work = self._worker(session.collection, mode, searched, int(k), filters, day)
            for event in in_background(work, run.stop):
                if session.run is not run:  # stopped meanwhile: show what `stop` left
                    yield list(session.messages), empty_sources_html(), session
                    return
                update = self._show(session, run, event, note, question, mode, int(k), filters,
                                    day)
                if update is not None:
                    yield update
        except CitechatError as exc:
            log.warning("answering %r failed: %s", question, exc)
            yield self._fail(session, run, str(exc))
        except Exception:  # a bug: the user gets a message, the log gets the traceback
            log.exception("answering %r failed", question)
            yield self._fail(session, run, "an internal error (see the server log)")
        finally:
            if session.run is run:
                session.run = None

    def _worker(
        self, collection: str, mode: str, searched: str, k: int, filters: SearchFilters | None,
        day: date | None,
    ) -> Callable[[Emit, threading.Event], None]:
        def work(emit: Emit, stop: threading.Event) -> None:
            with self.pool.use(collection) as app:
                service = app.service_in(mode)
                streamed = service.stream(searched, k, filters, day)
                if isinstance(service.answerer, StreamingAnswerer):
                    emit(("reading", streamed.chunks))
                    for piece in streamed:
                        if stop.is_set():
                            return
                        emit(("piece", piece))
                answer = streamed.result()
                why, nearest = "", list[ScoredChunk]()
                if answer.refused:
                    why, nearest = self._explain(app, answer, streamed.chunks, filters, searched)
                emit(("done", answer, list(streamed.chunks), why, nearest))
        return work

    @staticmethod
    def _explain(app: App, answer: Answer, chunks: list[ScoredChunk],
                 filters: SearchFilters | None, searched: str) -> tuple[str, list[ScoredChunk]]:
        as_of = date.fromisoformat(answer.context.as_of) if answer.context else date.today()
        cutoff = as_of + timedelta(days=app.settings.time.grace_days)
        scope = scope_of(app.catalog, filters, cutoff)
        why = explain(scope, as_of=as_of, read=len(chunks), filters=filters,
                      support=answer.support)
        nearest = [] if chunks or not scope.total else app.retriever.retrieve(
            searched, CLOSEST_SHOWN)  # whatever the date and filters: shown as not read
        return why, nearest

    def _show(
        self, session: Session, run: Run, event: Any, note: str, question: str, mode: str,
        k: int, filters: SearchFilters | None, day: date | None,
    ) -> Update | None:
        kind = event[0]
        if kind == "reading":
            html = render.reading_html(event[1])
        elif kind == "piece":
            run.draft += event[1]
            html = render.answer_html(run.draft, final=False, note=note)
        else:
            _, answer, chunks, why, nearest = event
            turn = Turn(answer_id=uuid.uuid4().hex, searched=answer.question, answer=answer,
                        chunks=chunks, collection=session.collection, mode=answer.mode, k=k,
                        message_index=run.index, filters=filters, as_of=day, question=question,
                        why=why, nearest=nearest)
            fallback = mode not in (EXTRACTIVE, "auto") and answer.mode == EXTRACTIVE
            note = " — ".join(n for n in (note, FALLBACK_NOTE if fallback else "") if n)
            session.messages[run.index] = {"role": "assistant",
                                           "content": final_html(turn, note)}
            session.turns.append(turn)
            session.run = None
            self._remember(session, turn)
            return list(session.messages), turn_sources(turn), session
        session.messages[run.index] = {"role": "assistant", "content": html}
        return list(session.messages), empty_sources_html(), session

    def _fail(self, session: Session, run: Run, why: str) -> Update:
        if session.run is run:
            session.messages[run.index] = {"role": "assistant", "content": render.error_html(why)}
        return list(session.messages), empty_sources_html(), session

    def _remember(self, session: Session, turn: Turn) -> None:
        if self.history is None or not session.owner:
            return
        try:
            if session.conversation_id is None:
                session.conversation_id = self.history.create(
                    session.owner, session.collection, turn.typed)
            self.history.append(session.conversation_id, turn)
        except CitechatError as exc:  # the answer is shown all the same
            log.warning("could not keep the turn in the history: %s", exc)

    def stop(self, session: Session) -> Update:
        """Stop the answer being written; what it said so far stays, marked as stopped."""
        run = session.run
        if run is not None:
            run.stop.set()
            session.run = None
            session.messages[run.index] = {
                "role": "assistant", "content": render.answer_html(run.draft, stopped=True)}
        return list(session.messages), empty_sources_html(), session

    def take_back(self, session: Session) -> Asked | None:
        """Remove the latest question and its answer (to ask again); returns what was asked."""
        last = session.last
        if last is None or session.run is not None:
            return None
        del session.messages[last.index:]
        if session.turns and session.turns[-1].message_index == last.index + 1:
            session.turns.pop()
            if self.history is not None and session.conversation_id:
                self.history.drop_last(session.conversation_id)
        session.last = None
        return last

    # --- reading answers ------------------------------------------------------------------

    def select(self, message_index: int, session: Session) -> str:
        """The answer at (or answering) `message_index` was clicked: its sources panel."""
        turn = session.turn_at(message_index)
        if turn is None:
            return empty_sources_html()
        session.selected = turn.message_index
        return turn_sources(turn)

    sources_for = select

    def copy_text(self, session: Session) -> str:
        """The answer last clicked (else the latest) as plain text with numbered sources."""
        turn = session.chosen()
        return plain_text(turn.answer, turn.why) if turn else ""

    # --- feedback -------------------------------------------------------------------------

    def rate(
        self, session: Session, up: bool, comment: str = "", message_index: int | None = None
    ) -> str:
        """Save a rating (with the comment) for the answer at `message_index`, or the latest
        answer; returns a status line."""
        if message_index is not None:
            turn = session.turn_at(message_index)
        else:
            turn = session.turns[-1] if session.turns else None
        if turn is None:
            return "Ask a question first, then rate its answer."
        self.store.add(turn.answer, up=up, answer_id=turn.answer_id, collection=turn.collection,
                       mode=turn.mode, k=turn.k, comment=comment, as_of=turn.as_of,
                       filters=turn.filters)
        return f"Thanks — saved “{'helpful' if up else 'not helpful'}” for “{turn.typed}”."

    # --- collections ----------------------------------------------------------------------

    def switch(self, collection: str, session: Session) -> tuple[Session, str]:
        """Move the session to `collection` (a new chat); returns it and a one-line status."""
        with self.pool.reading(collection) as catalog:
            docs, chunks = catalog.counts()
        session.collection = collection
        session.clear()
        return session, f"Collection **{collection}**: {docs} documents, {chunks} passages."
