"""`citechat eval`: run an eval dataset, compare with a baseline, write reports.

Registered by `rag.cli_commands.register` via `evals.cli.register(sub, common)`.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.dataset import DatasetError, load_dataset
from rag.filters import arg_day

if TYPE_CHECKING:
    from evals.judge_selftest import SelfTestResult
    from evals.llm_judge.judge import LLMJudge

EVALS_DIR = Path(__file__).resolve().parent
SAMPLE_CORPUS = EVALS_DIR.parent / "samples" / "corpus"
DESCRIPTION = """Run every question of an eval dataset through the answer service (or re-score
stored answers with --replay), score retrieval, correctness, refusals and faithfulness, and write
report.md, report.html and run.json. With --corpus (default samples/corpus for --dataset sample)
the corpus is first synced into its own collection, eval-<dataset>, so your collections are not
touched. --against baseline compares with evals/baselines/<dataset>.json and exits 1 on a
regression: a metric beyond its floor, a significant paired drop (exact McNemar on pass/fail,
seeded paired bootstrap per metric), listing every question that flipped pass → fail.
--judge llm adds an LLM faithfulness judge (settings: judge.* / CITECHAT_JUDGE__*) beside the
offline one. Every run first self-tests each judge in use and exits 1 below its floor."""
EPILOG = """examples:
  citechat eval --dataset sample --against baseline
  citechat eval --dataset sample --update-baseline
  CITECHAT_ANSWER__TOP_K=1 citechat eval --dataset sample --against baseline   # caught
  citechat ask --questions qs.jsonl --json --out answers.jsonl
  citechat eval --dataset qs.jsonl --replay answers.jsonl --against baseline
  CITECHAT_JUDGE__BASE_URL=http://127.0.0.1:8080/v1 citechat eval --dataset sample --judge llm
