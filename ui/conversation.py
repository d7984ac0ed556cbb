"""Follow-up questions: a rule-based carry-over of the previous question's named entities.

>>> carry_over("And when did it reopen?", "Who cut the ribbon on the Port Ellery Harbour Bridge?")
'Port Ellery Harbour Bridge: And when did it reopen?'
>>> carry_over("Who won the Valley Cup final?", "How many died in the Carrow floods?")
'Who won the Valley Cup final?'
"""

from __future__ import annotations

import re

SHORT_WORDS = 4
_FOLLOW_UP_STARTS = ("and", "what about", "how about", "but", "also")
_PRONOUNS = frozenset((
    "it", "its", "it's", "they", "them", "their", "theirs", "he", "him", "his", "she", "her",
    "hers", "this", "that", "these", "those", "there",
))
# Capitalised only because they start the question (or are not names at all).
_NOT_ENTITIES = frozenset((
    "who", "what", "when", "where", "why", "how", "which", "whose", "whom", "did", "does", "do",
    "is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would", "should",
    "may", "might", "and", "but", "or", "also", "the", "a", "an", "in", "on", "at", "for", "of",
    "to", "from", "by", "tell", "list", "name", "give", "show", "explain", "describe", "i",
))
_REFERRING = frozenset(("it", "its", "they", "them", "their", "he", "him", "his", "she", "her"))
_CAPITALISED = re.compile(r"[A-Z][\w'’.&-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.&-]*)*")


def entities(question: str) -> list[str]:
    """Runs of capitalised words in `question`, minus question words and sentence starters.

    >>> entities("How many people died in the Carrow Valley floods, says Mayor Amundsen?")
    ['Carrow Valley', 'Mayor Amundsen']
    """
    found: list[str] = []
    for match in _CAPITALISED.finditer(question):
        tokens = match.group().split()
        while tokens and tokens[0].lower().strip(".'’") in _NOT_ENTITIES:
            tokens.pop(0)
        name = " ".join(tokens).rstrip("'’")
        if name.endswith(".") and name.count(".") == 1:  # sentence end, not "U.S."
            name = name[:-1]
        if name and name not in found:
            found.append(name)
    return found


def is_follow_up(question: str) -> bool:
    """True if `question` is short, starts with "and", "what about", a pronoun…, or names no
    entity of its own but refers back with "it", "they", "her"…"""
    lowered = question.strip().lower()
    first_words = re.findall(r"[\w'’]+", lowered)
    if not first_words:
        return False
    if len(first_words) <= SHORT_WORDS:
        return True
    starts = any(re.match(rf"{re.escape(s)}\b", lowered) for s in _FOLLOW_UP_STARTS)
    refers_back = not entities(question) and not _REFERRING.isdisjoint(first_words)
    return starts or first_words[0] in _PRONOUNS or refers_back


def carry_over(question: str, previous: str | None) -> str:
    """`question`, prefixed with the previous question's entities when it looks like a follow-up.

    Entities the new question already names are not repeated; with nothing to carry, or no
    previous question, the question is returned unchanged.
    """
    question = question.strip()
    if not previous or not is_follow_up(question):
        return question
    lowered = question.lower()
    carried = [e for e in entities(previous) if e.lower() not in lowered]
    return f"{', '.join(carried)}: {question}" if carried else question
