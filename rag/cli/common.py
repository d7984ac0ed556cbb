"""What every subcommand shares: the storage flags, the app built once from the settings,
date and filter flags, and JSON printing."""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from rag.app import App, build_app
from rag.core.errors import ConfigError
from rag.core.filters import make_filters, parse_day
from rag.core.protocols import SearchFilters
from rag.core.settings import CitechatSettings, load_settings
from rag.stores.catalog import list_collections

MODES = ["auto", "local", "extractive", "llm"]
# Subcommands that read a collection: naming one that does not exist is an error, not a new
# empty collection (only `ingest` creates one; `stats` checks for itself).
READS_A_COLLECTION = frozenset(["ask", "retrieve", "chat"])


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
    settings = load_settings(args.config, **overrides)
    check_data_dir(settings)
    if getattr(args, "command", None) in READS_A_COLLECTION:
        require_collection(settings)
    return build_app(settings)


FIX_DATA_DIR = "pass --data-dir DIR (or set CITECHAT_DATA_DIR) to a folder you can write to"


def check_data_dir(settings: CitechatSettings) -> None:
    """Raise `ConfigError` when the data dir cannot be used: a file, a folder this user may
    not enter, or (with embedded Chroma, which writes even to answer) a read-only one."""
    path = settings.data_dir
    if path.exists() and not path.is_dir():
        raise ConfigError(f"the data dir {path} is a file, not a folder: {FIX_DATA_DIR}")
    if path.is_dir() and not os.access(path, os.R_OK | os.X_OK):
        raise ConfigError(f"cannot read the data dir {path} (permission denied): run as its "
                          f"owner, give this user access (chmod/chown), or {FIX_DATA_DIR}")
    if path.is_dir() and not settings.chroma.url and not os.access(path, os.W_OK):
        raise ConfigError(f"the data dir {path} is read-only, and embedded Chroma writes to it "
                          "even to answer: make it writable, copy it somewhere writable and "
                          "pass --data-dir, or serve its chroma/ with `chroma run` and pass "
                          "--chroma-url")


def require_collection(settings: CitechatSettings) -> None:
    """Raise `ConfigError` when the collection was never ingested, listing the ones there are."""
    existing = list_collections(settings.data_dir)
    if settings.collection in existing:
        return
    where = f"under {settings.data_dir}"
    others = f"collections {where}: {', '.join(existing)}" if existing else f"none {where}"
    raise ConfigError(
        f"collection {settings.collection!r} does not exist ({others}); pick one with "
        f"--collection NAME, or create it with `citechat ingest PATH --collection "
        f"{settings.collection}`"
    )


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


MAX_K = 200


def arg_k(value: str) -> int:
    """An argparse `type=` for -k: a whole number from 1 to MAX_K."""
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if not 1 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(f"{k} is out of range: use 1 to {MAX_K}")
    return k


def add_search_flags(p: argparse.ArgumentParser) -> None:
    """-k, --as-of, --since, --until, --source and --json."""
    p.add_argument("-k", type=arg_k, help=f"number of passages, 1-{MAX_K} (default: settings)")
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
