"""What the UI's events do, as plain methods over a `Session` (no Gradio here, so tests call them).

>>> store = FeedbackStore.for_data_dir(app.settings.data_dir)                  # doctest: +SKIP
>>> handlers = ChatHandlers(AppPool(app), store)                               # doctest: +SKIP
>>> for messages, sources, session in handlers.chat("Who won?", session, k=5):  # doctest: +SKIP
...     pass
>>> updates = handlers.chat("Who won?", session, 5, as_of="2026-09-12")  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from rag.answer.conversation import carry_over
from rag.app import local_model_available
from rag.core.errors import CitechatError, ConfigError
from rag.core.protocols import StreamingAnswerer
from rag.core.settings import CitechatSettings
from ui import render
from ui.feedback import FeedbackStore
from ui.filters import parse_filters
from ui.session import AppPool, Session, Turn
from ui.uploads import UploadSummary, ingest_uploads

log = logging.getLogger(__name__)

EXTRACTIVE = "extractive"
LOCAL = "local"
LLM = "llm"
Update = tuple[list[dict[str, str]], str, Session]


def answer_modes(settings: CitechatSettings) -> list[str]:
    """The answer modes the UI offers: "local" when the local model can run here, extractive
    always, "llm" when an endpoint is usable (a base URL, or a key for OpenAI's own)."""
    from rag.answer.llm.client import resolve_endpoint

    modes = [LOCAL] if local_model_available(settings) else []
    modes.append(EXTRACTIVE)
    try:
        resolve_endpoint(settings.llm)
    except ConfigError:
        return modes
    return [*modes, LLM]


class ChatHandlers:
    """Chat, feedback, collection and upload actions for the Gradio layer in `ui.app`.

    `stream_delay` is the pause between streamed chunks of `stream_step` words (0 in tests).
    """

    def __init__(
        self, pool: AppPool, store: FeedbackStore, *, stream_delay: float = 0.02,
        stream_step: int = 3,
    ) -> None:
        self.pool = pool
        self.store = store
        self.stream_delay = stream_delay
        self.stream_step = stream_step

    def new_session(self) -> Session:
        """A fresh session on the default collection."""
        return Session(collection=self.pool.default)

    # --- asking ---------------------------------------------------------------------------

    def chat(
        self, question: str, session: Session, k: int, mode: str = EXTRACTIVE, *,
        as_of: str = "", since: str = "", until: str = "", source: str = "",
    ) -> Iterator[Update]:
        """Yield (messages, sources HTML, session): the question at once, then the answer growing
        word by word, then the final answer with linked `[n]` markers.

        `as_of`, `since`, `until` (YYYY-MM-DD) and `source` are the Filters fields as typed;
        blank ones are not set, a bad one is answered with an error message in the chat."""
        question = question.strip()
        if not question:
            yield list(session.messages), render.empty_sources_html(), session
            return
        session.messages.append({"role": "user", "content": render.escape_text(question)})
        yield list(session.messages), render.empty_sources_html(), session
        previous = session.turns[-1].searched if session.turns else None
        searched = carry_over(question, [previous] if previous else [])
        notes = [f"Searched for: {searched}"] if searched != question else []
        index = len(session.messages)  # the answer's place, right after the question
        try:
            filters, day = parse_filters(as_of, since, until, source)
            with self.pool.use(session.collection) as app:
                service = app.service_in(mode)
                streamed = service.stream(searched, int(k), filters, day)
                live = isinstance(service.answerer, StreamingAnswerer)
                if live:  # a model reads: say so at once, then show its words as they come
                    yield self._draft(session, index, render.reading_html(streamed.chunks))
                    draft = ""
                    for piece in streamed:
                        draft += piece
                        yield self._draft(session, index, render.answer_html(
                            draft, final=False, note=" — ".join(notes)))
                answer = streamed.result()
        except CitechatError as exc:
            log.warning("answering %r failed: %s", question, exc)
            del session.messages[index:]
            yield self._error(session, str(exc))
            return
        if mode not in (EXTRACTIVE, "auto") and answer.mode == EXTRACTIVE:
            notes.append("the model's answer failed the citation check; the extractive answer "
                         "is shown")
        turn = Turn(answer_id=uuid.uuid4().hex, searched=answer.question, answer=answer,
                    chunks=list(streamed.chunks), collection=session.collection,
                    mode=answer.mode, k=int(k), message_index=index, filters=filters, as_of=day)
        yield from self._stream(session, turn, " — ".join(notes), replay=not live)

    @staticmethod
    def _draft(session: Session, index: int, html: str) -> Update:
        message = {"role": "assistant", "content": html}
        if len(session.messages) > index:
            session.messages[index] = message
        else:
            session.messages.append(message)
        return list(session.messages), render.empty_sources_html(), session

    @staticmethod
    def _error(session: Session, why: str) -> Update:
        message = f'<div class="answer error">Cannot answer: {render.escape_text(why)}</div>'
        session.messages.append({"role": "assistant", "content": message})
        return list(session.messages), render.empty_sources_html(), session

    def _stream(
        self, session: Session, turn: Turn, note: str, *, replay: bool = True
    ) -> Iterator[Update]:
        """Show `turn.answer` as the next message (an answer that came whole is played word by
        word when `replay`), then record `turn`."""
        answer, index = turn.answer, turn.message_index
        sources = render.sources_html(answer, turn.chunks, turn.filters, turn.as_of)
        if len(session.messages) <= index:
            session.messages.append({"role": "assistant", "content": ""})
        for prefix in render.stream_words(answer.answer, self.stream_step) if replay else ():
            html = render.answer_html(prefix, refused=answer.refused, final=False, note=note)
            session.messages[index] = {"role": "assistant", "content": html}
            yield list(session.messages), sources, session
            if self.stream_delay:
                time.sleep(self.stream_delay)
        final = render.answer_html(answer.answer, refused=answer.refused, note=note)
        session.messages[index] = {"role": "assistant", "content": final}
        session.turns.append(turn)
        yield list(session.messages), sources, session

    def sources_for(self, message_index: int, session: Session) -> str:
        """The sources panel for the answer at (or answering) `message_index`."""
        turn = session.turn_at(message_index)
        if turn is None:
            return render.empty_sources_html()
        return render.sources_html(turn.answer, turn.chunks, turn.filters, turn.as_of)

    # --- feedback -------------------------------------------------------------------------

    def rate(
        self, session: Session, up: bool, comment: str = "", message_index: int | None = None
    ) -> str:
        """Save a thumbs up/down (with the comment) for the answer at `message_index`, or the
        latest answer; returns a status line."""
        if message_index is not None:
            turn = session.turn_at(message_index)
        else:
            turn = session.turns[-1] if session.turns else None
        if turn is None:
            return "Ask a question first, then rate its answer."
        self.store.add(turn.answer, up=up, answer_id=turn.answer_id, collection=turn.collection,
                       mode=turn.mode, k=turn.k, comment=comment, as_of=turn.as_of,
                       filters=turn.filters)
        return f"Thanks — saved {'👍' if up else '👎'} for “{turn.answer.question}”."

    # --- collections and uploads ----------------------------------------------------------

    def switch(self, collection: str, session: Session) -> tuple[Session, str]:
        """Move the session to `collection` (a new chat); returns it and a one-line status."""
        with self.pool.use(collection) as app:
            docs, chunks = app.catalog.counts()
        session.collection = collection
        session.clear()
        return session, f"Collection **{collection}**: {docs} documents, {chunks} passages."

    def upload(
        self, files: list[str] | None, session: Session,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> str:
        """Save and ingest uploaded files into the session's collection; returns the summary."""
        if not files:
            return "Choose one or more files first."
        pairs = [(Path(f), Path(f).name) for f in files]
        try:
            with self.pool.use(session.collection) as app:
                summary = ingest_uploads(app, pairs, on_progress=on_progress)
        except CitechatError as exc:
            summary = UploadSummary(errors=[str(exc)])
        return summary.text()
