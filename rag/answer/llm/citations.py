"""`[n]` markers as data: find them, strip them, split an answer into cited sentences.

Accepted forms: `[1]`, `[1, 2]`, `[1][2]`, `[1-3]`, `[Source 2]`. A marker written after the
sentence's full stop ("… died. [1]") is moved before it, so it stays with its sentence.

>>> [(s.text, s.cited) for s in cited_sentences("Seven died [1]. Roads shut.[2][3] Rain fell.")]
[('Seven died.', (1,)), ('Roads shut.', (2, 3)), ('Rain fell.', ())]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.text.sentences import sentence_spans

_NUM = r"(?:sources?\s*)?\d{1,3}"
_MARKER = re.compile(rf"\[\s*{_NUM}(?:\s*(?:,|;|-|–|and)\s*{_NUM})*\s*\]", re.I)
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+", re.M)
_TRAILING = re.compile(rf"([.!?])((?:\s*{_MARKER.pattern})+)", re.I)


@dataclass(frozen=True)
class CitedSentence:
    """One sentence of the model's answer: its text without markers, and the numbers it cites."""

    text: str
    cited: tuple[int, ...]


def marker_numbers(marker: str) -> list[int]:
    """The source numbers in one marker; `[2-4]` expands to 2, 3, 4.

    >>> marker_numbers("[1, 3]"), marker_numbers("[2-4]"), marker_numbers("[Source 5]")
    ([1, 3], [2, 3, 4], [5])
    """
    numbers: list[int] = []
    for match in re.finditer(r"(\d+)(?:\s*[-–]\s*(?:sources?\s*)?(\d+))?", marker, re.I):
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else low
        numbers.extend(range(low, min(high, low + 20) + 1) if high >= low else [low])
    return numbers


def find_cited(text: str) -> list[int]:
    """Every source number cited in `text`, in order of first appearance."""
    seen: dict[int, None] = {}
    for match in _MARKER.finditer(text):
        seen.update(dict.fromkeys(marker_numbers(match.group(0))))
    return list(seen)


def strip_markers(text: str) -> str:
    """`text` without markers, and without the space a marker left before punctuation."""
    stripped = _MARKER.sub("", text)
    stripped = re.sub(r"[ \t]+([.,;:!?])", r"\1", stripped)
    return re.sub(r"[ \t]{2,}", " ", stripped).strip()


def normalise_markers(text: str) -> str:
    """Move markers written after a sentence's end mark to before it: `x. [1]` → `x [1].`"""
    return _TRAILING.sub(lambda m: f" {m.group(2).strip()}{m.group(1)}", text)


def cited_sentences(answer: str) -> list[CitedSentence]:
    """Split a generated answer into sentences, each with the source numbers it cites.

    List bullets and numbers at the start of a line ("- ", "2. ") are not sentences.
    """
    text = _LIST_ITEM.sub("", normalise_markers(answer))
    out: list[CitedSentence] = []
    for start, end in sentence_spans(text):
        raw = text[start:end]
        clean = strip_markers(raw)
        if clean:
            out.append(CitedSentence(clean, tuple(find_cited(raw))))
        elif out:  # a sentence of markers only belongs to the one before
            merged = dict.fromkeys(out[-1].cited + tuple(find_cited(raw)))
            out[-1] = CitedSentence(out[-1].text, tuple(merged))
    return out


def with_markers(sentence: str, numbers: list[int]) -> str:
    """`sentence` with `[n]` markers placed before its final punctuation.

    >>> with_markers("Seven died.", [1, 2])
    'Seven died [1][2].'
    """
    if not numbers:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    match = re.search(r"[.!?]+[\"'”’)]*$", sentence)
    if match:
        return f"{sentence[: match.start()]} {marks}{sentence[match.start():]}"
    return f"{sentence} {marks}"
