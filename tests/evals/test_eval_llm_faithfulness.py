"""The per-answer LLM faithfulness metric with a scripted pair judge (no HTTP), its aggregates,
the gate against a baseline made before the metric existed, and the LLM self-test scoring."""

from __future__ import annotations

from collections.abc import Sequence

import evals.judge_selftest as selftest
from evals.baseline import Baseline
from evals.gate import compare
from evals.llm_judge.judge import ClaimVerdict, PairVerdict
from evals.metrics.llm_faithfulness import judge_answer_llm
from evals.report import render_markdown
from evals.results import EvalRun, aggregate
from evals.runner import run_eval
from rag.core.types import Answer, Citation
from tests.fakes.eval_app import FACTS, chunk, cited_answer, fake_app, fake_items

DOC = "Local news. The Orlow council approved 120 new homes on Monday. The mayor was pleased."


class ScriptedJudge:
    """Says `supported` when the evidence contains the sentence's last word; records pairs."""

    def __init__(self, error: bool = False) -> None:
        self.pairs: list[tuple[str, str]] = []
        self.error = error

    def judge_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[PairVerdict]:
        self.pairs += pairs
        if self.error:
            return [PairVerdict(verdict="judge_error", reason="verdicts: reply is not JSON")
                    for _ in pairs]
        out = []
        for sentence, evidence in pairs:
            ok = sentence.rstrip(".").split()[-1] in evidence
            label = "supported" if ok else "unsupported"
            out.append(PairVerdict(verdict=label, reason=f"scripted {label}",
                                   claims=[ClaimVerdict(claim=sentence, verdict=label)]))
        return out


def _answer(text: str, quote: str = "approved 120 new homes") -> tuple[Answer, dict]:
    c = chunk("d0", DOC)
    start = DOC.index(quote)
    cite = Citation(n=1, chunk_id=c.chunk_id, doc_id="d0", title="", url=None,
                    publish_date="2026-09-03", quote=quote, start=start, end=start + len(quote))
    return Answer(question="q", answer=text, citations=[cite]), {c.chunk_id: c}


def test_each_sentence_is_judged_against_its_quote_then_its_chunk():
    answer, chunks = _answer("The council approved 120 homes [1]. The mayor was pleased [1].")
    judge = ScriptedJudge()
    result = judge_answer_llm(answer, chunks, judge)
    assert result.status == "ok" and result.faithful and result.supported_share == 1.0
    assert [s.evidence for s in result.sentences] == ["quote", "chunk"]
    quote = "approved 120 new homes (published 3 Sep 2026)"
    assert judge.pairs == [("The council approved 120 homes", quote),
                           ("The mayor was pleased", quote),
                           ("The mayor was pleased", DOC)]


def test_an_unmarked_sentence_is_unsupported_without_asking():
    answer, chunks = _answer("Homes were approved [1]. Protests followed.")
    judge = ScriptedJudge()
    result = judge_answer_llm(answer, chunks, judge)
    assert [s.verdict for s in result.sentences] == ["supported", "unsupported"]
    assert result.sentences[1].reason == "no citation" and not result.faithful
    assert [p[0] for p in judge.pairs] == ["Homes were approved"]


def test_refusals_are_na_and_errors_are_judge_error():
    answer, chunks = _answer("The documents don't say.")
    refused = answer.model_copy(update={"refused": True})
    assert judge_answer_llm(refused, chunks, ScriptedJudge()).status == "n/a"
    answer, chunks = _answer("The council approved homes [1].")
    result = judge_answer_llm(answer, chunks, ScriptedJudge(error=True))
    assert result.status == "judge_error" and "not JSON" in result.reason
    assert result.faithful is None and result.supported_share is None


def test_llm_metrics_are_na_without_the_llm_judge_and_set_with_it():
    app, items = fake_app(wrong=["d1"]), fake_items()
    offline = run_eval(app, items, dataset="fake", config={}, progress=False)
    assert all(offline.aggregates[m].value is None and offline.aggregates[m].status == "n/a"
               for m in ("llm_faithful", "llm_supported_share", "llm_judge_error_rate"))
    judged = run_eval(app, items, dataset="fake", config={}, progress=False,
                      llm_judge=ScriptedJudge())
    assert judged.aggregates["llm_judge_error_rate"].value == 0.0
    assert judged.aggregates["llm_faithful"].n == len(FACTS)
    assert all(q.llm_judge is not None for q in judged.questions)
    failing = [q for q in judged.questions if q.id == "q-d1"]
    assert failing[0].passed is False  # wrong number: pass/fail is unchanged by the LLM judge


def test_a_baseline_from_before_the_llm_metrics_still_compares():
    app, items = fake_app(), fake_items()
    old = run_eval(app, items, dataset="fake", config={}, progress=False)
    legacy = old.model_dump()
    for name in ("llm_faithful", "llm_supported_share", "llm_judge_error_rate"):
        del legacy["aggregates"][name]
    baseline = Baseline(floors={}, run=EvalRun.model_validate(legacy))
    now = run_eval(app, items, dataset="fake", config={"judge": {"mode": "llm"}},
                   progress=False, llm_judge=ScriptedJudge())
    gate = compare(baseline, now)
    assert gate.passed
    row = next(r for r in gate.rows if r.name == "llm_faithful")
    assert row.baseline is None and row.now == 1.0 and row.status == "ok"
    assert ("judge", None, {"mode": "llm"}) in gate.config_changes


def test_the_report_shows_both_judges_for_a_failing_sentence():
    app, items = fake_app(), fake_items()
    catalog = app.catalog
    doc_id, sentence, question, _ = FACTS[0]
    c = chunk(doc_id, catalog.docs[doc_id])
    bad = cited_answer(question, "120", c, sentence)
    bad = bad.model_copy(update={"answer": bad.answer + " The mayor resigned."})
    app.service.ask_with_chunks = lambda *a, **k: (bad, [])  # every question gets it
    run = run_eval(app, items[:1], dataset="fake", config={}, progress=False,
                   llm_judge=ScriptedJudge())
    md = render_markdown(run, None)
    assert "offline vs LLM judge" in md
    assert "| q-d0 | The mayor resigned. | unsupported: no citation | unsupported: no citation |" \
        in md
    assert aggregate(run.questions)["llm_faithful"].value == 0.0


def test_the_llm_selftest_counts_judge_errors_as_wrong():
    cases = selftest.load_cases()[:6]

    class Judge(ScriptedJudge):
        model = "scripted"

        def judge_pairs(self, pairs):
            labels = {(c.sentence, c.evidence): c.label for c in cases}
            return [PairVerdict(verdict=labels[p] if i else "judge_error")
                    for i, p in enumerate(pairs)]

    result = selftest.run_llm_selftest(cases, Judge(), floor=0.8)
    assert result.judge == "llm scripted" and result.errors == 1
    assert result.misjudged == [cases[0].id] and result.balanced_accuracy < 1.0
    assert selftest.summary_line(result).startswith("judge self-test (llm scripted): balanced "
                                                    "accuracy")
