"""The chat's event handlers, without Gradio: answers, stop, asking again, follow-ups and
undoing their rewrite, explained refusals, history, copying, feedback, filters."""

from __future__ import annotations

import html
import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from ingest.pipeline import ingestor_for
from rag.core.errors import StoreError
from rag.core.protocols import SearchFilters
from tests.fakes.chat_model import ScriptedChatModel
from ui.conversations import ConversationHandlers
from ui.feedback import FeedbackStore
from ui.handlers import ChatHandlers, answer_modes
from ui.history import ConversationStore
from ui.session import AppPool, Session, list_collections

DOCS = {
    "bridge.txt": "Harbour bridge reopens\n\nThe Port Ellery Harbour Bridge reopened on Monday, "
    "September 28, after Mayor Felix Amundsen cut a ribbon. The rebuild cost $43.2 million.",
    "ferry.txt": "Ferry news\n\nThe Tessary ferry resumed sailing on Monday after repairs.",
}


@pytest.fixture
def app(make_app, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text)
    app = make_app("news")
    assert ingestor_for(app).ingest([src]).added == 2
    return app


# One story told twice: the delay (early, Carrow Courier), then the reopening (late, Valley Wire).
DATED = [
    {"id": "bridge-delay", "title": "Harbour bridge reopening delayed",
     "text": "The reopening of the Port Ellery Harbour Bridge was delayed to September 28, the "
     "Carrow council said, because the deck paint was not dry.",
     "publish_date": "2026-09-04", "source": "Carrow Courier"},
    {"id": "bridge-open", "title": "Harbour bridge reopens",
     "text": "The Port Ellery Harbour Bridge reopened on Monday after Mayor Felix Amundsen cut a "
     "ribbon; the rebuild of the bridge cost $43.2 million.",
     "publish_date": "2026-09-29", "source": "Valley Wire"},
]
BRIDGE = "When did the Port Ellery Harbour Bridge reopen?"


@pytest.fixture
def dated(make_app, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(d) + "\n" for d in DATED))
    app = make_app("dated")
    assert ingestor_for(app).ingest([feed]).added == 2
    return ChatHandlers(AppPool(app), FeedbackStore.for_data_dir(app.settings.data_dir))


@pytest.fixture
def handlers(app):
    return ChatHandlers(AppPool(app), FeedbackStore.for_data_dir(app.settings.data_dir))


def _ask(handlers: ChatHandlers, session: Session, question: str, **filters: str) -> list:
    return list(handlers.chat(question, session, k=5, **filters))


def _docs_found(handlers: ChatHandlers, **filters: str) -> tuple[set[str], str]:
    """Ask BRIDGE under `filters`; the doc ids retrieved and the sources panel as text."""
    session = handlers.new_session()
    sources = _ask(handlers, session, BRIDGE, **filters)[-1][1]
    return {c.chunk.doc_id for c in session.turns[-1].chunks}, html.unescape(sources)


def test_chat_shows_the_question_and_searching_at_once_then_the_answer_with_chips(handlers):
    session = handlers.new_session()
    updates = _ask(handlers, session, "Who cut the ribbon on the Port Ellery Harbour Bridge?")
    first_messages, first_sources, _ = updates[0]
    assert [m["role"] for m in first_messages] == ["user", "assistant"]
    assert "Searching the documents" in first_messages[1]["content"]
    assert len(updates) == 2  # an extractive answer comes whole: no replayed "streaming"
    final_messages, sources, session = updates[-1]
    final = final_messages[-1]["content"]
    assert 'class="answer final"' in final and '<a href="#src-1" class="cite" title="' in final
    assert 'id="src-1"' in sources and "<mark>" in sources
    assert len(session.turns) == 1 and session.turns[0].message_index == 1
    assert session.run is None and session.last.question.startswith("Who cut")


def test_follow_up_is_searched_with_the_previous_entities(handlers):
    session = handlers.new_session()
    _ask(handlers, session, "Who cut the ribbon on the Port Ellery Harbour Bridge?")
    final = _ask(handlers, session, "And how much did it cost?")[-1][0][-1]["content"]
    assert "Searched for: How much did it cost &#40;Port Ellery Harbour Bridge&#41;?" in final
    assert session.turns[-1].searched.endswith("(Port Ellery Harbour Bridge)?")


