"""DenseStore's record-level methods on the embedded Chroma client, with fake vectors."""

from __future__ import annotations

import numpy as np

from rag.stores.chroma import DenseStore, open_client


def _records(n: int, start: int = 0):
    ids = [f"d{i}::0000" for i in range(start, start + n)]
    vectors = np.eye(4, dtype=np.float32)[[i % 4 for i in range(start, start + n)]]
    metas = [{"document_id": f"d{i}", "date_ts": 20260900 + i} for i in range(start, start + n)]
    texts = [f"text {i}" for i in range(start, start + n)]
    return ids, vectors, metas, texts


def test_add_vectors_slices_to_max_batch_and_search_finds_them(tmp_path):
    store = DenseStore(open_client(tmp_path, None), "news", max_batch=2)
    assert store.max_batch == 2
    store.add_vectors(*_records(5))
    assert store.count() == 5
    assert store.search([0.0, 1.0, 0.0, 0.0], 1)[0][0] == "d1::0000"


def test_iter_records_yields_every_record_in_batches_for_a_copy(tmp_path):
    client = open_client(tmp_path, None)
    src = DenseStore(client, "src", max_batch=100)
    ids, vectors, metas, texts = _records(5)
    src.add_vectors(ids, vectors, metas, texts)
    batches = list(src.iter_records(batch=2))
    assert [len(b.ids) for b in batches] == [2, 2, 1]
    got = {i: (v, m, t) for b in batches for i, v, m, t in zip(*b, strict=True)}
    assert sorted(got) == ids
    assert np.allclose(got["d3::0000"][0], vectors[3])
    assert got["d3::0000"][1:] == (metas[3], texts[3])
    copy = DenseStore(client, "copy", max_batch=100)
    for batch in src.iter_records():
        copy.add_vectors(*batch)
    assert copy.count() == 5
