"""LlamaIndex faces of citechat: a `BaseRetriever` and a query engine whose `Response` carries
the cited answer and its source nodes, so LlamaIndex users can compose or swap the parts."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from rag.core.protocols import Retriever
from rag.core.types import Chunk, ScoredChunk
from rag.service import CitechatService


def to_node(item: ScoredChunk) -> NodeWithScore:
    c: Chunk = item.chunk
    node = TextNode(
        id_=c.chunk_id, text=c.text, start_char_idx=c.start, end_char_idx=c.end,
        metadata={"doc_id": c.doc_id, "title": c.title, "url": c.url or "",
                  "publish_date": c.publish_date or "", "source": c.source or ""},
    )
    return NodeWithScore(node=node, score=item.score)


class LlamaIndexRetriever(BaseRetriever):
    """Any citechat `Retriever` as a LlamaIndex retriever (top k fixed at construction)."""

    def __init__(self, retriever: Retriever, k: int = 10, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inner = retriever
        self._k = k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [to_node(item) for item in self._inner.retrieve(query_bundle.query_str, self._k)]


class CitechatQueryEngine(CustomQueryEngine):
    """`query(q)` → `Response(response=answer text, source_nodes=cited chunks,
    metadata={"answer": Answer as a dict})`."""

    service: Any  # CitechatService; Any because pydantic cannot validate the class

    def custom_query(self, query_str: str) -> Response:
        service: CitechatService = self.service
        answer, chunks = service.ask_with_chunks(query_str)
        cited = {c.chunk_id for c in answer.citations}
        nodes = [to_node(item) for item in chunks if item.chunk.chunk_id in cited]
        return Response(response=answer.answer, source_nodes=nodes,
                        metadata={"answer": answer.model_dump()})
