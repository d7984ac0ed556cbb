"""The feedback store: append-only migrations, one row per rating, export as an eval dataset."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from evals.dataset import load_dataset
from rag.core.protocols import SearchFilters
from rag.core.types import Answer, Citation, RetrievedRef
from rag.stores.migrations import migrate
from ui.feedback import MIGRATIONS, FeedbackStore


def _answer(question: str = "Who cut the ribbon?", refused: bool = False) -> Answer:
    if refused:
        return Answer(question=question, answer="The documents don't say.", refused=True,
                      retrieved=[RetrievedRef(chunk_id="d9::0000", doc_id="d9", score=0.1)])
    cites = [
        Citation(n=1, chunk_id="d1::0000", doc_id="d1", title="T", url=None,
                 publish_date="2026-09-29", quote="Mayor Felix Amundsen cut a ribbon", start=5,
                 end=38),
        Citation(n=2, chunk_id="d1::0001", doc_id="d1", title="T", url=None, publish_date=None,
                 quote="The ceremony was small", start=900, end=922),
    ]
    return Answer(question=question, answer='Felix Amundsen. "…" [1] "…" [2]',
                  short_answer="Felix Amundsen", citations=cites,
                  retrieved=[RetrievedRef(chunk_id="d1::0000", doc_id="d1", score=0.9)])


def _add(store: FeedbackStore, answer: Answer, up: bool, answer_id: str, comment: str = "") -> int:
    return store.add(answer, up=up, answer_id=answer_id, collection="news", mode="extractive",
                     k=8, comment=comment)


def test_store_lives_in_the_data_dir_and_keeps_everything_for_replay(tmp_path):
    store = FeedbackStore.for_data_dir(tmp_path)
    assert store.path == tmp_path / "feedback.sqlite"
    assert _add(store, _answer(), True, "a1", "  spot on ") == 1
    (row,) = store.rows()
    assert row["rating"] == 1 and row["comment"] == "spot on"
    assert row["question"] == "Who cut the ribbon?" and row["answer"].startswith("Felix")
    assert [c["doc_id"] for c in json.loads(row["citations_json"])] == ["d1", "d1"]
    assert json.loads(row["retrieved_json"])[0]["chunk_id"] == "d1::0000"
    assert (row["collection"], row["mode"], row["k"]) == ("news", "extractive", 8)
    assert row["created_at"].endswith("+00:00")


def test_migrations_are_recorded_and_run_once(tmp_path):
    path = tmp_path / "feedback.sqlite"
    _add(FeedbackStore(path), _answer(), False, "a1")
    with sqlite3.connect(path) as db:
        migrate(db, MIGRATIONS)  # again: a no-op
        versions = db.execute("SELECT version, name FROM schema_version").fetchall()
    assert versions == [(i, name) for i, (name, _) in enumerate(MIGRATIONS, start=1)]
    assert len(FeedbackStore(path).rows()) == 1


def test_export_up_down_and_refusal(tmp_path):
    store = FeedbackStore.for_data_dir(tmp_path)
    _add(store, _answer(), True, "a1", "good")
    _add(store, _answer("Who paid?"), False, "a2", "wrong doc")
    _add(store, _answer("What is on Mars?", refused=True), True, "a3")
    _add(store, _answer("Refused wrongly?", refused=True), False, "a4")
    out = tmp_path / "fb.jsonl"
    assert store.export_dataset(out) == 4
    items = {i["question"]: i for i in map(json.loads, out.read_text().splitlines())}
    assert items["Who cut the ribbon?"] == {
        "id": "fb-1", "question": "Who cut the ribbon?", "answers": [["Felix Amundsen"]],
        "gold_docs": ["d1"], "gold_quotes": ["Mayor Felix Amundsen cut a ribbon",
                                             "The ceremony was small"],
        "expect_refusal": False, "tags": ["feedback", "up"], "comment": "good",
    }
    down = items["Who paid?"]
    assert down["answers"] == [] and down["gold_docs"] == [] and down["gold_quotes"] == []
    assert down["tags"] == ["feedback", "down"] and down["comment"] == "wrong doc"
    assert items["What is on Mars?"]["expect_refusal"] is True
    assert items["What is on Mars?"]["answers"] == []
    assert items["Refused wrongly?"]["expect_refusal"] is False


def test_export_is_a_valid_eval_dataset(tmp_path):
    store = FeedbackStore.for_data_dir(tmp_path)
    _add(store, _answer(), True, "a1", "good")
    _add(store, _answer("Who paid?"), False, "a2", "wrong doc")
    _add(store, _answer("What is on Mars?", refused=True), True, "a3")
    out = tmp_path / "fb.jsonl"
    store.export_dataset(out)
    items = {item.id: item for item in load_dataset(out)}
    assert items["fb-1"].answers == [["Felix Amundsen"]] and items["fb-1"].comment == "good"
    assert items["fb-3"].expect_refusal and not items["fb-2"].answers


def test_export_keeps_the_latest_rating_of_an_answer(tmp_path):
    store = FeedbackStore.for_data_dir(tmp_path)
    _add(store, _answer(), True, "a1")
    _add(store, _answer(), False, "a1", "changed my mind")
    out = tmp_path / "fb.jsonl"
    assert store.export_dataset(out) == 1
    (item,) = map(json.loads, out.read_text().splitlines())
    assert item["id"] == "fb-2" and item["tags"] == ["feedback", "down"]


def test_export_with_no_feedback_writes_an_empty_file(tmp_path):
    out = tmp_path / "fb.jsonl"
    assert FeedbackStore.for_data_dir(tmp_path / "none").export_dataset(out) == 0
    assert out.read_text() == ""


def test_a_store_from_before_filters_migrates_and_keeps_its_rows(tmp_path):
    path = tmp_path / "feedback.sqlite"
    with sqlite3.connect(path) as db:  # the schema as the first release left it
        db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                   "applied_at TEXT NOT NULL)")
        db.executescript(MIGRATIONS[0][1])
        db.execute("INSERT INTO schema_version VALUES (1, ?, '2026-09-01T00:00:00+00:00')",
                   (MIGRATIONS[0][0],))
        db.execute("INSERT INTO feedback (answer_id, created_at, rating, question, answer, "
                   "refused, citations_json, retrieved_json, collection, mode, k) "
                   "VALUES ('old', 'x', 1, 'Old?', 'Yes.', 0, '[]', '[]', 'news', 'extractive', 8)")
    store = FeedbackStore(path)
    _add(store, _answer(), True, "new")
    store.add(_answer("Then?"), up=True, answer_id="dated", collection="news", mode="extractive",
              k=8, as_of=date(2026, 9, 10), filters=SearchFilters(until="2026-09-08"))
    old, new, dated = store.rows()
    assert (old["answer_id"], old["as_of"], old["filters_json"]) == ("old", None, None)
    assert new["as_of"] is None and new["filters_json"] is None
    assert dated["as_of"] == "2026-09-10"
    assert json.loads(dated["filters_json"]) == {"since": None, "until": "2026-09-08",
                                                 "source": None}
    out = tmp_path / "fb.jsonl"
    assert store.export_dataset(out) == 3
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert [i.get("as_of") for i in items] == [None, None, "2026-09-10"]
    assert [i["tags"][-1] for i in items] == ["up", "up", "filtered"]
