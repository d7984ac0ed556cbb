"""Issue 16 (3, 4, 6): `kill -9` at random moments of an ingest and of an `ingest --sync`, then
the same command again: the end state equals a clean run's (nothing lost, nothing duplicated)
and `verify` passes. `bench/faults.py` runs the same with 20+ kills."""

from __future__ import annotations

import pytest

from tests.faults.scenarios import kill_plans, kill_runs

pytestmark = pytest.mark.integration  # each run starts two worker processes (~10 s)


@pytest.mark.parametrize("plan_index", [0, 1], ids=["ingest", "sync"])
def test_kill_minus_nine_then_one_rerun_ends_as_a_clean_run(tmp_path, plan_index):
    plan = kill_plans(tmp_path, docs=200)[plan_index]
    outcome = kill_runs(plan, tmp_path, runs=2, seed=plan_index)
    assert (outcome.lost, outcome.duplicated, outcome.verify_ok) == (0, 0, True), outcome.notes
