"""Issue 16 (1): a reader survives a writer in another process. Before, an App that had asked
once, then saw a CLI ingest write to its data dir, failed every date-filtered query with
chromadb's "Error finding id" until it restarted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ingest.documents import SourceDocument
from ingest.pipeline import ingestor_for
from rag.core.protocols import SearchFilters
from tests.faults.worker import build

REPO = Path(__file__).resolve().parents[3]


def stories(prefix: str, n: int, day: str) -> list[SourceDocument]:
    return [SourceDocument(doc_id=f"{prefix}{i}", text=f"The bridge {prefix} {i} reopened on "
                           "Monday. Crowds came to see it.", title=f"Bridge {prefix}{i}",
                           publish_date=day, origin=f"{prefix}{i}") for i in range(n)]


def write_from_another_process(data_dir: Path, corpus: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tests.faults.worker", "ingest", str(data_dir),
                           str(corpus)], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]


def test_filtered_retrieval_survives_an_ingest_from_another_process(tmp_path: Path) -> None:
    from tests.faults.corpus import write_corpus

    app = build(tmp_path / "data")
    ingestor_for(app).ingest_items(stories("a", 20, "2026-09-01"))
    until = SearchFilters(until="2026-12-01")
    assert len(app.retriever.retrieve("bridge reopened", 5, until)) == 5  # the index is loaded
    write_from_another_process(tmp_path / "data", write_corpus(tmp_path / "corpus", 120)[0].parent)
    for _ in range(3):  # before: InternalError "Error finding id", every time
        assert len(app.retriever.retrieve("bridge reopened", 5, until)) == 5
    assert app.dense.count() == 140
    answer = app.service.ask("Who said the library reopened?")
    assert answer.answer


def test_a_write_that_raced_with_our_own_is_picked_up_by_one_retry(tmp_path: Path) -> None:
    from tests.faults.corpus import write_corpus

    app = build(tmp_path / "data")
    ingestor_for(app).ingest_items(stories("a", 20, "2026-09-01"))
    app.retriever.retrieve("bridge", 5, SearchFilters(until="2026-12-01"))
    write_from_another_process(tmp_path / "data", write_corpus(tmp_path / "corpus", 120)[0].parent)
    assert app.dense._local is not None
    app.dense._local.wrote()  # as if our own write had just hidden theirs from the stamp
    assert len(app.retriever.retrieve("bridge", 5, SearchFilters(until="2026-12-01"))) == 5
