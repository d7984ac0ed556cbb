"""What every subcommand shares: the storage flags, the app built once from the settings,
date and filter flags, and JSON printing."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from rag.app import App, build_app
from rag.core.errors import ConfigError
from rag.core.filters import make_filters, parse_day
from rag.core.protocols import SearchFilters
from rag.core.settings import load_settings

MODES = ["auto", "local", "extractive", "llm"]


def common_flags() -> argparse.ArgumentParser:
    """--data-dir, --collection, --config, --chroma-url and -v, for every subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    g = common.add_argument_group("where things are stored")
    g.add_argument("--data-dir", type=Path, help="folder for all stored data (CITECHAT_DATA_DIR)")
    g.add_argument("--collection", help="collection name (CITECHAT_COLLECTION, default: news)")
    g.add_argument("--config", type=Path, help="TOML settings file (default: ./citechat.toml)")
    g.add_argument("--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000 "
                   "(default: embedded Chroma under the data dir)")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return common


def make_app(args: argparse.Namespace) -> App:
    """The app for these flags: CLI flags override the environment and the TOML file."""
    overrides: dict[str, Any] = {"data_dir": args.data_dir, "collection": args.collection}
    if args.chroma_url:
        overrides["chroma"] = {"url": args.chroma_url}
    if getattr(args, "mode", None):
        overrides["answer"] = {"mode": args.mode}
    return build_app(load_settings(args.config, **overrides))


def add_mode_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=MODES,
                   help="answer mode (answer.mode, default auto: local when the local model is "
                   "installed, else extractive); llm needs llm.base_url or OPENAI_API_KEY")


def arg_day(value: str) -> date | None:
    """An argparse `type=` for YYYY-MM-DD flags (blank = not given), checked as the UI checks
    its fields."""
    try:
        return parse_day(value)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_search_flags(p: argparse.ArgumentParser) -> None:
    """-k, --as-of, --since, --until, --source and --json."""
    p.add_argument("-k", type=int, help="number of passages (default: from settings)")
    p.add_argument("--as-of", type=arg_day, metavar="YYYY-MM-DD",
                   help="read the documents as on this date (default today): later documents "
                   "are not read, 'this week' or 'on Monday' count back from it")
    p.add_argument("--since", type=arg_day, metavar="YYYY-MM-DD",
                   help="only documents published on/after (drops undated ones)")
    p.add_argument("--until", type=arg_day, metavar="YYYY-MM-DD",
                   help="only documents published on/before (keeps undated ones)")
    p.add_argument("--source", help="only documents from this source (exact name)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


def filters_from(args: argparse.Namespace) -> SearchFilters | None:
    return make_filters(args.since, args.until, args.source, as_of=getattr(args, "as_of", None))


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False))
