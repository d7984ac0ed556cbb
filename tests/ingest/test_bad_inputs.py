"""Issue 16 (2): one bad input never aborts the run. Each nasty file or record fails alone
with a one-line reason (or loads, with a note saying what was replaced), and the good ones
next to it are stored."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from ingest.documents import LoadFailure, SkippedFiles, SourceDocument
from ingest.limits import MB, Limits
from ingest.loaders import load_sources
from ingest.pipeline import ingestor_for

GOOD = "Harbour reopens\n\nShips returned to the harbour of Portville on Monday."


def deep_html(levels: int) -> str:
    return ("<html><head><title>Deep page</title></head><body>" + "<div>" * levels
            + "<p>The ferry to Halvik sailed again on Monday. Crowds cheered.</p>"
            + "</div>" * levels + "</body></html>")


def test_html_nested_a_thousand_levels_deep_loads_its_text(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text(deep_html(1000))
    [doc] = list(load_sources([tmp_path / "deep.html"]))
    assert isinstance(doc, SourceDocument) and "ferry to Halvik" in doc.text


def test_html_nested_fifty_thousand_levels_deep_neither_crashes_nor_loses_its_text(
    tmp_path: Path,
) -> None:
    (tmp_path / "deeper.html").write_text(deep_html(50_000))
    [doc] = list(load_sources([tmp_path / "deeper.html"]))
    assert isinstance(doc, SourceDocument) and "ferry to Halvik" in doc.text


def test_a_lone_surrogate_in_a_jsonl_record_is_replaced_with_a_note(make_app, tmp_path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "s1", "title": "Emoji \\ud83d cut", "text": "A truncated emoji '
                    '\\ud83d here. The mayor spoke."}\n'
                    '{"id": "s2", "title": "Fine", "text": "Fine text. Another sentence."}\n')
    app = make_app()
    report = ingestor_for(app).ingest([feed])
    assert (report.added, report.failed) == (2, [])
    assert app.catalog.records(["s1"])[0].title == "Emoji \ufffd cut"
    assert any("replaced 2 invalid characters" in w for w in report.warnings())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_text_file_is_skipped_by_type_not_opened(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe.txt")
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.extend(load_sources([tmp_path])),
                              daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "the FIFO was opened: the ingest hangs"
    [doc, skipped] = result
    assert isinstance(doc, SourceDocument) and doc.doc_id == "a.txt"
    assert isinstance(skipped, SkippedFiles) and "not a regular file" in str(skipped)
    [alone] = list(load_sources([tmp_path / "pipe.txt"]))
    assert isinstance(alone, SkippedFiles)


def test_a_file_over_the_size_limit_fails_alone_with_the_limit_named(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 300_000)
    (tmp_path / "a.txt").write_text(GOOD)
    items = list(load_sources([tmp_path], limits=Limits(max_file_bytes=MB)))
    failure = next(i for i in items if isinstance(i, LoadFailure))
    assert failure.origin.endswith("big.txt") and "over the 1.0 MB limit" in failure.reason
    assert [i.doc_id for i in items if isinstance(i, SourceDocument)] == ["a.txt"]


def test_a_reader_that_raises_anything_fails_that_file_alone(tmp_path, monkeypatch) -> None:
    from ingest import loaders

    def explode(path: Path) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(loaders._READERS, ".md", explode)
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.md").write_text(GOOD)
    items = list(load_sources([tmp_path]))
    assert [type(i).__name__ for i in items] == ["SourceDocument", "LoadFailure"]
    assert "RecursionError" in items[1].reason and items[1].origin.endswith("b.md")


def test_a_record_that_breaks_chunking_fails_alone_and_the_batch_is_stored(
    make_app, monkeypatch
) -> None:
    from ingest import chunker

    real = chunker.sentence_spans

    def fussy(text: str) -> list[tuple[int, int]]:
        if "POISON" in text:
            raise ValueError("cannot split this")
        return real(text)

    monkeypatch.setattr(chunker, "sentence_spans", fussy)
    docs = [SourceDocument(doc_id=f"d{i}", text=f"Story {i} went well. It ended.", origin=f"d{i}")
            for i in range(5)]
    docs[2] = SourceDocument(doc_id="d2", text="POISON in here. Yes.", origin="feed.jsonl:3")
    app = make_app()
    report = ingestor_for(app).ingest_items(docs)
    assert report.added == 4
    assert [str(f) for f in report.failed] == [
        "feed.jsonl:3: cannot be chunked (ValueError: cannot split this)"]
    assert app.catalog.counts()[0] == 4 == app.dense.count()


def test_a_huge_document_is_stored_in_parts_committed_one_by_one(make_app, tmp_path) -> None:
    text = " ".join(f"Sentence {i} about the Dunmere bridge." for i in range(4000))
    app = make_app()
    ingestor = ingestor_for(app, limits=Limits(part_chars=50_000, batch_chars=40_000))
    stored: list[int] = []
    report = ingestor.ingest_items(
        [SourceDocument(doc_id="big.txt", text=text, title="Big", origin="big.txt")],
        on_batch=lambda stage, origins, n: stored.append(n) if stage == "stored" else None)
    ids = sorted(app.catalog.content_hashes())
    assert ids[0] == "big.txt" and len(ids) == report.added == len(stored) > 1
    assert any("4 parts stored" in w for w in report.warnings())
    again = ingestor.ingest_items(
        [SourceDocument(doc_id="big.txt", text=text[:40_000], title="Big", origin="big.txt")])
    assert sorted(app.catalog.content_hashes()) == ["big.txt"] and again.updated == 1
    assert app.dense.count() == app.catalog.counts()[1]


def test_jsonl_is_read_a_line_at_a_time_and_a_line_over_the_limit_fails_alone(tmp_path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [{"id": "a", "title": "A", "text": "Fine."}, {"id": "b", "title": "B",
             "text": "x" * (2 * MB)}, {"id": "c", "title": "C", "text": "Fine too."}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in lines))
    items = list(load_sources([feed], limits=Limits(max_file_bytes=MB)))
    assert [type(i).__name__ for i in items] == ["SourceDocument", "LoadFailure",
                                                 "SourceDocument"]
    assert items[1].origin.endswith("feed.jsonl:2") and "line is 2.0 MB" in items[1].reason
