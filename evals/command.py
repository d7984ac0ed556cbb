"""What `citechat eval` does, as one function over typed options (the CLI only parses flags).

Steps: load the dataset (and the baseline, so a bad one fails before the run) → build the app
for the dataset's collection → self-test each judge in use → sync the corpus → ask (or replay)
and score every question → gate against the baseline → write reports → maybe save the baseline.

>>> outcome = run_eval_command(EvalOptions(dataset="sample"), make_app)  # doctest: +SKIP
>>> outcome.exit_code                                                    # doctest: +SKIP
0
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.dataset import DatasetError, EvalItem, load_dataset
from evals.judges import pair_judge
from evals.metrics.judgement import PairJudge
from evals.model_judge.judge import ModelJudge

if TYPE_CHECKING:
    from evals.gate import GateReport
    from evals.judge_selftest import SelfTestResult
    from evals.llm_judge.judge import LLMJudge
    from evals.results import EvalRun
    from rag.app import App

SAMPLE = "sample"


def packaged(relative: str) -> Path:
    """A file or folder shipped inside the `evals` package (works from a wheel too)."""
    return Path(str(resources.files("evals").joinpath(relative)))


def sample_corpus() -> Path:
    """The sample corpus the sample dataset is asked against."""
    return packaged("datasets/sample_corpus")


@dataclass(frozen=True)
class EvalOptions:
    """The flags of `citechat eval`, typed (see `citechat eval --help`)."""

    dataset: str
    corpus: Path | None = None
    against: str | None = None
    update_baseline: Path | None = None  # where to write the new baseline; None: don't
    replay: Path | None = None
    out: Path | None = None
    k: int | None = None
    as_of: date | None = None
    tolerance: float = 0.02
    judge: str | None = None
    judge_floor: float | None = None
    decision: str | None = None  # which judge decides faithfulness (judge.decision)
    probes: bool = False
    quiet: bool = False


@dataclass
class EvalOutcome:
    """What a run produced; `exit_code` is 1 on a regression or a blunt judge."""

    run: EvalRun
    gate: GateReport | None
    reports: list[Path]
    selftests: list[SelfTestResult] = field(default_factory=list)
    baseline_written: Path | None = None

    @property
    def exit_code(self) -> int:
        regressed = self.gate is not None and not self.gate.passed
        return 1 if regressed or not all(r.passed for r in self.selftests) else 0


def resolve_dataset(value: str) -> tuple[str, Path]:
    """'sample' → the packaged sample set; anything else is a path. Returns (name, path)."""
    if value == SAMPLE:
        return SAMPLE, packaged("datasets/sample.jsonl")
    path = Path(value)
    return path.stem, path


def baseline_path(against: str | None, name: str) -> Path:
    """`--against baseline` (or none) → the packaged `evals/baselines/<name>.json`."""
    if against in (None, "baseline"):
        return packaged(f"baselines/{name}.json")
    return Path(against)


def default_baseline_target(name: str) -> Path:
    """Where `--update-baseline` writes when given no file: the checkout's evals/baselines/.

    From an installed wheel there is no checkout to write into, and site-packages is no place
    for data: the user must name a file."""
    target = baseline_path(None, name)
    checkout = target.parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "evals").is_dir():
        return target
    raise DatasetError(
        "--update-baseline needs a file when citechat is installed rather than run from a "
        "checkout: pass --update-baseline PATH (then --against PATH to compare with it)"
    )


def eval_collection(name: str) -> str:
    """A valid collection name for a dataset's corpus: eval-<name>, sanitised."""
    return ("eval-" + re.sub(r"[^A-Za-z0-9_-]+", "-", name))[:63].rstrip("-_")


