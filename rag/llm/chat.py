"""Conversations: follow-up questions rewritten into standalone ones before retrieval.

Two rewriters with one signature, `rewrite(question, history) -> str`:

- `carry_over` (pure, no model): a follow-up — it opens with "and"/"what about", leans on a
  pronoun, or names nothing itself — gets the previous question's capitalised entities added;
- `LLMRewriter`: asks the model (prompt `rewrite_v1`), and falls back to `carry_over` when the
  reply is empty or implausible.

>>> carry_over("And what did Egypt say?", ["How many died in the Carrow Valley floods?"])
'What did Egypt say (Carrow Valley)?'
>>> carry_over("What about Egypt?", ["What did Kenya say about the Orlow summit?"])
'What did Kenya say about the Orlow summit (Egypt)?'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from llama_index.core.llms import ChatMessage, MessageRole

from rag.llm.answerer import StreamedAnswer
from rag.llm.citations import strip_markers
from rag.llm.prompt import load_template
from rag.protocols import Answerer
from rag.types import Answer, ScoredChunk

_OPENERS = re.compile(r"^\s*(?:and|but|also|so|then|ok(?:ay)?|now)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)[\s?.!]*$", re.I)
_PRONOUN_WORDS = "he she they it them him his her hers their theirs its that this those these there"
_PRONOUNS = frozenset(_PRONOUN_WORDS.split())
_OPENING_WORDS = (
    "who what when where why how which whose whom did does do is are was were has have had can "
    "will would should could and but so also then the a an in on at of for to i ok okay now "
    "tell give list please"
)
_NOT_NAMES = frozenset(_OPENING_WORDS.split())
_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of|de|du|van|von|the)?\s*[A-Z][\w'’.-]*)*")


def entities(text: str) -> list[str]:
    """Capitalised names in `text`, without an opening question word.

    >>> entities("Who did Maria Lopez meet in Orlow on Monday?")
    ['Maria Lopez', 'Orlow', 'Monday']
    """
    found: list[str] = []
    for match in _RUN.finditer(text):
        run = match.group(0).rstrip(".")
        tokens = run.split()
        while tokens and tokens[0].lower() in _NOT_NAMES:
            tokens.pop(0)
        if tokens and run not in found:
            found.append(" ".join(tokens))
    return found


def is_follow_up(question: str) -> bool:
    """Whether `question` needs the conversation to be understood."""
    if _OPENERS.match(question) or _WHAT_ABOUT.match(question):
        return True
    lowered = {w.lower() for w in re.findall(r"[\w'’]+", question)}
    return bool(lowered & _PRONOUNS) or not entities(question)


def carry_over(question: str, history: Sequence[str]) -> str:
    """`question` made standalone with the entities of the previous standalone question."""
    if not history or not is_follow_up(question):
        return question
    previous = history[-1].strip()
    about = _WHAT_ABOUT.match(question)
    if about:
        return f"{previous.rstrip('?.! ')} ({about.group(1)})?"
    missing = [e for e in entities(previous) if e.lower() not in question.lower()]
    body = _OPENERS.sub("", question, count=1).strip() or question.strip()
    body = body[0].upper() + body[1:]
    if not missing:
        return body
    return f"{body.rstrip('?.! ')} ({', '.join(missing)})?"


class LLMRewriter:
    """Rewrite follow-ups with the model; `complete` sends chat messages and returns the reply."""

    def __init__(self, complete: Callable[[list[ChatMessage]], str], max_turns: int = 3) -> None:
        self._complete = complete
        self._max_turns = max_turns

    def __call__(self, question: str, history: Sequence[Turn]) -> str:
        if not history or not is_follow_up(question):
            return question
        parts = load_template("rewrite_v1")
        lines = []
        for turn in history[-self._max_turns:]:
            lines += [f"User: {turn.standalone}", f"Assistant: {_brief(turn.answer.answer)}"]
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=parts["system"]),
            ChatMessage(role=MessageRole.USER, content=parts["user"].format(
                history="\n".join(lines), question=question)),
        ]
        reply = clean_rewrite(self._complete(messages))
        fallback = carry_over(question, [t.standalone for t in history])
        if not reply or len(reply) > 3 * len(fallback) + 40:
            return fallback
        return reply


def clean_rewrite(reply: str) -> str:
    """The first non-empty line of the model's reply, without labels or quotes."""
    for line in reply.splitlines():
        line = re.sub(r"^\s*(standalone question|question|rewritten)\s*:\s*", "", line, flags=re.I)
        line = line.strip().strip("\"'“”").strip()
        if line:
            return line
    return ""


def _brief(text: str, limit: int = 300) -> str:
    flat = " ".join(strip_markers(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Turn:
    """One exchange: what was typed, what was searched, what came back."""

    question: str
    standalone: str
    answer: Answer


Rewrite = Callable[[str, Sequence[Turn]], str]


@runtime_checkable
class StreamingAnswerer(Protocol):
    """An answerer that can also stream (`LLMAnswerer`)."""

    def answer(self, question: str, chunks: Sequence[ScoredChunk]) -> Answer: ...

    def stream(self, question: str, chunks: Sequence[ScoredChunk]) -> StreamedAnswer: ...


def rule_rewriter(question: str, history: Sequence[Turn]) -> str:
    """`carry_over` over the turns' standalone questions."""
    return carry_over(question, [t.standalone for t in history])


@dataclass
class ChatSession:
    """A conversation over one service: keeps the history, rewrites, retrieves, answers."""

    retrieve: Callable[[str], list[ScoredChunk]]
    answerer: Answerer
    rewrite: Rewrite = rule_rewriter
    max_history: int = 10
    history: list[Turn] = field(default_factory=list)

    def standalone(self, question: str) -> str:
        """`question` rewritten to stand alone, given the conversation so far."""
        return self.rewrite(question, self.history)

    def ask(self, question: str) -> Turn:
        """Answer `question` in the context of the conversation and remember the turn."""
        standalone = self.standalone(question)
        answer = self.answerer.answer(standalone, self.retrieve(standalone))
        return self._remember(Turn(question, standalone, answer))

    def stream(self, question: str, standalone: str) -> tuple[Iterator[str], Callable[[], Turn]]:
        """Like `ask` with a streaming answerer: the tokens, and `finish()` for the turn."""
        if not isinstance(self.answerer, StreamingAnswerer):
            raise TypeError(f"{type(self.answerer).__name__} cannot stream")
        streamed = self.answerer.stream(standalone, self.retrieve(standalone))

        def finish() -> Turn:
            return self._remember(Turn(question, standalone, streamed.result()))

        return iter(streamed), finish

    def reset(self) -> None:
        self.history.clear()

    def _remember(self, turn: Turn) -> Turn:
        self.history = [*self.history, turn][-self.max_history:]
        return turn
