"""The dataset loader's validation messages and the realtimeqa converter."""

from __future__ import annotations

import json

import pytest

from evals.convert_realtimeqa import convert_record
from evals.dataset import DatasetError, load_dataset


def _write(tmp_path, *lines: str):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


GOOD = json.dumps({"id": "a", "question": "Who?", "answers": [["Ann", "Ann Lee"]]})


def test_sample_dataset_loads(sample_eval):
    items = load_dataset(sample_eval)
    assert len(items) >= 50
    assert any(i.expect_refusal for i in items) and any(i.answerable for i in items)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "b"}', "field 'question'"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"id": "b", "question": "Q", "answers": [[]]}', "field 'answers'"),
        ('{"id": "b", "question": "Q", "as_of": "2026-13-40"}', "field 'as_of'"),
        ('{"id": "b", "question": "Q", "answer": "x"}', "field 'answer'"),
        ('{"id": "b", "question": "Q", "answers": [["x"]], "expect_refusal": true}',
         "expect_refusal"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path, line, expected):
    path = _write(tmp_path, GOOD, line)
    with pytest.raises(DatasetError) as err:
        load_dataset(path)
    assert f"{path}:2" in str(err.value)
    assert expected in str(err.value)


def test_duplicate_id_and_missing_file(tmp_path):
    with pytest.raises(DatasetError, match="repeats line 1"):
        load_dataset(_write(tmp_path, GOOD, "", GOOD))
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(tmp_path / "nope.jsonl")


def test_convert_realtimeqa_record():
    answerable = convert_record({
        "id": "r1", "question": "Which team?", "answer": "Buffalo Bills",
        "evidence": ["d1", "d2"], "question_type": "answerable", "question_date": "2023-01-05",
        "quiz_source": "CNN",
    })
    assert answerable.answers == [["Buffalo Bills"]] and answerable.gold_docs == ["d1", "d2"]
    assert answerable.as_of.isoformat() == "2023-01-05" and not answerable.expect_refusal
    refusal = convert_record({"id": "r2", "question": "Q?", "answer": "Rabbit", "evidence": [],
                              "question_type": "unanswerable_in_corpus"})
    assert refusal.expect_refusal and refusal.answers == [] and refusal.gold_answer is None


def test_replay_file_errors_name_the_line(tmp_path):
    from evals.runner import read_answers

    path = tmp_path / "answers.jsonl"
    path.write_text('{"id": "a", "question": "Q", "answer": "A"}\n{"question": "Q"}\n')
    with pytest.raises(DatasetError, match=r"answers.jsonl:2: needs a JSON object with 'id'"):
        read_answers(path)
    path.write_text('{"id": "a", "question": "Q", "answer": "A", "refused": "maybe"}\n')
    with pytest.raises(DatasetError, match=r":1: field 'refused'"):
        read_answers(path)
