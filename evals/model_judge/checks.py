"""Cheap checks beside the model: each looks at the evidence sentence that best matches the
claim (not anywhere in a long passage), and each is kept only where it helped on the
human-labelled dev data (bench/results/judge.md says which).

>>> numbers_missing("Four titles were won.", "He won the league [4] in 1998.")
['4']
>>> negation_mismatch("The mayor did not resign.", "The mayor resigned on Friday.")
True
>>> names_missing("NASM opened a wing.", "The National Air and Space Museum opened a wing.")
[]
"""

from __future__ import annotations

import re

from evals.metrics.text import content_words, dates_in, fold, names_in, numbers_in, present
from rag.text.sentences import sentence_spans

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|without|cannot|denied|denies|refused|failed)\b"
    r"|n['’]t\b", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\[\d+\]")
_ALIASES = {"us": "united states", "usa": "united states", "uk": "united kingdom",
            "un": "united nations", "eu": "european union"}


def best_sentence(claim: str, evidence: str) -> str:
    """The evidence sentence sharing the most content words with the claim."""
    spans = sentence_spans(evidence) or [(0, len(evidence))]
    wanted = set(content_words(claim))
    return max((evidence[s:e] for s, e in spans),
               key=lambda text: len(wanted & set(content_words(text))))


def numbers_missing(claim: str, evidence: str) -> list[str]:
    """Numbers and dates of the claim absent from its best-matching evidence sentence; a
    footnote marker ("[4]") is not a number of the text."""
    sentence = _FOOTNOTE.sub(" ", best_sentence(claim, evidence))
    wanted = numbers_in(claim) | dates_in(claim)
    return sorted(wanted - numbers_in(sentence) - dates_in(sentence))


def negation_mismatch(claim: str, evidence: str) -> bool:
    """One of claim and best-matching sentence is negated and the other is not."""
    sentence = best_sentence(claim, evidence)
    return bool(_NEGATION.search(claim)) != bool(_NEGATION.search(sentence))


def names_missing(claim: str, evidence: str) -> list[str]:
    """Names of the claim found nowhere in the evidence, even as an acronym or alias
    ("NASM" ↔ "National Air and Space Museum", "U.S." ↔ "United States")."""
    folded = fold(evidence)
    acronyms = _acronyms(evidence)
    missing = []
    for name in names_in(claim):
        plain = name.replace(".", "")
        if present(name, folded) or plain in acronyms:
            continue
        if _ALIASES.get(plain) and _ALIASES[plain] in folded:
            continue
        missing.append(name)
    return missing


def _acronyms(text: str) -> set[str]:
    """Initials of every run of capitalised words ("National Air and Space Museum" → "nasm")."""
    found = set()
    for run in re.finditer(r"(?:[A-Z][\w'’-]*(?:\s+(?:and|of|the|for|&)?\s*)?)+", text):
        initials = "".join(w[0] for w in run.group(0).split() if w[0].isupper())
        if len(initials) >= 2:
            found.add(initials.lower())
    return found
