from rag.core.protocols import SearchFilters
from rag.core.types import Chunk
from rag.stores.catalog import Catalog, DocumentRecord


def _doc(doc_id: str, text: str, date: str | None = None, source: str | None = None):
    record = DocumentRecord(doc_id=doc_id, content_hash=f"h-{text}", text=text, title=doc_id,
                            publish_date=date, source=source)
    chunk = Chunk(chunk_id=f"{doc_id}::0000", doc_id=doc_id, text=text, start=0, end=len(text),
                  title=doc_id, publish_date=date, source=source)
    return record, [chunk]


def test_bm25_ranks_the_matching_chunk_first(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    cat.write([_doc("a", "The stadium vote was cancelled by the council."),
               _doc("b", "Rain is expected across the valley on Friday.")])
    hits = cat.search("Why was the stadium vote cancelled?", 5)
    assert [c.doc_id for c, _ in hits] == ["a"]
    assert hits[0][1] > 0


def test_stemming_matches_word_forms(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    cat.write([_doc("a", "Workers are striking at the port.")])
    assert [c.doc_id for c, _ in cat.search("port strike", 5)] == ["a"]


def test_rewrite_replaces_chunks_and_delete_removes_them(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    cat.write([_doc("a", "old text about bridges")])
    cat.write([_doc("a", "new text about tunnels")])
    assert cat.counts() == (1, 1)
    assert cat.search("bridges", 5) == []
    assert [c.doc_id for c, _ in cat.search("tunnels", 5)] == ["a"]
    cat.delete(["a"])
    assert cat.counts() == (0, 0) and cat.search("tunnels", 5) == []


def test_filters_apply_inside_the_keyword_index(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    cat.write([_doc("sep", "flood toll rises", "2026-09-05", "Herald"),
               _doc("oct", "flood toll rises again", "2026-10-05", "Wire")])
    def ids(f):
        return sorted(c.doc_id for c, _ in cat.search("flood toll", 5, f))
    assert ids(SearchFilters(since="2026-10-01")) == ["oct"]
    assert ids(SearchFilters(until="2026-09-30")) == ["sep"]
    assert ids(SearchFilters(source="Herald")) == ["sep"]


def test_state_persists_across_reopen(tmp_path):
    Catalog(tmp_path / "c.sqlite").write([_doc("a", "persistent words")])
    again = Catalog(tmp_path / "c.sqlite")
    assert again.content_hashes() == {"a": "h-persistent words"}
    assert again.document_text("a") == "persistent words"


def test_a_query_of_only_stopwords_finds_nothing(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    cat.write([_doc("a", "what is the")])
    assert cat.search("what is the", 5) == []


def test_documents_come_back_in_write_order(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    cat.write([_doc("b", "second letter", "2026-09-05", "Herald"), _doc("a", "first letter")])
    docs = list(cat.documents())
    assert [d.doc_id for d in docs] == ["b", "a"]
    assert docs[0] == _doc("b", "second letter", "2026-09-05", "Herald")[0]


def test_chunks_of_returns_only_those_documents_in_write_order(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    record, _ = _doc("a", "one two")
    two = [Chunk(chunk_id=f"a::{i:04d}", doc_id="a", text=t, start=s, end=s + 3, title="a")
           for i, (t, s) in enumerate([("one", 0), ("two", 4)])]
    cat.write([(record, two), _doc("b", "other"), _doc("c", "more")])
    assert [c.chunk_id for c in cat.chunks_of(["c", "a"])] == ["a::0000", "a::0001", "c::0000"]
    assert cat.chunks_of(["a"]) == two
    assert cat.chunks_of([]) == []
