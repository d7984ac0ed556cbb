"""The model judge over a scripted model: windows, vetoes, the threshold, the cache; and the
same judge for any RAG system's answers (`citechat eval faithfulness`) and in LlamaIndex."""

from __future__ import annotations

import json

import pytest

from evals.llamaindex import CitechatFaithfulnessEvaluator
from evals.llm_judge.cache import JudgeCache
from evals.model_judge.judge import JudgeTuning, ModelJudge
from evals.model_judge.windows import best_windows
from evals.rag_answers import AnswerRow, LexicalJudge, judge_row, read_rows
from rag.cli.main import main
from rag.core.errors import CitechatError
from tests.fakes.chat_model import ScriptedChatModel

EVIDENCE = ("The council met on Tuesday. Ana Ruiz won the Harlow mayoral vote with 4,210 "
            "votes. Turnout was low. The National Air and Space Museum opened a new wing.")


def scripted(p: float = 0.9) -> ScriptedChatModel:
    return ScriptedChatModel(support=lambda prompt: p if "Ruiz" in prompt.task else 0.1)


def test_supported_when_the_model_says_so_and_no_check_objects():
    judge = ModelJudge(scripted(), JudgeTuning(threshold=0.5))
    j = judge.judge("Ana Ruiz won the Harlow vote.", EVIDENCE)
    assert j.verdict == "supported" and j.p_supported == 0.9


def test_below_the_threshold_is_unsupported():
    judge = ModelJudge(scripted(0.4), JudgeTuning(threshold=0.5))
    assert judge.judge("Ana Ruiz won the Harlow vote.", EVIDENCE).verdict == "unsupported"


def test_a_number_missing_from_the_best_sentence_vetoes_the_model_when_asked():
    vetoing = JudgeTuning(veto_numbers=True)
    j = ModelJudge(scripted(), vetoing).judge("Ana Ruiz won with 5,000 votes.", EVIDENCE)
    assert j.verdict == "unsupported" and "5000" in j.reasons[0]


def test_the_calibrated_default_leaves_the_decision_to_the_model():
    """bench/results/judge.md: the vetoes lowered held-out balanced accuracy, so they are off."""
    judge = ModelJudge(ScriptedChatModel(support=0.9))
    assert judge.judge("Ana Ruiz won with 5,000 votes.", EVIDENCE).verdict == "supported"
    assert ModelJudge(ScriptedChatModel(support=0.1)).judge(
        "Ana Ruiz won the Harlow vote.", EVIDENCE).verdict == "unsupported"


def test_a_name_found_nowhere_is_uncertain_and_an_acronym_is_found():
    judge = ModelJudge(ScriptedChatModel(support=0.9), JudgeTuning(names_uncertain=True))
    assert judge.judge("Ana Ruiz beat Tom Hale.", EVIDENCE).verdict == "uncertain"
    assert judge.judge("NASM opened a new wing.", EVIDENCE).verdict == "supported"


def test_judgements_are_cached_and_deterministic(tmp_path):
    model = scripted()
    first = ModelJudge(model, cache=JudgeCache(tmp_path / "cache.sqlite"))
    a = first.judge("Ana Ruiz won the Harlow vote.", EVIDENCE)
    again = ModelJudge(model, cache=JudgeCache(tmp_path / "cache.sqlite"))
    assert again.judge("Ana Ruiz won the Harlow vote.", EVIDENCE) == a
    assert first.calls == 1 and again.calls == 0 and len(model.calls("yes")) == 1


def test_long_evidence_is_read_as_its_best_windows():
    long = " ".join(f"Filler sentence number {i} about nothing." for i in range(60))
    evidence = f"{long} Ana Ruiz won the Harlow vote. {long}"
    model = scripted()
    ModelJudge(model).judge("Ana Ruiz won the Harlow vote by a wide margin.", evidence)
    read = model.calls("yes")[0].context
    assert "Ana Ruiz won the Harlow vote." in read and len(read) < 800
    assert best_windows("x", "short text") == "short text"


def test_a_whole_sentence_quoted_word_for_word_needs_no_model_but_a_fragment_does():
    model = scripted()
    quote = '"Ana Ruiz won the Harlow mayoral vote with 4,210 votes."'
    quoted = ModelJudge(model).judge(quote, EVIDENCE)
    assert quoted.verdict == "supported" and not model.calls("yes")
    ModelJudge(model).judge("the Harlow vote", EVIDENCE)
    assert len(model.calls("yes")) == 1


ROWS = [
    {"id": "a", "question": "Who won?", "answer": "Ana Ruiz won the vote [1]. Turnout was "
     "high [2].", "contexts": [EVIDENCE, "Turnout was low, officials said."],
     "citations": {"1": 0, "2": 1}},
    {"id": "b", "question": "What opened?", "answer": "The museum opened a new wing.",
     "contexts": [EVIDENCE]},
]


def test_any_systems_answers_are_judged_with_their_evidence_span():
    row = AnswerRow.model_validate(ROWS[0])
    judged = judge_row(row, LexicalJudge())
    assert judged.sentences[0].verdict == "supported"
    assert judged.sentences[1].verdict != "supported"  # the lexical judge: "uncertain"
    assert judged.sentences[1].context == 1
    assert judged.sentences[1].evidence_span == "Turnout was low, officials said."
    assert not judged.faithful and judged.supported_share == 0.5


def test_bad_rows_name_the_line_and_field(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text(json.dumps(ROWS[1]) + "\n" + json.dumps({"id": "c", "answer": "x"}) + "\n")
    with pytest.raises(CitechatError, match=r"answers\.jsonl:2: field 'contexts'"):
        read_rows(path)


def test_the_cli_writes_verdicts_and_reports(tmp_path, capsys):
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    out = tmp_path / "out"
    code = main(["eval", "faithfulness", "--answers", str(path), "--judge", "lexical",
                 "--out", str(out), "--data-dir", str(tmp_path / "data")])
    assert code == 0
    printed = capsys.readouterr().out
    assert "faithful answers: 0.5" in printed and "judge: lexical" in printed
    lines = (out / "verdicts.jsonl").read_text().splitlines()
    assert len(lines) == 3 and json.loads(lines[1])["verdict"] != "supported"
    assert "<table>" in (out / "report.html").read_text()


def test_the_llamaindex_evaluator_uses_the_same_judge():
    evaluator = CitechatFaithfulnessEvaluator(judge=ModelJudge(scripted()))
    result = evaluator.evaluate(query="Who won?", response="Ana Ruiz won the Harlow vote.",
                                contexts=[EVIDENCE])
    assert result.passing and result.score == 1.0
    assert result.feedback.startswith("supported: Ana Ruiz")
    failing = evaluator.evaluate(response="Tom Hale won.", contexts=[EVIDENCE])
    assert not failing.passing and failing.score == 0.0
