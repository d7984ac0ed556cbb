"""The best-matching windows of long evidence: a model reads a few sentences, not a prefix.

A window is a run of up to `size` consecutive sentences; windows are scored by how many of the
claim's content words (and numbers) they hold, and the best ones, kept in document order and
within `max_chars`, become the evidence the model reads.

>>> text = "The bridge opened in 1998. It cost $4 million. Rain fell all week. Fish swam."
>>> best_windows("The bridge cost $4 million.", text, size=1, max_chars=50)
'The bridge opened in 1998. … It cost $4 million.'
"""

from __future__ import annotations

from evals.metrics.text import content_words, numbers_in
from rag.text.sentences import sentence_spans

GAP = " … "


def best_windows(claim: str, evidence: str, *, size: int = 2, max_chars: int = 600) -> str:
    """The evidence the model reads for `claim` (all of it when it is short enough)."""
    if len(evidence) <= max_chars:
        return evidence
    spans = sentence_spans(evidence)
    if not spans:
        return evidence[:max_chars]
    wanted = set(content_words(claim)) | numbers_in(claim)
    windows = [(i, min(i + size, len(spans))) for i in range(len(spans))]

    def score(window: tuple[int, int]) -> float:
        text = evidence[spans[window[0]][0]:spans[window[1] - 1][1]]
        have = set(content_words(text)) | numbers_in(text)
        return len(wanted & have) - 0.001 * window[0]  # earlier wins a tie

    chosen: list[tuple[int, int]] = []
    used = 0
    for window in sorted(windows, key=score, reverse=True):
        first, last = window
        if chosen and score(window) <= 0:
            break  # nothing of the claim left to find
        if any(first < b and a < last for a, b in chosen):
            continue
        length = spans[last - 1][1] - spans[first][0]
        if used + length > max_chars and chosen:
            continue
        chosen.append(window)
        used += length + len(GAP)
        if used >= max_chars:
            break
    chosen.sort()
    return GAP.join(evidence[spans[a][0]:spans[b - 1][1]] for a, b in chosen)
