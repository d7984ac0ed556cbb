"""Size limits for ingest, with the messages that explain them.

- a file larger than `max_file_bytes` is refused (a .jsonl feed is read a line at a time, and
  a line over the limit is refused alone);
- a document longer than `part_chars` is stored in parts of at most that many characters
  (`doc#part2`, ...), cut at a paragraph or sentence break, so a huge file is committed a part
  at a time and a crash in the middle keeps the parts already stored;
- a batch is committed once it holds `batch_docs` documents or `batch_chars` characters;
- no chunk is longer than the chunker's budget, even in text without a sentence break (the
  chunker cuts it at spaces, or anywhere: `ingest.chunker.hard_split`).

>>> split_parts("a" * 10, 4)
[(0, 4), (4, 8), (8, 10)]
>>> split_parts("One two.\\n\\nThree four five.", 16)
[(0, 10), (10, 26)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MB = 1024 * 1024
_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"[.!?][\"')\]]*\s"), re.compile(r"\s"))


@dataclass(frozen=True)
class Limits:
    """What one ingest run accepts; every figure can be passed to `ingestor_for`."""

    max_file_bytes: int = 25 * MB
    part_chars: int = 1_000_000
    batch_chars: int = 400_000

    def too_big(self, size: int, what: str = "file") -> str:
        """The failure reason for a `what` ("file" or "line") of `size` bytes.

        >>> Limits(max_file_bytes=MB).too_big(3 * MB)
        'the file is 3.0 MB, over the 1.0 MB limit: split it, or feed it as .jsonl records'
        """
        fix = "split it, or feed it as .jsonl records" if what == "file" else "shorten it"
        return (f"the {what} is {size / MB:.1f} MB, over the {self.max_file_bytes / MB:.1f} MB "
                f"limit: {fix}")


def split_parts(text: str, part_chars: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive parts of `text`, each at most `part_chars` long, cut at the
    last paragraph break in the second half of a part, else the last sentence end, else the
    last space, else exactly at the limit."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > part_chars:
        end = _cut(text, start, start + part_chars)
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, limit: int) -> int:
    floor = start + (limit - start) // 2
    for pattern in _BREAKS:
        last = None
        for found in pattern.finditer(text, floor, limit):
            last = found
        if last is not None:
            return last.end()
    return limit
