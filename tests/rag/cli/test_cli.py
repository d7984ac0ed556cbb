"""The `citechat` command end to end: real embedded Chroma, real local model."""

from __future__ import annotations

import json

import pytest

from rag.cli.main import main

pytestmark = pytest.mark.integration

ANSWER_KEYS = {"question", "answer", "short_answer", "refused", "citations", "retrieved", "model",
               "mode", "latency_ms", "support", "verification", "context"}
CONTEXT_KEYS = {"as_of", "window_since", "window_until", "window_phrase", "since", "until",
                "source"}
CITATION_KEYS = {"n", "chunk_id", "doc_id", "title", "url", "publish_date", "date_provenance",
                 "quote", "start", "end"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, sample_corpus):
    path = tmp_path_factory.mktemp("cli-data")
    assert main(["ingest", "--quiet", "--data-dir", str(path), str(sample_corpus)]) == 0
    return path


def test_reingest_reports_everything_unchanged(data_dir, sample_corpus, capsys):
    assert main(["ingest", "--quiet", "--data-dir", str(data_dir), str(sample_corpus)]) == 0
    out = capsys.readouterr().out
    assert "added 0, updated 0" in out and "failed 0" in out
    assert "unchanged 0" not in out


def test_bad_files_are_named_and_the_rest_ingests(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("Harbour news\n\nThe ferry to Tessary resumed on Monday.")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    code = main(["ingest", "--quiet", "--data-dir", str(tmp_path / "d"), str(src)])
    captured = capsys.readouterr()
    assert code == 1
    assert "broken.pdf" in captured.err
    assert "added 1" in captured.out and "failed 1" in captured.out


def test_jsonl_field_mapping(tmp_path, capsys):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"uuid": "x1", "headline": "Ferry", "body": "The ferry sailed."})
                    + "\n")
    args = ["ingest", "--quiet", "--data-dir", str(tmp_path / "d"), str(feed),
            "--field", "id=uuid", "--field", "title=headline", "--field", "text=body"]
    assert main(args) == 0
    assert "added 1" in capsys.readouterr().out
    assert main(["ingest", "--field", "bogus", str(feed)]) == 2
    assert "--field 'bogus'" in capsys.readouterr().err


def test_retrieve_json_lists_ranked_chunks(data_dir, capsys):
    assert main(["retrieve", "--data-dir", str(data_dir), "-k", "3", "--json",
                 "Carrow flood death toll"]) == 0
    payload = json.loads(capsys.readouterr().out)
    ranks = [r["rank"] for r in payload["results"]]
    assert ranks == [1, 2, 3]
    first = payload["results"][0]
    assert {"chunk_id", "doc_id", "title", "publish_date", "score", "start", "end"} <= set(first)
    assert "flood" in first["doc_id"]