def test_question_is_escaped_and_blank_question_does_nothing(handlers):
    session = handlers.new_session()
    assert _ask(handlers, session, "   ")[-1][0] == []
    messages = _ask(handlers, session, "<img src=x onerror=alert(1)>")[-1][0]
    assert "<img" not in messages[0]["content"]


def test_sources_of_an_earlier_answer(handlers):
    session = handlers.new_session()
    _ask(handlers, session, "Who cut the ribbon on the Port Ellery Harbour Bridge?")
    _ask(handlers, session, "When did the Tessary ferry resume sailing?")
    assert "Amundsen" in handlers.sources_for(1, session)
    assert "Tessary" in handlers.sources_for(2, session)  # the question row maps to its answer
    assert "appear here" in handlers.sources_for(99, session)


def test_rating_saves_the_answer_with_settings(handlers, app):
    session = handlers.new_session()
    assert "Ask a question first" in handlers.rate(session, True)
    _ask(handlers, session, "Who cut the ribbon on the Port Ellery Harbour Bridge?")
    assert "saved “helpful”" in handlers.rate(session, True, "nice")
    assert "saved “not helpful”" in handlers.rate(session, False, message_index=1)
    rows = FeedbackStore.for_data_dir(app.settings.data_dir).rows()
    assert [r["rating"] for r in rows] == [1, -1]
    assert rows[0]["comment"] == "nice" and rows[0]["k"] == 5 and rows[0]["collection"] == "news"
    assert rows[0]["answer_id"] == rows[1]["answer_id"]


def test_switching_collection_starts_a_new_chat(handlers, make_app):
    make_app("other").catalog.counts()  # creates collections/other
    session = handlers.new_session()
    _ask(handlers, session, "Who cut the ribbon?")
    assert handlers.pool.choices() == ["news", "other"]
    session, line = handlers.switch("other", session)
    assert session.collection == "other" and session.messages == [] and "0 documents" in line


def test_a_store_error_is_shown_in_the_chat_not_raised(tmp_path):
    def broken(*_a, **_k):
        raise StoreError("the keyword index is locked; close the other citechat")

    settings = SimpleNamespace(collection="news", data_dir=tmp_path)
    service = SimpleNamespace(stream=broken, answerer=None)
    fake = SimpleNamespace(settings=settings, service_in=lambda mode: service)
    handlers = ChatHandlers(AppPool(fake), FeedbackStore.for_data_dir(tmp_path))
    messages = list(handlers.chat("Who?", handlers.new_session(), k=3))[-1][0]
    assert "Cannot answer: the keyword index is locked" in messages[-1]["content"]


def test_list_collections_ignores_odd_folders(tmp_path):
    for name in ("news", "x", ".hidden", "ok_2"):
        (tmp_path / "collections" / name).mkdir(parents=True)
    assert list_collections(tmp_path) == ["news", "ok_2"]
    assert list_collections(Path(tmp_path / "none")) == []


def test_without_filters_both_articles_are_found(dated):
    docs, sources = _docs_found(dated)
    assert docs == {"bridge-delay", "bridge-open"}
    assert 'class="filters"' not in sources


def test_until_drops_the_later_article(dated):
    docs, sources = _docs_found(dated, until="2026-09-10")
    assert docs == {"bridge-delay"}
    assert "Filters: until 2026-09-10" in sources and "2026-09-29" not in sources


def test_since_and_source_keep_only_the_matching_article(dated):
    assert _docs_found(dated, since="2026-09-10")[0] == {"bridge-open"}
    docs, sources = _docs_found(dated, source=" Valley Wire ")
    assert docs == {"bridge-open"} and "Filters: source Valley Wire" in sources
    assert _docs_found(dated, source="valley wire")[0] == set()  # exact name, case matters


def test_as_of_is_a_date_cut_off_and_is_kept_with_the_turn(dated):
    session = dated.new_session()
    sources = html.unescape(_ask(dated, session, BRIDGE, as_of="2026-09-10")[-1][1])
    turn = session.turns[-1]
    assert {c.chunk.doc_id for c in turn.chunks} == {"bridge-delay"}
    assert (turn.as_of, turn.filters) == (date(2026, 9, 10), None)
    assert "Filters: as of 2026-09-10" in sources
    assert "as of 2026-09-10" in html.unescape(dated.sources_for(1, session))  # shown again


