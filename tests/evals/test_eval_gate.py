"""The gate: identical runs pass; a deliberate regression fails with every flip listed."""

from __future__ import annotations

import json

from evals.baseline import Baseline, default_floors, load_baseline, save_baseline
from evals.gate import compare
from evals.report import render_markdown
from evals.report_html import render_html
from evals.runner import run_eval
from tests.fakes.eval_app import fake_app, fake_items

CONFIG = {"embedder": "fake", "answer": {"top_k": 8}}


def _run(**kwargs):
    return run_eval(fake_app(**kwargs), fake_items(), dataset="fake", config=CONFIG,
                    progress=False)


def test_good_run_scores_everything():
    run = _run()
    assert run.aggregates["accuracy"].value == 1.0
    assert run.aggregates["faithful"].value == 1.0
    assert run.aggregates["citation_validity"].value == 1.0
    assert run.aggregates["unanswerable_refusal_rate"].status == "n/a"
    assert all(q.passed for q in run.questions)


def test_identical_runs_pass(tmp_path):
    baseline = save_baseline(_run(), tmp_path / "b.json")
    gate = compare(load_baseline(tmp_path / "b.json"), _run())
    assert gate.passed and gate.regressions == [] and gate.mcnemar_p == 1.0
    assert baseline.floors["accuracy"] == 0.9


def test_a_stored_baseline_drops_what_changes_on_every_run(tmp_path):
    run = _run()
    save_baseline(run, tmp_path / "b.json")
    stored = load_baseline(tmp_path / "b.json").run
    assert all(q.answer.latency_ms == 0.0 and q.answer.retrieved == [] for q in stored.questions)
    assert any(q.answer.retrieved for q in run.questions)
    assert stored.aggregates == run.aggregates
    assert [q.retrieval for q in stored.questions] == [q.retrieval for q in run.questions]
    assert compare(load_baseline(tmp_path / "b.json"), _run()).passed


def test_regression_is_caught_and_flips_listed():
    baseline = Baseline(floors={}, run=_run())
    worse = _run(wrong=["d0", "d1", "d2", "d3"], refuse=["d4", "d5"])
    gate = compare(baseline, worse)
    assert not gate.passed
    assert (gate.mcnemar_b, gate.mcnemar_c) == (6, 0)
    assert any("McNemar" in r for r in gate.reasons)
    assert {f.id for f in gate.regressions} == {f"q-d{i}" for i in range(6)}
    rows = {r.name: r for r in gate.rows}
    assert rows["accuracy"].status == "regressed" and rows["accuracy"].change == -0.75
    assert rows["false_refusal_rate"].change == 0.25  # 2 of 8: not significant alone
    report = render_markdown(worse, gate)
    assert "FAIL" in report and "### q-d0" in report and "wrong answer" in report


def test_single_flip_is_listed_even_when_the_gate_passes():
    gate = compare(Baseline(floors={}, run=_run()), _run(wrong=["d7"]))
    assert gate.passed and [f.id for f in gate.regressions] == ["q-d7"]
    assert "q-d7" in render_markdown(_run(wrong=["d7"]), gate)


def test_floor_and_config_change():
    base = _run()
    floors = default_floors(base) | {"accuracy": 0.99}
    now = _run(wrong=["d0"]).model_copy(update={"config": {**CONFIG, "embedder": "other"}})
    gate = compare(Baseline(floors=floors, run=base), now)
    assert not gate.passed and any("accuracy" in r and "floor" in r for r in gate.reasons)
    assert ("embedder", "fake", "other") in gate.config_changes


def test_html_is_self_contained_and_escaped():
    run = _run(wrong=["d0"])
    page = render_html(run, compare(Baseline(floors={}, run=_run()), run))
    assert "<svg" in page and "<script" not in page
    assert " src=" not in page and "href=" not in page
    assert json.dumps(page)  # plain text
