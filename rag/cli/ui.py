"""`citechat ui` (the chat in a browser) and `citechat feedback export` (ratings → eval set)."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from pathlib import Path
from typing import Any

from rag.cli.common import make_app
from rag.core.errors import ConfigError
from ui.auth import add_user, check_exposure, load_users
from ui.feedback import FeedbackStore

log = logging.getLogger(__name__)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the `ui` and `feedback` subcommands to the `citechat` parser."""
    p = sub.add_parser(
        "ui", parents=[common], help="chat with the collection in your browser",
        description="Serve the chat UI (streamed answers, checkable sources, documents and "
        "uploads, history, ratings) on http://HOST:PORT. It listens on 127.0.0.1 unless told "
        "otherwise and loads nothing from the internet. A login is asked for when users are "
        "given (--users FILE, ui.users_file or ui.users), and required to listen on any other "
        "address.",
    )
    p.add_argument("--host", help="address to listen on (default: ui.host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port to listen on (default: ui.port, 7860)")
    p.add_argument("--users", type=Path, metavar="FILE",
                   help="users file ('name:hash' lines) for the login (default: ui.users_file)")
    p.add_argument("--add-user", metavar="NAME",
                   help="add NAME (or change their password) in the users file and exit; the "
                   "password is asked for twice (or read from standard input when piped)")
    p.set_defaults(run=cmd_ui)

    fb = sub.add_parser("feedback", help="work with the ratings given in the UI")
    actions = fb.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = actions.add_parser(
        "export", parents=[common], help="write the ratings as an eval dataset (JSONL)",
        description="One line per rated answer (its latest rating): helpful makes the answer, "
        "its cited documents and quotes the gold standard; not helpful keeps the question only.",
    )
    e.add_argument("out", type=Path, metavar="OUT.jsonl", help="file to write")
    e.set_defaults(run=cmd_feedback_export)


def cmd_ui(args: argparse.Namespace) -> int:
    """Build the app and serve the UI until interrupted (or add a user and exit)."""
    app = make_app(args)
    ui = app.settings.ui.model_copy(update={"users_file": args.users or app.settings.ui.users_file})
    if args.add_user:
        if ui.users_file is None:
            raise ConfigError("--add-user needs a users file: --users FILE (or ui.users_file)")
        add_user(ui.users_file, args.add_user, read_password())
        print(f"saved user {args.add_user} in {ui.users_file}; start with "
              f"`citechat ui --users {ui.users_file}`")
        return 0
    host = args.host or ui.host
    port = args.port or ui.port
    users = load_users(ui)
    warning = check_exposure(host, users)  # a ConfigError off loopback without users
    if warning:
        log.warning(warning)
    from ui.app import launch_ui  # imports gradio: only for this command

    login = f", login for {len(users)} user(s)" if users else ""
    print(f"citechat UI on http://{host}:{port}{login} (Ctrl-C to stop)")
    if users:
        launch_ui(app, host, port, users=users)
    else:
        launch_ui(app, host, port)
    return 0


def read_password() -> str:
    """The new password: asked twice at a terminal, else the first line of standard input."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ConfigError("the two passwords differ; nothing was saved")
    return first


def cmd_feedback_export(args: argparse.Namespace) -> int:
    """Export the stored ratings; prints how many were written."""
    app = make_app(args)
    store = FeedbackStore.for_data_dir(app.settings.data_dir)
    count = store.export_dataset(args.out)
    print(f"exported {count} rated answer(s) from {store.path} to {args.out}")
    return 0
