"""A plain install works: `python -m venv v && v/bin/pip install <checkout>`, no `make` and no
extra step, then `citechat ingest` and `citechat ask` run offline.

pip may use the network and the pip cache; ingest and ask run in a network namespace with only
loopback where `unshare -n` is allowed, and every socket attempt is logged and must be none.
Slow (a full install): run with `pytest -m integration tests/rag/cli/test_install.py -s` to
see each step's output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.netlog import net_log_env, netns_prefix

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
QUESTION = "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"


def _copy_checkout(target: Path) -> Path:
    """The working tree as git sees it (tracked and new files, nothing ignored), so the build
    writes nothing into the real checkout."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    return target


def _offline(tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, **net_log_env(tmp_path)}
    env.pop("VIRTUAL_ENV", None)
    return netns_prefix(), env


def _step(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(cmd))
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
    return done


def test_a_plain_pip_install_ingests_and_answers_offline(tmp_path, sample_corpus):
    source = _copy_checkout(tmp_path / "citechat")
    venv = tmp_path / "v"
    assert _step([sys.executable, "-m", "venv", str(venv)], timeout=300).returncode == 0
    pip = _step([str(venv / "bin" / "pip"), "install", "--quiet", str(source)], timeout=2400)
    assert pip.returncode == 0, pip.stderr
    netns, env = _offline(tmp_path)
    data = ["--data-dir", str(tmp_path / "data")]
    citechat = [*netns, str(venv / "bin" / "citechat")]
    ingest = _step([*citechat, "ingest", "--quiet", *data, str(sample_corpus)], env=env,
                   timeout=900, cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "added 39" in ingest.stdout
    ask = _step([*citechat, "ask", "--mode", "extractive", "--as-of", "2026-10-01", *data,
                 QUESTION], env=env, timeout=600, cwd=tmp_path)
    assert ask.returncode == 0, ask.stderr
    assert "Amundsen" in ask.stdout and "[1]" in ask.stdout
    asked = _step([*citechat, "ask", "--json", "--mode", "extractive", *data, QUESTION], env=env,
                  timeout=600, cwd=tmp_path)
    assert json.loads(asked.stdout)["citations"]
    log = tmp_path / "net.log"
    attempts = log.read_text().splitlines() if log.exists() else []
    outside = [a for a in attempts if "127.0.0.1" not in a and "localhost" not in a]
    assert outside == [], "network attempts:\n" + "\n".join(outside)
