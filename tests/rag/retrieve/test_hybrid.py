from ingest.documents import SourceDocument
from ingest.pipeline import ingestor_for
from rag.core.protocols import SearchFilters
from rag.retrieve.hybrid import reciprocal_rank_fusion


def test_rrf_rewards_agreement_and_breaks_ties_by_id():
    fused = reciprocal_rank_fusion({"kw": ["a", "b", "c"], "dense": ["b", "a", "d"]},
                                   {"kw": 1.0, "dense": 1.0}, k=60)
    assert [i for i, _ in fused][:2] == ["a", "b"]  # equal scores: id order
    assert fused[0][1] == fused[1][1] > fused[2][1]


def test_rrf_weights_shift_the_order():
    fused = reciprocal_rank_fusion({"kw": ["a"], "dense": ["b"]}, {"kw": 2.0, "dense": 1.0})
    assert [i for i, _ in fused] == ["a", "b"]


DOCS = [
    SourceDocument(doc_id="flood-1", text="Carrow flood: seven people died on Monday.",
                   title="Flood toll", publish_date="2026-09-02", source="Herald"),
    SourceDocument(doc_id="flood-2", text="Carrow flood: the toll was revised to fourteen.",
                   title="Flood toll revised", publish_date="2026-09-20", source="Wire"),
    SourceDocument(doc_id="stadium", text="The council voted to cancel the stadium project.",
                   title="Stadium cancelled", publish_date="2026-10-01", source="Herald"),
]


def test_hybrid_ranks_the_relevant_documents_first_with_both_ranks(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(DOCS)
    hits = app.retriever.retrieve("How many died in the Carrow flood?", 3)
    assert {h.chunk.doc_id for h in hits[:2]} == {"flood-1", "flood-2"}
    assert hits[0].keyword_rank is not None and hits[0].dense_rank is not None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_filters_reach_both_retrievers(make_app):
    app = make_app()
    ingestor_for(app).ingest_items(DOCS)
    since = app.retriever.retrieve("Carrow flood", 5, SearchFilters(since="2026-09-10"))
    assert {h.chunk.doc_id for h in since} <= {"flood-2", "stadium"}
    assert "flood-2" in {h.chunk.doc_id for h in since}
    herald = app.retriever.retrieve("flood", 5, SearchFilters(source="Herald"))
    assert {h.chunk.doc_id for h in herald} <= {"flood-1", "stadium"}
    dense_only = app.dense.search(app.embedder.embed(["flood"])[0], 5,
                                  SearchFilters(until="2026-09-05"))
    assert [cid.split("::")[0] for cid, _ in dense_only] == ["flood-1"]


def test_an_empty_collection_returns_nothing(make_app):
    assert make_app().retriever.retrieve("anything at all", 5) == []
