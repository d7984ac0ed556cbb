"""Issue 16 (6), small: concurrent sessions on one app's service, and a short soak."""

from __future__ import annotations

from tests.faults.helpers import fill
from tests.faults.load import load, soak


def test_twenty_concurrent_sessions_on_one_service_all_get_answers(tmp_path):
    app = fill(tmp_path, n=80)
    figures = load(app.service, sessions=20, each=2)
    assert figures.questions == 40 and figures.errors == []


def test_a_short_soak_has_no_errors(tmp_path):
    app = fill(tmp_path, n=80)
    figures = soak(app.service, count=60, sample_every=20)
    assert figures.errors == [] and len(figures.rss_mb) == 5
