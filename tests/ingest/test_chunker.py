from llama_index.core import Document

from ingest.chunker import OffsetSentenceSplitter, chunk_id, pack_sentences

TEXT = (
    "The Carrow river burst its banks on Monday. Dr. Ana Ruiz said 7 people died.\n\n"
    "Rescue crews from three counties arrived overnight. The U.S. embassy offered help. "
    "Officials expect the water to fall by Friday. Schools stay closed."
)


def _nodes(text: str, chunk_chars: int = 120, overlap: int = 1):
    doc = Document(id_="doc-1", text=text, metadata={"doc_id": "doc-1", "title": "Flood"})
    splitter = OffsetSentenceSplitter(chunk_chars=chunk_chars, overlap_sentences=overlap)
    return splitter.get_nodes_from_documents([doc])


def test_offsets_slice_the_document_exactly():
    nodes = _nodes(TEXT)
    assert len(nodes) > 1
    for node in nodes:
        assert TEXT[node.start_char_idx : node.end_char_idx] == node.get_content()


def test_chunks_end_on_sentence_boundaries_and_ids_are_stable():
    nodes = _nodes(TEXT)
    assert [n.node_id for n in nodes] == [chunk_id("doc-1", i) for i in range(len(nodes))]
    for node in nodes:
        assert node.get_content().endswith((".", "y")), node.get_content()
    assert [n.node_id for n in _nodes(TEXT)] == [n.node_id for n in nodes]


def test_overlap_repeats_the_last_sentence():
    nodes = _nodes(TEXT, overlap=1)
    assert nodes[1].start_char_idx < nodes[0].end_char_idx
    no_overlap = _nodes(TEXT, overlap=0)
    for a, b in zip(no_overlap, no_overlap[1:], strict=False):
        assert b.start_char_idx >= a.end_char_idx


def test_a_sentence_longer_than_the_budget_is_cut_at_spaces_into_chunks_within_it():
    long_sentence = "Words " + "word " * 60 + "end."
    text = f"Short one. {long_sentence} Another short one."
    nodes = _nodes(text, chunk_chars=50, overlap=0)
    assert max(len(n.get_content()) for n in nodes) <= 50
    assert " ".join(n.get_content() for n in nodes).split() == text.split()
    assert all(text[n.start_char_idx:n.end_char_idx] == n.get_content() for n in nodes)


def test_ten_megabytes_without_a_sentence_break_never_make_one_huge_chunk():
    text = "x" * 10_000_000  # issue 16 (6): this was one 10,485,760-character chunk
    nodes = _nodes(text, chunk_chars=900, overlap=1)
    assert len(nodes) == 11_112 and max(len(n.get_content()) for n in nodes) == 900


def test_metadata_is_kept_but_locators_are_not_embedded():
    node = _nodes(TEXT)[0]
    assert node.metadata["title"] == "Flood" and node.metadata["doc_id"] == "doc-1"
    assert "doc-1" not in node.get_content(metadata_mode="embed")
    assert "Flood" in node.get_content(metadata_mode="embed")


def test_pack_sentences_covers_every_sentence_in_order():
    spans = [(0, 40), (41, 80), (81, 120), (121, 160)]
    packed = pack_sentences(spans, max_chars=80, overlap=0)
    assert packed == [(0, 80), (81, 160)]
    assert pack_sentences([], 100, 1) == []
