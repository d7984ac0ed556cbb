"""The committed sample baseline still holds with the real model and store (the CI gate)."""

from __future__ import annotations

import argparse

import pytest

from evals.cli import register
from rag.cli import _common

pytestmark = pytest.mark.integration


def test_sample_eval_passes_against_committed_baseline(tmp_path, capsys):
    parser = argparse.ArgumentParser(prog="citechat")
    register(parser.add_subparsers(dest="command", required=True), _common())
    args = parser.parse_args(["eval", "--dataset", "sample", "--against", "baseline", "--quiet",
                              "--data-dir", str(tmp_path / "data"), "--out", str(tmp_path)])
    code = args.run(args)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "PASS against" in out and "pass → fail" not in out