"""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("eval", parents=[common], help="run the regression eval suite",
                       description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", required=True, metavar="PATH|sample",
                   help="eval JSONL (format: evals/README.md) or 'sample'")
    p.add_argument("--corpus", type=Path, metavar="PATH",
                   help="ingest this file/folder first (default for 'sample': samples/corpus)")
    p.add_argument("--against", metavar="baseline|FILE",
                   help="compare with evals/baselines/<dataset>.json ('baseline') or FILE")
    p.add_argument("--update-baseline", action="store_true",
                   help="write this run as the new baseline (floors are kept)")
    p.add_argument("--replay", type=Path, metavar="FILE",
                   help="re-score `citechat ask --questions … --json` output instead of asking")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="report folder (default: <data dir>/eval-reports/<dataset>)")
    p.add_argument("-k", type=int, help="passages the answerer reads (default: answer.top_k)")
    p.add_argument("--as-of", type=arg_day, metavar="YYYY-MM-DD",
                   help="date for questions without as_of (default: newest document's date)")
    p.add_argument("--tolerance", type=float, default=0.02,
                   help="allowed mean drop per metric before the bootstrap test counts it")
    p.add_argument("--judge", choices=["offline", "llm"],
                   help="faithfulness judge: offline, or offline plus an LLM judge "
                   "(default: judge.mode, offline); see evals/README.md")
    p.add_argument("--judge-floor", type=float, metavar="X",
                   help="LLM judge self-test floor (default: judge.selftest_floor, 0.80)")
    p.add_argument("--probes", action="store_true",
                   help="also run the robustness probes (evals/probes.py); not gated")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(run=cmd_eval)


def resolve_dataset(value: str) -> tuple[str, Path]:
    """'sample' → the packaged sample set; anything else is a path. Returns (name, path)."""
    if value == "sample":
        return "sample", EVALS_DIR / "datasets" / "sample.jsonl"
    path = Path(value)
    return path.stem, path


def baseline_path(against: str | None, name: str) -> Path:
    return EVALS_DIR / "baselines" / f"{name}.json" if against in (None, "baseline") \
        else Path(against)


def eval_collection(name: str) -> str:
    """A valid collection name for a dataset's corpus: eval-<name>, sanitised."""
    return ("eval-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name))[:63].rstrip("-_")


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.baseline import load_baseline, save_baseline
    from evals.config import eval_config, newest_publish_date
    from evals.gate import compare
    from evals.report import metric_table, selftest_lines, write_reports
    from evals.runner import read_answers, replay_eval, run_eval
    from rag.cli_commands import make_app

    name, path = resolve_dataset(args.dataset)
    items = load_dataset(path)
    target = baseline_path(args.against, name)
    baseline = None
    if args.against and (target.is_file() or not args.update_baseline):
        baseline = load_baseline(target)  # fail before the run, not after it
    corpus = args.corpus or (SAMPLE_CORPUS if args.dataset == "sample" else None)
    if corpus is not None and args.collection is None:
        args.collection = eval_collection(name)
    app = make_app(args)
    judge = _llm_judge(app, args.judge)  # a missing key or bad judge setting fails here
    selftests = _selftests(app, judge, args.judge_floor)  # an unreachable judge fails here
    if corpus is not None:
        _ingest(app, corpus, args.quiet)
    if app.catalog.counts()[0] == 0:
        raise DatasetError(f"collection {app.settings.collection!r} in {app.settings.data_dir} is "
                           "empty: pass --corpus PATH (or --collection eval-<dataset> to reuse "
                           "a corpus ingested by an earlier eval)")
    as_of = args.as_of or newest_publish_date(app.catalog.path)
    config = eval_config(app, args.k, as_of, judge=judge.describe() if judge else None)
    scoring = {"progress": not args.quiet, "llm_judge": judge, "selftests": selftests}
    if args.replay:
        config["replay"] = str(args.replay)
        run = replay_eval(app, items, read_answers(args.replay), dataset=name, config=config,
                          **scoring)
    else:
        run = run_eval(app, items, dataset=name, config=config, k=args.k, default_as_of=as_of,
                       **scoring)
    gate = compare(baseline, run, tolerance=args.tolerance) if baseline is not None else None
    out = args.out or app.settings.data_dir / "eval-reports" / name
    paths = write_reports(run, gate, out, baseline.run if baseline is not None else None)
    print("\n".join([*metric_table(run, gate), "", *selftest_lines(run)]))
    if gate is not None:
        print(f"\n{'PASS' if gate.passed else 'FAIL'} against {target}")
        for reason in gate.reasons:
            print(f"  - {reason}")
        for flip in gate.regressions:
            print(f"  pass → fail {flip.id}: {'; '.join(flip.new.fail_reasons)}")
    print(f"\nreports: {', '.join(str(p) for p in paths)}")
    if args.probes:
        _probes(app, items, as_of, out)
    if args.update_baseline:
        save_baseline(run, target)
        print(f"baseline written: {target}")
    sharp = all(r.passed for r in selftests)
    if not sharp:
        print("FAIL: a judge's self-test is below its floor (evals/README.md, 'LLM judge')")
    return 1 if (gate is not None and not gate.passed) or not sharp else 0


def _llm_judge(app: Any, mode: str | None) -> LLMJudge | None:
    """The LLM judge when `--judge llm` (or judge.mode = "llm"), else None."""
    if (mode or app.settings.judge.mode) != "llm":
        return None
    from evals.llm_judge.judge import LLMJudge

    return LLMJudge.from_settings(app.settings)


def _selftests(
    app: Any, judge: LLMJudge | None, floor: float | None
) -> list[SelfTestResult]:
    from evals.judge_selftest import run_judge_selftests

    return run_judge_selftests(app.embedder, judge,
                               app.settings.judge.selftest_floor if floor is None else floor)


def _probes(app: Any, items: list, as_of: date | None, out: Path) -> None:
    from evals.probes import run_probes
    from rag.extractive import ExtractiveAnswerer

    threshold = app.settings.answer.min_support
    answerer = ExtractiveAnswerer(embedder=app.embedder,
                                  **({} if threshold < 0 else {"min_support": threshold}))
    report = run_probes(
        lambda item, k: app.service.retrieve_as_of(item.question, k, None, item.as_of or as_of),
        answerer, items)
    (out / "probes.json").write_text(report.model_dump_json(indent=1), encoding="utf-8")
    rates = ", ".join(f"{p} {'n/a' if r is None else f'{r:.3f}'}" for p, r in report.rates.items())
    print(f"probes (share ok): {rates} — details in {out / 'probes.json'}")


def _ingest(app: Any, corpus: Path, quiet: bool) -> None:
    if not corpus.exists():
        raise DatasetError(f"--corpus {corpus}: no such file or folder")
    from tqdm import tqdm

    with tqdm(desc="ingest", unit=" docs", disable=quiet or None, file=sys.stderr) as bar:
        report = app.ingestor.ingest([corpus], sync=True, on_progress=lambda _: bar.update(1))
    if report.failed:
        raise DatasetError(f"--corpus {corpus}: {len(report.failed)} file(s) failed to load, "
                           f"first: {report.failed[0]}")
