"""Issue 16 (1): an app keeps answering while a CLI ingest writes to its data dir."""

from __future__ import annotations

import pytest

from tests.faults.scenarios import writer_while_serving


@pytest.mark.integration  # a second process ingests while this one asks (~20 s)
def test_an_app_answers_every_question_while_another_process_ingests(tmp_path):
    outcome = writer_while_serving(tmp_path, docs=200, after=10)
    assert outcome.verify_ok and (outcome.lost, outcome.duplicated) == (0, 0), outcome.notes
    assert "0 failed" in outcome.notes[0]
