"""Issue 16 (3, 4): `citechat verify` finds what the two stores disagree on (exit 1) and
`--repair` puts it right and says what it did (then exit 0), through the real CLI with the
hashing embedder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rag.cli import common
from rag.cli.main import main
from tests.fakes.hashing import HashingEmbedder
from tests.faults.helpers import catalog_path, damage_a_page, fill, remove_hnsw_files, state
from tests.faults.worker import COLLECTION

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def hashing_cli(monkeypatch):
    """The CLI's app with the hashing embedder (the one the data was written with)."""
    real = common.build_app
    monkeypatch.setattr(common, "build_app",
                        lambda settings: real(settings, embedder=HashingEmbedder()))


def verify(data_dir: Path, *flags: str) -> int:
    return main(["verify", "--data-dir", str(data_dir), "--collection", COLLECTION, *flags])


def test_a_clean_store_verifies(tmp_path, capsys):
    fill(tmp_path)
    assert verify(tmp_path) == 0
    assert capsys.readouterr().out.startswith("ok: 40 documents, 40 chunks, 40 vectors")


def test_orphans_and_missing_vectors_are_found_then_repaired(tmp_path, capsys):
    app = fill(tmp_path)
    app.dense.delete(["story-003", "story-004"])
    app.catalog.delete(["story-010"])  # its vector stays: an orphan
    assert verify(tmp_path) == 1
    out = capsys.readouterr().out
    assert "2 chunks have no vector (2 documents affected)" in out
    assert "1 vectors belong to no catalog chunk" in out
    assert verify(tmp_path, "--repair") == 0
    out = capsys.readouterr().out
    assert "repaired: dropped 1 vectors" in out and "repaired: re-embedded 2 documents" in out
    assert out.splitlines()[-1].startswith("ok: 39 documents, 39 chunks, 39 vectors")


@pytest.mark.integration  # ~20 s: the index files exist only past Chroma's sync threshold
def test_missing_hnsw_files_name_the_repair_which_rebuilds_the_collection(tmp_path, capsys):
    fill(tmp_path, n=1200)
    before = state(tmp_path)
    remove_hnsw_files(tmp_path)
    asked = subprocess.run([sys.executable, "-m", "tests.faults.worker", "ask", str(tmp_path),
                            "Who reopened the ferry?"], capture_output=True, text=True,
                           cwd=REPO, timeout=120)  # a fresh process: this one caches the index
    assert asked.returncode == 1 and "citechat verify --repair" in asked.stderr
    assert verify(tmp_path) == 1
    assert verify(tmp_path, "--repair") == 0
    assert "emptied the collection" in capsys.readouterr().out
    assert state(tmp_path) == before


def test_a_damaged_catalog_page_is_salvaged_and_the_lost_documents_named(tmp_path, capsys):
    fill(tmp_path, n=120)
    damage_a_page(catalog_path(tmp_path))
    assert verify(tmp_path) == 1
    assert verify(tmp_path, "--repair") == 0
    out = capsys.readouterr().out
    assert "salvaged the catalog" in out and "damaged-" in out
    hashes, chunks, vectors = state(tmp_path)
    assert chunks == vectors == len(hashes) > 0
    if len(hashes) < 120:
        assert "were lost with the damaged pages; ingest their sources again" in out


def test_a_damaged_keyword_index_is_rebuilt(tmp_path, capsys):
    fill(tmp_path, n=120)
    damage_a_page(catalog_path(tmp_path), table="chunks_fts_data")
    assert verify(tmp_path) == 1
    assert verify(tmp_path, "--repair") == 0
    hashes, chunks, vectors = state(tmp_path)
    assert chunks == vectors == len(hashes)
