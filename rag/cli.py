"""`citechat` — ingest news, retrieve passages and ask questions with cited answers.

Every subcommand takes --data-dir, --collection, --config and --chroma-url; settings also come
from CITECHAT_* environment variables and citechat.toml (see README.md).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from rag.errors import CitechatError, ConfigError

log = logging.getLogger("citechat")

EPILOG = """examples:
  citechat ingest samples/corpus                 ingest a folder (recursive) or .jsonl files
  citechat ingest feed.jsonl --field text=body   map your JSONL field names onto ours
  citechat ask "How many people died in the Carrow flood?"
  citechat ask --questions qs.jsonl --json --out answers.jsonl
  citechat retrieve "stadium vote" -k 5 --json
  citechat ask --mode llm "…"                     generative answer, every sentence verified
  citechat chat                                  a conversation; follow-ups keep the context
  citechat eval --dataset sample --against baseline   regression gate on answer quality
  citechat stats
  citechat ui --port 7860                        chat in the browser (http://127.0.0.1:7860)
  citechat feedback export feedback.jsonl        thumbs up/down → eval dataset
"""


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    g = common.add_argument_group("where things are stored")
    g.add_argument("--data-dir", type=Path, help="folder for all stored data (CITECHAT_DATA_DIR)")
    g.add_argument("--collection", help="collection name (CITECHAT_COLLECTION, default: news)")
    g.add_argument("--config", type=Path, help="TOML settings file (default: ./citechat.toml)")
    g.add_argument("--chroma-url", help="Chroma server URL, e.g. http://127.0.0.1:8000 "
                   "(default: embedded Chroma under the data dir)")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="citechat", description=__doc__.splitlines()[0],
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from rag.cli_commands import register

    register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.run(args) or 0)
    except ConfigError as exc:
        print(f"citechat: configuration error: {exc}", file=sys.stderr)
        return 2
    except CitechatError as exc:
        print(f"citechat: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ncitechat: interrupted; everything committed so far is kept — "
              "run the same command again to resume.", file=sys.stderr)
        return 130


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
