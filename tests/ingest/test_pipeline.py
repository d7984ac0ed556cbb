"""Idempotent, incremental, resumable ingest into a real embedded Chroma (fake embedder)."""

import pytest

from ingest.documents import LoadFailure, SkippedFiles, SourceDocument
from ingest.pipeline import ingestor_for


def _docs(*pairs, date="2026-09-01"):
    return [SourceDocument(doc_id=i, text=t, title=f"Title {i}", publish_date=date, origin=i)
            for i, t in pairs]


BASE = _docs(
    ("a", "The council approved the stadium. Work starts in May."),
    ("b", "Floodwaters rose in Carrow. Seven people died on Monday."),
    ("c", "The port strike ended with a 6 percent pay deal."),
)


def test_reingest_of_unchanged_documents_embeds_nothing_and_duplicates_nothing(make_app):
    app = make_app()
    first = ingestor_for(app).ingest_items(BASE)
    assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
    counts = app.catalog.counts(), app.dense.count()
    second = ingestor_for(app).ingest_items(BASE)
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 3, 0)
    assert (app.catalog.counts(), app.dense.count()) == counts


def test_a_changed_document_has_its_old_chunks_replaced(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(BASE)
    changed = _docs(("b", "Floodwaters fell in Carrow. The toll was revised to 12."))
    report = ingestor_for(app).ingest_items(changed)
    assert (report.updated, report.added) == (1, 0)
    hits = app.retriever.retrieve("Carrow flood toll", 5)
    texts = [h.chunk.text for h in hits if h.chunk.doc_id == "b"]
    assert texts and all("12" in t for t in texts)
    assert app.dense.count() == app.catalog.counts()[1]


def test_sync_removes_vanished_documents_everywhere(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(BASE)
    report = ingestor_for(app).ingest_items(BASE[:2], sync=True)
    assert report.removed == 1
    assert set(app.catalog.content_hashes()) == {"a", "b"}
    assert app.dense.count() == app.catalog.counts()[1]
    assert all(h.chunk.doc_id != "c" for h in app.retriever.retrieve("port strike pay", 5))


def test_without_sync_nothing_is_removed(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(BASE)
    assert ingestor_for(app).ingest_items(BASE[:1]).removed == 0
    assert app.catalog.counts()[0] == 3


def test_sync_removes_nothing_when_an_input_failed(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(BASE)
    report = ingestor_for(app).ingest_items([*BASE[:1], LoadFailure("x.pdf", "corrupt")], sync=True)
    assert report.removed == 0 and report.sync_skipped
    assert app.catalog.counts()[0] == 3


def test_failures_are_reported_and_the_rest_still_ingests(make_app):
    app = make_app()
    items = [LoadFailure("feed.jsonl:2", "missing required field 'text'"), *BASE,
             SourceDocument(doc_id="a", text="dup", origin="other.jsonl:1"),
             SourceDocument(doc_id="empty", text="   \n ", origin="empty.txt")]
    report = ingestor_for(app).ingest_items(items)
    assert report.added == 3
    reasons = [str(f) for f in report.failed]
    assert reasons[0] == "feed.jsonl:2: missing required field 'text'"
    assert "duplicate document id 'a'" in reasons[1]
    assert reasons[2] == "empty.txt: no text found (empty)"


class _Boom(Exception):
    pass


def test_an_interrupted_ingest_keeps_committed_batches_and_resumes(make_app, fake_embedder):
    calls = {"n": 0}

    class FailingEmbedder:
        model_id = fake_embedder.model_id

        def embed(self, texts):
            calls["n"] += 1
            if calls["n"] == 2:
                raise _Boom("power cut")
            return fake_embedder.embed(texts)

    docs = _docs(*[(f"d{i}", f"Story number {i} about topic {i}.") for i in range(6)])
    app = make_app(embedder=FailingEmbedder(), ingest={"batch_docs": 2})
    with pytest.raises(_Boom):
        ingestor_for(app).ingest_items(docs)
    assert app.catalog.counts()[0] == 2  # the first batch was committed

    resumed = make_app(embedder=fake_embedder, ingest={"batch_docs": 2})
    report = ingestor_for(resumed).ingest_items(docs)
    assert (report.unchanged, report.added) == (2, 4)
    assert resumed.catalog.counts()[0] == 6
    assert resumed.dense.count() == resumed.catalog.counts()[1]


def test_a_crash_between_chroma_and_the_catalog_leaves_no_duplicates(make_app, monkeypatch):
    app = make_app()
    original = app.catalog.write

    def crash(batch):
        raise _Boom("killed after the Chroma write")

    monkeypatch.setattr(app.catalog, "write", crash)
    with pytest.raises(_Boom):
        ingestor_for(app).ingest_items(BASE)
    monkeypatch.setattr(app.catalog, "write", original)
    report = ingestor_for(app).ingest_items(BASE)
    assert report.added == 3
    assert app.dense.count() == app.catalog.counts()[1]


def test_offsets_index_the_stored_cleaned_text(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(BASE)
    for hit in app.retriever.retrieve("stadium council", 5):
        text = app.catalog.document_text(hit.chunk.doc_id)
        assert text[hit.chunk.start : hit.chunk.end] == hit.chunk.text


def test_a_document_cleaning_would_empty_is_kept_as_loaded_with_a_warning(make_app):
    app = make_app()
    menu = SourceDocument(doc_id="menu", text="Share\nAdvertisement\n\nRead more", origin="m.txt")
    report = ingestor_for(app).ingest_items([menu])
    assert (report.added, report.failed, report.kept_uncleaned) == (1, [], ["m.txt"])
    assert app.catalog.document_text("menu") == "Share\nAdvertisement\n\nRead more"
    assert report.warnings() == [
        "m.txt: every line looked like boilerplate (menus, credits); kept its text as loaded, "
        "check it"]


def test_documents_dated_by_file_time_are_counted_and_their_chunks_say_so(make_app):
    app = make_app()
    docs = [SourceDocument(doc_id="a", text="The council approved the stadium.", origin="a.txt",
                           publish_date="2026-11-30", date_provenance="mtime"),
            SourceDocument(doc_id="b", text="The port strike ended.", origin="b.txt",
                           publish_date="2026-09-01", date_provenance="byline")]
    report = ingestor_for(app).ingest_items(docs)
    assert report.file_dated == ["a.txt"]
    assert report.warnings()[0].startswith("1 document dated by file time (no date found in it: "
                                           "a.txt); give the date with --publish-date YYYY-MM-DD")
    hits = {h.chunk.doc_id: h.chunk for h in app.retriever.retrieve("stadium port strike", 5)}
    assert (hits["a"].date_provenance, hits["b"].date_provenance) == ("mtime", "byline")
    again = ingestor_for(app).ingest_items(docs)  # unchanged, still reported
    assert (again.unchanged, again.file_dated) == (2, ["a.txt"])


def test_skipped_files_are_reported(make_app):
    app = make_app()
    report = ingestor_for(app).ingest_items([*BASE, SkippedFiles("news", ".csv", 3)])
    assert report.added == 3 and report.failed == []
    assert report.warnings() == ["news: skipped 3 .csv files (not a supported type)"]
