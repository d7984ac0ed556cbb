"""Helpers the fault tests and `bench/faults.py` share: a data dir filled by the worker's
app, damage done on purpose, and the state a scenario must end in."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

from tests.faults.corpus import articles
from tests.faults.worker import COLLECTION, build

PAGE = 4096


def fill(data_dir: Path, n: int = 40, seed: int = 16) -> Any:
    """An App (hashing embedder) over `data_dir` with `n` corpus articles ingested."""
    from ingest.documents import SourceDocument
    from ingest.pipeline import ingestor_for

    app = build(data_dir)
    docs = [SourceDocument(doc_id=a["id"], text=a["text"], title=a["title"],
                           publish_date=a["publish_date"], source=a["source"], origin=a["id"])
            for a in articles(n, seed)]
    ingestor_for(app).ingest_items(docs)
    return app


def state(data_dir: Path) -> tuple[dict[str, str], int, int]:
    """(doc id -> content hash, chunks, vectors) as a fresh process would see them."""
    app = build(data_dir)
    return app.catalog.content_hashes(), app.catalog.counts()[1], app.dense.count()


def catalog_path(data_dir: Path) -> Path:
    return data_dir / "collections" / COLLECTION / "catalog.sqlite"


def damage_a_page(path: Path, seed: int = 1, table: str = "documents") -> int:
    """Overwrite one page of `table`'s b-tree in the SQLite file `path` with noise; returns
    the page number (1-based)."""
    with sqlite3.connect(path) as db:
        pages = [row[0] for row in db.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))]
    page = random.Random(seed).choice(pages) if pages else 2
    noise = random.Random(seed).randbytes(PAGE)
    with path.open("r+b") as f:
        f.seek((page - 1) * PAGE)
        f.write(noise)
    return page


def remove_hnsw_files(data_dir: Path) -> list[Path]:
    """Delete the vector index files of every segment (what a botched copy or cleanup does),
    and drop this process's open client, which still holds the index in memory."""
    from rag.stores.chroma_local import local_chroma

    gone = list((data_dir / "chroma").glob("*/*.bin"))
    for f in gone:
        f.unlink()
    store = local_chroma(data_dir / "chroma")
    store.reopen(store.generation)
    return gone
