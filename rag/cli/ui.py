"""`citechat ui` (the chat in a browser) and `citechat feedback export` (ratings → eval set)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
from pathlib import Path
from typing import Any

from rag.cli.common import make_app
from ui.feedback import FeedbackStore

log = logging.getLogger(__name__)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the `ui` and `feedback` subcommands to the `citechat` parser."""
    p = sub.add_parser(
        "ui", parents=[common], help="chat with the collection in your browser",
        description="Serve the chat UI (streamed answers, checkable sources, uploads, thumbs "
        "up/down) on http://HOST:PORT. It listens on 127.0.0.1 unless told otherwise, has no "
        "login, and loads nothing from the internet.",
    )
    p.add_argument("--host", help="address to listen on (default: ui.host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default: ui.port, 7860)")
    p.set_defaults(run=cmd_ui)

    fb = sub.add_parser("feedback", help="work with the thumbs up/down given in the UI")
    actions = fb.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = actions.add_parser(
        "export", parents=[common], help="write the ratings as an eval dataset (JSONL)",
        description="One line per rated answer (its latest rating): thumbs up makes the answer, "
        "its cited documents and quotes the gold standard; thumbs down keeps the question only.",
    )
    e.add_argument("out", type=Path, metavar="OUT.jsonl", help="file to write")
    e.set_defaults(run=cmd_feedback_export)


def cmd_ui(args: argparse.Namespace) -> int:
    """Build the app and serve the UI until interrupted."""
    app = make_app(args)
    host = args.host or app.settings.ui.host
    port = args.port or app.settings.ui.port
    if not _is_loopback(host):
        log.warning("the UI has no login; anyone who can reach %s:%s can use it", host, port)
    from ui.app import launch_ui  # imports gradio: only for this command

    print(f"citechat UI on http://{host}:{port} (Ctrl-C to stop)")
    launch_ui(app, host, port)
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    """Export the stored ratings; prints how many were written."""
    app = make_app(args)
    store = FeedbackStore.for_data_dir(app.settings.data_dir)
    count = store.export_dataset(args.out)
    print(f"exported {count} rated answer(s) from {store.path} to {args.out}")
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
