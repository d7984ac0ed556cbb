"""The subcommands of `citechat`: each parses its flags, builds the app once, and prints."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rag.app import App, build_app
from rag.errors import ConfigError, IngestError
from rag.filters import arg_day, make_filters, parse_day
from rag.llm.render import render_verification
from rag.protocols import SearchFilters
from rag.render import render_answer, render_results
from rag.settings import load_settings


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    _register_ingest(sub, common)
    _register_retrieve(sub, common)
    _register_ask(sub, common)
    from rag.llm.cli import register_chat  # `citechat chat`

    register_chat(sub, common)
    p = sub.add_parser("stats", parents=[common], help="show what the collection holds")
    p.set_defaults(run=cmd_stats)
    from ui.cli import register as register_ui  # ui.cli imports make_app from here

    register_ui(sub, common)
    from evals.cli import register as register_eval

    register_eval(sub, common)


def make_app(args: argparse.Namespace) -> App:
    overrides: dict[str, Any] = {"data_dir": args.data_dir, "collection": args.collection}
    if args.chroma_url:
        overrides["chroma"] = {"url": args.chroma_url}
    if getattr(args, "mode", None):
        overrides["answer"] = {"mode": args.mode}
    return build_app(load_settings(args.config, **overrides))


def add_mode_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=["extractive", "llm"],
                   help="answer mode (answer.mode; llm needs llm.base_url or OPENAI_API_KEY)")


def _filters(args: argparse.Namespace) -> SearchFilters | None:
    return make_filters(args.since, args.until, args.source, as_of=getattr(args, "as_of", None))


def _add_search_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("-k", type=int, help="number of passages (default: from settings)")
    p.add_argument("--since", type=arg_day, metavar="YYYY-MM-DD",
                   help="only documents published on/after (drops undated ones)")
    p.add_argument("--until", type=arg_day, metavar="YYYY-MM-DD",
                   help="only documents published on/before (keeps undated ones)")
    p.add_argument("--source", help="only documents from this source (exact name)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


# --- ingest -------------------------------------------------------------------------------

def _register_ingest(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "ingest", parents=[common], help="load files or JSONL into the collection",
        description="Load .txt .md .html .pdf .docx files (folders are searched recursively) "
        "and .jsonl feeds (one record per line: id, title, text; optional url, publish_date, "
        "source). Unchanged documents are skipped, changed ones replaced; re-running never "
        "duplicates. Exit code 1 if any file or record failed.",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--field", action="append", default=[], metavar="OURS=THEIRS",
                   help="read JSONL field THEIRS as OURS, e.g. --field text=body (repeatable)")
    p.add_argument("--sync", action="store_true",
                   help="also remove stored documents that are not in PATHs any more")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_ingest)


def parse_field_map(pairs: list[str]) -> dict[str, str]:
    allowed = {"id", "title", "text", "url", "publish_date", "source"}
    mapping = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not theirs or ours not in allowed:
            raise ConfigError(
                f"--field {pair!r}: expected OURS=THEIRS with OURS one of {sorted(allowed)}"
            )
        mapping[ours] = theirs
    return mapping


def cmd_ingest(args: argparse.Namespace) -> int:
    field_map = parse_field_map(args.field)
    for path in args.paths:
        if not path.exists():
            raise IngestError(f"{path}: no such file or folder")
    app = make_app(args)
    from tqdm import tqdm

    with tqdm(unit=" docs", disable=args.quiet or None, file=sys.stderr) as bar:
        report = app.ingestor.ingest(
            args.paths, field_map, sync=args.sync, on_progress=lambda _: bar.update(1)
        )
    for failure in report.failed:
        print(f"error: {failure}", file=sys.stderr)
    if report.sync_skipped:
        print("warning: --sync removed nothing because some inputs failed to load; fix them "
              "and run again", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


# --- retrieve / ask -----------------------------------------------------------------------

def _register_retrieve(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("retrieve", parents=[common], help="show the passages a question finds",
                       description="Hybrid search: BM25 keywords + dense vectors, fused by rank.")
    p.add_argument("query")
    _add_search_flags(p)
    p.set_defaults(run=cmd_retrieve)


def cmd_retrieve(args: argparse.Namespace) -> int:
    app = make_app(args)
    k = args.k or app.settings.retrieve.top_k
    results = app.retriever.retrieve(args.query, k, _filters(args))
    if args.json:
        print(json.dumps({
            "query": args.query,
            "results": [
                {"rank": i, "score": r.score, "keyword_rank": r.keyword_rank,
                 "dense_rank": r.dense_rank, **r.chunk.model_dump()}
                for i, r in enumerate(results, start=1)
            ],
        }, ensure_ascii=False))
    else:
        print(render_results(results))
    return 0


def _register_ask(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "ask", parents=[common], help="answer a question with citations, or refuse",
        description="Answer from the ingested documents only. Each quoted sentence carries a "
        "[n] marker that maps to a citation; weak evidence gives an honest refusal.",
    )
    p.add_argument("question", nargs="?", help="the question (or use --questions)")
    p.add_argument("--questions", type=Path, metavar="FILE.jsonl",
                   help='answer every line {"id": ..., "question": ...}; one JSON line each')
    p.add_argument("--out", type=Path, help="with --questions: write the JSON lines here")
    add_mode_flag(p)
    p.add_argument("--as-of", type=arg_day, metavar="YYYY-MM-DD",
                   help="answer as on this date (default today): later documents are not read, "
                   "'this week' or 'on Monday' count back from it")
    p.add_argument("--stream", action="store_true",
                   help="LLM mode: print the answer as it is written, then the verified answer")
    _add_search_flags(p)
    p.set_defaults(run=cmd_ask)


def cmd_ask(args: argparse.Namespace) -> int:
    if bool(args.question) == bool(args.questions):
        raise ConfigError("give either a question or --questions FILE.jsonl")
    app = make_app(args)
    if args.questions:
        return _ask_batch(app, args)
    if args.stream and not args.json:
        from rag.llm.cli import stream_ask

        return stream_ask(app, args.question, args.k, _filters(args), args.as_of)
    answer = app.service.ask(args.question, args.k, _filters(args), args.as_of)
    shown = [render_answer(answer), render_verification(answer)]
    print(answer.model_dump_json() if args.json else "\n\n".join(filter(None, shown)))
    return 0


def read_questions(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ConfigError(f"--questions {path}: no such file")
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise ConfigError(f"{path}:{number}: needs a string field 'question'")
        if item.get("as_of") is not None:  # checked before any question is asked
            item["as_of"] = parse_day(str(item["as_of"]), f"{path}:{number}: field 'as_of'")
        items.append(item)
    return items


def _ask_batch(app: App, args: argparse.Namespace) -> int:
    questions = read_questions(args.questions)
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        for item in questions:
            as_of = item.get("as_of") or args.as_of
            answer = app.service.ask(item["question"], args.k, _filters(args), as_of)
            record = {"id": item.get("id"), **answer.model_dump()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if args.out:
            out.close()
    return 0


# --- stats --------------------------------------------------------------------------------

def cmd_stats(args: argparse.Namespace) -> int:
    app = make_app(args)
    docs, chunks = app.catalog.counts()
    where = app.settings.chroma.url or str(app.settings.data_dir / "chroma")
    print(f"collection {app.settings.collection}: {docs} documents, {chunks} chunks")
    print(f"data dir:   {app.settings.data_dir}")
    print(f"chroma:     {where} ({app.dense.count()} vectors)")
    return 0
