"""Nothing touches the network: the CLI ingests and answers with only loopback available.

The commands run in a subprocess whose audit hook logs every socket connect and DNS lookup;
where `unshare -n` is allowed (root on Linux) they also run in a network namespace that has
no interface but loopback, so a download attempt would fail loudly, not just be logged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rag.app import local_model_available
from rag.core.settings import load_settings
from tests.netlog import net_log_env, netns_prefix

pytestmark = pytest.mark.integration

def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITECHAT_")}  # defaults
    env |= net_log_env(tmp_path) | {"CITECHAT_DATA_DIR": str(tmp_path / "data")}
    cmd = [*netns_prefix(), sys.executable, "-m", "rag.cli.main", *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parent.parent)


def test_ingest_and_ask_make_no_network_attempts(tmp_path, sample_corpus):
    """The default answer mode, the local model where it is installed (as `make demo` does)."""
    ingest = _run(["ingest", "--quiet", str(sample_corpus)], tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    ask = _run(["ask", "--json", "--as-of", "2026-10-01",
                "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"], tmp_path)
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    local = local_model_available(load_settings(data_dir=tmp_path / "data"))
    assert answer["mode"] == ("local" if local else "extractive")
    assert not answer["refused"] and "Amundsen" in answer["short_answer"]
    assert answer["citations"] and "[1]" in answer["answer"]
    log = tmp_path / "net.log"
    attempts = log.read_text().splitlines() if log.exists() else []
    outside = [a for a in attempts if "127.0.0.1" not in a and "localhost" not in a]
    assert outside == [], "network attempts:\n" + "\n".join(outside)
