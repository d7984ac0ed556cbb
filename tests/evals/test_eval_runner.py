"""The whole sample eval on a temp data dir with the hashing embedder; replay; reports; CLI."""

from __future__ import annotations

import json
import math

import pytest

from evals.command import eval_collection
from evals.config import eval_config
from evals.dataset import load_dataset
from evals.report import write_reports
from evals.runner import read_answers, replay_eval, run_eval
from ingest.pipeline import ingestor_for
from rag.app import build_app
from tests.fakes.eval_app import run_cli


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, sample_corpus, sample_eval, fake_embedder):
    from rag.core.settings import load_settings

    settings = load_settings(data_dir=tmp_path_factory.mktemp("data"), collection="sample")
    app = build_app(settings, embedder=fake_embedder)
    ingestor_for(app).ingest([sample_corpus])
    items = load_dataset(sample_eval)
    return app, items, run_eval(app, items, dataset="sample", config=eval_config(app),
                                progress=False)


def test_sample_run_has_typed_finite_results(sample_run):
    _, items, run = sample_run
    assert len(run.questions) == len(items)
    for name, agg in run.aggregates.items():
        assert agg.value is None or (0.0 <= agg.value <= 1.0 and math.isfinite(agg.value)), name
    assert run.aggregates["hit@k"].value > 0.5
    assert run.aggregates["citation_validity"].value == 1.0  # extractive quotes are verbatim
    assert run.warnings == []  # every gold quote and gold doc is in the corpus


def test_replay_rescores_the_same(sample_run, tmp_path):
    app, items, run = sample_run
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(
        json.dumps({"id": q.id, **q.answer.model_dump()}) + "\n" for q in run.questions))
    replayed = replay_eval(app, items, read_answers(path), dataset="sample", config=run.config,
                           progress=False)
    for name in ("accuracy", "recall@k", "false_refusal_rate", "citation_validity"):
        assert replayed.aggregates[name] == run.aggregates[name], name


def test_the_turn_log_of_the_run_replays_the_same(sample_run):
    """The run's own answers went to the turn log; replaying the log scores the same."""
    app, items, run = sample_run
    answers = read_answers(app.turn_log.path, items)
    assert set(answers) == {item.id for item in items}
    replayed = replay_eval(app, items, answers, dataset="sample", config=run.config,
                           progress=False)
    for name in ("accuracy", "recall@k", "false_refusal_rate", "citation_validity"):
        assert replayed.aggregates[name] == run.aggregates[name], name


def test_reports_are_written(sample_run, tmp_path):
    paths = write_reports(sample_run[2], None, tmp_path / "out")
    assert [p.name for p in paths] == ["report.md", "report.html", "run.json"]
    assert "NO BASELINE" in paths[0].read_text()


def test_cli_baseline_then_regression(tmp_path, monkeypatch, capsys, fake_embedder):
    common = ["eval", "--dataset", "sample", "--data-dir", str(tmp_path / "d"), "--quiet",
              "--against", str(tmp_path / "b.json"), "--out", str(tmp_path / "out")]
    assert run_cli([*common, "--update-baseline"], monkeypatch, fake_embedder) == 0
    assert run_cli(common, monkeypatch, fake_embedder) == 0
    assert "PASS against" in capsys.readouterr().out
    assert run_cli([*common, "-k", "1"], monkeypatch, fake_embedder) == 1
    out = capsys.readouterr().out
    assert "FAIL against" in out and "pass → fail q" in out
    assert "answer.top_k" in (tmp_path / "out" / "report.md").read_text()


def test_eval_collection_names_are_valid():
    assert eval_collection("sample") == "eval-sample"
    assert eval_collection("my set.v2") == "eval-my-set-v2"


def test_probes_run_offline(sample_run):
    from evals.probes import PROBES, run_probes
    from rag.answer.extractive import ExtractiveAnswerer

    app, items, _ = sample_run
    report = run_probes(
        lambda item, k: app.service.retrieve(item.question, k, None, item.as_of),
        ExtractiveAnswerer(embedder=app.embedder), items[:12])
    assert set(report.rates) == set(PROBES)
    assert all(r is None or 0.0 <= r <= 1.0 for r in report.rates.values())
    assert {r.status for r in report.results} <= {"ok", "fail", "n/a"}


def test_cli_refuses_an_empty_collection(tmp_path, monkeypatch, sample_eval, fake_embedder):
    from evals.dataset import DatasetError

    with pytest.raises(DatasetError, match="is empty: pass --corpus"):
        run_cli(["eval", "--dataset", str(sample_eval), "--data-dir", str(tmp_path), "--quiet"],
                monkeypatch, fake_embedder)
