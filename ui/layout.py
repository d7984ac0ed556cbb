"""What the tabs of the Gradio UI share: the handlers, the per-tab session state, the
collection bar, and `refresh`, which redraws everything that depends on the collection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag.app import App
from ui.conversations import ConversationHandlers
from ui.documents import DocumentHandlers
from ui.handlers import ChatHandlers
from ui.session import Session

ANY_SOURCE = ("(any source)", "")


@dataclass
class Shell:
    """Handlers and the components several tabs read or redraw (gradio's are untyped)."""

    app: App
    chat: ChatHandlers
    docs: DocumentHandlers
    convs: ConversationHandlers
    session: Any  # gr.State(Session)
    tabs: Any
    collection: Any
    header: Any
    chatbot: Any = None
    sources: Any = None
    source_filter: Any = None
    date_hint: Any = None
    status: Any = None
    as_typed: Any = None
    history: Any = None
    doc_table: Any = None
    doc_picker: Any = None

    def collection_outputs(self) -> list[Any]:
        """The components `refresh` returns values for, in order."""
        return [self.header, self.collection, self.history, self.doc_table, self.doc_picker,
                self.source_filter, self.date_hint]

    def refresh(self, session: Session, user: str = "") -> list[Any]:
        """New values for `collection_outputs` after the session's collection changed or its
        documents did."""
        name = session.collection
        table, choices = self.docs.listing(name)
        sources = [ANY_SOURCE, *((s, s) for s in self.docs.sources(name))]
        return [
            self.docs.header(name, user),
            gr.update(choices=self.chat.pool.choices(), value=name),
            gr.update(choices=self.convs.choices(session), value=session.conversation_id),
            table,
            gr.update(choices=choices, value=[]),
            gr.update(choices=sources, value=""),
            self.docs.date_hint(name),
        ]


def user_of(request: gr.Request | None) -> str:
    """The logged-in user's name ('' without a login)."""
    return str(getattr(request, "username", None) or "")


def date_field(label: str, elem_id: str, info: str, scale: int | None = None) -> Any:
    """A date picker that reads and gives YYYY-MM-DD (empty: not set)."""
    return gr.DateTime(label=label, elem_id=elem_id, info=info, include_time=False,
                       type="string", value=None, scale=scale)