def test_retrieve_filters_by_date_and_source(data_dir, capsys):
    assert main(["retrieve", "--data-dir", str(data_dir), "-k", "5", "--json", "--source",
                 "Valley Wire", "--until", "2026-09-06", "Carrow flood death toll"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert results and {r["source"] for r in results} == {"Valley Wire"}
    assert all(r["publish_date"] <= "2026-09-06" for r in results)


def test_bad_filter_dates_are_named_not_a_traceback(data_dir, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["retrieve", "--data-dir", str(data_dir), "--since", "2026-13-01", "flood"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "argument --since: '2026-13-01' is not a date (use YYYY-MM-DD" in err
    assert main(["retrieve", "--data-dir", str(data_dir), "--since", "2026-09-10", "--until",
                 "2026-09-01", "flood"]) == 2
    err = capsys.readouterr().err
    assert "since 2026-09-10 is after until 2026-09-01" in err and "Traceback" not in err


def test_ask_json_follows_the_documented_schema(data_dir, capsys):
    assert main(["ask", "--mode", "extractive", "--data-dir", str(data_dir), "--json",
                 "How many people had died in the Carrow flood by 10 September?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert set(answer) == ANSWER_KEYS
    assert answer["mode"] == "extractive" and answer["latency_ms"] > 0
    assert answer["retrieved"] and {"chunk_id", "doc_id", "score"} == set(answer["retrieved"][0])
    if not answer["refused"]:
        for citation in answer["citations"]:
            assert set(citation) == CITATION_KEYS
            assert f"[{citation['n']}]" in answer["answer"]


def test_ask_batch_writes_one_line_per_question(data_dir, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a", "question": "Who won the Valley Cup final?"}\n\n'
                         '{"id": "b", "question": "What is the airport code of Mars?"}\n')
    out = tmp_path / "answers.jsonl"
    assert main(["ask", "--mode", "extractive", "--data-dir", str(data_dir),
                 "--questions", str(questions), "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert all(set(line) >= ANSWER_KEYS for line in lines)


def test_a_bad_as_of_in_a_questions_file_is_named_before_anything_is_asked(
        data_dir, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a", "question": "Who won?", "as_of": "2026-09-14"}\n'
                         '{"id": "b", "question": "Who lost?", "as_of": "14/09/2026"}\n')
    out = tmp_path / "answers.jsonl"
    assert main(["ask", "--mode", "extractive", "--data-dir", str(data_dir),
                 "--questions", str(questions), "--out", str(out)]) == 2
    assert f"{questions}:2: field 'as_of': '14/09/2026' is not a date" in capsys.readouterr().err
    assert not out.exists()


def test_a_bad_setting_is_a_clear_message_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("CITECHAT_RETRIEVE__TOP_K", "lots")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "retrieve.top_k" in err and "Traceback" not in err


def test_a_missing_path_is_named(tmp_path, capsys):
    assert main(["ingest", "--data-dir", str(tmp_path), str(tmp_path / "nope")]) == 1
    assert "nope: no such file or folder" in capsys.readouterr().err


def test_help_teaches_with_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "citechat ingest" in out and "examples:" in out


def test_ask_json_reports_the_as_of_day_window_and_filters(data_dir, capsys):
    assert main(["ask", "--mode", "extractive", "--data-dir", str(data_dir), "--json",
                 "--as-of", "2026-09-12", "--since", "2026-09-01",
                 "How many people died in the floods this week?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert set(answer["context"]) == CONTEXT_KEYS
    assert answer["context"]["as_of"] == "2026-09-12" and answer["context"]["since"] == "2026-09-01"
    assert (answer["context"]["window_since"], answer["context"]["window_until"]) == (
        "2026-09-06", "2026-09-12")
    assert all("2026-09-01" <= c["publish_date"] <= "2026-09-12" for c in answer["citations"])


def test_k_out_of_range_is_refused_by_the_parser(capsys):
    for bad in ("-5", "0", "100000", "many"):
        with pytest.raises(SystemExit) as stop:
            main(["retrieve", "stadium", "-k", bad])
        assert stop.value.code == 2
    assert "use 1 to 200" in capsys.readouterr().err


def test_a_password_in_a_chroma_url_never_reaches_the_user(tmp_path, capsys):
    code = main(["stats", "--data-dir", str(tmp_path),
                 "--chroma-url", "http://reader:s3cret@127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1 and "s3cret" not in err and "reader:***@127.0.0.1:9" in err


def test_a_lone_surrogate_in_a_questions_file_is_not_a_crash(data_dir, tmp_path, capsys):
    path = tmp_path / "qs.jsonl"
    path.write_bytes(b'{"id": "a", "question": "Who won \\ud83d?"}\n'
                     b'{"id": "b", "question": "Who won\xff the cup?"}\n')
    code = main(["ask", "--mode", "extractive", "--questions", str(path), "--data-dir",
                 str(data_dir)])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]


def test_an_overlong_question_names_the_limit(data_dir, capsys):
    code = main(["ask", "--mode", "extractive", "x" * 5000, "--data-dir", str(data_dir)])
    assert code == 2 and "at most 2,000" in capsys.readouterr().err


def test_the_common_flags_may_come_before_the_command(tmp_path, capsys):
    from rag.cli.main import main as cli_main

    before = cli_main(["--data-dir", str(tmp_path), "stats"])
    said_before = capsys.readouterr().err
    after = cli_main(["stats", "--data-dir", str(tmp_path)])
    assert before == after == 2 and said_before == capsys.readouterr().err
    assert str(tmp_path) in said_before and "invalid choice" not in said_before


def test_model_names_the_missing_file_of_local_model_path(tmp_path, capsys, monkeypatch):
    from rag.cli.main import main as cli_main

    monkeypatch.setenv("CITECHAT_LOCAL__MODEL_PATH", str(tmp_path / "absent.gguf"))
    assert cli_main(["model", "--data-dir", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert f"the file {tmp_path / 'absent.gguf'} (local.model_path)" in said
    assert "→ extractive" in said  # no model to answer with
