"""Uploads: only plain names with allowed types and sizes are saved, only under the data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.core.errors import IngestError
from ui.uploads import check_name, ingest_uploads, save_upload, upload_dir


@pytest.mark.parametrize("name", ["report.txt", "Harbour news (2).md", "a.HTML", "feed.jsonl",
                                  "scan.pdf", "notes.docx", "página.htm", "v1..2.txt"])
def test_good_names(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name", [
    "", "../evil.txt", "..\\evil.txt", "sub/dir.txt", "/etc/passwd.txt", ".hidden.txt", "..",
    "run.sh", "noext", "page.php", "x.txt\x00.pdf", "a" * 200 + ".txt", "-rf.txt",
])
def test_bad_names_are_refused(name):
    with pytest.raises(IngestError):
        check_name(name)


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_save_upload_copies_into_the_folder(tmp_path):
    dest = tmp_path / "uploads" / "news"
    saved = save_upload(_file(tmp_path, "tmp123", b"hello"), "a.txt", dest)
    assert saved == dest / "a.txt" and saved.read_bytes() == b"hello"
    assert [p.name for p in dest.iterdir()] == ["a.txt"]  # no temp file left


def test_save_upload_enforces_the_size_limit(tmp_path):
    with pytest.raises(IngestError, match="over the"):
        save_upload(_file(tmp_path, "big", b"x" * 101), "big.txt", tmp_path / "up", max_bytes=100)
    assert not (tmp_path / "up" / "big.txt").exists()


def test_save_upload_never_writes_through_a_link(tmp_path):
    dest = tmp_path / "up"
    dest.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (dest / "a.txt").symlink_to(outside)
    with pytest.raises(IngestError, match="outside"):
        save_upload(_file(tmp_path, "x", b"new"), "a.txt", dest)
    assert outside.read_text() == "keep me"


def test_ingest_uploads_saves_ingests_and_reports_errors(make_app, tmp_path):
    app = make_app("uploads")
    good = _file(tmp_path, "t1", b"Tessary ferry\n\nThe Tessary ferry resumed sailing on Monday.")
    files = [(good, "ferry.txt"), (_file(tmp_path, "t2", b"#!/bin/sh"), "run.sh"),
             (_file(tmp_path, "t3", b""), "empty.txt"), (good, "ferry.txt")]
    seen: list[tuple[int, int, str]] = []
    summary = ingest_uploads(app, files, on_progress=lambda *a: seen.append(a))
    assert summary.saved == ["ferry.txt", "empty.txt"]
    assert summary.report is not None and summary.report.added == 1
    assert len(summary.report.failed) == 1 and "empty.txt" in str(summary.report.failed[0])
    assert any("run.sh" in e for e in summary.errors)
    assert any("twice" in e for e in summary.errors)
    assert (upload_dir(app.settings.data_dir, "uploads") / "ferry.txt").is_file()
    assert seen and seen[-1][1] == 2
    text = summary.text()
    assert "added 1" in text and "run.sh" in text and "empty.txt" in text
    assert app.catalog.counts()[0] == 1


def test_ingest_uploads_with_nothing_valid_ingests_nothing(make_app, tmp_path):
    app = make_app("uploads")
    summary = ingest_uploads(app, [(_file(tmp_path, "x", b"x"), "../../x.txt")])
    assert summary.saved == [] and summary.report is None and len(summary.errors) == 1
