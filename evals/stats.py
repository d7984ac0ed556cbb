"""Paired statistics for baseline-vs-now comparisons: exact McNemar and a seeded paired bootstrap.

>>> round(mcnemar_exact(0, 6), 4)   # 6 questions flipped one way, none the other
0.0312
>>> paired_bootstrap([0.0, 0.0, 0.0], seed=1).mean
0.0
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict


class BootstrapResult(BaseModel):
    """Mean of the paired differences and its percentile interval."""

    model_config = ConfigDict(frozen=True)

    n: int
    mean: float
    low: float
    high: float


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar p-value for `b` pass→fail and `c` fail→pass discordant pairs."""
    if b < 0 or c < 0:
        raise ValueError("counts must be non-negative")
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n
    return float(min(1.0, 2 * tail))


def paired_bootstrap(
    differences: Sequence[float], *, resamples: int = 2000, confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapResult:
    """Percentile bootstrap interval of the mean per-question difference (now − baseline)."""
    n = len(differences)
    if n == 0:
        raise ValueError("no paired differences to bootstrap")
    rng = random.Random(seed)
    means = sorted(
        sum(differences[rng.randrange(n)] for _ in range(n)) / n for _ in range(resamples)
    )
    alpha = (1 - confidence) / 2
    low = means[int(alpha * (resamples - 1))]
    high = means[int(round((1 - alpha) * (resamples - 1)))]
    return BootstrapResult(n=n, mean=sum(differences) / n, low=low, high=high)
