"""The sample corpus end to end with the real model and store: retrieval over every sample
question, and the evolving-story answers.

Answer quality over the whole sample set is gated once per CI run, by `citechat eval --dataset
sample --against baseline` in `make test-all` (floors and per-question flips are in the
baseline); this file checks what the gate cannot see, cheaply.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingest.pipeline import ingestor_for
from rag.app import build_app
from rag.core.settings import load_settings

pytestmark = pytest.mark.integration


FLOOD = ("q001", "q002", "q003")


@pytest.fixture(scope="module")
def app(tmp_path_factory, sample_corpus, minilm):
    app = build_app(load_settings(data_dir=tmp_path_factory.mktemp("eval")), embedder=minilm)
    ingestor_for(app).ingest([sample_corpus])
    return app


@pytest.fixture(scope="module")
def items(sample_eval):
    return [json.loads(line) for line in sample_eval.read_text().splitlines()]


def _as_of(item: dict) -> date | None:
    return date.fromisoformat(item["as_of"]) if item.get("as_of") else None


@pytest.fixture(scope="module")
def results(app, items):
    """The flood questions answered (the evolving story), as (item, answer, chunks)."""
    rows = []
    for item in (i for i in items if i["id"] in FLOOD):
        answer, chunks = app.service.ask_with_chunks(item["question"], as_of=_as_of(item))
        rows.append((item, answer, chunks))
    return rows


def test_retrieval_finds_a_gold_document_in_the_top_five(app, items):
    answerable = [i for i in items if not i["expect_refusal"]]
    hits = 0
    for item in answerable:
        chunks = app.service.retrieve(item["question"], 5, as_of=_as_of(item))
        hits += any(c.chunk.doc_id in item["gold_docs"] for c in chunks)
    assert hits / len(answerable) >= 0.95


def test_every_citation_quotes_its_document_at_its_offsets(results, tmp_path_factory):
    for _, answer, chunks in results:
        by_id = {c.chunk.chunk_id: c.chunk for c in chunks}
        for citation in answer.citations:
            chunk = by_id[citation.chunk_id]
            inner = chunk.text[citation.start - chunk.start : citation.end - chunk.start]
            assert inner == citation.quote
            assert f"[{citation.n}]" in answer.answer


def test_evolving_story_answers_with_the_version_of_the_day(results):
    """The flood toll was reported as 7, then 12, then 14: each as-of date gets its own."""
    flood = {i["id"]: a for i, a, _ in results}
    assert [a.short_answer.lower() for a in flood.values()] == ["seven", "twelve", "fourteen"]
    latest = flood["q003"]
    assert latest.citations[0].publish_date == "2026-09-10"
    assert "Earlier report" in latest.answer and latest.answer.endswith("(as of 10 Sep 2026)")
