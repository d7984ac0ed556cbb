"""The dense side: a Chroma collection (embedded on disk or a `chroma run` server) behind
LlamaIndex's ChromaVectorStore.

Two traps handled here: ChromaVectorStore sends up to 41,665 records per call while Chroma
accepts far fewer (its `get_max_batch_size()`), so we slice; and Chroma's default embedding
function downloads a model, so collections are created with `embedding_function=None` and we
always pass vectors. Telemetry is off so nothing calls home.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast
from urllib.parse import urlparse

import numpy as np
from llama_index.core.schema import BaseNode
from llama_index.core.vector_stores.types import (
    FilterOperator,
    MetadataFilter,
    MetadataFilters,
    VectorStoreQuery,
)

from rag.core.errors import StoreError, redact_url
from rag.core.protocols import SearchFilters
from rag.stores.chroma_local import local_chroma, local_path_of

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Where
    from llama_index.vector_stores.chroma import ChromaVectorStore

log = logging.getLogger(__name__)
T = TypeVar("T")


def open_client(data_dir: Path, url: str | None) -> ClientAPI:
    """An embedded PersistentClient under `data_dir/chroma` (one per folder in this process,
    see `rag.stores.chroma_local`), or an HttpClient for `url`."""
    import chromadb
    from chromadb.config import Settings as ChromaConfig

    if not url:
        path = data_dir / "chroma"
        try:
            return local_chroma(path).current()[0]
        except Exception as exc:  # chromadb's Rust core raises bare Exceptions on a bad store
            raise StoreError(broken_store_message(path, exc)) from exc
    config = ChromaConfig(anonymized_telemetry=False, allow_reset=False)
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
        raise StoreError(unreachable_message(url, exc)) from None
    return client


def unreachable_message(url: str, exc: BaseException) -> str:
    """What to do when the Chroma server at `url` does not answer (its password hidden)."""
    return (
        f"cannot reach the Chroma server at {redact_url(url)} ({exc.__class__.__name__}). "
        "Start one with "
        "`chroma run --host 127.0.0.1 --port 8000 --path DIR`, or unset chroma.url "
        "(CITECHAT_CHROMA__URL) to use the embedded store."
    )


def broken_store_message(where: Path | str, exc: BaseException) -> str:
    """What to do when the vector store opens but cannot be used: a read-only data dir or a
    full disk say so; anything else is a damaged store, which `verify --repair` rebuilds.

    >>> broken_store_message(Path("/d/chroma"), RuntimeError("Error finding id"))[:58]
    'the vector store /d/chroma cannot be used (RuntimeError: E'
    >>> broken_store_message("/d/chroma", OSError("attempt to write a readonly database"))[:49]
    'the vector store /d/chroma is on a read-only disk'
    """
    text = f"{type(exc).__name__}: {exc}"
    if "readonly" in text or "read-only" in text or "Read-only" in text:
        return (f"the vector store {where} is on a read-only disk or folder, and embedded "
                "Chroma writes to it even to answer: make it writable, copy the data dir "
                "somewhere writable and pass --data-dir, or serve it with `chroma run` and "
                "pass --chroma-url")
    if "No space left" in text or "disk is full" in text or "full" in text.split(":")[-1]:
        return (f"the vector store {where} cannot be written: the disk is full ({text}); free "
                "some space and run the same command again (then `citechat verify`)")
    low = _low_disk(where)
    if low:
        return (f"the vector store {where} cannot be used ({text}); its disk has only {low} "
                "free: free some space and run the same command again, then `citechat verify` "
                "(and `citechat verify --repair` if it still reports problems)")
    return (f"the vector store {where} cannot be used ({text}); run "
            "`citechat verify --repair` to rebuild it from the catalog (the documents stay)")


LOW_DISK_BYTES = 64 * 1024 * 1024


def _low_disk(where: Path | str) -> str:
    """'3.1 MB' when the disk holding `where` (a folder; a URL: not ours) is nearly full."""
    path = Path(where)
    while not path.exists() and path != path.parent:
        path = path.parent
    if str(where).startswith("http") or not path.exists():
        return ""
    free = shutil.disk_usage(path).free
    return f"{free / 1024 / 1024:.1f} MB" if free < LOW_DISK_BYTES else ""


class DenseStore:
    """Chunk vectors for one collection; ids are chunk ids, `document_id` is the doc id.

    On an embedded store every call first picks up other processes' writes (see
    `rag.stores.chroma_local`); a call that still meets a Chroma internal error is retried
    once on a fresh client, then reported as a `StoreError` naming `citechat verify --repair`.
    A server that stops answering is a `StoreError` naming its URL."""

    def __init__(self, client: ClientAPI, collection: str, max_batch: int) -> None:
        self.name = collection
        path = local_path_of(client)
        self._local = local_chroma(path) if path is not None else None
        self._where = str(path) if path is not None else _server_url(client)
        self._generation = self._local.generation if self._local else 0
        self._client = client
        self._bind(client)
        if self._local is not None:
            self._local.wrote()  # creating the collection is this process's own write
        self._batch = max(1, min(max_batch, client.get_max_batch_size()))

    def _bind(self, client: ClientAPI) -> None:
        from llama_index.vector_stores.chroma import ChromaVectorStore

        try:
            collection = client.get_or_create_collection(self.name, embedding_function=None)
        except Exception as exc:  # chromadb's Rust core raises bare Exceptions on a bad store
            raise StoreError(broken_store_message(self._where, exc)) from exc
        self._collection_handle = collection
        self._vector_store = ChromaVectorStore(chroma_collection=collection)

    @property
    def _collection(self) -> Collection:
        """The collection, rebound first when the embedded store was reopened."""
        if self._local is not None:
            client, generation = self._local.current()
            if generation != self._generation:
                self._bind(client)
                self._generation = generation
        return self._collection_handle

    @property
    def vector_store(self) -> ChromaVectorStore:
        """LlamaIndex's view of the collection (rebound with it)."""
        self._collection  # noqa: B018 -- rebinds after a reopen
        return self._vector_store

    def _run(self, op: Callable[[], T], *, writes: bool = False) -> T:
        """`op()`, retried once on a fresh client after a Chroma internal error; errors that
        remain become `StoreError`s that say what to do."""
        from chromadb.errors import InternalError

        try:
            try:
                return op()
            except InternalError as exc:
                if self._local is None:
                    raise
                log.info("Chroma internal error (%s); reopening %s once", exc, self._where)
                self._local.reopen(self._generation)
                return op()
            finally:
                if writes and self._local is not None:
                    self._local.wrote()
        except InternalError as exc:
            raise StoreError(broken_store_message(self._where, exc)) from exc
        except _connection_errors() as exc:
            raise StoreError(unreachable_message(self._where, exc)) from exc

    def count(self) -> int:
        return self._run(lambda: int(self._collection.count()))

    def replace(self, doc_ids: Sequence[str], nodes: Sequence[BaseNode]) -> None:
        """Remove every chunk of `doc_ids`, then add `nodes` (which carry embeddings)."""

        def replace() -> None:
            self._delete(doc_ids)
            for i in range(0, len(nodes), self._batch):
                self.vector_store.add(list(nodes[i : i + self._batch]))

        self._run(replace, writes=True)

    def delete(self, doc_ids: Sequence[str]) -> None:
        self._run(lambda: self._delete(doc_ids), writes=True)

    def _delete(self, doc_ids: Sequence[str]) -> None:
        for i in range(0, len(doc_ids), self._batch):
            batch = list(doc_ids[i : i + self._batch])
            self._collection.delete(where=cast("Where", {"document_id": {"$in": batch}}))

    def set_publish_date(self, doc_ids: Sequence[str], day: str, provenance: str) -> int:
        """Give every chunk of `doc_ids` the date `day` (YYYY-MM-DD) in its metadata (also in
        LlamaIndex's copy of it), so date filters see the new date; returns chunks changed."""
        return self._run(lambda: self._set_publish_date(doc_ids, day, provenance), writes=True)

    def _set_publish_date(self, doc_ids: Sequence[str], day: str, provenance: str) -> int:
        changed = 0
        for i in range(0, len(doc_ids), self._batch):
            where = cast("Where", {"document_id": {"$in": list(doc_ids[i : i + self._batch])}})
            got = self._collection.get(where=where, include=["metadatas"])
            metadatas = [_redated(dict(m or {}), day, provenance) for m in got["metadatas"] or []]
            if got["ids"]:
                self._collection.update(ids=got["ids"], metadatas=metadatas)  # type: ignore[arg-type]
                changed += len(got["ids"])
        return changed

    def search(
        self, embedding: Sequence[float], k: int, filters: SearchFilters | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, similarity) best first."""
        query = VectorStoreQuery(
            query_embedding=[float(x) for x in embedding], similarity_top_k=k,
            filters=_to_filters(filters),
        )

        def search() -> list[tuple[str, float]]:
            if self._collection.count() == 0:
                return []
            result = self.vector_store.query(query)
            return list(zip(result.ids or [], result.similarities or [], strict=False))

        return self._run(search)

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
        """Add (or overwrite) records whose vectors are already computed (float32, one row per
        id; flat Chroma metadata), in slices of `max_batch`; no embedding model is involved."""

        def add() -> None:
            for i in range(0, len(ids), self._batch):
                part = slice(i, i + self._batch)
                self._collection.upsert(
                    ids=list(ids[part]), embeddings=embeddings[part],
                    metadatas=list(metadatas[part]), documents=list(documents[part]))

        self._run(add, writes=True)

    def iter_records(self, batch: int | None = None) -> Iterator[VectorRecords]:
        """Every stored record (id, vector, metadata, text), `batch` at a time (default:
        `max_batch`): what `add_vectors` takes, e.g. to copy a collection."""
        size = max(1, batch or self._batch)
        for offset in range(0, self.count(), size):
            got = self._run(lambda offset=offset: self._collection.get(  # type: ignore[misc]
                limit=size, offset=offset, include=["embeddings", "metadatas", "documents"]))
            yield VectorRecords(got["ids"], np.asarray(got["embeddings"], dtype=np.float32),
                                list(got["metadatas"] or []), list(got["documents"] or []))


    # --- checks against the catalog (rag.stores.verify, ingest) -----------------------------

    def ids(self, page: int = 5000) -> list[str]:
        """The id of every stored vector (ids only, `page` per call; an id listed twice would
        be a duplicate)."""

        def ids() -> list[str]:
            found: list[str] = []
            total = self._collection.count()
            for offset in range(0, total, page):
                found += self._collection.get(limit=page, offset=offset, include=[])["ids"]
            return found

        return self._run(ids)

    def document_ids(self, page: int = 5000) -> set[str]:
        """The document id of every stored vector (from its metadata)."""

        def doc_ids() -> set[str]:
            found: set[str] = set()
            for offset in range(0, self._collection.count(), page):
                got = self._collection.get(limit=page, offset=offset, include=["metadatas"])
                found.update(str(m["document_id"]) for m in got["metadatas"] or []
                             if m and "document_id" in m)
            return found

        return self._run(doc_ids)

    def delete_ids(self, ids: Sequence[str]) -> None:
        """Remove the vectors `ids` (orphans: no catalog entry owns them)."""

        def delete() -> None:
            for i in range(0, len(ids), self._batch):
                self._collection.delete(ids=list(ids[i : i + self._batch]))

        self._run(delete, writes=True)

    def findable(self, ids: Sequence[str], k: int = 10) -> list[str]:
        """Those of `ids` that a search with their own vector does NOT find in its top `k`
        (none: empty), through both a plain and a date-filtered query, as `ask` runs it."""

        def probe() -> list[str]:
            got = self._collection.get(ids=list(ids), include=["embeddings"])
            lost = [i for i in ids if i not in set(got["ids"])]
            everything = cast("Where", {"date_ts": {"$gte": 0}})
            vectors = got["embeddings"] if got["embeddings"] is not None else []
            for cid, vector in zip(got["ids"], vectors, strict=False):
                for where in (None, everything):
                    hits = self._collection.query(query_embeddings=[vector], n_results=k,
                                                  where=where, include=["distances"])
                    distances = (hits["distances"] or [[1.0]])[0]
                    tied = bool(distances) and distances[-1] <= 1e-6  # k exact duplicates
                    if cid not in hits["ids"][0] and not tied:
                        lost.append(cid)
                        break
            return lost

        return self._run(probe)

    def recorded_model(self) -> tuple[str | None, int | None]:
        """(embedding model id, vector dimension) as recorded by the last ingest, else what a
        stored vector shows (None where unknown)."""

        def recorded() -> tuple[str | None, int | None]:
            meta = self._collection.metadata or {}
            model, dim = meta.get("citechat_embed_model"), meta.get("citechat_embed_dim")
            if dim is None:
                got = self._collection.get(limit=1, include=["embeddings"])
                vectors = got["embeddings"]
                dim = len(vectors[0]) if vectors is not None and len(vectors) else None
            return (str(model) if model else None), (int(dim) if dim is not None else None)

        return self._run(recorded)

    def reset(self) -> None:
        """Delete the collection and start it empty (`verify --repair` of a collection Chroma
        cannot read any more; the catalog keeps the documents, which are then re-embedded)."""
        client = self._local.current()[0] if self._local is not None else self._client
        try:
            client.delete_collection(self.name)
        except _not_found_errors():
            pass  # already gone: an empty one is created below
        self._bind(client)
        if self._local is not None:
            self._local.wrote()

    def record_model(self, model: str, dim: int) -> None:
        """Remember which embedding model (and dimension) wrote the vectors."""

        def record() -> None:
            meta = dict(self._collection.metadata or {})
            if (meta.get("citechat_embed_model"), meta.get("citechat_embed_dim")) != (model, dim):
                meta.update(citechat_embed_model=model, citechat_embed_dim=dim)
                self._collection.modify(metadata={k: v for k, v in meta.items()
                                                  if not k.startswith("hnsw:")})

        self._run(record, writes=True)

def _server_url(client: ClientAPI) -> str:
    settings = client.get_settings()
    host, port = settings.chroma_server_host or "127.0.0.1", settings.chroma_server_http_port
    return f"http://{host}:{port}"


def _not_found_errors() -> tuple[type[BaseException], ...]:
    from chromadb.errors import NotFoundError

    return (NotFoundError, ValueError)  # older chromadb raised ValueError for a missing one


def _connection_errors() -> tuple[type[BaseException], ...]:
    """What a `chroma run` server that went away raises through its client."""
    import httpx

    return (httpx.TransportError, ConnectionError)


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


def _redated(metadata: dict[str, Any], day: str, provenance: str) -> dict[str, Any]:
    fields = {"publish_date": day, "date_ts": _day(day), "date_provenance": provenance}
    metadata.update(fields)
    node = metadata.get("_node_content")
    if isinstance(node, str):  # LlamaIndex keeps the node (with its metadata) as JSON too
        try:
            content = json.loads(node)
            content.get("metadata", {}).update(fields)
            metadata["_node_content"] = json.dumps(content)
        except (ValueError, AttributeError):
            pass  # not LlamaIndex's JSON: the top-level fields are what filters read
    return metadata


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
