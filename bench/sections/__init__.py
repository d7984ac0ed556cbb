"""The sections of `bench/run_bench.py`, one module each, by name in `MODULES`.

Each module has `run(bench) -> dict` (measure, returning the section's figures),
`markdown(figures) -> list[str]` (its part of bench.md) and `summary(figures) -> rows` (its
rows of the summary table).
"""

from __future__ import annotations

from types import ModuleType

from bench.common import SECTIONS
from bench.sections import coldstart, ingest, latency, quality

MODULES: dict[str, ModuleType] = {
    "ingest": ingest,
    "latency": latency,
    "coldstart": coldstart,
    "quality": quality,
}
assert tuple(MODULES) == SECTIONS
