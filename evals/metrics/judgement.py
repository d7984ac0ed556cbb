"""The shape of one claim-vs-evidence judgement, and the seam every judge fits (the model judge,
`evals.model_judge`; the offline lexical one, `evals.rag_answers.LexicalJudge`)."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

Verdict = Literal["supported", "unsupported", "uncertain"]


class Judgement(BaseModel):
    """One claim against one evidence text: the verdict and what decided it."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    p_supported: float
    evidence: str  # the windows the model read
    reasons: list[str] = []


class PairJudge(Protocol):
    """What judges one claim against one evidence text (`ModelJudge`, `LexicalJudge`)."""

    @property
    def name(self) -> str: ...

    def judge(self, claim: str, evidence: str) -> Judgement: ...
