"""Terminal front for LLM mode: `citechat chat`, and `citechat ask --stream` (tokens as they come,
then the verified answer and what the verifier changed). Wired by `register_chat`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from rag.errors import CitechatError
from rag.filters import arg_day
from rag.llm.render import render_verification
from rag.protocols import SearchFilters
from rag.render import render_answer
from rag.types import Answer

if TYPE_CHECKING:  # the chat module pulls in openai and LlamaIndex: imported when used
    from rag.llm.chat import ChatSession, Turn

GREETING = ("citechat chat — ask about the ingested documents; follow-ups keep the context.\n"
            "/reset forgets the conversation; /quit or Ctrl-D ends.")


def register_chat(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add `citechat chat` to the subcommands."""
    p = sub.add_parser(
        "chat", parents=[common], help="ask questions in a conversation",
        description="A terminal conversation: follow-ups such as 'and what did Egypt say?' are "
        "rewritten into standalone questions before retrieval (by the model in LLM mode, by "
        "carrying over the previous question's names otherwise).",
    )
    from rag.cli_commands import add_mode_flag

    add_mode_flag(p)
    p.add_argument("-k", type=int, help="passages per answer (default: answer.top_k)")
    p.add_argument("--as-of", type=arg_day, metavar="YYYY-MM-DD",
                   help="answer as on this date (default: today)")
    p.set_defaults(run=cmd_chat)


def cmd_chat(args: argparse.Namespace) -> int:
    from rag.cli_commands import make_app
    from rag.llm.chat import ChatSession, LLMRewriter, StreamingAnswerer, rule_rewriter

    app = make_app(args)
    k = args.k or app.settings.answer.top_k

    def retrieve(question: str):  # -> list[ScoredChunk]
        return app.service.retrieve_as_of(question, k, None, args.as_of)

    answerer = app.answerer
    streaming = isinstance(answerer, StreamingAnswerer)
    rewrite = LLMRewriter(answerer.complete) if streaming else rule_rewriter
    session = ChatSession(retrieve, answerer, rewrite)
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


def print_answer(answer: Answer, out: TextIO, *, streamed: bool = False) -> None:
    """The (verified) answer with its sources, then the verification summary if any."""
    if streamed:
        print("\n— verified answer —", file=out)
    print(render_answer(answer), file=out)
    summary = render_verification(answer)
    if summary:
        print(f"\n{summary}", file=out)


def stream_ask(
    app: Any, question: str, k: int | None, filters: SearchFilters | None, as_of: date | None,
    out: TextIO = sys.stdout,
) -> int:
    """`citechat ask --stream`: tokens as they arrive, then the verified answer."""
    from rag.llm.chat import StreamingAnswerer

    answerer = app.answerer
    if not isinstance(answerer, StreamingAnswerer):
        print_answer(app.service.ask(question, k, filters, as_of), out)
        return 0
    chunks = app.service.retrieve_as_of(question, k or app.settings.answer.top_k, filters, as_of)
    streamed = answerer.stream(question, chunks)
    for token in streamed:
        out.write(token)
        out.flush()
    print(file=out)
    print_answer(streamed.result(), out, streamed=True)
    return 0
