"""A load test (concurrent sessions on one app's service) and a soak (thousands of questions
with the process's memory sampled), for `bench/faults.py` and a small test.

>>> rss_mb() > 0
True
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.faults.corpus import PEOPLE, THINGS, TOWNS

TEMPLATES = ["Who said the {thing} in {town} reopened?", "How many residents came to see the "
             "{thing} in {town}?", "What did {person} tell reporters about the {thing}?",
             "When was the {thing} in {town} inspected?", "How did {town} vote on the {thing}?"]


def questions(n: int, seed: int = 16) -> list[str]:
    """`n` questions about the fault corpus (seeded)."""
    rng = random.Random(seed)
    return [rng.choice(TEMPLATES).format(thing=rng.choice(THINGS), town=rng.choice(TOWNS),
                                         person=rng.choice(PEOPLE)) for _ in range(n)]


def rss_mb() -> float:
    """This process's resident memory in MB (Linux /proc)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Figures:
    """What a load or soak run measured."""

    questions: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms) or [0.0]
        out: dict[str, Any] = {
            "questions": self.questions, "errors": len(self.errors),
            "seconds": round(self.seconds, 1),
            "p50_ms": round(statistics.median(lat), 1),
            "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 1),
        }
        if self.rss_mb:
            out.update(rss_start_mb=round(self.rss_mb[0], 1), rss_max_mb=round(max(self.rss_mb), 1),
                       rss_end_mb=round(self.rss_mb[-1], 1))
        if self.errors:
            out["first_error"] = self.errors[0]
        return out


def load(service: Any, sessions: int = 20, each: int = 10) -> Figures:
    """`sessions` threads, each asking `each` questions back to back on one service."""
    figures = Figures()
    lock = threading.Lock()

    def session(number: int) -> None:
        for question in questions(each, seed=number):
            started = time.perf_counter()
            try:
                service.ask(question)
            except Exception as exc:  # counted, not raised: the figure is how many failed
                with lock:
                    figures.errors.append(f"{type(exc).__name__}: {exc}")
            with lock:
                figures.latencies_ms.append((time.perf_counter() - started) * 1000)
                figures.questions += 1

    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.perf_counter() - started
    return figures


def soak(service: Any, count: int = 2000, sample_every: int = 50) -> Figures:
    """`count` questions one after another, RSS sampled every `sample_every`."""
    figures = Figures(rss_mb=[rss_mb()])
    started = time.perf_counter()
    for number, question in enumerate(questions(count, seed=7), start=1):
        began = time.perf_counter()
        try:
            service.ask(question)
        except Exception as exc:  # counted, not raised: the figure is how many failed
            figures.errors.append(f"{type(exc).__name__}: {exc}")
        figures.latencies_ms.append((time.perf_counter() - began) * 1000)
        figures.questions += 1
        if number % sample_every == 0:
            figures.rss_mb.append(rss_mb())
    figures.seconds = time.perf_counter() - started
    figures.rss_mb.append(rss_mb())
    return figures
