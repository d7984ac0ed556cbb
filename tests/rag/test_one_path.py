"""Every surface goes through the one service: `citechat retrieve`, `ask`, `ask --stream`,
`chat` and the UI read the same top passages for the same question and as-of day."""

from __future__ import annotations

import argparse
import io
import json
from datetime import date

import pytest

import rag.cli.common as cli_common
from ingest.documents import SourceDocument
from ingest.pipeline import ingestor_for
from rag.app import build_app
from rag.chat import ChatSession
from rag.cli.ask import stream_ask
from rag.cli.main import main
from ui.feedback import FeedbackStore
from ui.handlers import ChatHandlers
from ui.session import AppPool

QUESTION = "How many people died in the Carrow Valley floods?"
AS_OF = date(2026, 9, 8)
K = 4
DOCS = [
    SourceDocument(doc_id=f"flood-{day}", title=f"Flood report {day}",
                   publish_date=f"2026-09-{day:02d}",
                   text=f"{n} people are now known to have died in the Carrow Valley floods, "
                   f"officials said on day {day}. Roads stayed closed.")
    for day, n in ((3, "Seven"), (6, "Twelve"), (10, "Fourteen"))
] + [
    SourceDocument(doc_id="bridge", title="Bridge reopens", publish_date="2026-09-05",
                   text="The Port Ellery Harbour Bridge reopened after the floods receded."),
    SourceDocument(doc_id="cup", title="Valley Cup", publish_date="2026-09-07",
                   text="Millhaven Rovers won the Valley Cup final in the Carrow Valley."),
]


@pytest.fixture
def app(make_app, monkeypatch, fake_embedder):
    app = make_app("news")
    ingestor_for(app).ingest_items(DOCS)
    monkeypatch.setattr(cli_common, "build_app", lambda s: build_app(s, embedder=fake_embedder))
    return app


def _cli(app, capsys, *argv: str) -> dict:
    common = ["--data-dir", str(app.settings.data_dir), "--collection", "news"]
    assert main([*argv, *common]) == 0
    return json.loads(capsys.readouterr().out)


def test_every_surface_reads_the_same_passages(app, capsys):
    retrieved = _cli(app, capsys, "retrieve", QUESTION, "-k", str(K), "--as-of", "2026-09-08",
                     "--json")
    expected = [r["chunk_id"] for r in retrieved["results"]]
    assert len(expected) == K and "flood-10::0000" not in expected  # published after as-of

    asked = _cli(app, capsys, "ask", QUESTION, "-k", str(K), "--as-of", "2026-09-08", "--json")
    assert [r["chunk_id"] for r in asked["retrieved"]] == expected
    assert asked["context"]["as_of"] == "2026-09-08" and asked["latency_ms"] > 0

    streamed = app.service.stream(QUESTION, K, None, AS_OF)
    assert [c.chunk.chunk_id for c in streamed.chunks] == expected
    assert streamed.result().context.as_of == "2026-09-08"
    args = argparse.Namespace(question=QUESTION, k=K, since=None, until=None, source=None,
                              as_of=AS_OF)
    assert stream_ask(app, args, io.StringIO()) == 0

    turn = ChatSession(app.service, k=K, as_of=AS_OF).ask(QUESTION)
    assert [r.chunk_id for r in turn.answer.retrieved] == expected

    handlers = ChatHandlers(AppPool(app), FeedbackStore.for_data_dir(app.settings.data_dir))
    session = handlers.new_session()
    for _ in handlers.chat(QUESTION, session, K, as_of="2026-09-08"):
        pass
    assert [c.chunk.chunk_id for c in session.turns[-1].chunks] == expected


def test_retrieve_any_date_reads_documents_after_the_as_of_day(app, capsys):
    found = _cli(app, capsys, "retrieve", QUESTION, "-k", "5", "--as-of", "2026-09-08",
                 "--any-date", "--json")
    assert "flood-10::0000" in [r["chunk_id"] for r in found["results"]]
