"""The corpus and questions the bench runs on: the dev set when present, else the sample."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import REPO, SAMPLE_CORPUS, SAMPLE_QUESTIONS, log
from ingest.documents import SourceDocument


@dataclass
class Question:
    qid: str
    question: str
    as_of: str | None
    gold_docs: list[str]
    answer_groups: list[list[str]]  # every group must be matched by one of its alternatives
    unanswerable: bool


@dataclass
class Corpus:
    name: str
    documents: list[SourceDocument] | None  # None: ingest `paths` with the file loaders
    paths: list[Path] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    questions_name: str = ""


def load_corpus(devset: Path | None, max_docs: int | None) -> Corpus:
    if devset is not None and (devset / "corpus.jsonl").is_file():
        return _devset_corpus(devset, max_docs)
    if devset is not None:
        log(
            f"dev set not found at {devset}: using the sample corpus "
            f"{SAMPLE_CORPUS.relative_to(REPO)}"
        )
    return _sample_corpus()


def _devset_corpus(devset: Path, max_docs: int | None) -> Corpus:
    docs = [
        _devset_document(rec, n)
        for n, rec in enumerate(load_jsonl(devset / "corpus.jsonl"), start=1)
    ]
    if max_docs:
        docs = docs[:max_docs]
    qpath = devset / "questions.jsonl"
    questions = [_devset_question(rec) for rec in load_jsonl(qpath)] if qpath.is_file() else []
    return Corpus(
        f"dev set {devset.name} ({len(docs)} docs)",
        docs,
        questions=questions,
        questions_name=f"{devset.name}/questions.jsonl",
    )


def _devset_document(rec: dict, n: int) -> SourceDocument:
    return SourceDocument(
        doc_id=str(rec["id"]),
        text=rec.get("text") or "",
        title=rec.get("title") or "",
        url=rec.get("url") or None,
        publish_date=iso_date(rec.get("publish_date")),
        date_provenance="jsonl",
        source=rec.get("source") or None,
        origin=f"corpus.jsonl:{n}",
    )


def _devset_question(rec: dict) -> Question:
    return Question(
        qid=rec["id"],
        question=rec["question"],
        as_of=iso_date(rec.get("question_date")),
        gold_docs=list(rec.get("evidence") or []),
        answer_groups=[[a.strip() for a in str(rec["answer"]).split(" / ")]],
        unanswerable=rec.get("question_type") == "unanswerable_in_corpus",
    )


def _sample_corpus() -> Corpus:
    questions = []
    if SAMPLE_QUESTIONS.is_file():
        questions = [_sample_question(rec) for rec in load_jsonl(SAMPLE_QUESTIONS)]
    return Corpus(
        "sample corpus (evals/datasets/sample_corpus)",
        None,
        paths=[SAMPLE_CORPUS],
        questions=questions,
        questions_name="evals/datasets/sample.jsonl",
    )


def _sample_question(rec: dict) -> Question:
    return Question(
        qid=rec["id"],
        question=rec["question"],
        as_of=iso_date(rec.get("as_of")),
        gold_docs=list(rec.get("gold_docs") or []),
        answer_groups=[list(g) for g in rec.get("answers") or []],
        unanswerable=bool(rec.get("expect_refusal")),
    )


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def iso_date(value: Any) -> str | None:
    """'2024/03/18', '2024-03-18T10:00:00' … → '2024-03-18'; None when not a date."""
    if not value:
        return None
    m = re.match(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", str(value))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
