"""`citechat eval`: flags in, `evals.command.run_eval_command` does the work."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from evals.command import EvalOptions, default_baseline_target, resolve_dataset, run_eval_command
from rag.app import App
from rag.cli.common import add_mode_flag, arg_day, arg_k, make_app
from rag.core.errors import ConfigError

DESCRIPTION = """Run every question of an eval dataset through the answer service (or re-score
stored answers with --replay), score retrieval, correctness, refusals and faithfulness, and
write report.md, report.html and run.json. With --corpus (default: the packaged sample corpus
for --dataset sample) the corpus is first synced into its own collection, eval-<dataset>, so
your collections are not touched. --against baseline compares with
evals/baselines/<dataset>.json and exits 1 on a regression: a metric beyond its floor, a
significant paired drop (exact McNemar on pass/fail, seeded paired bootstrap per metric),
listing every question that flipped pass → fail. --judge llm adds an LLM faithfulness judge
(settings: judge.* / CITECHAT_JUDGE__*) beside the offline one. Every run first self-tests
each judge in use and exits 1 below its floor."""
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
    p.add_argument("what", nargs="?", choices=["faithfulness"],
                   help="faithfulness: judge another RAG system's answers (--answers FILE)")
    p.add_argument("--dataset", metavar="PATH|sample",
                   help="eval JSONL (format: evals/README.md) or 'sample'")
    p.add_argument("--answers", type=Path, metavar="FILE.jsonl",
                   help='with faithfulness: rows {"id", "question", "answer", "contexts": [...]}'
                   ' and optional "citations": {"1": 0} ([1] cites contexts[0])')
    p.add_argument("--corpus", type=Path, metavar="PATH",
                   help="ingest this file/folder first (default for 'sample': the packaged "
                   "sample corpus, evals/datasets/sample_corpus)")
    p.add_argument("--against", metavar="baseline|FILE",
                   help="compare with evals/baselines/<dataset>.json ('baseline') or FILE")
    p.add_argument("--update-baseline", nargs="?", const="", metavar="FILE",
                   help="write this run as the new baseline (floors are kept): to FILE, else to "
                   "the --against FILE, else to evals/baselines/<dataset>.json in a checkout")
    p.add_argument("--replay", type=Path, metavar="FILE",
                   help="re-score `citechat ask --questions … --json` output instead of asking")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="report folder (default: <data dir>/eval-reports/<dataset>)")
    p.add_argument("-k", type=arg_k, help="passages the answerer reads (default: answer.top_k)")
    p.add_argument("--as-of", type=arg_day, metavar="YYYY-MM-DD",
                   help="date for questions without as_of (default: newest document's date)")
    p.add_argument("--tolerance", type=float, default=0.02,
                   help="allowed mean drop per metric before the bootstrap test counts it")
    p.add_argument("--judge", choices=["offline", "llm", "auto", "model", "lexical"],
                   help="the dataset eval: offline, or offline plus an LLM judge (default: "
                   "judge.mode); faithfulness: auto (the local model judge if installed, else "
                   "lexical), model, lexical, or llm (the [judge]/[llm] endpoint)")
    p.add_argument("--decision", choices=["auto", "model", "lexical", "llm"],
                   help="which judge decides faithfulness (default: judge.decision, auto: the "
                   "local model's calibrated judge where installed, else lexical)")
    add_mode_flag(p)
    p.add_argument("--judge-floor", type=float, metavar="X",
                   help="LLM judge self-test floor (default: judge.selftest_floor, 0.80)")
    p.add_argument("--probes", action="store_true",
                   help="also run the robustness probes (evals/probes.py); not gated")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(run=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    if args.what == "faithfulness":
        return cmd_faithfulness(args)
    if not args.dataset:
        raise ConfigError("give --dataset PATH|sample (or judge other answers: "
                          "`citechat eval faithfulness --answers FILE.jsonl`)")
    update = args.update_baseline
    if update == "":  # no FILE: the file compared against, else the checkout's baseline
        custom = args.against not in (None, "baseline")
        update = args.against if custom else default_baseline_target(
            resolve_dataset(args.dataset)[0])
    options = EvalOptions(
        dataset=args.dataset, corpus=args.corpus, against=args.against,
        update_baseline=Path(update) if update is not None else None, replay=args.replay,
        out=args.out, k=args.k, as_of=args.as_of, tolerance=args.tolerance, judge=args.judge,
        judge_floor=args.judge_floor, probes=args.probes, quiet=args.quiet,
        decision=args.decision,
    )

    def app_for(collection: str | None) -> App:
        if collection is not None and args.collection is None:
            args.collection = collection
        return make_app(args)

    return run_eval_command(options, app_for).exit_code


def cmd_faithfulness(args: argparse.Namespace) -> int:
    """Judge every sentence of the answers in --answers; write verdicts and reports."""
    if args.answers is None:
        raise ConfigError("citechat eval faithfulness needs --answers FILE.jsonl")
    from evals.judges import pair_judge
    from evals.rag_answers import judge_rows, read_rows
    from evals.rag_answers_report import summary, write_results

    rows = read_rows(args.answers)
    app = make_app(args)
    judge = pair_judge(app, args.judge or "auto")
    results = judge_rows(rows, judge)
    out = args.out or app.settings.data_dir / "eval-reports" / f"faithfulness-{args.answers.stem}"
    paths = write_results(results, judge.name, out)
    for key, value in summary(results).items():
        print(f"{key}: {'n/a' if value is None else value}")
    print(f"judge: {judge.name}\nreports: {', '.join(str(p) for p in paths)}")
    return 0
