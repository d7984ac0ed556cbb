"""`citechat eval --judge llm` on the sample set against the fake judge server: self-tests on
every run, LLM metrics and config in run.json, a cached re-run, and the exit codes."""

from __future__ import annotations

import json
import re

import pytest

import evals.judge_selftest as selftest
from rag.answer.llm.errors import EndpointUnreachable
from tests.fakes.eval_app import run_cli
from tests.fakes.judge_server import scripted, serve


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("data")  # shared: the sample corpus is ingested once


def labelled():
    """A judge model that knows the self-test's labels, and else checks words."""
    labels = {(c.sentence, c.evidence): c.label for c in selftest.all_cases()}

    def label(claim: str, passage: str) -> str:
        if (claim, passage) in labels:
            return labels[(claim, passage)]
        words = set(re.findall(r"\w+", claim.lower()))
        return "supported" if words <= set(re.findall(r"\w+", passage.lower())) else "uncertain"

    return label


def _eval(data_dir, out, monkeypatch, embedder, *extra: str) -> int:
    return run_cli(["eval", "--dataset", "sample", "--data-dir", str(data_dir), "--quiet",
                    "--out", str(out), *extra], monkeypatch, embedder)


def test_an_llm_judged_run_then_a_cached_rerun(data_dir, tmp_path, monkeypatch, capsys,
                                                fake_embedder):
    with serve(scripted(labelled())) as fake:
        monkeypatch.setenv("CITECHAT_JUDGE__BASE_URL", fake.url)
        monkeypatch.setenv("CITECHAT_JUDGE__MODEL", "fake-judge")
        assert _eval(data_dir, tmp_path, monkeypatch, fake_embedder, "--judge", "llm") == 0
        out = capsys.readouterr().out
        made = len(fake.requests)
        assert _eval(data_dir, tmp_path, monkeypatch, fake_embedder, "--judge", "llm") == 0
        assert len(fake.requests) == made  # everything came from the judge cache
    assert "judge self-test (offline): balanced accuracy 0.878 (floor 0.85) PASS" in out
    assert "judge self-test (llm fake-judge): balanced accuracy 1.000 (floor 0.80) PASS" in out
    assert max(fake.claims_batches() + fake.verdict_batches()) <= 10
    run = json.loads((tmp_path / "run.json").read_text())
    assert [t["judge"] for t in run["judge_selftests"]] == ["offline", "llm fake-judge"]
    assert run["config"]["judge"] == {"mode": "llm", "model": "fake-judge",
                                      "prompt_version": "judge_v1", "max_claims_per_call": 10}
    assert run["aggregates"]["llm_judge_error_rate"]["value"] == 0.0
    assert run["aggregates"]["llm_faithful"]["value"] is not None
    answered = [q for q in run["questions"] if not q["answer"]["refused"]]
    assert all(q["llm_judge"]["status"] == "ok" for q in answered)
    report = (tmp_path / "report.md").read_text()
    assert "judge self-test (llm fake-judge)" in report and "llm_faithful" in report


def test_an_offline_run_self_tests_the_offline_judge_only(data_dir, tmp_path, monkeypatch,
                                                          capsys, fake_embedder):
    assert _eval(data_dir, tmp_path, monkeypatch, fake_embedder) == 0
    out = capsys.readouterr().out
    assert "judge self-test (offline)" in out and "judge self-test (llm" not in out
    assert re.search(r"\| llm_faithful \| 0 \| n/a \| n/a \|", out)
    run = json.loads((tmp_path / "run.json").read_text())
    assert "judge" not in run["config"] and len(run["judge_selftests"]) == 1


def test_a_judge_below_its_floor_fails_the_run(data_dir, tmp_path, monkeypatch, capsys,
                                               fake_embedder):
    with serve(scripted(lambda claim, passage: "supported")) as fake:
        monkeypatch.setenv("CITECHAT_JUDGE__BASE_URL", fake.url)
        monkeypatch.setenv("CITECHAT_JUDGE__MODEL", "says-yes")
        assert _eval(data_dir, tmp_path, monkeypatch, fake_embedder, "--judge", "llm") == 1
    out = capsys.readouterr().out
    assert "judge self-test (llm says-yes): balanced accuracy 0.500 (floor 0.80) FAIL" in out
    assert "self-test is below its floor" in out
    with serve(scripted(lambda claim, passage: "supported")) as fake:
        monkeypatch.setenv("CITECHAT_JUDGE__BASE_URL", fake.url)
        assert _eval(data_dir, tmp_path, monkeypatch, fake_embedder, "--judge", "llm",
                     "--judge-floor", "0.5") == 0
        assert fake.requests == []  # the same model: cached


def test_an_unreachable_judge_stops_the_run_naming_the_setting(data_dir, tmp_path, monkeypatch,
                                                               fake_embedder):
    monkeypatch.setenv("CITECHAT_JUDGE__BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CITECHAT_JUDGE__MODEL", "nobody-home")
    with pytest.raises(EndpointUnreachable, match="judge.base_url"):
        _eval(data_dir, tmp_path, monkeypatch, fake_embedder, "--judge", "llm")
