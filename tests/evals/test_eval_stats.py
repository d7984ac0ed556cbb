"""Exact McNemar and the seeded paired bootstrap."""

from __future__ import annotations

import pytest

from evals.stats import mcnemar_exact, paired_bootstrap


def test_mcnemar_exact_values():
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(6, 0) == pytest.approx(2 / 64)
    assert mcnemar_exact(3, 1) == mcnemar_exact(1, 3) == pytest.approx(0.625)
    assert mcnemar_exact(5, 5) == 1.0
    with pytest.raises(ValueError):
        mcnemar_exact(-1, 2)


def test_bootstrap_is_seeded_and_brackets_the_mean():
    diffs = [-1.0] * 10 + [0.0] * 30
    a, b = paired_bootstrap(diffs, seed=3), paired_bootstrap(diffs, seed=3)
    assert a == b
    assert a.low <= a.mean <= a.high < 0
    with pytest.raises(ValueError):
        paired_bootstrap([])
