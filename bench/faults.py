"""The fault bench: every scenario of issue 16 at full count, as one table, plus a load test
and a soak with memory sampled. Writes bench/results/faults.md.

    nice -n 19 python bench/faults.py                  # everything (~15 min on 2 busy cores)
    python bench/faults.py --kills 4 --soak 200 --no-write   # a quick look

Each scenario runs on a fictional corpus written on the spot (`tests/faults/corpus.py`) with
the hashing embedder, so a run takes seconds; the scenarios themselves live in
`tests/faults/scenarios.py`, where the small versions run as tests. Columns: runs; documents
lost (missing, another version, or without a vector) and duplicated (extra documents, vectors
no chunk owns) against a clean run of the same command; `verify` on the end state; time to
recover (median / worst seconds of the re-run or repair that brings the data back).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import log  # noqa: E402
from tests.faults import scenarios as sc  # noqa: E402
from tests.faults.helpers import fill  # noqa: E402
from tests.faults.load import load, soak  # noqa: E402

RESULTS = REPO / "bench" / "results" / "faults.md"
HEADER = ("| scenario | runs | lost | duplicated | verify | recover s (median / worst) |\n"
          "|---|---|---|---|---|---|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=11,
                        help="kill -9 runs for each of the two commands")
    parser.add_argument("--soak", type=int, default=2000, help="questions in the soak")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent load sessions")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="citechat-faults-"))
    started = time.monotonic()
    try:
        outcomes = run_scenarios(work, args.kills)
        load_figures, soak_figures = run_load(work, args.sessions, args.soak)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(outcomes, load_figures, soak_figures, time.monotonic() - started, argv)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
        log(f"wrote {RESULTS}")
    clean = all(o.verify_ok and not o.lost and not o.duplicated for o in outcomes)
    return 0 if clean else 1


def run_scenarios(work: Path, kills: int) -> list[sc.Outcome]:
    outcomes: list[sc.Outcome] = []
    for plan in sc.kill_plans(work / "kill"):
        log(f"{plan.name}: {kills} runs")
        outcomes.append(sc.kill_runs(plan, work / "kill", kills))
    steps = [("serve", lambda w: sc.writer_while_serving(w)),
             ("server-ingest", lambda w: sc.server_killed_mid_ingest(w)),
             ("server-question", lambda w: sc.server_killed_mid_question(w, 12)),
             ("disk", _disk_full),
             ("read-only", _read_only),
             ("page", lambda w: sc.damaged(w, "page")),
             ("hnsw", lambda w: sc.damaged(w, "hnsw")),
             ("bad", sc.bad_inputs),
             ("questions", sc.bad_questions)]
    for name, step in steps:
        log(name)
        (work / name).mkdir(parents=True)
        outcomes.append(step(work / name))
    return outcomes


def _disk_full(work: Path) -> sc.Outcome:
    return sc.disk_full(work) if sc.can_mount() else sc.disk_full_simulated(work)


def _read_only(work: Path) -> sc.Outcome:
    if sc.can_mount():
        return sc.read_only(work)
    return sc.Outcome("read-only data dir", notes=["skipped: needs root for a read-only mount"])


def run_load(work: Path, sessions: int, count: int) -> tuple[dict, dict]:
    log(f"load: {sessions} sessions x 10 questions")
    app = fill(work / "load", n=400)
    app.service.ask("Who said the bridge reopened?")
    load_figures = load(app.service, sessions=sessions, each=10).summary()
    log(f"soak: {count} questions")
    soak_figures = soak(app.service, count=count).summary()
    return load_figures, soak_figures


def report(outcomes: list[sc.Outcome], load_figures: dict, soak_figures: dict,
           seconds: float, argv: list[str] | None) -> str:
    command = " ".join(["python bench/faults.py", *(argv if argv is not None else sys.argv[1:])])
    lines = ["# Fault bench (issue 16)", "",
             f"`{command}` — {time.strftime('%Y-%m-%d %H:%M')}, {seconds / 60:.1f} min, "
             "hashing embedder, fictional corpus (tests/faults/corpus.py).", "", HEADER]
    lines += [o.row() for o in outcomes]
    lines += ["", "## Load and soak (one app's service, extractive answers, hashing embedder, "
              "400 documents)", "", "```", "load: " + json.dumps(load_figures),
              "soak: " + json.dumps(soak_figures), "```", "", "## Notes per scenario", ""]
    for outcome in outcomes:
        lines.append(f"- **{outcome.scenario}**")
        lines += [f"  - {note}" for note in outcome.notes[:12]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
