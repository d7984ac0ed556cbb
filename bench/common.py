"""Helpers shared by the bench sections: paths, logging, timing and percentiles, the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SECTIONS = ("ingest", "latency", "coldstart", "quality")
DEFAULT_DEVSET = REPO.parent / "shared" / "devsets" / "realtimeqa_dev"
SAMPLE_CORPUS = REPO / "evals" / "datasets" / "sample_corpus"
SAMPLE_QUESTIONS = REPO / "evals" / "datasets" / "sample.jsonl"
RESULTS_DIR = REPO / "bench" / "results"
CORPUS_COLLECTION = "bench-corpus"
SYNTH_COLLECTION = "bench-synthetic"
PACKAGES = ("chromadb", "onnxruntime", "llama-index-core", "tokenizers", "numpy")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 50), 1),
        "p95_ms": round(pct(ms, 95), 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else float("nan"),
        "max_ms": round(max(ms), 1) if ms else float("nan"),
    }


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads (robust to other load on the box)."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def loadavg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def spread(items: Sequence[Any], n: int) -> list[Any]:
    """n items evenly spaced through `items` (all of them when n >= len)."""
    if n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


# ---------------------------------------------------------------- the machine


def machine_info() -> dict[str, Any]:
    return {
        "nproc": _nproc(),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": _versions(),
        "git": _git(),
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def _nproc() -> int:
    try:
        return int(subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return len(os.sched_getaffinity(0))


def _memory_gib() -> float | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        return round(kb / 1024 / 1024, 1)
    return None


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    versions = {}
    for pkg in PACKAGES:
        with contextlib.suppress(Exception):
            versions[pkg] = version(pkg)
    return versions


def _git() -> dict[str, Any]:
    def run(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()

    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return {"commit": run("rev-parse", "--short", "HEAD"),
                "dirty": bool(run("status", "--porcelain"))}
    return {}


def report_main(doc: str | None, render: Any, argv: list[str] | None = None) -> int:
    """The command line of a report script: JSONL records in, markdown out (`--out`) and
    printed. `render(records, source_name)` makes the markdown."""
    import argparse
    import json

    p = argparse.ArgumentParser(description=doc,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("records", type=Path, help="JSONL records from the matching pass script")
    p.add_argument("--out", type=Path, help="write the markdown here (default: print only)")
    args = p.parse_args(argv)
    records = [json.loads(line) for line in args.records.read_text().splitlines() if line]
    text = render(records, args.records.name)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0
