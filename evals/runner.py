"""Run a dataset through an App (or re-score stored answers) and collect typed results.

>>> run = run_eval(app, load_dataset(path), dataset="sample")     # doctest: +SKIP
>>> run.aggregates["accuracy"].value                               # doctest: +SKIP
0.62
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from evals.dataset import DatasetError, EvalItem
from evals.metrics.correctness import score_correctness
from evals.metrics.faithfulness import DocumentSource, judge_answer
from evals.metrics.judgement import PairJudge as Decider
from evals.metrics.llm_faithfulness import PairJudge, judge_answer_llm
from evals.metrics.refusal import score_refusal
from evals.metrics.retrieval import resolve_quotes, score_retrieval
from evals.results import EvalRun, QuestionResult, aggregate
from rag.app import App
from rag.core.protocols import Embedder
from rag.core.types import Answer, Chunk

if TYPE_CHECKING:
    from evals.judge_selftest import SelfTestResult

RETRIEVAL_K = 5  # doc cut-off for hit/recall/nDCG; fixed so that a smaller answer k shows up


def score_item(
    item: EvalItem, answer: Answer, chunks: Mapping[str, Chunk], docs: DocumentSource,
    gold_docs: set[str], embedder: Embedder | None = None, k: int = RETRIEVAL_K,
    llm_judge: PairJudge | None = None, decider: Decider | None = None,
) -> QuestionResult:
    """Score one answer with every metric and decide pass/fail (the offline judge decides
    faithfulness; the LLM judge, when given, is reported beside it)."""
    retrieval = score_retrieval([r.doc_id for r in answer.retrieved], gold_docs, k)
    correctness = score_correctness(answer.short_answer, answer.answer, answer.refused,
                                    item.answers)
    refusal = score_refusal(answer.refused, item.expect_refusal)
    faithfulness = judge_answer(answer, docs, chunks, embedder, decider)
    llm = judge_answer_llm(answer, chunks, llm_judge) if llm_judge is not None else None
    reasons = []
    if refusal.status == "wrong":
        reasons.append("refused" if answer.refused else "answered an unanswerable question")
    if correctness.status == "ok" and not correctness.correct:
        reasons.append(f"wrong answer: {correctness.prediction[:80]!r}")
    if faithfulness.status == "judge_error":
        reasons.append(f"judge error: {faithfulness.reason}")
    bad = [s for s in faithfulness.sentences if s.verdict in ("unsupported", "wrongly_cited")]
    if bad:
        reasons.append(f"{bad[0].verdict} sentence: {bad[0].sentence[:80]!r}")
    return QuestionResult(
        id=item.id, question=item.question, tags=item.tags, expect_refusal=item.expect_refusal,
        gold_answer=item.gold_answer, answer=answer, retrieval=retrieval,
        correctness=correctness, refusal=refusal, faithfulness=faithfulness, llm_judge=llm,
        passed=not reasons, fail_reasons=reasons,
    )


def resolve_gold(items: Sequence[EvalItem], app: App) -> tuple[dict[str, set[str]], list[str]]:
    """Gold doc ids per item (gold_docs, else documents containing a gold quote) and warnings
    for quotes found nowhere and gold docs missing from the collection."""
    stored = set(app.catalog.content_hashes())
    texts: dict[str, str] = {}
    if any(item.gold_quotes for item in items):
        texts = {d: app.catalog.document_text(d) or "" for d in stored}
    gold: dict[str, set[str]] = {}
    warnings = []
    for item in items:
        for quote in item.gold_quotes:
            if not resolve_quotes([quote], texts):
                warnings.append(f"{item.id}: gold quote not found in the corpus: {quote[:60]!r}")
        missing = [d for d in item.gold_docs if d not in stored]
        if missing:
            warnings.append(f"{item.id}: gold docs not in the collection: {', '.join(missing)}")
        gold[item.id] = set(item.gold_docs) or resolve_quotes(item.gold_quotes, texts)
    return gold, warnings


def run_eval(
    app: App, items: Sequence[EvalItem], *, dataset: str, config: dict[str, Any],
    k: int | None = None, default_as_of: date | None = None, progress: bool = True,
    llm_judge: PairJudge | None = None, selftests: Sequence[SelfTestResult] = (),
    decider: Decider | None = None,
) -> EvalRun:
    """Ask every question through `app.service` as of its `as_of` (else `default_as_of`, else
    today) and score the answers; `selftests` (the judges' self-tests) are kept in the run."""
    from tqdm import tqdm

    gold, warnings = resolve_gold(items, app)
    results = []
    for item in tqdm(items, desc=f"eval {dataset}", unit="q", disable=not progress or None):
        as_of = item.as_of or default_as_of
        answer, chunks = app.service.ask_with_chunks(item.question, k, None, as_of)
        by_id = {c.chunk.chunk_id: c.chunk for c in chunks}
        results.append(score_item(item, answer, by_id, app.catalog, gold[item.id], app.embedder,
                                  llm_judge=llm_judge, decider=decider))
    return _run(dataset, items, config, results, warnings, selftests)


def replay_eval(
    app: App, items: Sequence[EvalItem], answers: Mapping[str, Answer], *, dataset: str,
    config: dict[str, Any], progress: bool = True, llm_judge: PairJudge | None = None,
    selftests: Sequence[SelfTestResult] = (), decider: Decider | None = None,
) -> EvalRun:
    """Re-score stored answers (by question id) without generating; chunks come from the catalog."""
    from tqdm import tqdm

    missing = [item.id for item in items if item.id not in answers]
    if missing:
        raise DatasetError(f"the replay file has no answer for {len(missing)} question(s): "
                           + ", ".join(missing[:10]))
    gold, warnings = resolve_gold(items, app)
    results = []
    for item in tqdm(items, desc=f"replay {dataset}", unit="q", disable=not progress or None):
        answer = answers[item.id]
        chunks = app.catalog.chunks([r.chunk_id for r in answer.retrieved]) if answer.retrieved \
            else {}
        results.append(score_item(item, answer, chunks, app.catalog, gold[item.id], app.embedder,
                                  llm_judge=llm_judge, decider=decider))
    return _run(dataset, items, config, results, warnings, selftests)


def read_answers(path: Path, items: Sequence[EvalItem] = ()) -> dict[str, Answer]:
    """Read `citechat ask --questions … --json` output (one JSON Answer per line with `id`), or
    a turn log (`turns.sqlite`): there each item gets the latest logged answer to its question
    asked as of its `as_of` (any day, for an item without one)."""
    if not path.is_file():
        raise DatasetError(f"--replay {path}: no such file")
    if path.suffix == ".sqlite":
        return _answers_from_log(path, items)
    out: dict[str, Answer] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            qid = record.pop("id")
            out[str(qid)] = Answer.model_validate(record)
        except (json.JSONDecodeError, KeyError, AttributeError, TypeError) as exc:
            raise DatasetError(f"{path}:{number}: needs a JSON object with 'id' ({exc})") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise DatasetError(f"{path}:{number}: field '{field}': {first['msg']}") from None
    return out


def _answers_from_log(path: Path, items: Sequence[EvalItem]) -> dict[str, Answer]:
    from rag.stores.turnlog import TurnLog

    latest: dict[tuple[str, str | None], Answer] = {}
    for answer in TurnLog(path).answers():
        day = answer.context.as_of if answer.context else None
        latest[(answer.question, day)] = latest[(answer.question, None)] = answer
    found = {}
    for item in items:
        key = (item.question, item.as_of.isoformat() if item.as_of else None)
        if key in latest:
            found[item.id] = latest[key]
    return found


def dataset_sha(items: Iterable[EvalItem]) -> str:
    blob = "\n".join(item.model_dump_json() for item in items)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _run(
    dataset: str, items: Sequence[EvalItem], config: dict[str, Any],
    results: list[QuestionResult], warnings: list[str], selftests: Sequence[SelfTestResult] = (),
) -> EvalRun:
    from evals.config import config_hash

    return EvalRun(
        dataset=dataset, dataset_sha=dataset_sha(items), config=config,
        config_hash=config_hash(config), created=datetime.now(UTC).isoformat(timespec="seconds"),
        questions=results, aggregates=aggregate(results), warnings=warnings,
        judge_selftests=list(selftests),
    )
