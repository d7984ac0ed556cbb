"""The history list: open, rename and delete stored conversations (no Gradio here).

A session's owner is "user:NAME" after a login, else "browser:ID" from the browser's own
storage; it only ever sees its own conversations, of the collection it is in.
"""

from __future__ import annotations

import re
import uuid

from ui.handlers import final_html
from ui.history import Conversation, ConversationStore
from ui.render import user_html
from ui.session import Asked, Session, Turn

_BROWSER_ID = re.compile(r"^[0-9a-f]{32}$")


def owner_for(username: str | None, browser_id: str | None) -> tuple[str, str]:
    """(owner, browser id to keep): the login name when there is one, else the browser's id
    (a new one when the browser has none yet, or a malformed one).

    >>> owner_for("ann", None)[0], owner_for(None, "0" * 32)
    ('user:ann', ('browser:00000000000000000000000000000000', '00000000000000000000000000000000'))
    """
    if not (browser_id and _BROWSER_ID.match(browser_id)):
        browser_id = uuid.uuid4().hex
    return (f"user:{username}" if username else f"browser:{browser_id}"), browser_id


def messages_for(turns: list[Turn]) -> list[dict[str, str]]:
    """The chat messages of stored turns: each question, then its final answer."""
    messages = []
    for turn in turns:
        messages.append({"role": "user", "content": user_html(turn.typed)})
        messages.append({"role": "assistant", "content": final_html(turn)})
    return messages


class ConversationHandlers:
    """History actions over a `ConversationStore`."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store

    def listing(self, session: Session) -> list[Conversation]:
        return self.store.conversations(session.owner, session.collection)

    def choices(self, session: Session) -> list[tuple[str, str]]:
        """(label, id) of the session's conversations, newest first, for the history list."""
        return [(f"{c.title} · {c.updated_at[:16].replace('T', ' ')} · {c.turns} "
                 f"answer{'s' if c.turns != 1 else ''}", c.id) for c in self.listing(session)]

    def open(self, session: Session, conversation_id: str | None) -> bool:
        """Show the owner's conversation `conversation_id` in `session`; False if not theirs."""
        turns = self.store.turns(conversation_id, session.owner) if conversation_id else []
        if not turns:
            return False
        session.clear()
        session.conversation_id = conversation_id
        session.turns = turns
        session.messages = messages_for(turns)
        session.last = Asked(turns[-1].typed, False, turns[-1].message_index - 1)
        return True

    def restore(self, session: Session) -> bool:
        """Show the owner's latest conversation in this collection (after a reload)."""
        latest = self.listing(session)[:1]
        return bool(latest) and self.open(session, latest[0].id)

    def rename(self, session: Session, conversation_id: str | None, title: str) -> str:
        if not conversation_id or not title.strip():
            return "Choose a conversation and type its new name."
        ok = self.store.rename(conversation_id, session.owner, title)
        return "Renamed." if ok else "That conversation is not in your history."

    def delete(self, session: Session, conversation_id: str | None) -> str:
        if not conversation_id:
            return "Choose a conversation to delete."
        if not self.store.delete(conversation_id, session.owner):
            return "That conversation is not in your history."
        if session.conversation_id == conversation_id:
            session.clear()
        return "Deleted."
