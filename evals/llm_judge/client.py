"""One JSON-schema chat call to the judge's OpenAI-compatible endpoint.

Reuses `rag.answer.llm`: the `Endpoint`, `call_with_retries` (bounded retries on 429/5xx) and
its error
mapping, with the messages pointed at the `judge.*` settings. Every request is sent at
temperature 0 with seed 0 (dropped for the rest of the session if the endpoint rejects it) and
`response_format` = `{"type": "json_schema", …}` (or llama-cpp-python's
`{"type": "json_object", "schema": …}` with `judge.response_format = "json_object"`).

>>> endpoint = resolve_judge_endpoint(JudgeSettings(base_url="http://127.0.0.1:8080/v1"),
...                                   LLMSettings(model="gemma"), env={})
>>> endpoint.base_url, endpoint.model
('http://127.0.0.1:8080/v1', 'gemma')
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import openai

from evals.llm_judge.errors import FormatRejected, JudgeOutputError
from rag.answer.llm.calls import RetryPolicy, call_with_retries
from rag.answer.llm.client import NO_KEY, OPENAI_URL, Endpoint
from rag.answer.llm.errors import ContextTooLong, redact
from rag.core.errors import ConfigError, ModelError
from rag.core.settings import JudgeSettings, LLMSettings

MAX_STRING_CHARS = 300  # bound on each claim / reason where the schema is a grammar (json_object)


class JsonChat(Protocol):
    """The judge's seam: send messages, get the reply text that should match `schema`."""

    model: str

    def complete(self, name: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        ...


def resolve_judge_endpoint(
    judge: JudgeSettings, llm: LLMSettings, env: Mapping[str, str] | None = None
) -> Endpoint:
    """Judge settings first, then the `llm` section, then OPENAI_BASE_URL / OPENAI_API_KEY.

    The `llm` key is used only when the judge talks to the `llm` section's URL.
    """
    env = os.environ if env is None else env
    same_url = judge.base_url is None or (
        judge.base_url.rstrip("/") == (llm.base_url or "").rstrip("/"))
    base_url = judge.base_url or llm.base_url or env.get("OPENAI_BASE_URL") or OPENAI_URL
    secret = judge.api_key or (llm.api_key if same_url else None)
    key = secret.get_secret_value() if secret else env.get("OPENAI_API_KEY")
    if not key and base_url.rstrip("/") == OPENAI_URL:
        raise ConfigError(
            "the LLM judge needs an API key: set judge.api_key (CITECHAT_JUDGE__API_KEY) or "
            "OPENAI_API_KEY, or point judge.base_url (CITECHAT_JUDGE__BASE_URL) at a local "
            "OpenAI-compatible server"
        )
    return Endpoint(base_url.rstrip("/"), judge.model or llm.model, key or NO_KEY, judge.timeout_s)


class OpenAIJsonChat:
    """`JsonChat` over the `openai` client (its own retries off: `call_with_retries` retries)."""

    def __init__(
        self, endpoint: Endpoint, settings: JudgeSettings, *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.model = endpoint.model
        self._settings = settings
        self._policy = RetryPolicy(settings.max_retries, settings.backoff_s)
        self._sleep = sleep
        self._seed: int | None = 0
        self._client = openai.OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key,
                                     timeout=endpoint.timeout_s, max_retries=0)

    def complete(self, name: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        """The reply text; `ModelError` naming `judge.*` settings when the endpoint fails,
        `JudgeOutputError` when the reply is empty or cut off."""
        try:
            content, finish = call_with_retries(lambda: self._create(name, messages, schema),
                                                self.endpoint, self._policy, sleep=self._sleep)
        except _SeedRejected:
            self._seed = None
            return self.complete(name, messages, schema)
        except FormatRejected:
            raise
        except ModelError as exc:
            raise judge_error(exc) from None
        if finish == "length":
            raise JudgeOutputError(
                f"reply cut off at judge.max_tokens ({self._settings.max_tokens}): raise it "
                "(CITECHAT_JUDGE__MAX_TOKENS) or lower judge.max_claims_per_call")
        if not content or not content.strip():
            raise JudgeOutputError("empty reply")
        return content

    def _create(
        self, name: str, messages: list[dict[str, str]], schema: dict[str, Any]
    ) -> tuple[str | None, str | None]:
        extra = {} if self._seed is None else {"seed": self._seed}
        try:
            reply = self._client.chat.completions.create(
                model=self.model, messages=messages, temperature=0,  # type: ignore[call-overload]
                max_tokens=self._settings.max_tokens,
                response_format=self._response_format(name, schema), **extra)
        except openai.APIStatusError as exc:
            if exc.status_code in (400, 422, 500):  # llama-cpp-python says 500 to a bad field
                self._rejected(exc)
            raise
        try:
            choice = reply.choices[0]
            return choice.message.content, choice.finish_reason
        except (AttributeError, IndexError, TypeError):
            raise JudgeOutputError("the reply has no choices[0].message") from None

    def _response_format(self, name: str, schema: dict[str, Any]) -> Any:
        if self._settings.response_format == "json_object":
            return {"type": "json_object", "schema": bound_strings(schema, MAX_STRING_CHARS)}
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema,
                                                       "strict": True}}

    def _rejected(self, exc: openai.APIStatusError) -> None:
        """Raise a clear error when the request's seed or response_format is what was refused."""
        text = redact(str(exc.message), self.endpoint.secrets)
        if self._seed is not None and re.search(r"\bseed\b", text):
            raise _SeedRejected
        if re.search(r"response_format|json_schema|json_object", text):
            other = "json_object" if self._settings.response_format == "json_schema" \
                else "json_schema"
            raise FormatRejected(
                f"LLM judge: {self.endpoint.base_url} rejected response_format "
                f"{self._settings.response_format!r} (HTTP {exc.status_code}): set "
                f"judge.response_format (CITECHAT_JUDGE__RESPONSE_FORMAT) to {other!r} "
                "(json_object for llama-cpp-python's server), or use an endpoint with "
                "JSON-schema output (OpenAI, vLLM, llama.cpp's llama-server)")


class _SeedRejected(Exception):
    """The endpoint does not take `seed`: resend without it."""


def judge_error(exc: ModelError) -> ModelError:
    """The same error, its message pointed at the `judge.*` settings instead of `llm.*`."""
    if isinstance(exc, ContextTooLong):
        text = re.sub(r": set llm\.context_tokens.*$", ": lower judge.max_claims_per_call "
                      "(CITECHAT_JUDGE__MAX_CLAIMS_PER_CALL) or use a model with a longer "
                      "context", str(exc))
    else:
        text = re.sub(r"\bllm\.(\w+)", r"judge.\1", str(exc)).replace("CITECHAT_LLM__",
                                                                      "CITECHAT_JUDGE__")
    return type(exc)(f"LLM judge: {text}")


def bound_strings(schema: Any, max_chars: int) -> Any:
    """A copy of `schema` with `maxLength` on every free string (a grammar then ends them)."""
    if isinstance(schema, list):
        return [bound_strings(s, max_chars) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: bound_strings(v, max_chars) for k, v in schema.items()}
    if out.get("type") == "string" and "enum" not in out:
        out.setdefault("maxLength", max_chars)
    return out
