"""Retrieval metrics by doc id: de-duplication, edges, quote resolution."""

from __future__ import annotations

import math

import pytest

from evals.metrics.retrieval import ranked_docs, resolve_quotes, score_retrieval


def test_perfect_and_partial():
    r = score_retrieval(["a", "b", "c"], {"a", "b"}, k=5)
    assert (r.hit, r.recall, r.mrr, r.ndcg) == (1.0, 1.0, 1.0, 1.0)
    r = score_retrieval(["x", "a"], {"a", "b"}, k=5)
    assert r.recall == 0.5 and r.mrr == 0.5
    assert r.ndcg == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))


def test_duplicate_doc_ids_count_once():
    assert ranked_docs(["a", "a", "b", "a"]) == ["a", "b"]
    r = score_retrieval(["x", "x", "x", "a"], {"a"}, k=2)
    assert r.hit == 1.0 and r.mrr == 0.5  # "a" is the 2nd distinct doc


def test_empty_retrieval_scores_zero_not_nan():
    r = score_retrieval([], {"a"}, k=5)
    assert r.status == "ok" and (r.hit, r.recall, r.mrr, r.ndcg) == (0.0, 0.0, 0.0, 0.0)


def test_no_gold_is_na_with_none():
    r = score_retrieval(["a"], set(), k=5)
    assert r.status == "n/a" and r.hit is None and r.recall is None and r.mrr is None


def test_bad_k_and_bounds():
    with pytest.raises(ValueError):
        score_retrieval(["a"], {"a"}, k=0)
    r = score_retrieval(["b", "c", "a", "d"], {"a", "d", "e"}, k=3)
    assert all(0.0 <= v <= 1.0 for v in (r.hit, r.recall, r.mrr, r.ndcg))


def test_resolve_quotes_ignores_whitespace():
    docs = {"d1": "The bridge\nreopened  on Monday.", "d2": "Nothing here."}
    assert resolve_quotes(["bridge reopened on Monday"], docs) == {"d1"}
    assert resolve_quotes(["  "], docs) == set()
