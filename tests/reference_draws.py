"""The reference's own random draws and small maps (``tests/reference.py``): plain Python on
``random.Random``, shared by the reference and its mixins."""

from __future__ import annotations

import math
import random


def chance(rng: random.Random, p: float) -> bool:
    """A Bernoulli draw: True with probability ``p`` (p <= 0: never, p >= 1: always)."""
    return rng.random() < p


def mean_or_nan(values: list[float]) -> float:
    """The mean of ``values``, nan when there are none."""
    return sum(values) / len(values) if values else math.nan


def sat(x: float) -> float:
    """The saturating map ``x / (1 + x)`` from a non-negative rate to a share in [0, 1)."""
    return x / (1.0 + x)


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson(``lam``) draw (Knuth's multiplication method, in chunks for large lam)."""
    count = 0
    while lam > 0.0:
        step = min(lam, 30.0)  # exp(-30) is still far from underflow
        lam -= step
        limit, product = math.exp(-step), rng.random()
        while product > limit:
            count += 1
            product *= rng.random()
    return count
