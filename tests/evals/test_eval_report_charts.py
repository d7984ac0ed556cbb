"""The HTML report's charts: per-question grid, gold rank, histograms, judge confusion."""

from __future__ import annotations

from evals.baseline import Baseline
from evals.gate import compare
from evals.judge_selftest import Case, score
from evals.metrics.retrieval import RetrievalResult
from evals.report_charts import confusion_table, gold_rank, histogram, question_grid
from evals.report_html import render_html
from evals.runner import run_eval
from tests.fakes.eval_app import fake_app, fake_items


def _run(**kwargs):
    return run_eval(fake_app(**kwargs), fake_items(), dataset="fake", config={}, progress=False)


def test_the_grid_colours_each_question_by_its_change():
    old, new = _run(), _run(wrong=["d0"])
    grid = question_grid(new.questions, old.questions)
    assert "q-d0: pass → fail" in grid and grid.count(": pass</title>") == 7
    assert "q-d1: pass</title>" in question_grid(new.questions)  # no baseline: states only


def test_gold_rank_buckets():
    def rank(mrr, status="ok"):
        return gold_rank(_run().questions[0].model_copy(update={
            "retrieval": RetrievalResult(status=status, k=5, mrr=mrr)}))

    assert [rank(1.0), rank(0.5), rank(1 / 7), rank(0.0)] == ["1", "2", "6+", "miss"]
    assert rank(None, "n/a") is None


def test_histogram_puts_one_in_the_last_bin():
    assert histogram([0.0, 0.35, 0.99, 1.0]) == [1, 0, 0, 1, 0, 0, 0, 0, 0, 2]


def test_confusion_counts_labels_against_verdicts():
    cases = [Case(id=str(i), sentence="s", evidence="e", label=label, kind="k")
             for i, label in enumerate(["supported", "supported", "unsupported", "unsupported"])]
    result = score(cases, ["supported", "unsupported", "supported", "judge_error"], floor=0.5)
    assert result.confusion == {"supported": {"supported": 1, "not supported": 1},
                                "unsupported": {"supported": 1, "judge_error": 1}}
    table = confusion_table(result)
    assert "labelled unsupported" in table and '<td class="num">1</td>' in table


def test_the_page_has_every_chart_beside_the_baseline():
    old, new = _run(), _run(wrong=["d0"], refuse=["d1"])
    page = render_html(new, compare(Baseline(floors={}, run=old), new), old)
    for heading in ("Per question", "Rank of the first gold document", "Score histograms",
                    "Judge self-test"):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("<svg") >= 5 and "http" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
