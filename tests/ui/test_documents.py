"""Collections and documents you can see and manage: listing with search, delete from both
stores, set-date (filters see it), new collections, background uploads with honest progress,
and the counts an explained refusal needs."""

from __future__ import annotations

import html
import json
import threading
import time
from datetime import date

import pytest

from ingest.pipeline import ingestor_for
from rag.app import build_app
from rag.core.errors import ConfigError, InputError
from rag.core.protocols import SearchFilters
from ui.documents import DocumentHandlers
from ui.jobs import UploadJobs
from ui.refusal import scope_of
from ui.session import AppPool

FEED = [
    {"id": "bridge", "title": "Harbour bridge reopens", "text": "The Port Ellery Harbour Bridge "
     "reopened on Monday after Mayor Felix Amundsen cut a ribbon.", "publish_date": "2026-09-29",
     "source": "Valley Wire"},
    {"id": "ferry", "title": "Ferry <resumes>", "text": "The Tessary ferry resumed sailing.",
     "publish_date": "2026-09-04", "source": "Carrow Courier"},
]


@pytest.fixture
def app(make_app, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(d) + "\n" for d in FEED))
    (tmp_path / "undated.txt").write_text("Bees\n\nBeekeepers in Glenmoor lost 412 hives.")
    app = make_app("news")
    assert ingestor_for(app).ingest([feed, tmp_path / "undated.txt"]).added == 3
    return app


@pytest.fixture
def docs(app):
    pool = AppPool(app)
    return DocumentHandlers(pool, UploadJobs(pool))


def test_the_header_shows_the_collection_counts_and_dates(docs):
    shown = html.unescape(docs.header("news", user="ann"))
    assert "news" in shown and "3 documents · 3 passages" in shown
    assert "2026-09-04 to " in shown and "signed in as ann" in shown


def test_documents_are_listed_searched_and_escaped(docs):
    table, choices = docs.listing("news")
    assert table.count("<tr") == 4 and "Ferry &lt;resumes&gt;" in table and "<resumes>" not in table
    assert "feed field" in table and "file time (a guess)" in html.unescape(table)
    assert [doc_id for _, doc_id in choices][0] == "undated.txt"  # the latest ingested first
    assert any("file time" in label for label, _ in choices)
    table, choices = docs.listing("news", "valley")
    assert [doc_id for _, doc_id in choices] == ["bridge"] and "matching" in table
    assert "No document matches" in docs.listing("news", "100%_")[0]


def test_delete_removes_a_document_from_both_stores(docs, app):
    before = app.dense.count()
    assert docs.delete("news", ["bridge", "not-there"]) == "Deleted 1 document (1 passage)."
    assert app.catalog.counts() == (2, 2) and app.dense.count() == before - 1
    found = app.service.retrieve("Harbour Bridge ribbon Amundsen", 5)
    assert "bridge" not in {c.chunk.doc_id for c in found}
    assert docs.delete("news", []).startswith("Choose")


def test_set_date_re_dates_the_catalog_and_the_vectors(docs, app):
    assert docs.set_date("news", ["undated.txt"], "2026-08-15") == \
        "Dated 1 document 2026-08-15."
    [info] = app.catalog.list_documents("undated", 5)
    assert (info.publish_date, info.date_provenance) == ("2026-08-15", "set by hand")
    until = SearchFilters(since="2026-08-01", until="2026-08-31")
    assert {c.chunk.doc_id for c in app.retriever.retrieve("hives", 5, until)} == {"undated.txt"}
    chunk = app.retriever.retrieve("hives", 1, until)[0].chunk
    assert chunk.publish_date == "2026-08-15" and chunk.date_provenance == "set by hand"
    with pytest.raises(InputError):
        docs.set_date("news", ["undated.txt"], "")
    with pytest.raises(ConfigError, match="not a date"):
        docs.set_date("news", ["undated.txt"], "15/08/2026")


def test_a_new_collection_is_created_and_listed(docs):
    assert docs.create(" city-desk ") == "city-desk"
    assert docs.pool.choices() == ["city-desk", "news"]
    assert "0 documents" in docs.header("city-desk")
    with pytest.raises(ConfigError, match="collection name"):
        docs.create("../x")


def test_filters_offer_the_collections_sources_and_dates(docs):
    assert docs.sources("news") == ["Carrow Courier", "Valley Wire"]
    assert docs.date_hint("news").startswith("Documents here are dated 2026-09-04 to ")


def test_scope_counts_what_a_question_could_read(app):
    everything = scope_of(app.catalog, None, date(2026, 12, 31))
    assert (everything.total, everything.matching, everything.readable) == (3, 3, 3)
    early = scope_of(app.catalog, None, date(2026, 9, 1))  # the text file is dated today
    assert early.readable == 0 and early.earliest == "2026-09-04"
    wrong = scope_of(app.catalog, SearchFilters(source="valley wire"), date(2026, 12, 31))
    assert (wrong.source_docs, wrong.matching) == (0, 0)
    assert wrong.sources == ("Carrow Courier", "Valley Wire")


class Gated:
    """The test embedder, holding the upload thread's embedding until `gate` is set."""

    def __init__(self, inner, gate: threading.Event) -> None:
        self.inner, self.gate, self.model_id = inner, gate, inner.model_id

    def embed(self, texts):
        if threading.current_thread().name.startswith("citechat-upload"):
            assert self.gate.wait(30)
        return self.inner.embed(texts)


def _wait_for(check, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_an_upload_runs_in_the_background_while_the_collection_answers(app, tmp_path):
    gate = threading.Event()
    pool = AppPool(build_app(app.settings, embedder=Gated(app.embedder, gate)))
    docs = DocumentHandlers(pool, UploadJobs(pool))
    upload = tmp_path / "incoming" / "long.txt"
    upload.parent.mkdir()
    upload.write_text("Mussels\n\n" + " ".join(f"Mussel survey note {i} was filed." for i in
                                               range(200)))
    job = docs.upload("news", [str(upload), str(tmp_path / "missing.txt")])
    _wait_for(lambda: docs.jobs.view(job).files[0].stage == "embedding")
    waiting = html.unescape(next(docs.watch(job))[0])
    assert "long.txt</strong>: embedding 0/" in waiting and "keep asking" in waiting
    with pool.use("news") as asking:  # the upload holds no lock: this collection answers
        assert asking.service.ask("Who cut the ribbon?", 3).citations
    gate.set()
    assert docs.jobs.wait(job, 30)
    final, finished = list(docs.watch(job, every=0.01))[-1]
    shown = html.unescape(final)
    assert finished and "long.txt</strong>: embedded (" in shown
    assert "missing.txt</strong>: refused" in shown and str(tmp_path) not in shown
    assert "Finished: added 1" in shown and app.catalog.counts()[0] == 4
    assert list(docs.watch(None))[-1][1] is True
