"""Self-test of the offline faithfulness judge: does it tell supported from unsupported sentences?

Cases: the frozen, hand-labelled pairs in `evals/datasets/judge_selftest.jsonl` (sentences written
against passages of the sample corpus), plus synthetic edits of every supported pair made here
(`swapped_number`, `swapped_name`, `negation`, `added_clause`), all labelled unsupported.
Score: balanced accuracy of "verdict == supported" against the labels; the run fails below
`FLOOR` (set from measurement with a margin; see evals/README.md). `citechat eval` runs this
for every judge in use (`run_judge_selftests`): the offline judge with the run's embedder, and
with `--judge llm` the same cases through the LLM judge (`judge_pairs`, cached), whose floor is
`judge.selftest_floor`. A case the LLM judge could not judge (`judge_error`) counts as wrong.

    python -m evals.judge_selftest             # lexical + hard checks only
    python -m evals.judge_selftest --minilm    # with the real embedding model as a feature
    python -m evals.judge_selftest --llm       # the LLM judge of the settings ([judge])
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from evals.metrics.faithfulness import judge_pair
from evals.metrics.text import number_words
from rag.core.protocols import Embedder

if TYPE_CHECKING:
    from evals.llm_judge.judge import LLMJudge
    from evals.metrics.judgement import PairJudge

FLOOR = 0.85  # measured 0.878 (lexical) on 147 cases: 131 frozen + edits, 16 hard ones
MODEL_FLOOR = 0.85  # measured 0.909 (Qwen2.5-Coder-1.5B) on the same 147 cases
_CLAUSES = (
    ", and the mayor resigned over the decision",
    ", after a dispute with the regional government",
    ", two years after a similar plan collapsed",
)
_AUX = re.compile(r"\b(is|are|was|were|will|has|have|had|can|must)\b")


@cache
def _number_pattern() -> re.Pattern[str]:
    return re.compile(r"\d+(?:[.,]\d+)*|\b(?:" + "|".join(
        w for w, d in number_words().items() if d.isdigit() and int(d) < 100) + r")\b")


class Case(BaseModel):
    """One labelled (sentence, evidence) pair."""

    model_config = ConfigDict(frozen=True)

    id: str
    sentence: str
    evidence: str
    label: str  # "supported" | "unsupported"
    kind: str


class SelfTestResult(BaseModel):
    """Balanced accuracy over all cases, per-kind accuracy, and the misjudged case ids."""

    model_config = ConfigDict(frozen=True)

    balanced_accuracy: float
    n_supported: int
    n_unsupported: int
    by_kind: dict[str, float]
    misjudged: list[str]
    floor: float
    passed: bool
    judge: str = "offline"  # "offline", or "llm <model>"
    errors: int = 0  # cases the judge could not judge (counted as misjudged)
    # label → judged ("supported" / "not supported" / "judge_error") → cases
    confusion: dict[str, dict[str, int]] = {}


def load_cases(path: Path | None = None) -> list[Case]:
    """The frozen labelled pairs (package data unless `path` is given)."""
    if path is None:
        text = resources.files("evals").joinpath("datasets/judge_selftest.jsonl").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return [Case.model_validate_json(line) for line in text.splitlines() if line.strip()]


def hard_cases() -> list[Case]:
    """Hand-written pairs of the kinds word overlap gets wrong: role swaps, negation in the
    evidence, footnote and stray numbers, aliases and acronyms, paraphrase, absent names."""
    return load_cases(Path(str(resources.files("evals").joinpath(
        "datasets/judge_hard_cases.jsonl"))))


def all_cases() -> list[Case]:
    """What every self-test judges: the frozen pairs, their synthetic edits, the hard cases."""
    frozen = load_cases()
    return [*frozen, *synthetic_edits(frozen), *hard_cases()]


def synthetic_edits(cases: Sequence[Case]) -> list[Case]:
    """Unsupported variants of each supported case; an edit that changes nothing is skipped."""
    out: list[Case] = []
    names = sorted({w for c in cases for w in re.findall(r"\b[A-Z][a-z]{3,}\b", c.evidence)})
    for i, case in enumerate(c for c in cases if c.label == "supported"):
        edits = {
            "swapped_number": _swap_number(case.sentence),
            "swapped_name": _swap_name(case.sentence, case.evidence, names),
            "negation": _negate(case.sentence),
            "added_clause": case.sentence.rstrip(".") + _CLAUSES[i % len(_CLAUSES)] + ".",
        }
        for kind, edited in edits.items():
            if edited and edited != case.sentence:
                out.append(Case(id=f"{case.id}-{kind}", sentence=edited, evidence=case.evidence,
                                label="unsupported", kind=kind))
    return out


def _swap_number(sentence: str) -> str | None:
    match = _number_pattern().search(sentence)
    if not match:
        return None
    token = match.group(0)
    value = number_words().get(token.lower(), token.replace(",", ""))
    swapped = str(int(float(value)) + 3)
    return sentence[: match.start()] + swapped + sentence[match.end():]


def _swap_name(sentence: str, evidence: str, names: Sequence[str]) -> str | None:
    present = [m for m in re.finditer(r"\b[A-Z][a-z]{3,}\b", sentence) if m.start() > 0]
    other = [n for n in names if n not in evidence]
    if not present or not other:
        return None
    m = present[0]
    replacement = other[len(m.group(0)) % len(other)]
    return sentence[: m.start()] + replacement + sentence[m.end():]


def _negate(sentence: str) -> str:
    match = _AUX.search(sentence)
    if match:
        return sentence[: match.end()] + " not" + sentence[match.end():]
    return "It is not true that " + sentence[0].lower() + sentence[1:]


def run_selftest(
    cases: Sequence[Case], embedder: Embedder | None = None, floor: float = FLOOR
) -> SelfTestResult:
    """Judge every case with the offline judge and score the verdicts against the labels."""
    verdicts = [judge_pair(c.sentence, c.evidence, embedder).verdict for c in cases]
    return score(cases, verdicts, floor)


def run_llm_selftest(cases: Sequence[Case], judge: LLMJudge, floor: float) -> SelfTestResult:
    """The same cases through the LLM judge's pair judgement (cached like every judgement)."""
    verdicts = [v.verdict for v in judge.judge_pairs([(c.sentence, c.evidence) for c in cases])]
    return score(cases, verdicts, floor, judge=f"llm {judge.model}")


