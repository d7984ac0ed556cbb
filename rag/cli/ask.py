"""`citechat retrieve` and `citechat ask`: both through the service, as of a day."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from rag.app import App
from rag.cli.common import add_mode_flag, add_search_flags, filters_from, make_app
from rag.cli.render import print_answer, render_results
from rag.core.errors import ConfigError
from rag.core.filters import parse_day
from rag.core.protocols import StreamingAnswerer


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "retrieve", parents=[common], help="show the passages a question finds",
        description="Hybrid search (BM25 keywords + dense vectors, fused by rank) as `ask` "
        "reads it: documents published after the as-of day (default today) are left out and "
        "the question's date words ('this week') favour passages from those days. "
        "--any-date ranks every document by relevance alone.",
    )
    p.add_argument("query")
    add_search_flags(p)
    p.add_argument("--any-date", action="store_true",
                   help="no as-of cut-off and no date ranking: every document, by relevance")
    p.set_defaults(run=cmd_retrieve)

    a = sub.add_parser(
        "ask", parents=[common], help="answer a question with citations, or refuse",
        description="Answer from the ingested documents only. Each quoted sentence carries a "
        "[n] marker that maps to a citation; weak evidence gives an honest refusal.",
    )
    a.add_argument("question", nargs="?", help="the question (or use --questions)")
    a.add_argument("--questions", type=Path, metavar="FILE.jsonl",
                   help='answer every line {"id": ..., "question": ...}; one JSON line each')
    a.add_argument("--out", type=Path, help="with --questions: write the JSON lines here")
    add_mode_flag(a)
    a.add_argument("--stream", action="store_true",
                   help="print the answer as the model writes it, then the verified answer")
    add_search_flags(a)
    a.set_defaults(run=cmd_ask)


def cmd_retrieve(args: argparse.Namespace) -> int:
    app = make_app(args)
    k = args.k or app.settings.retrieve.top_k
    results = app.service.retrieve(args.query, k, filters_from(args), args.as_of,
                                   cutoff=not args.any_date)
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


def cmd_ask(args: argparse.Namespace) -> int:
    if bool(args.question) == bool(args.questions):
        raise ConfigError("give either a question or --questions FILE.jsonl")
    app = make_app(args)
    if args.questions:
        return _ask_batch(app, args)
    if args.stream and not args.json:
        return stream_ask(app, args, sys.stdout)
    answer = app.service.ask(args.question, args.k, filters_from(args), args.as_of)
    if args.json:
        print(answer.model_dump_json())
    else:
        print_answer(answer, sys.stdout)
    return 0


def stream_ask(app: App, args: argparse.Namespace, out: TextIO) -> int:
    """`citechat ask --stream`: tokens as they arrive, then the verified answer."""
    streamed = app.service.stream(args.question, args.k, filters_from(args), args.as_of)
    if not isinstance(app.answerer, StreamingAnswerer):
        print_answer(streamed.result(), out)
        return 0
    for token in streamed:
        out.write(token)
        out.flush()
    print(file=out)
    print_answer(streamed.result(), out, streamed=True)
    return 0


def read_questions(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise ConfigError(f"--questions {path}: no such file")
    items = []
    text = path.read_bytes().decode("utf-8", "replace")  # a bad byte is one bad line, not a crash
    for number, line in enumerate(text.splitlines(), start=1):
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
            answer = app.service.ask(item["question"], args.k, filters_from(args), as_of)
            record = {"id": item.get("id"), **answer.model_dump()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if args.out:
            out.close()
    return 0
