"""Hybrid retrieval: BM25 over the catalog plus dense vectors from Chroma, fused by rank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rag.core.protocols import Embedder, SearchFilters
from rag.core.settings import RetrieveSettings
from rag.core.types import ScoredChunk
from rag.stores.catalog import Catalog
from rag.stores.chroma import DenseStore


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], k: int = 60
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum over lists of weight / (k + rank), rank from 1.

    >>> reciprocal_rank_fusion({"a": ["x", "y"], "b": ["y"]}, {"a": 1.0, "b": 1.0}, k=1)
    [('y', 0.8333333333333333), ('x', 0.5)]
    """
    scores: dict[str, float] = {}
    for name, ids in rankings.items():
        for rank, item in enumerate(ids, start=1):
            scores[item] = scores.get(item, 0.0) + weights.get(name, 1.0) / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))


class HybridRetriever:
    """`retrieve(query, k)` → chunks ranked by fused keyword and dense ranks."""

    def __init__(
        self, catalog: Catalog, dense: DenseStore, embedder: Embedder, settings: RetrieveSettings
    ) -> None:
        self._catalog = catalog
        self._dense = dense
        self._embedder = embedder
        self._settings = settings

    def retrieve(
        self, query: str, k: int, filters: SearchFilters | None = None
    ) -> list[ScoredChunk]:
        n = max(k, self._settings.candidates)
        keyword = [c.chunk_id for c, _ in self._catalog.search(query, n, filters)]
        dense = [cid for cid, _ in self._dense.search(self._embedder.embed([query])[0], n, filters)]
        fused = reciprocal_rank_fusion(
            {"keyword": keyword, "dense": dense},
            {"keyword": self._settings.keyword_weight, "dense": self._settings.dense_weight},
            self._settings.rrf_k,
        )[:k]
        chunks = self._catalog.chunks([cid for cid, _ in fused])
        return [
            ScoredChunk(
                chunk=chunks[cid],
                score=score,
                keyword_rank=_rank(keyword, cid),
                dense_rank=_rank(dense, cid),
            )
            for cid, score in fused
            if cid in chunks
        ]


def _rank(ids: list[str], item: str) -> int | None:
    return ids.index(item) + 1 if item in ids else None
