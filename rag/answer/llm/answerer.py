"""`LLMAnswerer`: a generated answer from any OpenAI-compatible endpoint, verified before shown.

Steps: `build_prompt` (numbered, fenced, trimmed sources) → the model (with bounded retries,
failures as `ModelError`) → `compose` (each sentence verified, re-cited, marked or dropped) →
the extractive answer when no sentence survives.

>>> answerer = LLMAnswerer.from_settings(settings.llm, fallback=extractive)  # doctest: +SKIP
>>> answerer.answer("How many died?", chunks).verification[0].verdict          # doctest: +SKIP
'supported'
>>> streamed = answerer.stream("How many died?", chunks)                       # doctest: +SKIP
>>> for token in streamed: print(token, end="")                                 # doctest: +SKIP
>>> streamed.result().citations                                                 # doctest: +SKIP
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Literal

from llama_index.core.llms import LLM, ChatMessage, ChatResponse

from rag.answer.llm.calls import ENDPOINT_ERRORS, RetryPolicy, call_with_retries, map_error
from rag.answer.llm.client import NO_KEY, Endpoint, make_llm
from rag.answer.llm.compose import compose
from rag.answer.llm.prompt import PROMPT_VERSION, Prompt, build_prompt
from rag.answer.llm.verify import VerifyConfig
from rag.answer.streamed import StreamedAnswer
from rag.core.protocols import Answerer
from rag.core.settings import LLMSettings
from rag.core.types import REFUSAL, Answer, RetrievedRef, ScoredChunk, SentenceCheck

log = logging.getLogger(__name__)


class LLMAnswerer:
    """Answer with an LLM, citing `[n]`; every sentence is checked against the chunks.

    `llm` is any LlamaIndex chat model (tests pass a scripted one); `fallback` answers when no
    generated sentence survives verification (the extractive answerer in the app).
    """

    prompt_version = PROMPT_VERSION

    def __init__(
        self,
        llm: LLM,
        *,
        endpoint: Endpoint | None = None,
        context_tokens: int = 8192,
        max_tokens: int = 512,
        retry: RetryPolicy | None = None,
        unsupported: Literal["mark", "drop"] = "mark",
        system_role: bool = True,
        fallback: Answerer | None = None,
        verify: VerifyConfig | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._llm = llm
        self._endpoint = endpoint or Endpoint("(in-process model)", "test", NO_KEY)
        self._context_tokens = context_tokens
        self._max_tokens = max_tokens
        self._retry = retry or RetryPolicy()
        self._unsupported = unsupported
        self._system_role = system_role
        self._fallback = fallback
        self._verify = verify
        self._sleep = sleep

    @classmethod
    def from_settings(
        cls,
        settings: LLMSettings,
        *,
        fallback: Answerer | None = None,
        env: Mapping[str, str] | None = None,
    ) -> LLMAnswerer:
        """Build the OpenAI-compatible model from `settings` (secrets resolved now)."""
        llm, endpoint = make_llm(settings, env)
        return cls.from_llm(llm, settings, endpoint=endpoint, fallback=fallback)

    @classmethod
    def from_llm(
        cls,
        llm: LLM,
        settings: LLMSettings,
        *,
        endpoint: Endpoint | None = None,
        fallback: Answerer | None = None,
    ) -> LLMAnswerer:
        """An answerer over a model you bring (a scripted one in tests), tuned by `settings`."""
        return cls(
            llm, endpoint=endpoint, context_tokens=settings.context_tokens,
            max_tokens=settings.max_tokens,
            retry=RetryPolicy(settings.max_retries, settings.backoff_s),
            unsupported=settings.unsupported, system_role=settings.system_role,
            fallback=fallback,
        )

    # ---------------------------------------------------------------- the Answerer protocol

    def answer(self, question: str, chunks: Sequence[ScoredChunk]) -> Answer:
        prompt = self._prompt(question, chunks)
        if not prompt.sources:
            return self._finish(question, chunks, prompt, REFUSAL)
        raw = self.complete(prompt.messages)
        return self._finish(question, chunks, prompt, raw)

    def stream(self, question: str, chunks: Sequence[ScoredChunk]) -> StreamedAnswer:
        """Tokens as the model writes them, then the verified `Answer` via `.result()`."""
        prompt = self._prompt(question, chunks)
        tokens = self._stream(prompt.messages) if prompt.sources else iter([REFUSAL])
        return StreamedAnswer(tokens, lambda raw: self._finish(question, chunks, prompt, raw))

    # ---------------------------------------------------------------- model calls

    def complete(self, messages: list[ChatMessage]) -> str:
        """The model's reply to `messages` (retried; failures raised as `ModelError`)."""
        response = call_with_retries(
            lambda: self._llm.chat(messages), self._endpoint, self._retry, sleep=self._sleep
        )
        return response.message.content or ""

    def _stream(self, messages: list[ChatMessage]) -> Iterator[str]:
        def start() -> tuple[str, Iterator[ChatResponse]]:
            responses = iter(self._llm.stream_chat(messages))
            first = next(responses, None)
            return (first.delta or "") if first is not None else "", responses

        first, responses = call_with_retries(
            start, self._endpoint, self._retry, sleep=self._sleep
        )
        if first:
            yield first
        try:
            for response in responses:
                if response.delta:
                    yield response.delta
        except ENDPOINT_ERRORS as exc:
            raise map_error(exc, self._endpoint) from None

    # ---------------------------------------------------------------- steps

    def _prompt(self, question: str, chunks: Sequence[ScoredChunk]) -> Prompt:
        prompt = build_prompt(
            question, chunks, context_tokens=self._context_tokens, max_tokens=self._max_tokens,
            system_role=self._system_role,
        )
        if prompt.trimmed:
            log.info("%d retrieved chunk(s) left out or cut to fit llm.context_tokens=%d",
                     prompt.trimmed, self._context_tokens)
        return prompt

    def _finish(
        self, question: str, chunks: Sequence[ScoredChunk], prompt: Prompt, raw: str
    ) -> Answer:
        retrieved = [
            RetrievedRef(chunk_id=c.chunk.chunk_id, doc_id=c.chunk.doc_id, score=c.score)
            for c in chunks
        ]
        shown = compose(question, raw, prompt.sources, unsupported=self._unsupported,
                        cfg=self._verify)
        if shown.survived == 0 and not shown.refused:
            log.info("no generated sentence survived verification; falling back")
            replaced = "not shown: the extractive answer replaced the model's"
            if self._fallback is None:
                replaced = "not shown: refused instead"
            checks = [_not_shown(c, replaced) for c in shown.verification]
            if self._fallback is not None:
                fallback = self._fallback.answer(question, chunks)
                return fallback.model_copy(update={"verification": checks})
            return Answer(question=question, answer=REFUSAL, refused=True, retrieved=retrieved,
                          mode="llm", model=self._endpoint.model, verification=checks)
        return Answer(
            question=question, answer=shown.text, refused=shown.refused,
            citations=shown.citations, retrieved=retrieved, mode="llm",
            model=self._endpoint.model, verification=shown.verification,
        )


def _not_shown(check: SentenceCheck, why: str) -> SentenceCheck:
    """`check` with its "marked"/"dropped" reason replaced by `why` (nothing of it is shown)."""
    if check.verdict != "unsupported":
        return check
    reasons = [r for r in check.reasons if r not in ("marked", "dropped")]
    return check.model_copy(update={"reasons": [*reasons, why]})
