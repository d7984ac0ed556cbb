"""`citechat` — ingest news, retrieve passages and ask questions with cited answers.

Every subcommand takes --data-dir, --collection, --config and --chroma-url; settings also come
from CITECHAT_* environment variables and citechat.toml (see README.md).
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence

from rag.cli import ask, chat, ingest, model, ui, verify
from rag.cli import eval as evals_cli
from rag.cli.common import common_flags
from rag.core.errors import CitechatError, ConfigError, InputError

log = logging.getLogger("citechat")

EPILOG = """examples:
  citechat ingest articles/                      ingest a folder (recursive) or .jsonl files
  citechat ingest feed.jsonl --field text=body   map your JSONL field names onto ours
  citechat ask "How many people died in the Carrow flood?"
  citechat ask --questions qs.jsonl --json --out answers.jsonl
  citechat retrieve "stadium vote" -k 5 --json
  citechat ask --mode extractive "…"             no model: quotes only (--mode llm: your endpoint)
  citechat model --prepare                       get the local model ready (default answer mode)
  citechat chat                                  a conversation; follow-ups keep the context
  citechat eval --dataset sample --against baseline   regression gate on answer quality
  citechat stats
  citechat verify [--repair]                     check (and fix) the stores against each other
  citechat ui --port 7860                        chat in the browser (http://127.0.0.1:7860)
  citechat feedback export feedback.jsonl        thumbs up/down → eval dataset
"""


def build_parser() -> argparse.ArgumentParser:
    common = common_flags()
    parser = argparse.ArgumentParser(
        prog="citechat", description=__doc__.splitlines()[0],
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in (ingest, ask, chat, model, ui, evals_cli, verify):
        command.register(sub, common)
    return parser


COMMON_VALUED = ("--data-dir", "--collection", "--config", "--chroma-url")
COMMON_SWITCHES = ("-v", "--verbose")


def hoist_common_flags(argv: Sequence[str]) -> list[str]:
    """The flags every command takes may come before the command too: they are moved to the
    end, where the command's own parser reads them.

    >>> hoist_common_flags(["--data-dir", "/d", "-v", "ask", "Who won?"])
    ['ask', 'Who won?', '--data-dir', '/d', '-v']
    >>> hoist_common_flags(["--collection=wire", "stats"])
    ['stats', '--collection=wire']
    >>> hoist_common_flags(["ask", "--data-dir", "/d", "q"])
    ['ask', '--data-dir', '/d', 'q']
    """
    moved: list[str] = []
    rest = list(argv)
    while rest:
        flag = rest[0].split("=", 1)[0]
        if flag in COMMON_VALUED and "=" not in rest[0] and len(rest) > 1:
            moved += rest[:2]
            rest = rest[2:]
        elif flag in COMMON_VALUED or flag in COMMON_SWITCHES:
            moved.append(rest.pop(0))
        else:
            break
    return rest + moved


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(hoist_common_flags(sys.argv[1:] if argv is None else argv))
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.run(args) or 0)
    except ConfigError as exc:
        print(f"citechat: configuration error: {exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"citechat: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `citechat … | head`: the reader left; so do we, quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except CitechatError as exc:
        print(f"citechat: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.OperationalError) as exc:  # an unusable data dir, a full disk
        print(f"citechat: {unusable(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ncitechat: interrupted; everything committed so far is kept — "
              "run the same command again to resume.", file=sys.stderr)
        return 130


def unusable(exc: OSError | sqlite3.OperationalError) -> str:
    """A file-system error as a message that names the file and the fix.

    >>> unusable(PermissionError(13, "Permission denied", "/srv/c/catalog.sqlite"))[:59]
    'cannot use /srv/c/catalog.sqlite: Permission denied; check '
    """
    where = getattr(exc, "filename", None)
    what = getattr(exc, "strerror", None) or str(exc)
    if "full" in what or getattr(exc, "errno", None) == errno.ENOSPC:
        fix = "free some disk space and run the same command again (then `citechat verify`)"
    else:
        fix = ("check that the data dir (--data-dir, CITECHAT_DATA_DIR) is a folder this user "
               "can read and write")
    return f"cannot use {where}: {what}; {fix}" if where else f"{what}; {fix}"


if __name__ == "__main__":
    sys.exit(main())
