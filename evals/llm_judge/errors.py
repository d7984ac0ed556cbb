"""What the LLM judge adds to the `rag.core.errors` hierarchy."""

from __future__ import annotations

from rag.core.errors import CitechatError, ModelError


class JudgeOutputError(CitechatError):
    """A reply is not JSON or breaks the schema: recorded as `judge_error`, the run goes on."""


class FormatRejected(ModelError):
    """The endpoint refuses the `response_format` sent: every call would fail, so the run stops."""
