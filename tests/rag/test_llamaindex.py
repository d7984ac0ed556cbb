"""citechat inside a LlamaIndex program: its retriever and query engine as LlamaIndex parts."""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, QueryBundle

from ingest.documents import SourceDocument
from ingest.pipeline import ingestor_for
from rag.llamaindex import CitechatQueryEngine, LlamaIndexRetriever

DOCS = [
    SourceDocument(doc_id="bridge", title="Harbour bridge reopens", publish_date="2026-09-29",
                   text="The Port Ellery Harbour Bridge reopened on Monday after Mayor Felix "
                   "Amundsen cut a ribbon. About 300 residents attended."),
    SourceDocument(doc_id="flood", title="Flood toll rises", publish_date="2026-09-10",
                   text="Fourteen people are now confirmed to have died in the Carrow floods."),
]


def test_the_retriever_is_a_llamaindex_retriever_over_the_service(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(DOCS)
    retriever = LlamaIndexRetriever(app.service, k=2)
    assert isinstance(retriever, BaseRetriever)
    nodes = retriever.retrieve(QueryBundle("Who cut the ribbon on the harbour bridge?"))
    assert all(isinstance(n, NodeWithScore) for n in nodes)
    top = nodes[0].node
    assert top.metadata["doc_id"] == "bridge" and top.metadata["publish_date"] == "2026-09-29"
    assert DOCS[0].text[top.start_char_idx : top.end_char_idx] == top.get_content()


def test_the_query_engine_answers_with_its_cited_source_nodes(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(DOCS)
    engine = CitechatQueryEngine(service=app.service)
    assert isinstance(engine, CustomQueryEngine)
    response = engine.query("How many people died in the Carrow floods?")
    answer = response.metadata["answer"]
    assert str(response) == answer["answer"] and not answer["refused"]
    cited = {c["chunk_id"] for c in answer["citations"]}
    assert {n.node.node_id for n in response.source_nodes} == cited
