"""`citechat ingest` says what it could not read or date, and how to fix it; commands that read
a collection refuse one that does not exist (the hashing embedder stands in for MiniLM)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import rag.cli.common
from rag.app import build_app
from rag.cli.main import main
from rag.cli.render import render_answer, render_results
from rag.core.types import Answer, Chunk, Citation, ScoredChunk
from tests.fakes.hashing import HashingEmbedder

STORY = "Ferry back to Orrin\n\nBoats sailed again on Tuesday after a three-week pause."


@pytest.fixture(autouse=True)
def fake_embedder(monkeypatch):
    monkeypatch.setattr(rag.cli.common, "build_app",
                        lambda settings: build_app(settings, embedder=HashingEmbedder()))


def ingest(data: Path, *args: str) -> int:
    return main(["ingest", "--quiet", "--data-dir", str(data), *args])


def test_skipped_files_and_file_dates_are_reported_last(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "000_4ea10de5.txt").write_text(STORY)
    for name in ("a.csv", "b.csv", "c.json"):
        (src / name).write_text("x")
    assert ingest(tmp_path / "d", str(src)) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("added 1, updated 0")
    assert f"created collection 'news' in {tmp_path / 'd'}" in captured.out
    warnings = captured.err.strip().splitlines()
    assert warnings[:2] == [
        f"warning: {src.as_posix()}: skipped 2 .csv files (not a supported type)",
        f"warning: {src.as_posix()}: skipped 1 .json file (not a supported type)",
    ]
    assert warnings[2].startswith("warning: 1 document dated by file time (no date found in "
                                  f"it: {src.as_posix()}/000_4ea10de5.txt); give the date with "
                                  "--publish-date")


def test_publish_date_dates_the_undated(tmp_path, capsys):
    src = tmp_path / "000_4ea10de5.txt"
    src.write_text(STORY)
    assert ingest(tmp_path / "d", str(src), "--publish-date", "2020-01-13") == 0
    assert "dated by file time" not in capsys.readouterr().err
    assert main(["retrieve", "--data-dir", str(tmp_path / "d"), "--json", "ferry"]) == 0
    first = json.loads(capsys.readouterr().out)["results"][0]
    assert (first["title"], first["publish_date"], first["date_provenance"]) == (
        "Ferry back to Orrin", "2020-01-13", "given")


def test_date_from_reads_the_file_name(tmp_path, capsys):
    src = tmp_path / "2020-01-13-ferry.txt"
    src.write_text(STORY)
    assert ingest(tmp_path / "d", str(src.parent), "--date-from", "filename:%Y-%m-%d") == 0
    assert main(["retrieve", "--data-dir", str(tmp_path / "d"), "--any-date", "ferry"]) == 0
    assert "[2020-01-13]" in capsys.readouterr().out


def test_a_bad_date_rule_is_a_configuration_error(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(STORY)
    assert ingest(tmp_path / "d", str(tmp_path / "a.txt"), "--date-from", "mtime") == 2
    assert "--date-from 'mtime': --date-from takes filename:PATTERN" in capsys.readouterr().err


def test_an_empty_folder_is_an_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert ingest(tmp_path / "d", str(tmp_path / "empty")) == 1
    assert "nothing to ingest: it is empty" in capsys.readouterr().err


def test_asking_a_collection_that_does_not_exist_lists_the_others(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text(STORY)
    assert ingest(tmp_path / "d", str(src)) == 0
    capsys.readouterr()
    for command in (["ask", "--mode", "extractive", "ferry?"], ["retrieve", "ferry"], ["stats"]):
        assert main([*command, "--data-dir", str(tmp_path / "d"), "--collection", "nwes"]) == 2
        err = capsys.readouterr().err
        assert f"collection 'nwes' does not exist (collections under {tmp_path / 'd'}: news)" in err
        assert "citechat ingest PATH --collection nwes" in err
    assert not (tmp_path / "d" / "collections" / "nwes").exists()


def test_a_file_date_is_marked_where_sources_are_listed():
    chunk = Chunk(chunk_id="a::0000", doc_id="a.txt", text="Boats sailed.", start=0, end=13,
                  title="Ferry back", publish_date="2026-11-30", date_provenance="mtime")
    assert "[2026-11-30 (file date)]" in render_results([ScoredChunk(chunk=chunk, score=1.0)])
    citation = Citation(n=1, chunk_id="a::0000", doc_id="a.txt", title="Ferry back", url=None,
                        publish_date="2026-11-30", quote="Boats sailed.", start=0, end=13,
                        date_provenance="mtime")
    answer = Answer(question="q", answer='"Boats sailed." [1]', citations=[citation])
    assert "[1] Ferry back (2026-11-30 (file date)) — a.txt" in render_answer(answer)
