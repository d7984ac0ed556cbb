"""Sentence spans with exact character offsets, and word tokens."""

from __future__ import annotations

import re

from rag.text.lexicon import lexicon

_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(?=\s+)|\n\s*\n|\n")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences; return `(start, end)` spans with surrounding space trimmed.

    `text[start:end]` is the sentence exactly. Line breaks always end a sentence (news text puts
    headlines, captions and paragraphs on their own lines); a period after a known abbreviation,
    a single capital letter (initials, "U.S.") or a digit followed by a lower-case word does not.

    >>> t = "Dr. Smith met U.S. officials. They agreed.\\nNext line"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Dr. Smith met U.S. officials.', 'They agreed.', 'Next line']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group(0)[0] == "." and _is_abbreviation(text, match.start(), end):
            continue
        _append_trimmed(spans, text, start, end)
        start = end
    _append_trimmed(spans, text, start, len(text))
    return spans


def _is_abbreviation(text: str, dot: int, after: int) -> bool:
    word_match = re.search(r"([A-Za-z]+)$", text[max(0, dot - 12) : dot])
    word = word_match.group(1) if word_match else ""
    if word.lower() in lexicon().words("abbreviations") or (len(word) == 1 and word.isupper()):
        return True
    following = text[after:].lstrip()
    return bool(following) and following[0].islower()


def _append_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, keeping inner apostrophes)."""
    return [w.lower() for w in _WORD.findall(text)]
