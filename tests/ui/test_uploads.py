"""Uploads: only plain names with allowed types and sizes are saved, only under the data dir;
ingest reports load → embed → embedded per file, and drops files nothing came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import ingestor_for
from rag.core.errors import IngestError
from ui.uploads import (
    CountingEmbedder,
    UploadProgress,
    check_name,
    ingest_saved,
    save_all,
    save_upload,
    upload_dir,
)


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


def _ingest(app, tmp_path, files):
    progress = UploadProgress()
    dest = upload_dir(app.settings.data_dir, app.settings.collection)
    saved = save_all(files, dest, progress)
    summary = ingest_saved(app, saved, progress)
    return {f.name: f for f in progress.snapshot()}, summary, dest


def test_uploads_are_saved_ingested_and_reported_file_by_file(make_app, tmp_path):
    app = make_app("uploads")
    good = _file(tmp_path, "t1", b"Tessary ferry\n\nThe Tessary ferry resumed sailing on Monday.")
    files = [(good, "ferry.txt"), (_file(tmp_path, "t2", b"#!/bin/sh"), "run.sh"),
             (_file(tmp_path, "t3", b""), "empty.txt"), (good, "ferry.txt")]
    shown, summary, dest = _ingest(app, tmp_path, files)
    assert shown["ferry.txt"].stage == "embedded" and shown["ferry.txt"].total == 1
    assert shown["ferry.txt"].done == 1
    assert shown["run.sh"].stage == "refused" and "unsupported type" in shown["run.sh"].error
    assert shown["ferry.txt (again)"].stage == "refused"
    assert shown["empty.txt"].stage == "failed" and shown["empty.txt"].error
    assert "added 1" in summary and app.catalog.counts()[0] == 1
    assert sorted(p.name for p in dest.iterdir()) == ["ferry.txt"]  # the failed file is gone


def test_upload_errors_never_show_the_server_folder(make_app, tmp_path):
    app = make_app("uploads")
    bad = _file(tmp_path, "t", b'{"id": "a", "title": "T", "text": "x"}\nnot json\n')
    shown, _, dest = _ingest(app, tmp_path, [(bad, "feed.jsonl")])
    error = shown["feed.jsonl"].error
    assert shown["feed.jsonl"].stage == "embedded" and error.startswith("feed.jsonl:2")
    assert str(dest) not in error and str(tmp_path) not in error
    assert (dest / "feed.jsonl").is_file()  # one record was ingested: the file stays


def test_a_file_ingested_again_is_unchanged(make_app, tmp_path):
    app = make_app("uploads")
    good = _file(tmp_path, "t1", b"Ferry\n\nThe ferry resumed sailing.")
    _ingest(app, tmp_path, [(good, "ferry.txt")])
    shown, summary, _ = _ingest(app, tmp_path, [(good, "ferry.txt")])
    assert shown["ferry.txt"].stage in ("unchanged", "embedded")  # the file's mtime date moved
    assert app.catalog.counts()[0] == 1


def test_progress_counts_passages_as_they_are_embedded(make_app, tmp_path, fake_embedder):
    app = make_app("uploads")
    text = "Long story\n\n" + " ".join(f"Sentence number {i} says something new." for i in
                                        range(300))
    progress = UploadProgress()
    seen: list[tuple[str, int, int]] = []

    class Watching(CountingEmbedder):
        def embed(self, texts):
            vectors = super().embed(texts)
            f = progress.snapshot()[0]
            seen.append((f.stage, f.done, f.total))
            return vectors

    worker = make_app("uploads", embedder=Watching(fake_embedder, progress),
                      embed={"batch_size": 4})
    saved = save_all([(_file(tmp_path, "t", text.encode()), "long.txt")],
                     upload_dir(app.settings.data_dir, "uploads"), progress)
    ingest_saved(worker, saved, progress)
    total = progress.snapshot()[0].total
    assert total > 10 and progress.snapshot()[0].stage == "embedded"
    assert seen[0][0] == "embedding" and seen[0][1] < total and seen[-1][1] == total
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)  # only ever grows


def test_the_pipeline_reports_batches_before_and_after_embedding(make_app, tmp_path):
    app = make_app("batches")
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(f"Doc {i}\n\nThe council met on day {i}.")
    events: list[tuple[str, int, int]] = []
    ingestor_for(app).ingest([src], on_batch=lambda stage, origins, n: events.append(
        (stage, len(origins), n)))
    assert events == [("embedding", 3, 3), ("stored", 3, 3)]
