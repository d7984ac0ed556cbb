"""`citechat ui` and `citechat feedback export`, registered on the real `citechat` parser."""

from __future__ import annotations

import argparse
import json

import pytest

from rag.cli import ui as ui_cli
from rag.cli.common import common_flags
from rag.core.types import Answer
from ui.feedback import FeedbackStore


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="citechat")
    sub = parser.add_subparsers(dest="command", required=True)
    ui_cli.register(sub, common_flags())
    return parser.parse_args(argv)


def test_feedback_export_writes_the_dataset(tmp_path, capsys):
    FeedbackStore.for_data_dir(tmp_path).add(
        Answer(question="Who?", answer="Amundsen.", short_answer="Amundsen"), up=True,
        answer_id="a1", collection="news", mode="extractive", k=8,
    )
    out = tmp_path / "fb.jsonl"
    args = _parse(["feedback", "export", str(out), "--data-dir", str(tmp_path)])
    assert args.run(args) == 0
    assert "exported 1 rated answer(s)" in capsys.readouterr().out
    assert json.loads(out.read_text())["answers"] == [["Amundsen"]]


def test_ui_serves_on_the_configured_host_and_port(tmp_path, monkeypatch):
    pytest.importorskip("gradio")
    import ui.app

    calls = []
    monkeypatch.setattr(ui.app, "launch_ui", lambda app, host, port: calls.append((host, port)))
    args = _parse(["ui", "--data-dir", str(tmp_path), "--port", "7999"])
    assert args.run(args) == 0
    assert calls == [("127.0.0.1", 7999)]


def test_ui_help_says_what_it_does(capsys):
    with pytest.raises(SystemExit):
        _parse(["ui", "--help"])
    assert "loads nothing from the internet" in capsys.readouterr().out
