"""LLM mode wired through the app and the CLI: config alone switches it on; `ask --stream`;
`citechat chat`; the verification summary."""

from __future__ import annotations

import argparse
import io
import json

from ingest.pipeline import ingestor_for
from rag.answer.llm.answerer import LLMAnswerer
from rag.cli.ask import stream_ask
from rag.cli.main import build_parser
from rag.cli.render import print_answer, render_verification
from rag.core.types import Answer, SentenceCheck
from tests.fakes.llm_models import (
    Reply,
    completion,
    endpoint_fixture,  # noqa: F401 (fixtures)
    sse,
)

ARTICLE = {
    "id": "flood-1", "title": "Flood toll rises", "publish_date": "2026-09-07",
    "text": "Twelve people are now known to have died in the Carrow Valley floods, the regional "
    "coroner said on Monday. Forty homes were destroyed.",
}
GOOD = "Twelve people are now known to have died in the Carrow Valley floods [1]."


def llm_app(make_app, endpoint, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps(ARTICLE) + "\n")
    app = make_app(answer={"mode": "llm"},
                   llm={"base_url": endpoint.url, "model": "fake", "max_retries": 0})
    ingestor_for(app).ingest([feed])
    return app


def test_setting_the_mode_is_enough_to_answer_with_the_llm(make_app, endpoint, tmp_path):
    endpoint.reply(Reply(body=completion(GOOD)))
    app = llm_app(make_app, endpoint, tmp_path)
    assert isinstance(app.answerer, LLMAnswerer)
    answer = app.service.ask("How many people died in the floods?", as_of=None)
    assert answer.mode == "llm" and answer.citations[0].doc_id == "flood-1"
    assert answer.verification[0].verdict == "supported"
    assert endpoint.requests[0]["json"]["model"] == "fake"


def test_the_extractive_mode_does_not_build_a_model(make_app):
    app = make_app()
    assert not isinstance(app.answerer, LLMAnswerer)


def test_ask_stream_prints_tokens_then_the_verified_answer(make_app, endpoint, tmp_path):
    endpoint.reply(Reply(body=sse(["Twelve people are now known ",
                                   "to have died in the Carrow Valley floods [1]. ",
                                   "Bob is the mayor [1]."]), sse=True))
    app = llm_app(make_app, endpoint, tmp_path)
    out = io.StringIO()
    args = argparse.Namespace(question="How many people died?", k=None, since=None, until=None,
                              source=None, as_of=None)
    assert stream_ask(app, args, out) == 0
    text = out.getvalue()
    draft, verified = text.split("— verified answer —")
    assert "Bob is the mayor [1]." in draft
    assert "⚠ unsupported: Bob is the mayor." in " ".join(verified.split())
    assert "verified: 1 supported, 1 unsupported" in verified and "Sources:" in verified


def test_chat_and_ask_stream_are_registered():
    parser = build_parser()
    assert parser.parse_args(["chat", "-k", "3", "--as-of", "2026-09-07"]).k == 3
    assert parser.parse_args(["ask", "q", "--stream"]).stream


def test_the_summary_lists_what_the_verifier_changed():
    answer = Answer(question="q", answer="a", verification=[
        SentenceCheck(sentence="A.", verdict="supported", citations=[1]),
        SentenceCheck(sentence="B.", verdict="wrongly_cited", cited=[1], citations=[2],
                      reasons=["source 1 lacks 12"]),
        SentenceCheck(sentence="C.", verdict="citation_added", citations=[1],
                      reasons=["no marker"]),
    ])
    assert render_verification(answer).splitlines() == [
        "verified: 1 supported, 1 re-cited, 1 citation added",
        "  ↻ re-cited: “B.” → [2] — source 1 lacks 12",
        "  + citation added: “C.” → [1] — no marker",
    ]
    assert render_verification(Answer(question="q", answer="a")) == ""
    out = io.StringIO()
    print_answer(Answer(question="q", answer="Plain."), out)
    assert out.getvalue() == "Plain.\n"
