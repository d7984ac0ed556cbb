"""citechat's faithfulness judge as a LlamaIndex evaluator, for LlamaIndex eval pipelines.

Like LlamaIndex's `FaithfulnessEvaluator`, it takes a response and its contexts; unlike it, it
needs no LLM call through LlamaIndex's global settings: give it a judge (the local model judge,
`ModelJudge`, or the offline `LexicalJudge`). The score is the share of supported sentences;
`passing` means every sentence is supported; the feedback lists each sentence's verdict.

>>> evaluator = CitechatFaithfulnessEvaluator(judge=LexicalJudge())
>>> result = evaluator.evaluate(response="Ana Ruiz won the vote.",
...                             contexts=["Ana Ruiz won the vote on Monday."])
>>> result.passing, result.score
(True, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.evaluation import BaseEvaluator, EvaluationResult
from llama_index.core.prompts.mixin import PromptDictType

from evals.metrics.judgement import PairJudge
from evals.rag_answers import AnswerRow, LexicalJudge, judge_row


class CitechatFaithfulnessEvaluator(BaseEvaluator):
    """`evaluate(response=…, contexts=[…])` → an `EvaluationResult` from citechat's judge."""

    def __init__(self, judge: PairJudge | None = None) -> None:
        self._judge = judge or LexicalJudge()

    def _get_prompts(self) -> PromptDictType:
        return {}

    def _update_prompts(self, prompts: PromptDictType) -> None:
        return None

    async def aevaluate(
        self, query: str | None = None, response: str | None = None,
        contexts: Sequence[str] | None = None, **kwargs: Any,
    ) -> EvaluationResult:
        if not response or not contexts:
            raise ValueError("a response and at least one context are needed")
        row = AnswerRow(id="llamaindex", question=query or "", answer=response,
                        contexts=list(contexts))
        judged = judge_row(row, self._judge)
        lines = [f"{s.verdict}: {s.sentence}" for s in judged.sentences]
        return EvaluationResult(
            query=query, response=response, contexts=list(contexts),
            passing=judged.faithful, score=judged.supported_share,
            feedback="\n".join(lines) or "no sentences to judge",
        )
