"""Conversations that stay: the SQLite history (append-only migrations), owners kept apart, the
history list's open, rename and delete."""

from __future__ import annotations

import sqlite3
from datetime import date

from rag.core.protocols import SearchFilters
from rag.core.types import Answer, Chunk, Citation, ScoredChunk
from ui.conversations import ConversationHandlers, messages_for, owner_for
from ui.history import MIGRATIONS, ConversationStore
from ui.session import Session, Turn

ANN, BOB = "user:ann", "browser:" + "b" * 32


def _turn(question: str, searched: str | None = None, refused: bool = False) -> Turn:
    chunk = Chunk(chunk_id="d::0", doc_id="d", text="The bridge reopened <on Monday>.", start=0,
                  end=32, title="Bridge", publish_date="2026-09-29")
    cite = Citation(n=1, chunk_id="d::0", doc_id="d", title="Bridge", url=None,
                    publish_date="2026-09-29", quote=chunk.text, start=0, end=32)
    answer = Answer(question=searched or question, answer="The documents don't say." if refused
                    else f'"{chunk.text}" [1]', refused=refused,
                    citations=[] if refused else [cite])
    return Turn(answer_id="a-" + question, searched=searched or question, answer=answer,
                chunks=[ScoredChunk(chunk=chunk, score=0.5)], collection="news",
                mode="extractive", k=5, message_index=1, question=question,
                filters=SearchFilters(source="Valley Wire"), as_of=date(2026, 9, 30),
                why="None answers it." if refused else "")


def test_turns_round_trip_with_everything_needed_to_show_them_again(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite")
    cid = store.create(ANN, "news", "  When did the\nbridge reopen?  ")
    store.append(cid, _turn("When did the bridge reopen?"))
    store.append(cid, _turn("And the cost?", "And the cost (Bridge)?", refused=True))
    first, second = store.turns(cid, ANN)
    assert first.answer == _turn("When did the bridge reopen?").answer
    assert first.chunks[0].chunk.text == "The bridge reopened <on Monday>."
    assert (first.filters, first.as_of) == (SearchFilters(source="Valley Wire"), date(2026, 9, 30))
    assert (first.message_index, second.message_index) == (1, 3)
    assert second.rewritten and second.why == "None answers it." and second.answer.refused
    [listed] = store.conversations(ANN, "news")
    assert (listed.title, listed.turns) == ("When did the bridge reopen?", 2)


def test_an_owner_sees_and_changes_only_their_own_conversations(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite")
    cid = store.create(ANN, "news", "mine")
    store.append(cid, _turn("q"))
    assert store.turns(cid, BOB) == [] and store.conversations(BOB, "news") == []
    assert not store.rename(cid, BOB, "stolen") and not store.delete(cid, BOB)
    assert store.conversations(ANN, "other") == []  # per collection
    assert store.rename(cid, ANN, "renamed") and store.conversations(ANN, "news")[0].title == \
        "renamed"
    assert store.delete(cid, ANN) and store.turns(cid, ANN) == []


def test_drop_last_forgets_only_the_latest_turn(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite")
    cid = store.create(ANN, "news", "t")
    for q in ("one", "two"):
        store.append(cid, _turn(q))
    store.drop_last(cid)
    store.append(cid, _turn("three"))
    assert [t.typed for t in store.turns(cid, ANN)] == ["one", "three"]


def test_the_schema_only_grows(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite")
    store.create(ANN, "news", "t")
    db = sqlite3.connect(store.path)
    names = [row[0] for row in db.execute("SELECT name FROM schema_version ORDER BY version")]
    db.close()
    assert names == [name for name, _ in MIGRATIONS]


def test_owner_is_the_login_else_a_browser_id():
    owner, kept = owner_for(None, None)
    assert owner == f"browser:{kept}" and len(kept) == 32
    assert owner_for(None, "<script>")[1] != "<script>"  # a malformed id is replaced
    assert owner_for("ann", kept) == ("user:ann", kept)


def test_the_history_list_opens_renames_and_deletes(tmp_path):
    store = ConversationStore(tmp_path / "c.sqlite")
    convs = ConversationHandlers(store)
    cid = store.create(ANN, "news", "Bridge")
    store.append(cid, _turn("When did the bridge reopen?"))
    session = Session(collection="news", owner=ANN)
    [(label, value)] = convs.choices(session)
    assert value == cid and label.startswith("Bridge · ") and label.endswith("1 answer")
    assert convs.open(session, cid) and session.conversation_id == cid
    assert session.messages == messages_for(session.turns) and len(session.messages) == 2
    assert "&lt;on Monday&gt;" in session.messages[1]["content"]  # escaped again when shown
    assert not convs.open(Session(collection="news", owner=BOB), cid)
    assert convs.rename(session, cid, "Harbour bridge") == "Renamed."
    assert convs.rename(session, None, "x").startswith("Choose")
    assert convs.delete(Session(collection="news", owner=BOB), cid).startswith("That")
    assert convs.delete(session, cid) == "Deleted." and session.messages == []
