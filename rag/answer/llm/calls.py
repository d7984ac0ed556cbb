"""Call the endpoint with bounded retries, and turn every failure into a `ModelError`.

HTTP 429 and 5xx are retried `max_retries` times with doubling delays (or the server's
`Retry-After`, capped); everything else fails at once with a message naming the setting to fix.
The API key is scrubbed from every message, and the original exception (whose body may echo it)
is not chained.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import openai

from rag.answer.llm.client import Endpoint
from rag.answer.llm.errors import (
    AuthenticationFailed,
    ContextTooLong,
    EndpointServerError,
    EndpointTimeout,
    EndpointUnreachable,
    MalformedResponse,
    ModelNotFound,
    RateLimited,
    redact,
)
from rag.core.errors import ModelError, redact_url

log = logging.getLogger(__name__)
T = TypeVar("T")
_CONTEXT = re.compile(r"context|too long|too many tokens|maximum .*tokens|n_ctx", re.I)
# What a broken reply raises inside the openai client or LlamaIndex while decoding it.
DECODE_ERRORS: tuple[type[Exception], ...] = (
    json.JSONDecodeError, openai.APIResponseValidationError, KeyError, IndexError, TypeError,
)
# Everything a call to the endpoint can raise that `map_error` turns into a `ModelError`.
ENDPOINT_ERRORS: tuple[type[Exception], ...] = (openai.OpenAIError, *DECODE_ERRORS)


@dataclass(frozen=True)
class RetryPolicy:
    """`max_retries` retries after the first attempt; delays `backoff_s`, ×2 each, capped."""

    max_retries: int = 2
    backoff_s: float = 1.0
    max_delay_s: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        wanted = retry_after if retry_after is not None else self.backoff_s * 2**attempt
        return max(0.0, min(wanted, self.max_delay_s))


def call_with_retries(
    fn: Callable[[], T],
    endpoint: Endpoint,
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`fn()`, retried on 429/5xx; any endpoint failure is raised as a `ModelError`."""
    attempt = 0
    while True:
        try:
            return fn()
        except (openai.RateLimitError, openai.InternalServerError) as exc:
            if attempt >= policy.max_retries:
                raise map_error(exc, endpoint, attempts=attempt + 1) from None
            wait = policy.delay(attempt, _retry_after(exc))
            log.warning("model endpoint answered HTTP %s; retry %d of %d in %.1f s",
                        exc.status_code, attempt + 1, policy.max_retries, wait)
            sleep(wait)
            attempt += 1
        except ENDPOINT_ERRORS as exc:
            raise map_error(exc, endpoint, attempts=attempt + 1) from None


def map_error(exc: Exception, endpoint: Endpoint, *, attempts: int = 1) -> ModelError:
    """The `ModelError` for an exception raised while talking to `endpoint`."""
    url, model = redact_url(endpoint.base_url), endpoint.model  # a password in it stays out
    detail = _detail(exc, endpoint.secrets)
    if isinstance(exc, openai.APITimeoutError):
        return EndpointTimeout(
            f"no reply from {url} within {endpoint.timeout_s:g} s: raise llm.timeout_s "
            "(CITECHAT_LLM__TIMEOUT_S) or lower llm.max_tokens"
        )
    if isinstance(exc, openai.APIConnectionError):
        return EndpointUnreachable(
            f"cannot reach the model endpoint {url}{detail}: check llm.base_url "
            "(CITECHAT_LLM__BASE_URL or OPENAI_BASE_URL) and that the server is running"
        )
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return AuthenticationFailed(
            f"{url} rejected the API key (HTTP {exc.status_code}){detail}: set llm.api_key "
            "(CITECHAT_LLM__API_KEY) or OPENAI_API_KEY to a key allowed to use this model"
        )
    if isinstance(exc, openai.NotFoundError):
        return ModelNotFound(
            f"model '{model}' not found at {url} (HTTP 404){detail}: set llm.model "
            f"(CITECHAT_LLM__MODEL) to one listed at {url}/models, and check that llm.base_url "
            "ends with the API prefix (often /v1)"
        )
    if isinstance(exc, openai.RateLimitError):
        return RateLimited(
            f"{url} is rate-limiting requests (HTTP 429, {attempts} attempts){detail}: "
            "wait and retry, or raise llm.max_retries / llm.backoff_s"
        )
    if isinstance(exc, openai.InternalServerError):
        return EndpointServerError(
            f"{url} failed with HTTP {exc.status_code} ({attempts} attempts){detail}: "
            "check the server's log, or raise llm.max_retries"
        )
    if isinstance(exc, openai.APIStatusError) and _CONTEXT.search(str(exc.message)):
        return ContextTooLong(
            f"the prompt is longer than the model at {url} accepts{detail}: set "
            "llm.context_tokens (CITECHAT_LLM__CONTEXT_TOKENS) to the model's context window, "
            "or lower answer.top_k"
        )
    if isinstance(exc, openai.APIStatusError):
        return ModelError(
            f"{url} refused the request (HTTP {exc.status_code}){detail}: check llm.model "
            "and llm.base_url"
        )
    return MalformedResponse(
        f"unreadable reply from {url} ({type(exc).__name__}){detail}: check that llm.base_url "
        "points to an OpenAI-compatible API (e.g. http://127.0.0.1:8080/v1)"
    )


def _detail(exc: Exception, secrets: list[str]) -> str:
    if isinstance(exc, openai.APIConnectionError) and exc.__cause__ is not None:
        text = str(exc.__cause__)
    elif isinstance(exc, openai.APIError):
        text = str(exc.message)
    else:
        text = str(exc)
    text = " ".join(redact(text, secrets).split())
    if len(text) > 240:
        text = text[:239] + "…"
    return f" ({text})" if text else ""


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after") if exc.response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
