"""Shared fixtures: deterministic fakes for unit tests, real parts for integration tests."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.answer.llm.gguf import QWEN_05B, PackagedModel, installed, model_file
from rag.answer.llm.local import LlamaCppModel
from rag.app import App, build_app
from rag.core.settings import load_settings
from tests.fakes.hashing import HashingEmbedder

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO / "evals" / "datasets" / "sample_corpus"
SAMPLE_EVAL = REPO / "evals" / "datasets" / "sample.jsonl"
LLAMA_START_TIMEOUT_S = 180


@pytest.fixture(scope="session")
def fake_embedder() -> HashingEmbedder:
    """Stateless, so one per session; module-scoped fixtures may use it too."""
    return HashingEmbedder()


@pytest.fixture(scope="session", autouse=True)
def no_model_unless_asked() -> Iterator[None]:
    """Every test answers extractively and judges lexically unless it asks for a model: the
    defaults (auto) would load the 1.1 GB local model wherever it is installed. Settings given
    explicitly (make_app(answer={"mode": "local"})) still win over these variables."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CITECHAT_ANSWER__MODE", "extractive")
        patch.setenv("CITECHAT_JUDGE__DECISION", "lexical")
        yield


@pytest.fixture
def make_app(tmp_path: Path, fake_embedder: HashingEmbedder):
    """Build an App over a temp data dir (embedded Chroma) with the hashing embedder; the answer
    mode is extractive unless a test asks for another (the default, auto, would pick the local
    model wherever it is installed)."""

    def _make(collection: str = "test", embedder=fake_embedder, local_model=None,
              **overrides) -> App:
        overrides.setdefault("answer", {"mode": "extractive"})
        settings = load_settings(data_dir=tmp_path / "data", collection=collection, **overrides)
        return build_app(settings, embedder=embedder, local_model=local_model)

    return _make


@pytest.fixture(scope="session")
def minilm():
    """The real local embedding model (loaded once per test session)."""
    from rag.stores.embedder import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def sample_corpus() -> Path:
    return SAMPLE_CORPUS


@pytest.fixture(scope="session")
def sample_eval() -> Path:
    return SAMPLE_EVAL


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def packaged_model_file(model: PackagedModel, tmp_path_factory: Any) -> Path:
    """The packaged GGUF assembled for this test session; skips when its parts are missing."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed ([local] extra)")
    if not installed(model):
        pytest.skip(f"the packaged model {model.name} is not installed ({model.package}1…)")
    return model_file(model, tmp_path_factory.getbasetemp() / "models")


@pytest.fixture(scope="session")
def small_model_file(tmp_path_factory) -> Path:
    """Qwen2.5-Coder-0.5B-Instruct (the `local-small` or `local-llm` extra): protocol tests."""
    return packaged_model_file(QWEN_05B, tmp_path_factory)


@pytest.fixture(scope="session")
def small_model(small_model_file: Path) -> LlamaCppModel:
    """The 0.5B model in-process, loaded once per session."""
    return LlamaCppModel(small_model_file, name=QWEN_05B.name)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory, small_model_file: Path) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server over the 0.5B model on a free port; yields its /v1
    URL. Shared by the LLM-mode and LLM-judge integration tests; skipped without the
    `local-llm` extra (llama-cpp-python[server] and the model)."""
    pytest.importorskip("llama_cpp.server", reason="llama-cpp-python[server] is not installed")
    port = free_port()
    log = (tmp_path_factory.mktemp("llama-log") / "server.log").open("w")
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(small_model_file),
         "--model_alias", "qwen-0.5b", "--n_threads", "2", "--n_ctx", "4096", "--host", "127.0.0.1",
         "--port", str(port), "--verbose", "False"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_for_models(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _wait_for_models(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + LLAMA_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"llama.cpp server exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as reply:
                if json.load(reply)["data"]:
                    return
        except OSError:
            time.sleep(1)
    pytest.fail(f"llama.cpp server did not answer {url}/models within {LLAMA_START_TIMEOUT_S} s")


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory) -> Iterator[str]:
    """A real `chroma run` server on a free loopback port for the session; yields its URL."""
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start within 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)
