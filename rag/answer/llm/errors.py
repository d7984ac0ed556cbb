"""What can go wrong with a model endpoint, as `ModelError` subclasses whose messages say which
setting to fix. Secrets are scrubbed from every message (`redact`)."""

from __future__ import annotations

from rag.core.errors import ModelError


class EndpointUnreachable(ModelError):
    """Nothing answers at the configured URL (connection refused, DNS, TLS)."""


class EndpointTimeout(ModelError):
    """The endpoint did not reply within `llm.timeout_s`."""


class AuthenticationFailed(ModelError):
    """HTTP 401/403: the API key is missing, wrong or not allowed to use the model."""


class ModelNotFound(ModelError):
    """HTTP 404: no such model at the endpoint (or the URL lacks its `/v1`)."""


class RateLimited(ModelError):
    """HTTP 429 after every retry."""


class EndpointServerError(ModelError):
    """HTTP 5xx after every retry."""


class ContextTooLong(ModelError):
    """The prompt does not fit the model's context window."""


class MalformedResponse(ModelError):
    """The reply (or a streamed chunk) is not what the OpenAI API returns."""


def redact(text: str, secrets: list[str]) -> str:
    """Replace every occurrence of each secret with `***`.

    >>> redact("bad key sk-abc123 given", ["sk-abc123"])
    'bad key *** given'
    """
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text
