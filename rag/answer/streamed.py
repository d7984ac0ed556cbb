"""A streamed answer: the model's text as it is written, then the composed `Answer`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rag.core.types import Answer


class StreamedAnswer:
    """Iterate for the model's pieces as they arrive; then `result()` is the composed `Answer`.

    `result()` before the pieces are used up reads the rest of the stream first.
    """

    def __init__(self, pieces: Iterator[str], finish: Callable[[str], Answer]) -> None:
        self._pieces = pieces
        self._finish = finish
        self._parts: list[str] = []
        self._answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        for piece in self._pieces:
            self._parts.append(piece)
            yield piece

    def result(self) -> Answer:
        if self._answer is None:
            for _ in self:
                pass
            self._answer = self._finish("".join(self._parts))
        return self._answer
