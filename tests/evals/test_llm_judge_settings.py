"""The `judge` settings section and where the judge's endpoint, model and key come from."""

from __future__ import annotations

import pytest

from evals.llm_judge.client import resolve_judge_endpoint
from rag.answer.llm.client import NO_KEY, OPENAI_URL
from rag.core.errors import ConfigError
from rag.core.settings import JudgeSettings, LLMSettings, load_settings


def test_judge_settings_come_from_env_like_every_section(monkeypatch, tmp_path):
    monkeypatch.setenv("CITECHAT_JUDGE__MODE", "llm")
    monkeypatch.setenv("CITECHAT_JUDGE__BASE_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("CITECHAT_JUDGE__API_KEY", "sk-judge")
    s = load_settings(data_dir=tmp_path)
    assert s.judge.mode == "llm" and s.judge.max_claims_per_call == 10
    assert s.judge.api_key.get_secret_value() == "sk-judge"
    assert "sk-judge" not in repr(s.judge)
    assert load_settings(data_dir=tmp_path).judge.selftest_floor == 0.80


@pytest.mark.parametrize(("env", "value", "named"), [
    ("CITECHAT_JUDGE__MAX_CLAIMS_PER_CALL", "11", "judge.max_claims_per_call"),
    ("CITECHAT_JUDGE__BASE_URL", "localhost:8080", "judge.base_url"),
    ("CITECHAT_JUDGE__MODE", "gpt", "judge.mode"),
    ("CITECHAT_JUDGE__SELFTEST_FLOOR", "1.5", "judge.selftest_floor"),
])
def test_bad_judge_values_name_the_setting(monkeypatch, env, value, named):
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")) as info:
        load_settings()
    assert env in str(info.value)


def test_an_unset_judge_uses_the_llm_sections_endpoint_model_and_key():
    llm = LLMSettings(base_url="http://10.0.0.2:8000/v1", model="qwen", api_key="sk-llm")
    endpoint = resolve_judge_endpoint(JudgeSettings(), llm, env={})
    assert (endpoint.base_url, endpoint.model, endpoint.api_key) == (
        "http://10.0.0.2:8000/v1", "qwen", "sk-llm")


def test_the_llm_key_is_not_sent_to_another_url():
    llm = LLMSettings(base_url="https://api.openai.com/v1", api_key="sk-llm")
    judge = JudgeSettings(base_url="http://127.0.0.1:8080/v1/", model="gemma")
    endpoint = resolve_judge_endpoint(judge, llm, env={})
    assert endpoint.base_url == "http://127.0.0.1:8080/v1" and endpoint.api_key == NO_KEY
    assert resolve_judge_endpoint(judge, llm, env={"OPENAI_API_KEY": "sk-env"}).api_key \
        == "sk-env"


def test_openai_without_a_key_names_the_judge_settings():
    with pytest.raises(ConfigError, match="CITECHAT_JUDGE__API_KEY"):
        resolve_judge_endpoint(JudgeSettings(), LLMSettings(), env={})
    endpoint = resolve_judge_endpoint(JudgeSettings(), LLMSettings(),
                                      env={"OPENAI_API_KEY": "sk-env"})
    assert endpoint.base_url == OPENAI_URL and endpoint.model == "gpt-4o-mini"
