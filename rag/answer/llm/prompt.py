"""The versioned prompt: numbered, fenced sources and the rules, trimmed to the context window.

Templates are package data (`rag/answer/prompts/<name>.txt`, sections headed `=== name ===`), read
with importlib.resources. Each source sits between fence lines carrying a nonce derived from
the sources themselves, so a document cannot close its own fence; the rules say fenced text is
data, never instructions. Tokens are estimated as characters / 4 (no tokenizer download), and
15% of the window is left free for the error in that estimate.

>>> prompt = build_prompt("Who won?", [], context_tokens=4096, max_tokens=256)
>>> prompt.version, [m.role.value for m in prompt.messages], prompt.sources
('answer_v2', ['system', 'user'], [])
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from llama_index.core.llms import ChatMessage, MessageRole

from rag.answer.llm.errors import ContextTooLong
from rag.core.types import REFUSAL, Chunk, ScoredChunk
from rag.text.sections import read_sections
from rag.text.sentences import sentence_spans

PROMPT_VERSION = "answer_v2"
REWRITE_VERSION = "rewrite_v1"
_MIN_SOURCE_TOKENS = 32
# Share of the window kept free: chars/4 undercounts for tokenizers that cut finer (Gemma
# counted 2118 tokens for a prompt estimated at 1968) and the chat template adds a few.
SLACK = 0.15


@dataclass(frozen=True)
class Prompt:
    """The messages to send; `sources[n - 1]` is the chunk the prompt numbers `[n]`."""

    messages: list[ChatMessage]
    sources: list[Chunk]
    version: str = PROMPT_VERSION
    trimmed: int = 0  # retrieved chunks left out (or cut) to fit the context window


def load_template(name: str) -> dict[str, str]:
    """The sections of `rag/answer/prompts/<name>.txt`, keyed by section name."""
    return read_sections("rag.answer", "prompts", f"{name}.txt")


def estimate_tokens(text: str) -> int:
    """About four characters per token, rounded up."""
    return math.ceil(len(text) / 4)


def fence_nonce(question: str, chunks: Sequence[Chunk]) -> str:
    """8 hex digits that depend on every source text, so no source can contain its own fence."""
    digest = hashlib.sha256(question.encode())
    for chunk in chunks:
        digest.update(chunk.text.encode())
    return digest.hexdigest()[:8]


def neutralise(text: str) -> str:
    """Source text with anything that looks like a fence broken up."""
    return text.replace("<<<", "< < <").replace(">>>", "> > >")


def build_prompt(
    question: str,
    chunks: Sequence[ScoredChunk],
    *,
    context_tokens: int,
    max_tokens: int,
    template: str = PROMPT_VERSION,
    system_role: bool = True,
) -> Prompt:
    """Number and fence the chunks (best first) and keep as many as fit the context window.

    `system_role=False` puts the rules at the top of the user message instead, for models
    whose chat template drops system messages (Gemma). Raises ContextTooLong when not even
    the instructions and one short source fit.
    """
    parts = load_template(template)
    nonce = fence_nonce(question, [c.chunk for c in chunks])
    system = parts["system"].format(refusal=REFUSAL, fence=nonce)
    user_empty = parts["user"].format(sources="", question=question, refusal=REFUSAL)
    usable = int(context_tokens * (1 - SLACK))
    budget = usable - max_tokens - estimate_tokens(system + user_empty)
    if budget < _MIN_SOURCE_TOKENS:
        raise ContextTooLong(
            f"llm.context_tokens={context_tokens} leaves no room for sources after the "
            f"instructions and llm.max_tokens={max_tokens}: raise llm.context_tokens "
            "(CITECHAT_LLM__CONTEXT_TOKENS) or lower llm.max_tokens"
        )
    sources, blocks = _fit_sources(parts["source"], nonce, chunks, budget)
    user = parts["user"].format(sources="\n\n".join(blocks), question=question, refusal=REFUSAL)
    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content=system),
        ChatMessage(role=MessageRole.USER, content=user),
    ] if system_role else [ChatMessage(role=MessageRole.USER, content=f"{system}\n\n{user}")]
    trimmed = len(chunks) - len(sources) + sum(
        s.text != c.chunk.text for s, c in zip(sources, chunks, strict=False)
    )
    return Prompt(messages, sources, template, trimmed)


def _fit_sources(
    block: str, nonce: str, chunks: Sequence[ScoredChunk], budget: int
) -> tuple[list[Chunk], list[str]]:
    sources: list[Chunk] = []
    blocks: list[str] = []
    for n, scored in enumerate(chunks, start=1):
        chunk = scored.chunk
        text = _render(block, n, nonce, chunk, chunk.text)
        cost = estimate_tokens(text) + 1
        if cost > budget:
            if sources:
                break
            cut = _truncate(chunk, len(chunk.text) - 4 * (cost - budget) - 4)
            if cut is None:
                break
            chunk = cut
            text = _render(block, n, nonce, chunk, chunk.text)
            cost = estimate_tokens(text) + 1
        sources.append(chunk)
        blocks.append(text)
        budget -= cost
    return sources, blocks


def _render(block: str, n: int, nonce: str, chunk: Chunk, text: str) -> str:
    return block.format(
        n=n, fence=nonce, title=neutralise(chunk.title or "(untitled)"),
        date=chunk.publish_date or "unknown", text=neutralise(text),
    )


def _truncate(chunk: Chunk, max_chars: int) -> Chunk | None:
    """The chunk cut to whole sentences within `max_chars` (offsets kept exact), or None."""
    ends = [end for _, end in sentence_spans(chunk.text) if end <= max_chars]
    if not ends:
        return None
    return chunk.model_copy(update={"text": chunk.text[: ends[-1]], "end": chunk.start + ends[-1]})