def run_eval_command(
    options: EvalOptions,
    make_app: Callable[[str | None], App],
    *,
    echo: Callable[[str], None] = print,
) -> EvalOutcome:
    """Run `options` end to end; `make_app(collection)` builds the app (None: the user's)."""
    from evals.baseline import load_baseline, save_baseline
    from evals.config import eval_config
    from evals.gate import compare
    from evals.report import metric_table, write_reports
    from evals.report_rows import selftest_lines
    from evals.runner import read_answers, replay_eval, run_eval

    name, path = resolve_dataset(options.dataset)
    items = load_dataset(path)
    target = baseline_path(options.against, name)
    baseline = None
    if options.against and (target.is_file() or options.update_baseline is None):
        baseline = load_baseline(target)  # fail before the run, not after it
    corpus = options.corpus or (sample_corpus() if options.dataset == SAMPLE else None)
    app = make_app(eval_collection(name) if corpus is not None else None)
    judge = _llm_judge(app, options.judge)  # a missing key or bad judge setting fails here
    decider = pair_judge(app, options.decision or app.settings.judge.decision)
    selftests = _selftests(app, judge, options.judge_floor, decider)  # unreachable: here
    if corpus is not None:
        _ingest(app, corpus, options.quiet)
    if app.catalog.counts()[0] == 0:
        raise DatasetError(f"collection {app.settings.collection!r} in {app.settings.data_dir} is "
                           "empty: pass --corpus PATH (or --collection eval-<dataset> to reuse "
                           "a corpus ingested by an earlier eval)")
    as_of = options.as_of or app.catalog.newest_publish_date()
    config = eval_config(app, options.k, as_of, judge=judge.describe() if judge else None,
                         decider=_describe(decider))
    scoring: dict[str, Any] = {"progress": not options.quiet, "llm_judge": judge,
                               "decider": decider if isinstance(decider, ModelJudge) else None,
                               "selftests": selftests}
    if options.replay:
        config["replay"] = str(options.replay)
        run = replay_eval(app, items, read_answers(options.replay, items), dataset=name,
                          config=config,
                          **scoring)
    else:
        run = run_eval(app, items, dataset=name, config=config, k=options.k,
                       default_as_of=as_of, **scoring)
    gate = compare(baseline, run, tolerance=options.tolerance) if baseline is not None else None
    out = options.out or app.settings.data_dir / "eval-reports" / name
    reports = write_reports(run, gate, out, baseline.run if baseline is not None else None)
    outcome = EvalOutcome(run, gate, reports, list(selftests))
    _echo_summary(outcome, target, metric_table(run, gate), selftest_lines(run), echo)
    if options.probes:
        _probes(app, items, as_of, out, echo)
    if options.update_baseline is not None:
        save_baseline(run, options.update_baseline)
        outcome.baseline_written = options.update_baseline
        echo(f"baseline written: {options.update_baseline}")
    if not all(r.passed for r in selftests):
        echo("FAIL: a judge's self-test is below its floor (evals/README.md, 'LLM judge')")
    return outcome


def _echo_summary(
    outcome: EvalOutcome, target: Path, table: list[str], selftest: list[str],
    echo: Callable[[str], None],
) -> None:
    echo("\n".join([*table, "", *selftest]))
    gate = outcome.gate
    if gate is not None:
        echo(f"\n{'PASS' if gate.passed else 'FAIL'} against {target}")
        for reason in gate.reasons:
            echo(f"  - {reason}")
        for flip in gate.regressions:
            echo(f"  pass → fail {flip.id}: {'; '.join(flip.new.fail_reasons)}")
    echo(f"\nreports: {', '.join(str(p) for p in outcome.reports)}")


def _llm_judge(app: App, mode: str | None) -> LLMJudge | None:
    """The LLM judge when `--judge llm` (or judge.mode = "llm"), else None."""
    if (mode or app.settings.judge.mode) != "llm":
        return None
    from evals.llm_judge.judge import LLMJudge

    return LLMJudge.from_settings(app.settings)


def _selftests(
    app: App, judge: LLMJudge | None, floor: float | None, decider: PairJudge
) -> list[SelfTestResult]:
    from evals.judge_selftest import run_judge_selftests

    return run_judge_selftests(
        app.embedder, judge, app.settings.judge.selftest_floor if floor is None else floor,
        model_judge=decider if isinstance(decider, ModelJudge) else None)


def _describe(decider: PairJudge) -> dict[str, object] | None:
    """The deciding judge for the eval config; None for the lexical one, so offline runs keep
    the hash of baselines made before the model judge."""
    return decider.describe() if isinstance(decider, ModelJudge) else None


def _probes(
    app: App, items: list[EvalItem], as_of: date | None, out: Path,
    echo: Callable[[str], None],
) -> None:
    from evals.probes import run_probes

    report = run_probes(
        lambda item, k: app.service.retrieve(item.question, k, None, item.as_of or as_of),
        app.answerer_in("extractive"), items)
    (out / "probes.json").write_text(report.model_dump_json(indent=1), encoding="utf-8")
    rates = ", ".join(f"{p} {'n/a' if r is None else f'{r:.3f}'}" for p, r in report.rates.items())
    echo(f"probes (share ok): {rates} — details in {out / 'probes.json'}")


def _ingest(app: App, corpus: Path, quiet: bool) -> None:
    if not corpus.exists():
        raise DatasetError(f"--corpus {corpus}: no such file or folder")
    from tqdm import tqdm

    from ingest.pipeline import ingestor_for

    with tqdm(desc="ingest", unit=" docs", disable=quiet or None, file=sys.stderr) as bar:
        report = ingestor_for(app).ingest([corpus], sync=True,
                                          on_progress=lambda _: bar.update(1))
    if report.failed:
        raise DatasetError(f"--corpus {corpus}: {len(report.failed)} file(s) failed to load, "
                           f"first: {report.failed[0]}")