def run_model_selftest(
    cases: Sequence[Case], judge: PairJudge, floor: float = MODEL_FLOOR
) -> SelfTestResult:
    """The same cases through a claim-vs-evidence judge (the model judge; cached)."""
    verdicts = [judge.judge(c.sentence, c.evidence).verdict for c in cases]
    return score(cases, verdicts, floor, judge=judge.name)


def run_judge_selftests(
    embedder: Embedder | None, llm_judge: LLMJudge | None = None, llm_floor: float = 0.8,
    cases: Sequence[Case] | None = None, model_judge: PairJudge | None = None,
    model_floor: float = MODEL_FLOOR,
) -> list[SelfTestResult]:
    """The self-test of each judge in use: offline always; the model judge (the default
    decision when the local model is installed) and the LLM judge when given."""
    if cases is None:
        cases = all_cases()
    results = [run_selftest(cases, embedder)]
    if model_judge is not None:
        results.append(run_model_selftest(cases, model_judge, model_floor))
    if llm_judge is not None:
        results.append(run_llm_selftest(cases, llm_judge, llm_floor))
    return results


def score(
    cases: Sequence[Case], verdicts: Sequence[str], floor: float, judge: str = "offline"
) -> SelfTestResult:
    """Balanced accuracy of `verdict == "supported"`; a "judge_error" verdict is always wrong."""
    hits: dict[str, list[bool]] = defaultdict(list)
    by_label: dict[str, list[bool]] = defaultdict(list)
    misjudged = []
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for case, verdict in zip(cases, verdicts, strict=True):
        predicted = verdict == "supported"
        judged = verdict if verdict == "judge_error" else \
            ("supported" if predicted else "not supported")
        confusion[case.label][judged] += 1
        right = verdict != "judge_error" and predicted == (case.label == "supported")
        hits[case.kind].append(right)
        by_label[case.label].append(right)
        if not right:
            misjudged.append(case.id)
    recalls = [sum(v) / len(v) for v in by_label.values() if v]
    balanced = sum(recalls) / len(recalls) if recalls else 0.0
    return SelfTestResult(
        balanced_accuracy=round(balanced, 4),
        n_supported=len(by_label["supported"]), n_unsupported=len(by_label["unsupported"]),
        by_kind={k: round(sum(v) / len(v), 3) for k, v in sorted(hits.items())},
        misjudged=misjudged, floor=floor, passed=balanced >= floor, judge=judge,
        errors=sum(v == "judge_error" for v in verdicts),
        confusion={label: dict(row) for label, row in confusion.items()},
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minilm", action="store_true", help="add the real embedding model")
    parser.add_argument("--model", action="store_true",
                        help="test the model judge on the local model (answer.mode auto/local)")
    parser.add_argument("--llm", action="store_true",
                        help="test the LLM judge of the settings ([judge], CITECHAT_JUDGE__…) "
                             "instead; judgements are cached under the data dir")
    parser.add_argument("--frozen-only", action="store_true",
                        help="only the hand-labelled pairs, not their synthetic edits")
    parser.add_argument("--floor", type=float, default=None,
                        help=f"default {FLOOR} (offline), judge.selftest_floor (--llm)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    cases = load_cases() if args.frozen_only else all_cases()
    if args.model:
        from evals.judges import pair_judge
        from rag.app import build_app
        from rag.core.settings import load_settings

        judge = pair_judge(build_app(load_settings()), "model")
        result = run_model_selftest(cases, judge, MODEL_FLOOR if args.floor is None else args.floor)
    elif args.llm:
        from evals.llm_judge.judge import LLMJudge
        from rag.core.settings import load_settings

        settings = load_settings()
        floor = settings.judge.selftest_floor if args.floor is None else args.floor
        result = run_llm_selftest(cases, LLMJudge.from_settings(settings), floor)
    else:
        embedder = None
        if args.minilm:
            from rag.stores.embedder import MiniLMEmbedder

            embedder = MiniLMEmbedder()
        result = run_selftest(cases, embedder, FLOOR if args.floor is None else args.floor)
    print(json.dumps(result.model_dump()) if args.json else format_result(result))
    return 0 if result.passed else 1


def summary_line(result: SelfTestResult) -> str:
    """"judge self-test (offline): balanced accuracy 0.956 (floor 0.90) PASS"."""
    errors = f", {result.errors} judge errors" if result.errors else ""
    return (f"judge self-test ({result.judge}): balanced accuracy "
            f"{result.balanced_accuracy:.3f} (floor {result.floor:.2f}) "
            f"{'PASS' if result.passed else 'FAIL'}{errors}")


def format_result(result: SelfTestResult) -> str:
    lines = [f"{summary_line(result)}; {result.n_supported} supported, "
             f"{result.n_unsupported} unsupported cases"]
    lines += [f"  {kind:<18} {acc:.2f}" for kind, acc in result.by_kind.items()]
    if result.misjudged:
        lines.append("  misjudged: " + ", ".join(result.misjudged))
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
