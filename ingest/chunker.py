"""Sentence-boundary chunking that keeps exact character offsets into the cleaned text.

LlamaIndex's SentenceSplitter counts tokens with tiktoken and re-joins split text, so chunk
text is not always a verbatim slice of the document; citations need `text[start:end] == chunk`.
This parser packs whole sentences (from `rag.text.sentences.sentence_spans`) up to a character
budget and
emits `TextNode`s whose text is exactly the document slice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.node_parser import NodeParser
from llama_index.core.schema import BaseNode, NodeRelationship, TextNode
from pydantic import Field

from rag.text.sentences import sentence_spans

# Metadata that only locates or filters a chunk: kept out of the embedded and LLM text.
LOCATOR_KEYS = ["doc_id", "url", "publish_date", "date_ts", "source", "date_provenance"]


def chunk_id(doc_id: str, index: int) -> str:
    """Stable chunk id: the document id plus the chunk's position."""
    return f"{doc_id}::{index:04d}"


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
            spans = pack_sentences(sentence_spans(text), self.chunk_chars, self.overlap_sentences)
            for index, (start, end) in enumerate(spans):
                out.append(self._node(doc, text, index, start, end))
        return out

    def _node(self, doc: BaseNode, text: str, index: int, start: int, end: int) -> TextNode:
        return TextNode(
            id_=chunk_id(doc.node_id, index),
            text=text[start:end],
            start_char_idx=start,
            end_char_idx=end,
            metadata={**doc.metadata, "chunk_index": index},
            excluded_embed_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
            excluded_llm_metadata_keys=[*LOCATOR_KEYS, "chunk_index"],
            relationships={NodeRelationship.SOURCE: doc.as_related_node_info()},
        )
