"""The composition root: parts injected or built from settings; "auto" picks the local model
only where it can run."""

from __future__ import annotations

import pytest

import rag.app
from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.reader import ReaderAnswerer
from rag.core.errors import ConfigError
from tests.fakes.chat_model import ScriptedChatModel


def test_auto_is_extractive_where_the_local_model_cannot_run(make_app, monkeypatch):
    monkeypatch.setattr(rag.app, "local_model_available", lambda settings: False)
    app = make_app(answer={"mode": "auto"})
    assert app.mode == "extractive" and isinstance(app.answerer, ExtractiveAnswerer)


def test_auto_is_local_where_it_can(make_app, monkeypatch):
    monkeypatch.setattr(rag.app, "local_model_available", lambda settings: True)
    app = make_app(answer={"mode": "auto"})
    assert app.mode == "local"


def test_an_injected_local_model_answers_in_local_mode(make_app):
    app = make_app(answer={"mode": "auto"}, local_model=ScriptedChatModel())
    assert app.mode == "local" and isinstance(app.answerer, ReaderAnswerer)
    assert app.service_in("auto") is app.service_in("local")


def test_local_settings_reach_the_reader(make_app):
    model = ScriptedChatModel(support=0.35)
    app = make_app(answer={"mode": "local"}, local={"min_support": 0.3, "max_passages": 1},
                   local_model=model)
    reader = app.answerer
    assert isinstance(reader, ReaderAnswerer)
    assert reader.tuning.min_support == 0.3 and reader.tuning.max_passages == 1


def test_an_unknown_mode_names_the_choices(make_app):
    with pytest.raises(ConfigError, match="auto, local, extractive, llm"):
        make_app().answerer_in("magic")


def test_the_local_model_is_not_available_without_its_runtime(make_app, monkeypatch):
    monkeypatch.setattr(rag.app.importlib.util, "find_spec", lambda name: None)
    assert not rag.app.local_model_available(make_app().settings)
