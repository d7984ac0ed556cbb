"""A deterministic embedder for unit tests: hashed bag of words, instant."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from rag.text.sentences import words


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
