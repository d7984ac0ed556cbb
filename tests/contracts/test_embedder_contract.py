"""Every embedder behind the `Embedder` seam passes the same contract: shape, dtype, unit norm,
determinism, batching that does not change a vector, and an empty input."""

from __future__ import annotations

import numpy as np
import pytest

from tests.fakes.hashing import HashingEmbedder

TEXTS = ["The flood toll rose to fourteen.", "Mayor Felix Amundsen cut the ribbon.",
         "", "Ärger über die Brücke — 10 % mehr Verkehr"]


@pytest.fixture(params=["hashing", pytest.param("minilm", marks=pytest.mark.integration)])
def embedder(request):
    if request.param == "hashing":
        return HashingEmbedder()
    return request.getfixturevalue("minilm")


def test_one_unit_float32_vector_per_text(embedder):
    vectors = embedder.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), embedder.dim) and vectors.dtype == np.float32
    norms = np.linalg.norm(vectors[[0, 1, 3]], axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)


def test_the_same_text_gives_the_same_vector_alone_or_in_a_batch(embedder):
    together = embedder.embed(TEXTS)
    alone = np.vstack([embedder.embed([t]) for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-5)
    assert np.array_equal(embedder.embed(TEXTS[:2]), embedder.embed(TEXTS[:2]))


def test_related_texts_are_closer_than_unrelated_ones(embedder):
    a, b, c = embedder.embed(["flood toll rises", "the flood toll rises again",
                              "stadium ticket prices"])
    assert float(a @ b) > float(a @ c)


def test_no_texts_gives_an_empty_matrix(embedder):
    assert embedder.embed([]).shape[0] == 0
