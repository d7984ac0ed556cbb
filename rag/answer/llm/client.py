"""Build the chat model from `LLMSettings`: LlamaIndex's `OpenAILike` over the `openai` client.

Secrets are resolved here, late (when the LLM mode is first used), from the settings or the
usual `OPENAI_API_KEY` / `OPENAI_BASE_URL` variables. Retries are switched off in both
LlamaIndex and the `openai` client (`max_retries=0`): they would multiply each other, so
`rag.answer.llm.calls` retries in one bounded place instead.

>>> llm, endpoint = make_llm(LLMSettings(base_url="http://127.0.0.1:8080/v1", model="gemma"))
>>> endpoint.model, type(llm).__name__
('gemma', 'OpenAILike')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from llama_index.core.llms import LLM

from rag.core.errors import ConfigError
from rag.core.settings import LLMSettings

OPENAI_URL = "https://api.openai.com/v1"
# Sent when a custom endpoint (a local server) needs no key: the openai client insists on one.
NO_KEY = "not-needed"


@dataclass(frozen=True)
class Endpoint:
    """Where the model lives; `api_key` is kept out of `repr` so it never reaches a log."""

    base_url: str
    model: str
    api_key: str = field(repr=False)
    timeout_s: float = 60.0

    @property
    def secrets(self) -> list[str]:
        return [self.api_key] if self.api_key != NO_KEY else []


def resolve_endpoint(settings: LLMSettings, env: Mapping[str, str] | None = None) -> Endpoint:
    """The endpoint from the settings, else from OPENAI_BASE_URL / OPENAI_API_KEY.

    A key is required only for the default OpenAI URL; a custom endpoint without one gets a
    placeholder (local servers ignore it, and a 401 then says which setting to fill in).
    """
    env = os.environ if env is None else env
    base_url = (settings.base_url or env.get("OPENAI_BASE_URL") or OPENAI_URL).rstrip("/")
    key = settings.api_key.get_secret_value() if settings.api_key else env.get("OPENAI_API_KEY")
    if not key and base_url == OPENAI_URL:
        raise ConfigError(
            "LLM mode needs an API key: set OPENAI_API_KEY or CITECHAT_LLM__API_KEY "
            "(llm.api_key in citechat.toml), or point llm.base_url (CITECHAT_LLM__BASE_URL) "
            "at a local OpenAI-compatible server"
        )
    return Endpoint(base_url, settings.model, key or NO_KEY, settings.timeout_s)


def make_llm(
    settings: LLMSettings, env: Mapping[str, str] | None = None
) -> tuple[LLM, Endpoint]:
    """The LlamaIndex chat model for `settings`, and the endpoint it talks to."""
    from llama_index.llms.openai_like import OpenAILike

    endpoint = resolve_endpoint(settings, env)
    llm = OpenAILike(
        model=endpoint.model,
        api_base=endpoint.base_url,
        api_key=endpoint.api_key,
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=settings.context_tokens,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        timeout=settings.timeout_s,
        max_retries=0,
    )
    return llm, endpoint
