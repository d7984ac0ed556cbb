"""Work done in a thread of its own, its results read as they come, and stoppable.

The UI's chat handler is a generator that Gradio steps from worker threads of its choosing and
may abandon (Stop). So the answer is computed in one dedicated thread, which holds the
collection's lock from start to end and checks `stop` between tokens; the handler only reads
what that thread emits. Closing the reader (or `stop.set()`) ends the work at its next check.

>>> stop = threading.Event()
>>> list(in_background(lambda emit, stop: [emit(i) for i in range(3)], stop))
[0, 1, 2]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Emit = Callable[[object], None]


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_DONE = object()


def in_background(
    work: Callable[[Emit, threading.Event], object], stop: threading.Event,
    *, name: str = "citechat-answer",
) -> Iterator[object]:
    """Run `work(emit, stop)` in a new thread; yield what it emits, in order, until it returns.
    An exception it raises is raised here; leaving the loop early sets `stop`."""
    events: queue.Queue[object] = queue.Queue()

    def target() -> None:
        try:
            work(events.put, stop)
        except BaseException as exc:  # handed to the reader, who decides what the user sees
            events.put(_Failed(exc))
        finally:
            events.put(_DONE)

    threading.Thread(target=target, name=name, daemon=True).start()
    try:
        while (item := events.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