@pytest.mark.parametrize(("filters", "why"), [
    ({"since": "2026-13-01"}, "Since: '2026-13-01' is not a date (use YYYY-MM-DD"),
    ({"as_of": "tomorrow"}, "As of: 'tomorrow' is not a date"),
    ({"since": "2026-09-10", "until": "2026-09-01"}, "since 2026-09-10 is after until 2026-09-01"),
])
def test_a_bad_filter_is_a_message_in_the_chat(dated, filters, why):
    session = dated.new_session()
    messages, sources, _ = _ask(dated, session, BRIDGE, **filters)[-1]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    shown = html.unescape(messages[-1]["content"])
    assert shown.startswith('<div class="answer error">Cannot answer: ') and why in shown
    assert session.turns == [] and "appear here" in sources


def test_rating_keeps_as_of_and_filters_and_export_carries_as_of(dated, tmp_path):
    session = dated.new_session()
    _ask(dated, session, BRIDGE, as_of="2026-09-10", source="Carrow Courier")
    _ask(dated, session, BRIDGE)
    dated.rate(session, True, message_index=1)
    dated.rate(session, False, message_index=3)
    first, second = dated.store.rows()
    assert first["as_of"] == "2026-09-10"
    assert SearchFilters(**json.loads(first["filters_json"])) == SearchFilters(
        source="Carrow Courier")
    assert second["as_of"] is None and second["filters_json"] is None
    out = tmp_path / "fb.jsonl"
    assert dated.store.export_dataset(out) == 2
    filtered, plain = map(json.loads, out.read_text().splitlines())
    assert filtered["as_of"] == "2026-09-10" and "filtered" in filtered["tags"]
    assert "as_of" not in plain and "filtered" not in plain["tags"]


# --- stop, asking again, follow-ups --------------------------------------------------------

RIBBON = "Who cut the ribbon on the Port Ellery Harbour Bridge?"


@pytest.fixture
def local(make_app, tmp_path):
    """A collection answered by a scripted local model (instant, two characters a piece)."""
    src = tmp_path / "local-src"
    src.mkdir()
    (src / "bridge.txt").write_text(DOCS["bridge.txt"])
    model = ScriptedChatModel(reply="Felix Amundsen [1]", piece=2)
    app = make_app("local", local_model=model, answer={"mode": "local"})
    ingestor_for(app).ingest([src])
    return ChatHandlers(AppPool(app), FeedbackStore.for_data_dir(app.settings.data_dir))


def test_a_model_answer_streams_its_words_then_the_grounded_answer(local):
    assert answer_modes(local.pool._first)[0] == "local"
    session = local.new_session()
    shown = [u[0][-1]["content"] for u in local.chat(RIBBON, session, 5, "local")]
    assert "Searching" in shown[0] and "Reading 1 passage" in shown[1]
    drafts = [s for s in shown[2:-1] if "streaming" in s]
    assert drafts and "Fe" in drafts[0] and len(drafts) >= 5
    assert "Felix Amundsen" in shown[-1] and "final" in shown[-1]


def test_stop_keeps_what_was_written_marked_and_records_no_turn(local):
    session = local.new_session()
    updates = local.chat(RIBBON, session, 5, "local")
    for _ in range(3):  # searching, reading, the first words
        next(updates)
    run = session.run
    messages, _, _ = local.stop(session)
    assert 'class="answer stopped"' in messages[-1]["content"] and "Fe" in messages[-1]["content"]
    rest = list(updates)  # the stream ends showing what `stop` left
    assert [u[0][-1]["content"] for u in rest] in ([], [messages[-1]["content"]])
    assert session.turns == [] and run.stop.is_set()
    assert session.run is None
    assert local.take_back(session).question == RIBBON and session.messages == []


def test_regenerate_replaces_the_latest_answer(handlers):
    session = handlers.new_session()
    _ask(handlers, session, RIBBON)
    first = session.turns[0].answer_id
    asked = handlers.take_back(session)
    assert asked.question == RIBBON and session.messages == [] and session.turns == []
    _ask(handlers, session, asked.question)
    assert len(session.turns) == 1 and session.turns[0].answer_id != first
    assert handlers.take_back(handlers.new_session()) is None


