"""Sentence-boundary chunking that keeps exact character offsets into the cleaned text.

LlamaIndex's SentenceSplitter counts tokens with tiktoken and re-joins split text, so chunk
text is not always a verbatim slice of the document; citations need `text[start:end] == chunk`.
This parser packs whole sentences (from `rag.text.sentences.sentence_spans`) up to a character
budget and emits `TextNode`s whose text is exactly the document slice; a sentence longer than
the budget (text with no sentence breaks) is cut at spaces, so no chunk exceeds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.node_parser import NodeParser
from llama_index.core.schema import BaseNode, NodeRelationship, RelatedNodeInfo, TextNode
from pydantic import Field

from rag.text.sentences import sentence_spans

# Metadata that only locates or filters a chunk: kept out of the embedded and LLM text.
LOCATOR_KEYS = ["doc_id", "url", "publish_date", "date_ts", "source", "date_provenance"]


def chunk_id(doc_id: str, index: int) -> str:
    """Stable chunk id: the document id plus the chunk's position."""
    return f"{doc_id}::{index:04d}"


def hard_split(
    text: str, spans: Sequence[tuple[int, int]], max_chars: int
) -> list[tuple[int, int]]:
    """`spans` with every span longer than `max_chars` cut into pieces of at most `max_chars`,
    at the last space of each piece where there is one (text without sentence breaks: a
    10 MB line must not become one 10 MB chunk). Spaces at a cut are left out of both pieces.

    >>> hard_split("aaaa bbbb cc", [(0, 12)], 6)
    [(0, 4), (5, 9), (10, 12)]
    >>> hard_split("abcdefgh", [(0, 8)], 3)
    [(0, 3), (3, 6), (6, 8)]
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > max_chars:
            space = text.rfind(" ", start + 1, start + max_chars + 1)
            cut = space if space > start else start + max_chars
            out.append((start, cut))
            start = cut
            while start < end and text[start] == " ":
                start += 1
        if end > start:
            out.append((start, end))
    return out


def pack_sentences(
    spans: Sequence[tuple[int, int]], max_chars: int, overlap: int
) -> list[tuple[int, int]]:
    """Group sentence spans into chunk spans of at most `max_chars` (a longer sentence stands
    alone); consecutive chunks share the last `overlap` sentences of the previous one.

    >>> pack_sentences([(0, 10), (11, 20), (21, 30)], max_chars=20, overlap=0)
    [(0, 20), (21, 30)]
    """
    chunks: list[tuple[int, int]] = []
    first = 0
    while first < len(spans):
        last = first
        while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= max_chars:
            last += 1
        chunks.append((spans[first][0], spans[last][1]))
        if last + 1 >= len(spans):
            break
        first = max(last + 1 - overlap, first + 1)
    return chunks


class OffsetSentenceSplitter(NodeParser):
    """Split documents into sentence-aligned chunks whose offsets index the document text."""

    chunk_chars: int = Field(default=900, description="Target chunk size in characters.")
    overlap_sentences: int = Field(default=1, description="Sentences repeated in the next chunk.")

    def _parse_nodes(
        self, nodes: Sequence[BaseNode], show_progress: bool = False, **kwargs: Any
    ) -> list[BaseNode]:
        out: list[BaseNode] = []
        for doc in nodes:
            text = doc.get_content()
            sentences = hard_split(text, sentence_spans(text), self.chunk_chars)
            spans = pack_sentences(sentences, self.chunk_chars, self.overlap_sentences)
            source = doc.as_related_node_info()  # hashes the whole text: once, not per chunk
            for index, (start, end) in enumerate(spans):
                out.append(self._node(doc, source, text, index, start, end))
        return out

    def _node(
        self, doc: BaseNode, source: RelatedNodeInfo, text: str, index: int, start: int, end: int
    ) -> TextNode:
        return TextNode(
            id_=chunk_id(doc.node_id, index),
            text=text[start:end],
            start_char_idx=start,
            end_char_idx=end,
            metadata={**doc.metadata, "chunk_index": index},
            excluded_embed_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
            excluded_llm_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
            relationships={NodeRelationship.SOURCE: source.model_copy()},
        )
