"""The packaged model's GGUF: joined once from its part packages, checked, cached, named."""

from __future__ import annotations

import hashlib
import importlib

import pytest

from rag.answer.llm.gguf import PackagedModel, installed, model_file
from rag.core.errors import ModelError

PARTS = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]


@pytest.fixture
def packaged(tmp_path, monkeypatch) -> PackagedModel:
    """Three fake part packages `citechat_fakepart1..3` on sys.path."""
    for i, data in enumerate(PARTS, start=1):
        pkg = tmp_path / "site" / f"citechat_fakepart{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
        (pkg / "__init__.py").write_text(
            "import os\ndef get_part_path():\n"
            f"    return os.path.join(os.path.dirname(__file__), 'data', 'part{i:02d}.bin')\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    whole = b"".join(PARTS)
    return PackagedModel("fake-model", "citechat-fakepart", "1.0", 3, len(whole),
                         hashlib.sha256(whole).hexdigest())


def test_the_parts_are_joined_checked_and_cached(packaged, tmp_path):
    assert installed(packaged)
    path = model_file(packaged, tmp_path / "cache")
    assert path.read_bytes() == b"".join(PARTS)
    assert path.with_suffix(".sha256").read_text().strip() == packaged.sha256
    stamp = path.stat().st_mtime_ns
    assert model_file(packaged, tmp_path / "cache") == path
    assert path.stat().st_mtime_ns == stamp  # not rebuilt
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")] == []


def test_a_wrong_hash_is_refused_and_leaves_nothing_behind(packaged, tmp_path):
    bad = PackagedModel(packaged.name, packaged.package, "1.0", 3, packaged.size, "0" * 64)
    with pytest.raises(ModelError, match="not the one citechat was tested with"):
        model_file(bad, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_truncated_cached_file_is_rebuilt(packaged, tmp_path):
    path = model_file(packaged, tmp_path / "cache")
    path.write_bytes(b"GGUF")
    assert model_file(packaged, tmp_path / "cache").read_bytes() == b"".join(PARTS)


def test_a_missing_part_names_the_package_and_the_fix(tmp_path):
    missing = PackagedModel("absent", "citechat-absentpart", "2.0", 2, 10, "0" * 64)
    assert not installed(missing)
    why = r"citechat-absentpart1==2\.0 is missing.*citechat\[local\]"
    with pytest.raises(ModelError, match=why):
        model_file(missing, tmp_path / "cache")
