"""`citechat ingest` and `citechat stats`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ingest.date_rules import DateRules
from ingest.pipeline import ingestor_for
from rag.cli.common import arg_day, make_app, require_collection
from rag.core.errors import ConfigError, IngestError
from rag.stores.catalog import list_collections

FIELDS = ("id", "title", "text", "url", "publish_date", "source")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "ingest", parents=[common], help="load files or JSONL into the collection",
        description="Load .txt .md .html .pdf .docx files (folders are searched recursively) "
        "and .jsonl feeds (one record per line: id, title, text; optional url, publish_date, "
        "source). Unchanged documents are skipped, changed ones replaced; re-running never "
        "duplicates. Files of other types in a folder are listed, not read. A document's date "
        "comes from its metadata, front matter, byline or URL; where none is found, from "
        "--date-from or --publish-date, else the file's modification time (reported, and "
        "shown as '(file date)' with answers). Exit code 1 if any file or record failed.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--field", action="append", default=[], metavar="OURS=THEIRS",
                   help="read JSONL field THEIRS as OURS, e.g. --field text=body (repeatable)")
    p.add_argument("--sync", action="store_true",
                   help="also remove stored documents that are not in PATHs any more")
    p.add_argument("--date-from", metavar="RULE",
                   help="where the files keep their dates, used before any date found in them: "
                   "filename:PATTERN (e.g. filename:%%Y-%%m-%%d or filename:%%Y/%%m/%%d, "
                   "searched in the path under the folder given) or front-matter:KEY")
    p.add_argument("--publish-date", type=arg_day, metavar="YYYY-MM-DD",
                   help="the date of documents in which no date is found (instead of the "
                   "file's modification time)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_ingest)
    s = sub.add_parser("stats", parents=[common], help="show what the collection holds")
    s.set_defaults(run=cmd_stats)


def parse_field_map(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not theirs or ours not in FIELDS:
            raise ConfigError(
                f"--field {pair!r}: expected OURS=THEIRS with OURS one of {sorted(FIELDS)}"
            )
        mapping[ours] = theirs
    return mapping


def cmd_ingest(args: argparse.Namespace) -> int:
    field_map = parse_field_map(args.field)
    dates = DateRules.parse(args.date_from, args.publish_date)
    for path in args.paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or folder")
    app = make_app(args)
    existing = list_collections(app.settings.data_dir)
    from tqdm import tqdm

    with tqdm(unit=" docs", disable=args.quiet or None, file=sys.stderr) as bar:
        report = ingestor_for(app).ingest(
            args.paths, field_map, sync=args.sync, on_progress=lambda _: bar.update(1),
            dates=dates,
        )
    for failure in report.failed:
        print(f"error: {failure}", file=sys.stderr)
    if report.sync_skipped:
        print("warning: --sync removed nothing because some inputs failed to load; fix them "
              "and run again", file=sys.stderr)
    print(report.summary())
    if app.settings.collection not in existing:  # a typo in --collection must not go unseen
        others = f" (the others: {', '.join(existing)})" if existing else ""
        print(f"created collection {app.settings.collection!r} in {app.settings.data_dir}"
              f"{others}")
    for warning in report.warnings():  # last, where they are seen: skipped files, file dates
        print(f"warning: {warning}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_stats(args: argparse.Namespace) -> int:
    app = make_app(args)
    vectors = app.dense.count()  # a Chroma server that cannot be reached is named first
    require_collection(app.settings)  # before the catalog, which would create it
    docs, chunks = app.catalog.counts()
    where = app.settings.chroma.url or str(app.settings.data_dir / "chroma")
    print(f"collection {app.settings.collection}: {docs} documents, {chunks} chunks")
    print(f"data dir:   {app.settings.data_dir}")
    print(f"chroma:     {where} ({vectors} vectors)")
    return 0
