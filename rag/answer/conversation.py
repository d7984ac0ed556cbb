"""Follow-up questions made standalone before retrieval — one module for `citechat chat` and
the UI.

A question is a follow-up when it leans on the conversation: it opens with "and"/"but"/"what
about", starts with a pronoun, points back with a demonstrative ("that decision", "those
councillors"; not a date phrase such as "this week"), refers back ("it", "they", "her")
without naming anything itself, or is elliptical (names nothing and asks about at most one
thing: "Who won?"). Length alone decides nothing. The UI shows the rewritten question and can
ask the original as typed instead. Two rewriters share one signature,
`rewrite(question, history) -> str`:

- `carry_over` (pure, no model): the previous standalone question's names are added;
- `LLMRewriter`: asks the model (prompt `rewrite_v1`), and falls back to `carry_over` when the
  reply is empty or implausible.

>>> carry_over("And what did Egypt say?", ["How many died in the Carrow Valley floods?"])
'What did Egypt say (Carrow Valley)?'
>>> carry_over("What about Egypt?", ["What did Kenya say about the Orlow summit?"])
'What did Kenya say about the Orlow summit (Egypt)?'
>>> carry_over("How many people died in the floods this week?", ["Who won the Valley Cup?"])
'How many people died in the floods this week?'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from llama_index.core.llms import ChatMessage, MessageRole

from rag.answer.llm.citations import strip_markers
from rag.answer.llm.prompt import load_template
from rag.core.types import Answer
from rag.text.lexicon import lexicon
from rag.text.timeframe import resolve_window

_OPENERS = re.compile(r"^\s*(?:and|but|also|so|then|ok(?:ay)?|now)\b[\s,]*", re.I)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)[\s?.!]*$", re.I)
_CAPITALISED = re.compile(r"[A-Z][\w'’.&-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.&-]*)*")
_WORD = re.compile(r"[\w'’]+")
_DEMONSTRATIVE = re.compile(r"\b(?:this|that|these|those)\s+([A-Za-z][\w'’-]*)", re.I)
_ANY_DAY = date(2000, 1, 1)  # only whether a phrase is a date phrase is asked, not its dates


def entities(text: str) -> list[str]:
    """Runs of capitalised words in `text`, minus question words and sentence starters.

    >>> entities("How many people died in the Carrow Valley floods, says Mayor Amundsen?")
    ['Carrow Valley', 'Mayor Amundsen']
    >>> entities("Who did Maria Lopez meet in Orlow on Monday?")
    ['Maria Lopez', 'Orlow', 'Monday']
    """
    not_names = lexicon().words("question_openers")
    found: list[str] = []
    for match in _CAPITALISED.finditer(text):
        tokens = match.group().split()
        while tokens and tokens[0].lower().strip(".'’") in not_names:
            tokens.pop(0)
        name = " ".join(tokens).rstrip("'’")
        if name.endswith(".") and name.count(".") == 1:  # sentence end, not "U.S."
            name = name[:-1]
        if name and name not in found:
            found.append(name)
    return found


def is_follow_up(question: str) -> bool:
    """Whether `question` needs the conversation to be understood (see the module doc)."""
    words = [w.lower() for w in _WORD.findall(question)]
    if not words:
        return False
    lex = lexicon()
    if _OPENERS.match(question) or _WHAT_ABOUT.match(question):
        return True
    if words[0] in lex.words("pronouns") or points_back(question):
        return True
    if entities(question):
        return False
    if any(w in lex.words("referring_pronouns") for w in words):
        return True
    asked = [w for w in words if w not in lex.words("question_openers")
             and w not in lex.stopwords("conversation")]
    return len(asked) <= 1


def points_back(question: str) -> bool:
    """Whether a demonstrative before a word points at something said earlier ("Why was that
    decision reversed?"), rather than at a date ("this week") or a clause ("said that the").

    >>> points_back("Why was that decision reversed?"), points_back("Who won this week?")
    (True, False)
    """
    stop = lexicon().stopwords("conversation")
    for match in _DEMONSTRATIVE.finditer(question):
        if match.group(1).lower() in stop:
            continue
        if resolve_window(match.group(0), _ANY_DAY) is None:
            return True
    return False


def carry_over(question: str, history: Sequence[str]) -> str:
    """`question` made standalone with the names of the previous standalone question."""
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


@dataclass(frozen=True)
class Turn:
    """One exchange: what was typed, what was searched, what came back."""

    question: str
    standalone: str
    answer: Answer


Rewrite = Callable[[str, Sequence[Turn]], str]


def rule_rewriter(question: str, history: Sequence[Turn]) -> str:
    """`carry_over` over the turns' standalone questions."""
    return carry_over(question, [t.standalone for t in history])


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
        fallback = rule_rewriter(question, history)
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
