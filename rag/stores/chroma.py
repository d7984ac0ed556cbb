"""The dense side: a Chroma collection (embedded on disk or a `chroma run` server) behind
LlamaIndex's ChromaVectorStore.

Two traps handled here: ChromaVectorStore sends up to 41,665 records per call while Chroma
accepts far fewer (its `get_max_batch_size()`), so we slice; and Chroma's default embedding
function downloads a model, so collections are created with `embedding_function=None` and we
always pass vectors. Telemetry is off so nothing calls home.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast
from urllib.parse import urlparse

import numpy as np
from llama_index.core.schema import BaseNode
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)

from rag.core.errors import StoreError
from rag.core.protocols import SearchFilters

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.types import Where


def open_client(data_dir: Path, url: str | None) -> ClientAPI:
    """An embedded PersistentClient under `data_dir/chroma`, or an HttpClient for `url`."""
    import chromadb
    from chromadb.config import Settings as ChromaConfig

    config = ChromaConfig(anonymized_telemetry=False, allow_reset=False)
    if not url:
        return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=config)
    parsed = urlparse(url)
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=config,
        )
        client.heartbeat()
    except Exception as exc:  # chromadb raises plain Exceptions/httpx errors for connectivity
        raise StoreError(
            f"cannot reach the Chroma server at {url} ({exc.__class__.__name__}). Start one with "
            "`chroma run --host 127.0.0.1 --port 8000 --path DIR`, or unset chroma.url "
            "(CITECHAT_CHROMA__URL) to use the embedded store."
        ) from None
    return client


class DenseStore:
    """Chunk vectors for one collection; ids are chunk ids, `document_id` is the doc id."""

    def __init__(self, client: ClientAPI, collection: str, max_batch: int) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        self._collection = client.get_or_create_collection(collection, embedding_function=None)
        self.vector_store = ChromaVectorStore(chroma_collection=self._collection)
        self._batch = max(1, min(max_batch, client.get_max_batch_size()))

    def count(self) -> int:
        return int(self._collection.count())

    def replace(self, doc_ids: Sequence[str], nodes: Sequence[BaseNode]) -> None:
        """Remove every chunk of `doc_ids`, then add `nodes` (which carry embeddings)."""
        self.delete(doc_ids)
        for i in range(0, len(nodes), self._batch):
            self.vector_store.add(list(nodes[i : i + self._batch]))

    def delete(self, doc_ids: Sequence[str]) -> None:
        for i in range(0, len(doc_ids), self._batch):
            batch = list(doc_ids[i : i + self._batch])
            self._collection.delete(where=cast("Where", {"document_id": {"$in": batch}}))

    def search(
        self, embedding: Sequence[float], k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, similarity) best first."""
        if self.count() == 0:
            return []
        query = VectorStoreQuery(
            query_embedding=[float(x) for x in embedding], similarity_top_k=k,
            filters=_to_filters(filters),
        )
        result = self.vector_store.query(query)
        return list(zip(result.ids or [], result.similarities or [], strict=False))

    @property
    def max_batch(self) -> int:
        """The most records sent to Chroma in one call (settings' cap, within the server's)."""
        return self._batch

    def add_vectors(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray[Any, np.dtype[np.float32]],
        metadatas: Sequence[Mapping[str, Any]],
        documents: Sequence[str],
    ) -> None:
        """Add records whose vectors are already computed (float32, one row per id; flat Chroma
        metadata), in slices of `max_batch`; no embedding model is involved."""
        for i in range(0, len(ids), self._batch):
            part = slice(i, i + self._batch)
            self._collection.add(ids=list(ids[part]), embeddings=embeddings[part],
                                 metadatas=list(metadatas[part]), documents=list(documents[part]))

    def iter_records(self, batch: int | None = None) -> Iterator[VectorRecords]:
        """Every stored record (id, vector, metadata, text), `batch` at a time (default:
        `max_batch`): what `add_vectors` takes, e.g. to copy a collection."""
        size = max(1, batch or self._batch)
        for offset in range(0, self.count(), size):
            got = self._collection.get(limit=size, offset=offset,
                                       include=["embeddings", "metadatas", "documents"])
            yield VectorRecords(got["ids"], np.asarray(got["embeddings"], dtype=np.float32),
                                list(got["metadatas"] or []), list(got["documents"] or []))


def _to_filters(filters: SearchFilters | None) -> MetadataFilters | None:
    if filters is None:
        return None
    parts = []
    if filters.since:
        parts.append(MetadataFilter(key="date_ts", value=_day(filters.since),
                                    operator=FilterOperator.GTE))
    if filters.until:
        parts.append(MetadataFilter(key="date_ts", value=_day(filters.until),
                                    operator=FilterOperator.LTE))
    if filters.source:
        parts.append(MetadataFilter(key="source", value=filters.source, operator=FilterOperator.EQ))
    return MetadataFilters(filters=list[MetadataFilter | MetadataFilters](parts)) if parts else None


def _day(iso_date: str) -> int:
    """A sortable integer for an ISO date: 2026-09-14 -> 20260914."""
    return int(iso_date[:10].replace("-", ""))


def date_ts(iso_date: str | None) -> int:
    """The `date_ts` metadata value stored with each chunk (0 when the date is unknown)."""
    return _day(iso_date) if iso_date else 0


class VectorRecords(NamedTuple):
    """A batch of stored chunk records, as `DenseStore.iter_records` yields them."""

    ids: list[str]
    embeddings: np.ndarray[Any, np.dtype[np.float32]]  # one row per record
    metadatas: list[Mapping[str, Any]]
    documents: list[str]
