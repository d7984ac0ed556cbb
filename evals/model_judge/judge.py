"""`ModelJudge`: is a claim supported by its evidence? A model's P(YES), calibrated, with vetoes.

Steps (`judge`): the best-matching evidence windows (`windows`) → the model's probability that
the claim is supported (prompt `evals/prompts/support_v1.txt`, temperature 0, from the first
token's logits; cached on disk by model, prompt version and input) → the cheap checks of
`checks` → a verdict:

- `unsupported`: P below the threshold, or a veto fired (a number or date of the claim absent
  from its best-matching evidence sentence; a negation on one side only);
- `supported`: P at or above the threshold and no veto; but a name found nowhere in the
  evidence (not even as an acronym or alias) makes it `uncertain` — the judge cannot tell;
- `uncertain` always counts as *not supported*: in the eval metrics, the self-test and reports.

Thresholds are calibrated on faithfulness_dev (WiCE + Factcheck-GPT, human labels):
`bench/judge_pass.py` and `bench/results/judge.md`. Deterministic: same inputs, same verdicts.

>>> judge = ModelJudge(model)                                         # doctest: +SKIP
>>> judge.judge("Seven people died.", "Officials said seven people died.").verdict  # doctest: +SKIP
'supported'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evals.llm_judge.cache import JudgeCache, cache_key
from evals.metrics.judgement import Judgement
from evals.model_judge.checks import names_missing, negation_mismatch, numbers_missing
from evals.model_judge.windows import best_windows
from rag.core.protocols import ChatModel, ModelPrompt
from rag.text.sections import read_sections
from rag.text.sentences import sentence_spans

PROMPT_VERSION = "support_v1"


@dataclass(frozen=True)
class JudgeTuning:
    """Calibrated on faithfulness_dev (bench/results/judge.md, 420 pairs): P(supported) ≥ 0.18
    gave the best mean balanced accuracy (WiCE 0.683, Factcheck-GPT 0.745; held out 0.68 /
    0.71). The number veto and "missing name = uncertain" raised recall on unsupported claims
    but lowered held-out balanced accuracy (WiCE 0.62, Factcheck-GPT 0.68), so they are off."""

    threshold: float = 0.18
    window_sentences: int = 2
    window_chars: int = 600
    veto_numbers: bool = False
    veto_negation: bool = False
    names_uncertain: bool = False


class ModelJudge:
    """A claim-vs-evidence judge over any `ChatModel` (local or served)."""

    def __init__(
        self, model: ChatModel, tuning: JudgeTuning | None = None,
        cache: JudgeCache | None = None,
    ) -> None:
        self._model = model
        self.tuning = tuning or JudgeTuning()
        self._cache = cache or JudgeCache()
        self.calls = 0  # model calls made (cache misses)

    @property
    def name(self) -> str:
        return f"model {self._model.name}"

    def describe(self) -> dict[str, object]:
        """What decides the verdicts, for the eval config (its hash and diff)."""
        return {"mode": "model", "model": self._model.name, "prompt_version": PROMPT_VERSION,
                "tuning": self.tuning.__dict__}

    def probability(self, claim: str, evidence: str) -> tuple[float, str]:
        """P(supported) from the model, and the evidence windows it read."""
        t = self.tuning
        window = best_windows(claim, evidence, size=t.window_sentences, max_chars=t.window_chars)
        key = cache_key(self._model.name, PROMPT_VERSION, "support",
                        {"claim": claim, "evidence": window})
        cached = self._cache.get(key)
        if isinstance(cached, float):
            return cached, window
        parts = read_sections("evals", "prompts", f"{PROMPT_VERSION}.txt")
        prompt = ModelPrompt(parts["system"], parts["context"].format(evidence=window) + "\n",
                             parts["task"].format(claim=claim.strip()))
        p = round(self._model.yes_probability(prompt), 6)
        self.calls += 1
        self._cache.put(self._model.name, "support", {key: p})
        return p, window

    def judge(self, claim: str, evidence: str) -> Judgement:
        if is_quoted_sentence(claim, evidence):
            return Judgement(verdict="supported", p_supported=1.0, evidence=claim.strip(),
                             reasons=["a whole sentence of the evidence, word for word"])
        p, window = self.probability(claim, evidence)
        t, reasons = self.tuning, []
        if t.veto_numbers and (missing := numbers_missing(claim, evidence)):
            reasons.append("not in the best-matching evidence sentence: " + ", ".join(missing))
        if t.veto_negation and negation_mismatch(claim, evidence):
            reasons.append("negated on one side only")
        if reasons:
            return Judgement(verdict="unsupported", p_supported=p, evidence=window,
                             reasons=reasons)
        if p < t.threshold:
            return Judgement(verdict="unsupported", p_supported=p, evidence=window,
                             reasons=[f"P(supported) {p:.2f} < {t.threshold:.2f}"])
        if t.names_uncertain and (names := names_missing(claim, evidence)):
            return Judgement(verdict="uncertain", p_supported=p, evidence=window,
                             reasons=["name(s) found nowhere in the evidence: " +
                                      ", ".join(names)])
        return Judgement(verdict="supported", p_supported=p, evidence=window)

    def judge_many(self, pairs: Sequence[tuple[str, str]]) -> list[Judgement]:
        """Pairs with the same evidence are judged together, so a model that caches its state
        reads that evidence once."""
        order = sorted(range(len(pairs)), key=lambda i: pairs[i][1])
        out: dict[int, Judgement] = {i: self.judge(*pairs[i]) for i in order}
        return [out[i] for i in range(len(pairs))]


def is_quoted_sentence(claim: str, evidence: str) -> bool:
    """The claim is one whole sentence of the evidence, word for word (quotes and spacing
    aside): it needs no model. A fragment is not enough ("the council approved the plan" in
    "…denied that the council approved the plan").

    >>> is_quoted_sentence('"Ten people died." ', "Rain fell. Ten people died. Roads shut.")
    True
    >>> is_quoted_sentence("the council approved the plan",
    ...                    "Ana denied that the council approved the plan.")
    False
    """
    wanted = _plain(claim)
    if len(wanted.split()) < 3:
        return False
    return any(_plain(evidence[s:e]) == wanted for s, e in sentence_spans(evidence))


def _plain(text: str) -> str:
    return " ".join(text.strip().strip('"“”\'').split()).rstrip(".").casefold()
