"""The faithfulness judge's self-test passes its floor, and a useless judge would not."""

from __future__ import annotations

import evals.judge_selftest as selftest
from evals.metrics.faithfulness import PairJudgement


def test_selftest_passes_floor():
    cases = selftest.load_cases()
    edits = selftest.synthetic_edits(cases)
    assert {c.kind for c in edits} == {"swapped_number", "swapped_name", "negation",
                                       "added_clause"}
    result = selftest.run_selftest([*cases, *edits])
    assert result.passed and result.balanced_accuracy >= selftest.FLOOR


def test_a_judge_that_always_says_supported_fails(monkeypatch):
    monkeypatch.setattr(selftest, "judge_pair",
                        lambda *a, **k: PairJudgement(verdict="supported", coverage=1.0))
    cases = selftest.load_cases()
    result = selftest.run_selftest([*cases, *selftest.synthetic_edits(cases)])
    assert result.balanced_accuracy == 0.5 and not result.passed


def test_the_command_reports_the_hand_labelled_pairs_alone(capsys):
    assert selftest.main(["--frozen-only", "--json"]) == 0
    out = selftest.SelfTestResult.model_validate_json(capsys.readouterr().out)
    assert out.n_supported + out.n_unsupported == len(selftest.load_cases())
    assert sum(sum(row.values()) for row in out.confusion.values()) == len(selftest.load_cases())
    assert selftest.main(["--frozen-only", "--floor", "0.99"]) == 1
