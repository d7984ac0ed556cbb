"""From a loaded document to what the stores keep: cleaned text, a content hash, and for a huge
text its parts; and the LlamaIndex documents and catalog chunks in between.

A document longer than `Limits.part_chars` becomes parts `doc`, `doc#part2`, ... (titles
"... (part 2 of 3)"), each a document of its own, so a huge file is committed a part at a time.

>>> doc = SourceDocument(doc_id="a.txt", text="One. " * 6, title="A", origin="a.txt")
>>> for record in to_records(doc, "One. " * 6, "f", part_chars=12):
...     print(record.doc_id, "|", record.title)
a.txt | A (part 1 of 3)
a.txt#part2 | A (part 2 of 3)
a.txt#part3 | A (part 3 of 3)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable

from llama_index.core import Document
from llama_index.core.schema import BaseNode, TextNode

from ingest.clean import clean_title
from ingest.documents import SourceDocument
from ingest.limits import split_parts
from rag.core.types import Chunk
from rag.stores.catalog import DocumentRecord
from rag.stores.chroma import date_ts

_PART = re.compile(r"^(.*)#part(\d+)$")


def part_id(doc_id: str, number: int) -> str:
    """The id of part `number` (from 1) of a document; part 1 keeps the document's id."""
    return doc_id if number == 1 else f"{doc_id}#part{number}"


def parts_by_document(doc_ids: Iterable[str]) -> dict[str, list[str]]:
    """Stored part ids (`doc#part2`, ...) grouped by the id of their document.

    >>> dict(parts_by_document(["a", "a#part2", "b", "a#part3"]))
    {'a': ['a#part2', 'a#part3']}
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for doc_id in doc_ids:
        found = _PART.match(doc_id)
        if found:
            groups[found.group(1)].append(doc_id)
    return groups


def to_records(
    doc: SourceDocument, text: str, fingerprint: str, part_chars: int
) -> list[DocumentRecord]:
    """The cleaned document `text` as one record, or as parts when it is longer than
    `part_chars`; each content hash covers the text, metadata and `fingerprint`."""
    spans = split_parts(text, part_chars)
    title = clean_title(doc.title)
    if len(spans) == 1:
        return [_record(doc, doc.doc_id, text, title, fingerprint)]
    return [_record(doc, part_id(doc.doc_id, n), text[start:end],
                    f"{title} (part {n} of {len(spans)})", fingerprint)
            for n, (start, end) in enumerate(spans, start=1)]


def _record(
    doc: SourceDocument, doc_id: str, text: str, title: str, fingerprint: str
) -> DocumentRecord:
    payload = json.dumps(
        [text, title, doc.url, doc.publish_date, doc.source, fingerprint], ensure_ascii=False
    )
    return DocumentRecord(
        doc_id=doc_id,
        content_hash=hashlib.sha256(payload.encode()).hexdigest(),
        text=text,
        title=title,
        url=doc.url,
        publish_date=doc.publish_date,
        date_provenance=doc.date_provenance,
        source=doc.source,
        origin=doc.origin,
    )


def to_document(record: DocumentRecord) -> Document:
    """The LlamaIndex document the chunker and embed model read."""
    metadata = {
        "doc_id": record.doc_id,
        "title": record.title,
        "url": record.url or "",
        "publish_date": record.publish_date or "",
        "date_ts": date_ts(record.publish_date),
        "date_provenance": record.date_provenance or "",
        "source": record.source or "",
    }
    return Document(id_=record.doc_id, text=record.text, metadata=metadata)


def to_chunk(node: BaseNode) -> Chunk:
    """The catalog's copy of a chunk node."""
    assert isinstance(node, TextNode), type(node)  # the splitter makes TextNodes
    meta = node.metadata
    return Chunk(
        chunk_id=node.node_id,
        doc_id=meta["doc_id"],
        text=node.get_content(),
        start=node.start_char_idx or 0,
        end=node.end_char_idx or 0,
        title=meta.get("title", ""),
        url=meta.get("url") or None,
        publish_date=meta.get("publish_date") or None,
        date_provenance=meta.get("date_provenance") or None,
        source=meta.get("source") or None,
    )
