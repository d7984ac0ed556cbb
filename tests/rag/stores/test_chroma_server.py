"""The same ingest and retrieval against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import pytest

from ingest.documents import SourceDocument
from ingest.pipeline import ingestor_for
from rag.core.errors import StoreError
from tests.conftest import free_port

pytestmark = pytest.mark.integration


DOCS = [
    SourceDocument(doc_id=f"d{i}", text=f"Report {i}: the harbour bridge carried {i * 100} cars.",
                   title=f"Bridge {i}", publish_date="2026-09-1" + str(i))
    for i in range(5)
]


def test_ingest_is_idempotent_and_retrieval_works_on_a_server(make_app, chroma_url):
    app = make_app(collection="served", chroma={"url": chroma_url})
    assert ingestor_for(app).ingest_items(DOCS).added == 5
    assert ingestor_for(app).ingest_items(DOCS).unchanged == 5
    assert app.dense.count() == app.catalog.counts()[1] == 5
    hits = app.retriever.retrieve("How many cars did the bridge carry in report 3?", 3)
    assert hits[0].chunk.doc_id == "d3"
    assert ingestor_for(app).ingest_items(DOCS[:4], sync=True).removed == 1
    assert app.dense.count() == 4


def test_small_server_batches_are_respected(make_app, chroma_url):
    app = make_app(collection="batched", chroma={"url": chroma_url, "max_batch": 2})
    assert ingestor_for(app).ingest_items(DOCS).added == 5
    assert app.dense.count() == 5


def test_an_unreachable_server_is_a_clear_error(make_app):
    app = make_app(chroma={"url": f"http://127.0.0.1:{free_port()}"})
    with pytest.raises(StoreError, match="cannot reach the Chroma server.*chroma run"):
        app.dense.count()
