"""Issue 16 (6): a `chroma run` server killed and restarted mid-ingest and mid-question."""

from __future__ import annotations

import pytest

from tests.faults.scenarios import server_killed_mid_ingest, server_killed_mid_question

pytestmark = pytest.mark.integration  # starts real `chroma run` servers (~40 s)


def test_an_ingest_cut_off_by_a_dead_server_ends_clean_after_a_restart(tmp_path):
    outcome = server_killed_mid_ingest(tmp_path, runs=1, docs=300)
    assert outcome.verify_ok and (outcome.lost, outcome.duplicated) == (0, 0), outcome.notes


def test_questions_fail_kindly_while_the_server_is_down_and_work_after(tmp_path):
    outcome = server_killed_mid_question(tmp_path, questions=9)
    assert outcome.verify_ok, outcome.notes
