"""An OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp's server) behind the
`ChatModel` seam: streamed text, and P(YES) from the first token's log-probabilities.

The same reading answerer, support check and faithfulness judge then run on a served model as on
the local one. Calls go through `rag.answer.llm.calls` (bounded retries on 429/5xx, failures as
`ModelError` naming the setting to fix); temperature 0, seed 0.

>>> endpoint = Endpoint("http://127.0.0.1:8080/v1", "qwen", "not-needed")
>>> model = OpenAIChatModel(endpoint)                                     # doctest: +SKIP
>>> model.yes_probability(ModelPrompt("…", "Passages: …", "YES or NO:"))  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import openai

from rag.answer.llm.calls import ENDPOINT_ERRORS, RetryPolicy, call_with_retries, map_error
from rag.answer.llm.client import Endpoint
from rag.core.protocols import ModelPrompt

_YES = {"yes"}
_NO = {"no"}


class OpenAIChatModel:
    """`stream` and `yes_probability` over one endpoint and model."""

    def __init__(
        self, endpoint: Endpoint, *, retry: RetryPolicy | None = None, system_role: bool = True,
        client: openai.OpenAI | None = None,
    ) -> None:
        self._endpoint = endpoint
        self._retry = retry or RetryPolicy()
        self._system_role = system_role
        self._client = client or openai.OpenAI(base_url=endpoint.base_url,
                                               api_key=endpoint.api_key,
                                               timeout=endpoint.timeout_s, max_retries=0)

    @property
    def name(self) -> str:
        return self._endpoint.model

    def stream(self, prompt: ModelPrompt, max_tokens: int) -> Iterator[str]:
        def start() -> Any:
            return self._client.chat.completions.create(
                model=self.name, messages=self._messages(prompt), temperature=0, seed=0,
                max_tokens=max_tokens, stream=True)

        chunks = call_with_retries(start, self._endpoint, self._retry)
        try:
            for chunk in chunks:
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    yield delta
        except ENDPOINT_ERRORS as exc:
            raise map_error(exc, self._endpoint) from None

    def yes_probability(self, prompt: ModelPrompt) -> float:
        def ask() -> Any:
            return self._client.chat.completions.create(
                model=self.name, messages=self._messages(prompt), temperature=0, seed=0,
                max_tokens=1, logprobs=True, top_logprobs=10)

        reply = call_with_retries(ask, self._endpoint, self._retry)
        try:
            top = reply.choices[0].logprobs.content[0].top_logprobs
        except (AttributeError, IndexError, TypeError) as exc:
            raise map_error(exc, self._endpoint) from None
        yes = sum(math.exp(t.logprob) for t in top if t.token.strip().lower() in _YES)
        no = sum(math.exp(t.logprob) for t in top if t.token.strip().lower() in _NO)
        return yes / (yes + no) if yes + no > 0 else 0.5

    def _messages(self, prompt: ModelPrompt) -> list[Any]:
        user = prompt.context + prompt.task
        if not self._system_role:
            return [{"role": "user", "content": f"{prompt.system}\n\n{user}"}]
        return [{"role": "system", "content": prompt.system}, {"role": "user", "content": user}]
