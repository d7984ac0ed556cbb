"""citechat benchmark: ingest throughput, query latency, cold start and dev-set quality.

Everything runs in a fresh temporary data dir (deleted afterwards unless --keep-data), so the
user's own collections are never touched. Figures are printed and written to
bench/results/bench.md (tables) and bench/results/bench.json (the same figures, machine-readable),
together with the command line, the date and the machine (nproc, CPU model, Python version).

Sections (choose with --sections, comma-separated; default: all four):

  ingest    Whole-pipeline ingest of the corpus (clean → chunk → embed → Chroma + catalog),
            in chunks/s, against the raw embedding model alone on the same chunk texts
            (embedded as LlamaIndex does: "title: <title>\\n\\n<text>", same batch size, same
            process), interleaved: each 64-document pipeline slice is followed by the raw
            model on (every --embed-every'th of) that slice's chunk texts, so that load from
            other work on the machine hits both alike. Then a re-ingest of the unchanged
            corpus: seconds, and chunks embedded (should be 0).
  latency   retrieve and ask p50/p95 in ms over --queries questions, (a) on the corpus
            collection and (b) on a collection of >= --synthetic chunks: the corpus chunks
            plus random normalised 384-d vectors and seeded word-list text written straight
            into Chroma and the catalog (no embedding model involved).
  coldstart Wall time of a fresh `python -m rag.cli.main ask --json "<question>"` process against
            the corpus collection (--cold-runs runs, each and the median), and of
            `python -c "import rag.cli.main"`.
  quality   On the dev set: doc hit@5, recall@5 and MRR@10 over the gold evidence docs for
            keyword-only, dense-only and hybrid retrieval (and the service's date-aware
            retrieval, as_of = question date); then, if the answer service loads, extractive
            answer accuracy (gold answer contained in short_answer / in the whole answer),
            refusal rate on unanswerable questions and false-refusal rate on answerable ones.

The corpus is the dev set (--devset, default ../shared/devsets/realtimeqa_dev relative to the
repo root; internal use only: its text is read from there and never written into the repo). If
it is absent, the sample corpus (evals/datasets/sample_corpus) and evals/datasets/sample.jsonl
are used.

    python bench/run_bench.py                                # everything, ~10-15 min on 2 cores
    python bench/run_bench.py --sections latency --synthetic 20000 --no-write
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.common import (  # noqa: E402
    DEFAULT_DEVSET,
    RESULTS_DIR,
    SECTIONS,
    loadavg,
    log,
    machine_info,
)
from bench.report import render_markdown, write_results  # noqa: E402
from bench.sections import MODULES  # noqa: E402
from bench.state import Bench  # noqa: E402


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/run_bench.py",
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run, from {', '.join(SECTIONS)} (default: all)",
    )
    p.add_argument(
        "--devset",
        type=Path,
        default=DEFAULT_DEVSET,
        help="dev-set folder with corpus.jsonl and questions.jsonl (default: %(default)s); "
        "when absent, the sample corpus and evals/datasets/sample.jsonl are used",
    )
    p.add_argument(
        "--synthetic",
        type=int,
        default=100_000,
        metavar="N",
        help="synthetic chunks added for the large-collection latency (default: %(default)s)",
    )
    p.add_argument(
        "--queries",
        type=int,
        default=50,
        metavar="N",
        help="questions timed per collection in the latency section (default: %(default)s)",
    )
    p.add_argument(
        "--cold-runs",
        type=int,
        default=3,
        metavar="N",
        help="fresh-process runs in the coldstart section (default: %(default)s)",
    )
    p.add_argument(
        "--embed-every",
        type=int,
        default=2,
        metavar="N",
        help="raw-embedder comparison on every Nth chunk text of each ingested slice; 1 = all "
        "of them (default: %(default)s, to keep the run under ~15 min on 2 cores)",
    )
    p.add_argument(
        "--max-docs",
        type=int,
        default=0,
        metavar="N",
        help="use only the first N dev-set documents (quick runs; default: all)",
    )
    p.add_argument(
        "--seed", type=int, default=1234, help="seed of the synthetic data (default: %(default)s)"
    )
    p.add_argument(
        "--out-dir",
        type=Path,
        default=RESULTS_DIR,
        help="where bench.md and bench.json go (default: bench/results)",
    )
    p.add_argument("--no-write", action="store_true", help="print only; write no result files")
    p.add_argument("--keep-data", action="store_true", help="keep the temporary data dir")
    args = p.parse_args(argv)
    chosen = [x.strip() for x in args.sections.split(",") if x.strip()]
    unknown = [x for x in chosen if x not in SECTIONS]
    if unknown:
        p.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    args.sections = [x for x in SECTIONS if x in chosen]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(REPO)
    started = time.perf_counter()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = shlex.join(
        ["python", "bench/run_bench.py", *(argv if argv is not None else sys.argv[1:])]
    )
    result: dict[str, Any] = {
        "command": command,
        "date": when,
        "machine": machine_info(),
        "loadavg_start": loadavg(),
        "sections": {},
    }
    bench = Bench(args)
    try:
        for name in args.sections:
            log(f"=== {name}")
            t = time.perf_counter()
            sec = MODULES[name].run(bench)
            sec["section_wall_s"] = round(time.perf_counter() - t, 1)
            sec["measured"] = {"date": when, "command": command}
            result["sections"][name] = sec
    finally:
        bench.close()
    result["loadavg_end"] = loadavg()
    result["total_wall_s"] = round(time.perf_counter() - started, 1)

    if not args.no_write:
        write_results(result, args.out_dir, args.sections)
    print(render_markdown(result))
    log(f"done in {result['total_wall_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
