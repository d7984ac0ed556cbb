"""Issue 16 (3): ingest and --sync reconcile both stores, so a run that died between its two
writes ends consistent after one re-run (each crash is simulated here by an exception at the
point a `kill -9` would land; tests/faults/ kills real processes)."""

from __future__ import annotations

import shutil

import pytest

from ingest.documents import SourceDocument
from ingest.pipeline import ingestor_for
from rag.stores.chroma_local import local_chroma
from rag.stores.verify import check


class Killed(Exception):
    """Stands in for the process dying at this point."""


def docs(n: int, version: str = "") -> list[SourceDocument]:
    return [SourceDocument(doc_id=f"d{i}", text=f"Story {i}{version} about the Halvik ferry. "
                           f"It sailed {i} times.", title=f"T{i}", publish_date="2026-09-01",
                           origin=f"d{i}") for i in range(n)]


def consistent(app) -> bool:
    found = check(app.catalog, app.dense, "hashing-256", 256)
    return found.ok and app.dense.count() == app.catalog.counts()[1]


def test_sync_killed_between_the_chroma_delete_and_the_catalog_delete(make_app, monkeypatch):
    app = make_app()
    ingestor_for(app).ingest_items(docs(10))
    monkeypatch.setattr(app.catalog, "delete", lambda ids: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ingestor_for(app).ingest_items(docs(4), sync=True)
    monkeypatch.undo()
    assert app.dense.count() == 4 and app.catalog.counts()[0] == 10  # the state the kill left
    report = ingestor_for(app).ingest_items(docs(10))  # before: "unchanged 10", 6 without vectors
    assert report.unchanged == 4 and "re-embedded 6 documents" in " ".join(report.warnings())
    assert consistent(app) and app.dense.count() == 10


def test_a_kill_after_the_chroma_write_then_a_sync_without_those_documents(make_app, monkeypatch):
    app = make_app()
    ingestor_for(app).ingest_items(docs(4))
    monkeypatch.setattr(app.catalog, "write", lambda batch: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ingestor_for(app).ingest_items(docs(8))
    monkeypatch.undo()
    assert app.dense.count() == 8 and app.catalog.counts()[0] == 4
    report = ingestor_for(app).ingest_items(docs(4), sync=True)  # before: 4 orphan vectors kept
    assert "dropped 4 vectors" in " ".join(report.warnings())
    assert consistent(app) and app.dense.count() == 4


def test_an_update_killed_after_the_chroma_write_is_redone_whatever_the_next_input(
    make_app, monkeypatch
):
    app = make_app()
    ingestor_for(app).ingest_items(docs(3))
    monkeypatch.setattr(app.catalog, "write", lambda batch: (_ for _ in ()).throw(Killed()))
    with pytest.raises(Killed):
        ingestor_for(app).ingest_items(docs(3, version=" revised"))
    monkeypatch.undo()
    assert app.catalog.pending() == ["d0", "d1", "d2"]
    report = ingestor_for(app).ingest_items(docs(3))  # the old input: its vectors were replaced
    assert report.unchanged == 0 and app.catalog.pending() == []
    hit = app.retriever.retrieve("Story 1 Halvik ferry", 1)[0]
    assert "revised" not in hit.chunk.text and consistent(app)


def test_a_deleted_chroma_folder_is_refilled_by_the_next_ingest(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(docs(5))
    shutil.rmtree(app.settings.data_dir / "chroma")
    local_chroma(app.settings.data_dir / "chroma").reopen(app.dense._local.generation)
    fresh = make_app()
    report = ingestor_for(fresh).ingest_items(docs(5))  # before: "unchanged 5" and 0 vectors
    assert "re-embedded 5 documents" in " ".join(report.warnings())
    assert consistent(fresh) and fresh.dense.count() == 5


def test_documents_missing_vectors_but_not_in_the_input_are_reembedded_from_the_catalog(
    make_app,
):
    app = make_app()
    ingestor_for(app).ingest_items(docs(6))
    app.dense.delete(["d4", "d5"])
    report = ingestor_for(app).ingest_items(docs(2))
    assert (report.unchanged, report.added) == (2, 0)
    assert consistent(app) and app.dense.count() == 6
