"""Retrieval: keyword and dense ranks fused, then re-ranked for the question's dates."""
