"""Run a command with every network attempt logged (an audit hook loaded by sitecustomize.py)
and, where `unshare -n` works, inside a network namespace with only loopback."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

HOOK = """
import os, sys
def _hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto", "urllib.Request"):
        with open(os.environ["CITECHAT_NET_LOG"], "a") as log:
            log.write(f"{event} {args!r}\\n")
sys.addaudithook(_hook)
"""


def netns_prefix() -> list[str]:
    """`unshare -n` where this machine allows it, else nothing (the log still catches attempts)."""
    unshare = shutil.which("unshare")
    if not unshare or subprocess.run([unshare, "-n", "true"], capture_output=True).returncode:
        return []
    return [unshare, "-n"]


def net_log_env(tmp_path: Path) -> dict[str, str]:
    """The environment that loads the hook; attempts go to `tmp_path / "net.log"`."""
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(HOOK)
    return {"PYTHONPATH": str(hook), "CITECHAT_NET_LOG": str(tmp_path / "net.log"),
            "HF_HUB_OFFLINE": "1"}
