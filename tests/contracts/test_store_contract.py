"""Every vector store behind the `VectorStore` seam passes the same contract, embedded Chroma in
a temp dir and a real `chroma run` server alike: replace, search, filter, delete, count."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from rag.core.protocols import SearchFilters
from rag.stores.chroma import DenseStore, date_ts, open_client

_names = itertools.count()


def node(doc: str, i: int, day: str, source: str, vector: list[float]) -> TextNode:
    """A chunk as ingest makes it: its document is its SOURCE relationship (`ref_doc_id`)."""
    return TextNode(id_=f"{doc}::{i:04d}", text=f"{doc} chunk {i}", embedding=vector,
                    metadata={"doc_id": doc, "publish_date": day, "date_ts": date_ts(day),
                              "source": source},
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc)})


def unit(*xs: float) -> list[float]:
    v = np.array(xs, dtype=np.float32)
    return (v / np.linalg.norm(v)).tolist()


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.integration)])
def store(request, tmp_path) -> DenseStore:
    url = request.getfixturevalue("chroma_url") if request.param == "server" else None
    client = open_client(tmp_path, url)
    return DenseStore(client, f"contract-{next(_names)}", max_batch=2)


@pytest.fixture
def filled(store) -> DenseStore:
    store.replace(["a", "b"], [
        node("a", 0, "2026-09-01", "Valley Wire", unit(1, 0, 0)),
        node("a", 1, "2026-09-01", "Valley Wire", unit(0.9, 0.1, 0)),
        node("b", 0, "2026-09-20", "Harbour Post", unit(0, 1, 0)),
    ])
    return store


def test_search_finds_the_nearest_first(filled):
    hits = filled.search(unit(1, 0.05, 0), 2)
    assert [cid for cid, _ in hits] == ["a::0000", "a::0001"]
    assert hits[0][1] >= hits[1][1]
    assert filled.count() == 3


def test_filters_apply_inside_the_store(filled):
    until = filled.search(unit(0, 1, 0), 5, SearchFilters(until="2026-09-10"))
    assert {cid for cid, _ in until} == {"a::0000", "a::0001"}
    since = filled.search(unit(1, 0, 0), 5, SearchFilters(since="2026-09-10"))
    assert [cid for cid, _ in since] == ["b::0000"]
    source = filled.search(unit(1, 0, 0), 5, SearchFilters(source="Harbour Post"))
    assert [cid for cid, _ in source] == ["b::0000"]


def test_replace_drops_a_documents_old_chunks(filled):
    filled.replace(["a"], [node("a", 0, "2026-09-02", "Valley Wire", unit(1, 0, 0))])
    assert filled.count() == 2
    assert "a::0001" not in {cid for cid, _ in filled.search(unit(1, 0, 0), 5)}


def test_delete_removes_every_chunk_of_a_document(filled):
    filled.delete(["a"])
    assert filled.count() == 1
    assert [cid for cid, _ in filled.search(unit(1, 0, 0), 5)] == ["b::0000"]


def test_an_empty_store_finds_nothing(store):
    assert store.count() == 0 and store.search(unit(1, 0, 0), 3) == []
