"""The UI's LLM answer mode over a scripted OpenAI-compatible endpoint on 127.0.0.1."""

from __future__ import annotations

import pytest

import rag.app
from ingest.pipeline import ingestor_for
from rag.app import build_app
from rag.core.settings import load_settings
from tests.fakes.llm_models import Reply, endpoint_fixture, sse  # noqa: F401
from ui.feedback import FeedbackStore
from ui.handlers import ChatHandlers, answer_modes
from ui.session import AppPool

TEXT = ("Harbour bridge reopens\n\nThe Port Ellery Harbour Bridge reopened on Monday, "
        "September 28, after Mayor Felix Amundsen cut a ribbon. The rebuild cost $43.2 million.")
QUESTION = "Who cut the ribbon to reopen the Port Ellery Harbour Bridge?"
GOOD = "Mayor Felix Amundsen cut a ribbon to reopen the bridge [1]."


@pytest.fixture
def handlers(make_app, endpoint, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "bridge.txt").write_text(TEXT)
    app = make_app("news", llm={"base_url": endpoint.url, "model": "fake", "max_retries": 0})
    ingestor_for(app).ingest([src])
    return ChatHandlers(AppPool(app), FeedbackStore.for_data_dir(tmp_path))


def _final(handlers, mode):
    session = handlers.new_session()
    messages, _, session = list(handlers.chat(QUESTION, session, k=3, mode=mode))[-1]
    return messages[-1]["content"], session.turns[-1]


def test_llm_mode_streams_the_models_words_then_the_verified_answer(handlers, endpoint):
    endpoint.reply(Reply(body=sse([GOOD[:20], GOOD[20:]]), sse=True))
    session = handlers.new_session()
    updates = list(handlers.chat(QUESTION, session, k=3, mode="llm"))
    shown = [u[0][-1]["content"] for u in updates]
    assert "Searching the documents" in shown[0]
    assert "Reading 1 passage: Harbour bridge reopens" in shown[1]
    assert any(GOOD[:20] in s and "streaming" in s for s in shown[2:-1])
    turn = session.turns[-1]
    assert turn.mode == "llm" and turn.answer.verification[0].verdict == "supported"
    assert "Felix Amundsen cut a ribbon" in shown[-1] and len(endpoint.requests) == 1


def test_an_answer_failing_the_citation_check_falls_back_and_says_so(handlers, endpoint):
    endpoint.reply(Reply(body=sse(["The bridge was painted green by Bob Lane."]), sse=True))
    html, turn = _final(handlers, "llm")
    assert turn.mode == "extractive" and "failed the citation check" in html
    assert "Felix Amundsen" in html


def test_extractive_mode_never_calls_the_model(handlers, endpoint):
    html, turn = _final(handlers, "extractive")
    assert turn.mode == "extractive" and endpoint.requests == []
    assert "failed the citation check" not in html


def test_llm_mode_is_offered_only_with_an_endpoint(monkeypatch, tmp_path):
    monkeypatch.setattr(rag.app, "local_model_available", lambda settings: False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)

    def modes(**settings):
        return answer_modes(build_app(load_settings(data_dir=tmp_path, **settings)))

    assert modes() == ["extractive"]
    assert modes(llm={"base_url": "http://127.0.0.1:9/v1"}) == ["extractive", "llm"]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert modes() == ["extractive", "llm"]
