"""A conversation over the service: it keeps the history, makes follow-ups standalone
(`rag.answer.conversation`), and asks the service, so every turn is read as of its day and
carries its context and latency like any other answer.

>>> session = ChatSession(app.service, rewrite=rule_rewriter)   # doctest: +SKIP
>>> session.ask("How many died in the Carrow Valley floods?")    # doctest: +SKIP
>>> session.ask("And how many were hurt?").standalone           # doctest: +SKIP
'How many were hurt (Carrow Valley)?'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from rag.answer.conversation import Rewrite, Turn, rule_rewriter
from rag.core.protocols import SearchFilters
from rag.service import CitechatService


@dataclass
class ChatSession:
    """One conversation: `ask` (or `stream`) a question in the context of the history."""

    service: CitechatService
    rewrite: Rewrite = rule_rewriter
    k: int | None = None
    filters: SearchFilters | None = None
    as_of: date | None = None
    max_history: int = 10
    history: list[Turn] = field(default_factory=list)

    def standalone(self, question: str) -> str:
        """`question` rewritten to stand alone, given the conversation so far."""
        return self.rewrite(question, self.history)

    def ask(self, question: str) -> Turn:
        """Answer `question` in the context of the conversation and remember the turn."""
        standalone = self.standalone(question)
        answer = self.service.ask(standalone, self.k, self.filters, self.as_of)
        return self._remember(Turn(question, standalone, answer))

    def stream(self, question: str, standalone: str) -> tuple[Iterator[str], Callable[[], Turn]]:
        """Like `ask`: the answer's text as it is written, and `finish()` for the turn."""
        streamed = self.service.stream(standalone, self.k, self.filters, self.as_of)

        def finish() -> Turn:
            return self._remember(Turn(question, standalone, streamed.result()))

        return iter(streamed), finish

    def reset(self) -> None:
        self.history.clear()

    def _remember(self, turn: Turn) -> Turn:
        self.history = [*self.history, turn][-self.max_history:]
        return turn
