"""coldstart: wall time of a fresh `python -m rag.cli.main ask --json "<question>"` process
against the corpus collection (--cold-runs runs), and of `python -c "import rag.cli.main"`."""

from __future__ import annotations

import json
import shlex
import statistics
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

from bench.common import CORPUS_COLLECTION, REPO, log

if TYPE_CHECKING:
    from bench.state import Bench

ASK = ["-m", "rag.cli.main", "ask", "--json", "--data-dir"]


def run(bench: Bench) -> dict[str, Any]:
    app = bench.corpus_app()
    first = bench.latency_queries()[0]
    runs = bench.args.cold_runs
    base = [sys.executable, *ASK, str(bench.work), "--collection", CORPUS_COLLECTION]
    ask_wall, ask_inner = [], []
    for i in range(runs):
        wall, latency_ms = _ask_once([*base, first.question], bench.env)
        ask_wall.append(round(wall, 2))
        ask_inner.append(latency_ms)
        log(f"coldstart: ask run {i + 1}: {wall:.2f}s (in-process ask {latency_ms} ms)")
    import_wall = [_import_once(bench.env) for _ in range(runs)]
    shown = ["python", *ASK, "<tmp>", "--collection", CORPUS_COLLECTION]
    # the dev set is internal: name the question by its id instead of quoting it
    shown_cmd = shlex.join(shown) + f" '<question {first.qid}>'"
    return {
        "command": shown_cmd,
        "collection_chunks": app.catalog.counts()[1],
        "ask_wall_s": ask_wall,
        "ask_wall_median_s": round(statistics.median(ask_wall), 2),
        "ask_in_process_ms": ask_inner,
        "import_rag_cli_s": import_wall,
        "import_rag_cli_median_s": round(statistics.median(import_wall), 3),
    }


def _ask_once(cmd: list[str], env: dict[str, str]) -> tuple[float, Any]:
    """(wall seconds, the answer's own latency_ms) of one fresh `ask --json` process."""
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"cold-start ask failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, json.loads(proc.stdout).get("latency_ms")


def _import_once(env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import rag.cli.main"], cwd=REPO, env=env, check=True)
    return round(time.perf_counter() - t, 3)


# ---------------------------------------------------------------- report


def markdown(c: dict[str, Any]) -> list[str]:
    return [
        "## coldstart",
        "",
        f"Fresh process each run, against the {c['collection_chunks']}-chunk corpus "
        "collection: "
        f"`{c['command']}`.",
        "",
        "| measure | runs | median |",
        "|---|---|---|",
        "| `python -m rag.cli.main ask --json …` wall time | "
        f"{', '.join(f'{x} s' for x in c['ask_wall_s'])} "
        f"| {c['ask_wall_median_s']} s |",
        f"| of which the in-process `ask` (its `latency_ms`) | "
        f"{', '.join(f'{x} ms' for x in c['ask_in_process_ms'])} | – |",
        '| `python -c "import rag.cli.main"` | '
        f"{', '.join(f'{x} s' for x in c['import_rag_cli_s'])} "
        f"| {c['import_rag_cli_median_s']} s |",
        "",
    ]


def summary(c: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (
            "coldstart",
            "`python -m rag.cli.main ask --json` (median of runs)",
            f"{c['ask_wall_median_s']} s ({', '.join(map(str, c['ask_wall_s']))})",
        ),
        (
            "coldstart",
            '`python -c "import rag.cli.main"` (median)',
            f"{c['import_rag_cli_median_s']} s",
        ),
    ]
