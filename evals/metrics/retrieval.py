"""Retrieval quality by document id: hit@k, recall@k, MRR and nDCG@k over de-duplicated doc ids.

Steps: `ranked_docs` (chunk ranks → unique doc ids, first occurrence wins) → `gold_doc_ids`
(gold_docs plus the documents whose text contains a gold quote) → `score_retrieval`.

>>> r = score_retrieval(["d2", "d2", "d1"], {"d1"}, k=5)
>>> (r.status, r.hit, r.recall, r.mrr)
('ok', 1.0, 1.0, 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

RetrievalStatus = Literal["ok", "n/a"]


class RetrievalResult(BaseModel):
    """Scores are in [0, 1]; with status "n/a" (no gold documents) they are None, never NaN."""

    model_config = ConfigDict(frozen=True)

    status: RetrievalStatus
    k: int
    hit: float | None = None
    recall: float | None = None
    mrr: float | None = None
    ndcg: float | None = None
    gold: list[str] = []
    ranked: list[str] = []
    reason: str = ""


def ranked_docs(doc_ids: Iterable[str]) -> list[str]:
    """Doc ids in rank order, each kept once at its best rank."""
    return list(dict.fromkeys(doc_ids))


def resolve_quotes(quotes: Sequence[str], documents: Mapping[str, str]) -> set[str]:
    """Doc ids whose text contains any of `quotes` (whitespace-insensitive, case-sensitive)."""
    wanted = [" ".join(q.split()) for q in quotes if q.strip()]
    if not wanted:
        return set()
    found = set()
    for doc_id, text in documents.items():
        flat = " ".join(text.split())
        if any(q in flat for q in wanted):
            found.add(doc_id)
    return found


def score_retrieval(ranked: Sequence[str], gold: set[str], k: int) -> RetrievalResult:
    """Score one question's ranked doc ids against its gold doc ids at cut-off `k`."""
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    docs = ranked_docs(ranked)
    if not gold:
        return RetrievalResult(status="n/a", k=k, ranked=docs, reason="no gold documents")
    top = docs[:k]
    found = [d for d in top if d in gold]
    first = next((i for i, d in enumerate(docs, start=1) if d in gold), None)
    dcg = sum(1 / math.log2(i + 1) for i, d in enumerate(top, start=1) if d in gold)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(gold), k) + 1))
    return RetrievalResult(
        status="ok", k=k, hit=1.0 if found else 0.0, recall=len(found) / len(gold),
        mrr=1 / first if first else 0.0, ndcg=dcg / ideal, gold=sorted(gold), ranked=docs,
    )
