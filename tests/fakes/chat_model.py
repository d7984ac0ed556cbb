"""A scripted `ChatModel` for unit tests: canned replies and support probabilities, every prompt
recorded, deterministic and instant."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rag.core.protocols import ModelPrompt

Reply = str | Callable[[ModelPrompt], str]
Support = float | Callable[[ModelPrompt], float]


@dataclass
class ScriptedChatModel:
    """`reply` answers `stream`, `support` answers `yes_probability` (a value or a function of
    the prompt); `prompts` records ("stream" | "yes", prompt) in call order."""

    reply: Reply = "Felix Amundsen [1]"
    support: Support = 0.9
    name: str = "scripted-model"
    piece: int = 4
    prompts: list[tuple[str, ModelPrompt]] = field(default_factory=list)

    def stream(self, prompt: ModelPrompt, max_tokens: int) -> Iterator[str]:
        self.prompts.append(("stream", prompt))
        text = self.reply(prompt) if callable(self.reply) else self.reply
        for i in range(0, len(text), self.piece):
            yield text[i : i + self.piece]

    def yes_probability(self, prompt: ModelPrompt) -> float:
        self.prompts.append(("yes", prompt))
        return self.support(prompt) if callable(self.support) else self.support

    def calls(self, kind: str) -> list[ModelPrompt]:
        return [p for k, p in self.prompts if k == kind]
