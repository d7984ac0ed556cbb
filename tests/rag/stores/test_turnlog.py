"""The turn log: every answered turn lands in turns.sqlite, from the service, and replays."""

from __future__ import annotations

import sqlite3

from rag.core.types import Answer, AskContext, Chunk, ScoredChunk
from rag.service import CitechatService
from rag.stores.turnlog import MIGRATIONS, TurnLog

CHUNK = Chunk(chunk_id="d::0000", doc_id="d", text="Seven people died.", start=0, end=18,
              title="Flood", publish_date="2026-09-04")


class OneChunk:
    def retrieve(self, query, k, filters=None):
        return [ScoredChunk(chunk=CHUNK, score=0.5)]


class Echo:
    def answer(self, question, chunks):
        return Answer(question=question, answer="Seven.", short_answer="Seven", mode="echo",
                      model="m-1")


def test_every_service_answer_is_logged_with_its_context(tmp_path):
    log = TurnLog(tmp_path / "turns.sqlite", collection="news")
    service = CitechatService(OneChunk(), Echo(), turn_log=log)
    service.ask("How many died?")
    streamed = service.stream("And how many were hurt?")
    assert "".join(streamed) == "Seven."
    streamed.result()
    assert log.count() == 2
    first, second = log.answers()
    assert first.question == "How many died?" and first.context is not None
    assert second.latency_ms >= 0 and second.model == "m-1"
    with sqlite3.connect(log.path) as db:
        row = db.execute("SELECT collection, mode, model, retrieved_json FROM turns").fetchone()
        versions = db.execute("SELECT count(*) FROM schema_version").fetchone()[0]
    assert row[:3] == ("news", "echo", "m-1") and '"d::0000"' in row[3]
    assert versions == len(MIGRATIONS)


def test_reopening_runs_no_migration_twice(tmp_path):
    path = tmp_path / "turns.sqlite"
    answer = Answer(question="q", answer="a", context=AskContext(as_of="2026-09-04"))
    TurnLog(path).record(answer, [])
    TurnLog(path).record(answer, [])
    assert TurnLog(path).count() == 2


def test_the_app_logs_turns_unless_told_not_to(make_app):
    app = make_app()
    assert isinstance(app.turn_log, TurnLog)
    assert make_app(log={"turns": False}).turn_log is None
