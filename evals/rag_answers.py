"""Judge any RAG system's answers for faithfulness: `citechat eval faithfulness --answers FILE`.

Rows are JSON lines with the field names RAGAS users already have:
`{"id": …, "question": …, "answer": …, "contexts": ["…", …]}`, optionally `"citations"`
mapping a marker to a context (`{"1": 0, "2": 3}`: `[1]` cites `contexts[0]`). Each answer
sentence is judged against what it cites (with `citations`), else against every context, and
the verdict comes with the evidence span that supports or contradicts it.

>>> row = AnswerRow(id="a", question="Who?", answer="Ana Ruiz won [1].",
...                 contexts=["Ana Ruiz won the vote."], citations={"1": 0})
>>> [s.sentence for s in judge_row(row, LexicalJudge()).sentences]
['Ana Ruiz won']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evals.dataset import DatasetError
from evals.metrics.faithfulness import judge_pair, split_claims
from evals.metrics.judgement import Judgement, PairJudge
from evals.model_judge.checks import best_sentence


class LexicalJudge:
    """The offline word-coverage judge behind the same seam (no model; weaker: see README)."""

    name = "lexical"

    def judge(self, claim: str, evidence: str) -> Judgement:
        j = judge_pair(claim, evidence)
        return Judgement(verdict=j.verdict, p_supported=j.coverage, evidence=evidence,
                         reasons=[f"coverage {j.coverage:.2f}"] + [f"missing {m}" for m in
                                                                     j.missing])


class AnswerRow(BaseModel):
    """One answer to judge (RAGAS field names; `citations` optional)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    question: str = ""
    answer: str
    contexts: list[str] = Field(min_length=1)
    citations: dict[str, int] | None = None


class SentenceJudgement(BaseModel):
    """A sentence, its verdict, and the span of evidence that decided it."""

    sentence: str
    verdict: str
    p_supported: float
    context: int | None = None  # index of the context the evidence span is in
    evidence_span: str = ""
    reasons: list[str] = []


class AnswerJudgement(BaseModel):
    id: str
    question: str
    answer: str
    sentences: list[SentenceJudgement]

    @property
    def faithful(self) -> bool:
        return all(s.verdict == "supported" for s in self.sentences)

    @property
    def supported_share(self) -> float | None:
        if not self.sentences:
            return None
        return sum(s.verdict == "supported" for s in self.sentences) / len(self.sentences)


def read_rows(path: Path) -> list[AnswerRow]:
    """The rows of `path`; a DatasetError names the line and field of the first bad one."""
    if not path.is_file():
        raise DatasetError(f"--answers {path}: no such file")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(AnswerRow.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "(the line)"
            raise DatasetError(f"{path}:{number}: field '{field}': {first['msg']} (expected "
                               '{"id", "question", "answer", "contexts": [...]})') from None
    return rows


def judge_row(row: AnswerRow, judge: PairJudge) -> AnswerJudgement:
    """Every sentence of one answer against what it cites (or every context)."""
    out = []
    for sentence, markers in split_claims(row.answer):
        indexes = _cited(row, markers) or list(range(len(row.contexts)))
        best = max(indexes, key=lambda i: _overlap(sentence, row.contexts[i]))
        evidence = "\n".join(row.contexts[i] for i in indexes)
        j = judge.judge(sentence, evidence)
        out.append(SentenceJudgement(
            sentence=sentence, verdict=j.verdict, p_supported=j.p_supported, context=best,
            evidence_span=best_sentence(sentence, row.contexts[best]), reasons=j.reasons))
    return AnswerJudgement(id=row.id, question=row.question, answer=row.answer, sentences=out)


def judge_rows(rows: Sequence[AnswerRow], judge: PairJudge) -> list[AnswerJudgement]:
    return [judge_row(row, judge) for row in rows]


def _cited(row: AnswerRow, markers: Sequence[int]) -> list[int]:
    if not row.citations:
        return []
    found = [row.citations.get(str(n)) for n in markers]
    return [i for i in found if i is not None and 0 <= i < len(row.contexts)]


def _overlap(sentence: str, text: str) -> int:
    from evals.metrics.text import content_words

    return len(set(content_words(sentence)) & set(content_words(text)))