def test_a_rewritten_follow_up_can_be_asked_as_typed(handlers):
    session = handlers.new_session()
    _ask(handlers, session, RIBBON)
    _ask(handlers, session, "When did it reopen?")
    assert session.turns[-1].rewritten and session.turns[-1].typed == "When did it reopen?"
    asked = handlers.take_back(session)
    final = list(handlers.chat(asked.question, session, 5, as_typed=True))[-1][0][-1]["content"]
    assert "Searched for" not in final
    assert session.turns[-1].searched == "When did it reopen?" and not session.turns[-1].rewritten
    assert len(session.turns) == 2 and len(session.messages) == 4


# --- explained refusals --------------------------------------------------------------------

def test_a_refusal_before_every_document_says_so_and_lists_the_nearest(dated):
    session = dated.new_session()
    messages, sources, _ = _ask(dated, session, BRIDGE, as_of="2026-09-01")[-1]
    why = session.turns[-1].why
    assert why == ("Every document here is dated after 2026-09-01, the day this question is "
                   "asked as of (the earliest is 2026-09-04): clear “As of” or choose a later "
                   "day.")
    assert html.unescape(why) in html.unescape(messages[-1]["content"])
    shown = html.unescape(sources)
    assert "No passage could be read. Nearest passages outside the date and filters" in shown
    assert "Harbour bridge reopen" in shown


def test_a_refusal_under_an_unknown_source_names_the_sources_there_are(dated):
    session = dated.new_session()
    _ask(dated, session, BRIDGE, source="valley wire")
    assert session.turns[-1].why == ("No document here has the source “valley wire” (sources: "
                                     "Carrow Courier, Valley Wire).")


def test_a_refusal_with_passages_read_says_none_answers(handlers):
    session = handlers.new_session()
    _ask(handlers, session, "What colour is the mayor's car?")
    turn = session.turns[-1]
    assert turn.answer.refused and turn.why.startswith("None of the 2 passages read")
    assert "Closest passages read (not used)" in handlers.select(1, session)


# --- history, copying ----------------------------------------------------------------------

def test_answered_turns_are_kept_and_restored_for_the_same_owner_only(app, tmp_path):
    store = ConversationStore(tmp_path / "conversations.sqlite")
    handlers = ChatHandlers(AppPool(app), FeedbackStore.for_data_dir(tmp_path), store)
    session = handlers.new_session(owner="browser:" + "a" * 32)
    _ask(handlers, session, RIBBON)
    _ask(handlers, session, "How much did it cost?")
    restored = handlers.new_session(owner=session.owner)
    assert ConversationHandlers(store).restore(restored)
    assert restored.messages == session.messages
    assert [t.searched for t in restored.turns] == [t.searched for t in session.turns]
    assert restored.turns[1].rewritten and restored.last.question == "How much did it cost?"
    stranger = handlers.new_session(owner="browser:" + "b" * 32)
    assert not ConversationHandlers(store).restore(stranger) and stranger.messages == []
    handlers.take_back(session)  # Regenerate drops the stored turn too
    assert len(store.turns(session.conversation_id, session.owner)) == 1


def test_copy_gives_the_clicked_answer_as_plain_text(handlers):
    session = handlers.new_session()
    assert handlers.copy_text(session) == ""
    _ask(handlers, session, RIBBON)
    _ask(handlers, session, "When did the Tessary ferry resume sailing?")
    assert "Tessary" in handlers.copy_text(session).split("Sources:")[0]
    handlers.select(0, session)  # the first question: its answer is chosen
    text = handlers.copy_text(session)
    assert "Amundsen" in text and "\n\nSources:\n[1] Harbour bridge reopens" in text
    assert "<" not in text


@pytest.mark.parametrize(("follow_up", "searched"), [
    ("Why was that service stopped?", "Why was that service stopped (Tessary)?"),
    ("Did it sail this week?", "Did it sail this week (Tessary)?"),
    ("Who runs the ferry this week?", "Who runs the ferry this week?"),  # a date, not a reference
])
def test_follow_ups_are_decided_by_reference_not_length(handlers, follow_up, searched):
    session = handlers.new_session()
    _ask(handlers, session, "When did the Tessary ferry resume sailing?")
    _ask(handlers, session, follow_up)
    assert session.turns[-1].searched == searched
