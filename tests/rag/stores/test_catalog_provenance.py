"""Chunks carry their document's date provenance; catalogs made before keep working."""

import sqlite3

from rag.core.types import Chunk
from rag.stores.catalog import MIGRATIONS, Catalog, DocumentRecord
from rag.stores.migrations import migrate, schema_version


def _record(provenance: str | None) -> tuple[DocumentRecord, list[Chunk]]:
    text = "The stadium vote was cancelled by the council."
    record = DocumentRecord(doc_id="a", content_hash="h", text=text, title="a",
                            publish_date="2026-11-30", date_provenance=provenance)
    return record, [Chunk(chunk_id="a::0000", doc_id="a", text=text, start=0, end=len(text))]


def test_chunks_take_their_documents_date_provenance(tmp_path):
    cat = Catalog(tmp_path / "c.sqlite")
    cat.write([_record("mtime")])
    assert cat.chunks(["a::0000"])["a::0000"].date_provenance == "mtime"
    assert cat.search("stadium", 5)[0][0].date_provenance == "mtime"
    assert cat.chunks_of(["a"])[0].date_provenance == "mtime"


def test_a_catalog_made_before_gains_the_column_filled_from_its_documents(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    migrate(db, MIGRATIONS[:1])  # the schema as it was before this step
    db.execute("INSERT INTO documents VALUES ('a','h','a',NULL,'2026-11-30','mtime',NULL,'',"
               "'Stadium vote cancelled.')")
    db.execute("INSERT INTO chunks (chunk_id, doc_id, start, end, text, title, url, "
               "publish_date, source) VALUES ('a::0000','a',0,23,'Stadium vote cancelled.',"
               "'a',NULL,'2026-11-30',NULL)")
    db.commit()
    db.close()
    cat = Catalog(path)
    assert cat.chunks(["a::0000"])["a::0000"].date_provenance == "mtime"
    assert [c.doc_id for c, _ in cat.search("stadium", 5)] == ["a"]
    cat.close()
    with sqlite3.connect(path) as again:
        assert schema_version(again) == len(MIGRATIONS)
