"""Robustness probes: call the answerer directly with constructed chunk lists (offline).

For each answerable question whose gold documents are retrieved (top 20, as of the question's
date: pass `app.service.retrieve`), with gold chunks =
retrieved chunks of gold docs that contain an alias and distractors = the other chunks:

- `distractors`: gold chunks shuffled among distractors (seeded) → still correct;
- `gold_removed`: distractors only (none contains an alias) → refuses;
- `fact_edited`: the alias in the gold chunks replaced by a counterfactual → answer follows it;
- `cited_removed`: the chunks the `distractors` answer cited removed → the answer changes.

>>> fetch = lambda item, k: app.service.retrieve(item.question, k, None, item.as_of)
>>> report = run_probes(fetch, answerer, load_dataset(path))   # doctest: +SKIP
>>> report.rates["gold_removed"]                                        # doctest: +SKIP
0.41
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel

from evals.dataset import EvalItem
from evals.metrics.correctness import alias_match, prediction_text
from evals.metrics.text import contains_phrase, numbers_in
from rag.core.protocols import Answerer
from rag.core.types import Answer, ScoredChunk

PROBES = ("distractors", "gold_removed", "fact_edited", "cited_removed")
_FAKE_NAME = "Zorvath Quillane"


class ProbeResult(BaseModel):
    id: str
    probe: str
    status: Literal["ok", "fail", "n/a"]
    detail: str = ""


class ProbeReport(BaseModel):
    results: list[ProbeResult]
    rates: dict[str, float | None]  # share "ok" among applicable, per probe


def run_probes(
    retrieve: Callable[[EvalItem, int], Sequence[ScoredChunk]], answerer: Answerer,
    items: Sequence[EvalItem], *, pool: int = 20,
    distractors: int = 5, seed: int = 0,
) -> ProbeReport:
    """Run every probe on every answerable item with gold docs; n/a where it cannot apply."""
    rng = random.Random(seed)
    results: list[ProbeResult] = []
    for item in items:
        if item.expect_refusal or not item.gold_docs or not item.answers:
            continue
        found = retrieve(item, pool)
        gold = [c for c in found if c.chunk.doc_id in item.gold_docs and _has_alias(c, item)]
        other = [c for c in found if not _has_alias(c, item)][:distractors]
        if not gold or not other:
            results += [ProbeResult(id=item.id, probe=p, status="n/a",
                                    detail="no gold chunk or no distractor retrieved")
                        for p in PROBES]
            continue
        results += _probe_item(answerer, item, gold, other, rng)
    rates: dict[str, float | None] = {}
    for probe in PROBES:
        applicable = [r for r in results if r.probe == probe and r.status != "n/a"]
        rates[probe] = (sum(r.status == "ok" for r in applicable) / len(applicable)
                        if applicable else None)
    return ProbeReport(results=results, rates=rates)


def _probe_item(
    answerer: Answerer, item: EvalItem, gold: list[ScoredChunk], other: list[ScoredChunk],
    rng: random.Random,
) -> list[ProbeResult]:
    mixed = [*gold, *other]
    rng.shuffle(mixed)
    first = answerer.answer(item.question, mixed)
    out = [_result(item, "distractors", _correct(first, item.answers), _said(first))]
    blind = answerer.answer(item.question, other)
    out.append(_result(item, "gold_removed", blind.refused, _said(blind)))
    edited, new_value = _edit(gold, item)
    if new_value is None:
        out.append(ProbeResult(id=item.id, probe="fact_edited", status="n/a",
                               detail="no alias to edit"))
    else:
        moved = answerer.answer(item.question, [*edited, *other])
        out.append(_result(item, "fact_edited", _correct(moved, [[new_value]]),
                           f"edited to {new_value!r}; {_said(moved)}"))
    cited = {c.chunk_id for c in first.citations}
    if first.refused or not cited:
        out.append(ProbeResult(id=item.id, probe="cited_removed", status="n/a",
                               detail="first answer refused or cited nothing"))
    else:
        rest = [c for c in mixed if c.chunk.chunk_id not in cited]
        after = answerer.answer(item.question, rest) if rest else None
        changed = after is None or after.refused or _said(after) != _said(first)
        out.append(_result(item, "cited_removed", changed, _said(after) if after else "-"))
    return out


def _result(item: EvalItem, probe: str, ok: bool, detail: str) -> ProbeResult:
    return ProbeResult(id=item.id, probe=probe, status="ok" if ok else "fail", detail=detail)


def _has_alias(chunk: ScoredChunk, item: EvalItem) -> bool:
    return any(contains_phrase(chunk.chunk.text, a) for g in item.answers for a in g)


def _correct(answer: Answer, groups: list[list[str]]) -> bool:
    return not answer.refused and alias_match(prediction_text(answer.short_answer, answer.answer),
                                              groups)


def _said(answer: Answer) -> str:
    return "(refused)" if answer.refused else (answer.short_answer or answer.answer[:60])


def _edit(gold: list[ScoredChunk], item: EvalItem) -> tuple[list[ScoredChunk], str | None]:
    """Replace every alias of the first group in the gold chunks by one counterfactual value."""
    aliases = sorted(item.answers[0], key=len, reverse=True)
    numbers = sorted(numbers_in(aliases[0]))
    new_value = str(int(float(numbers[0])) * 10 + 3) if numbers else _FAKE_NAME
    pattern = re.compile("|".join(rf"\b{re.escape(a)}\b" for a in aliases), re.IGNORECASE)
    edited = [c.model_copy(update={"chunk": c.chunk.model_copy(
        update={"text": pattern.sub(new_value, c.chunk.text)})}) for c in gold]
    changed = any(e.chunk.text != c.chunk.text for e, c in zip(edited, gold, strict=True))
    return edited, new_value if changed else None
