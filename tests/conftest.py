"""Shared fixtures: deterministic fakes for unit tests, real parts for integration tests."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.app import App, build_app
from rag.settings import load_settings
from rag.text import words

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "samples" / "corpus"
SAMPLE_EVAL = REPO / "evals" / "datasets" / "sample.jsonl"


class HashingEmbedder:
    """Bag-of-words hashed into 256 dims, L2-normalised: deterministic and instant."""

    model_id = "hashing-256"
    dim = 256

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                bucket = int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dim
                out[row, bucket] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)


@pytest.fixture
def fake_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def make_app(tmp_path: Path, fake_embedder: HashingEmbedder):
    """Build an App over a temp data dir (embedded Chroma) with the hashing embedder."""

    def _make(collection: str = "test", embedder=fake_embedder, **overrides) -> App:
        settings = load_settings(data_dir=tmp_path / "data", collection=collection, **overrides)
        return build_app(settings, embedder=embedder)

    return _make


@pytest.fixture(scope="session")
def minilm():
    """The real local embedding model (loaded once per test session)."""
    from rag.embedder import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    return SAMPLE_CORPUS


@pytest.fixture(scope="session")
def sample_eval() -> Path:
    return SAMPLE_EVAL
