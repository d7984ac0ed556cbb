"""`citechat chat`: a conversation in the terminal; follow-ups are made standalone first (by
the model when one answers, by carrying over the previous question's names otherwise)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any, TextIO

from rag.answer.conversation import LLMRewriter, Turn, rule_rewriter
from rag.chat import ChatSession
from rag.cli.common import add_mode_flag, arg_day, arg_k, make_app
from rag.cli.render import print_answer
from rag.core.errors import CitechatError
from rag.core.protocols import StreamingAnswerer

GREETING = ("citechat chat — ask about the ingested documents; follow-ups keep the context.\n"
            "/reset forgets the conversation; /quit or Ctrl-D ends.")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `citechat chat` to the subcommands."""
    p = sub.add_parser(
        "chat", parents=[common], help="ask questions in a conversation",
        description="A terminal conversation: follow-ups such as 'and what did Egypt say?' are "
        "rewritten into standalone questions before retrieval (by the model in LLM mode, by "
        "carrying over the previous question's names otherwise).",
    )
    add_mode_flag(p)
    p.add_argument("-k", type=arg_k, help="passages per answer (default: answer.top_k)")
    p.add_argument("--as-of", type=arg_day, metavar="YYYY-MM-DD",
                   help="answer as on this date (default: today)")
    p.set_defaults(run=cmd_chat)


def cmd_chat(args: argparse.Namespace) -> int:
    app = make_app(args)
    answerer = app.answerer
    streaming = isinstance(answerer, StreamingAnswerer)
    complete = getattr(answerer, "complete", None)
    rewrite = LLMRewriter(complete) if complete is not None else rule_rewriter
    session = ChatSession(app.service, rewrite, k=args.k, as_of=args.as_of)
    return run_chat(session, streaming=streaming)


def run_chat(
    session: ChatSession,
    *,
    streaming: bool = False,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
) -> int:
    """The read–answer loop; a failed turn prints its message and the loop goes on."""
    print(GREETING, file=out)
    while True:
        try:
            question = read("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return 0
        if question in ("/quit", "/exit"):
            return 0
        if question == "/reset":
            session.reset()
            print("(conversation forgotten)", file=out)
            continue
        if not question:
            continue
        try:
            turn = _stream_turn(session, question, out) if streaming else session.ask(question)
        except CitechatError as exc:
            print(f"citechat: {exc}", file=out)
            continue
        _print_turn(turn, out, streamed=streaming)


def _stream_turn(session: ChatSession, question: str, out: TextIO) -> Turn:
    standalone = session.standalone(question)
    if standalone != question:
        print(f"(searching: {standalone})", file=out)
    tokens, finish = session.stream(question, standalone)
    for token in tokens:
        out.write(token)
        out.flush()
    print(file=out)
    return finish()


def _print_turn(turn: Turn, out: TextIO, *, streamed: bool) -> None:
    if not streamed and turn.standalone != turn.question:
        print(f"(searching: {turn.standalone})", file=out)
    print_answer(turn.answer, out, streamed=streamed)
