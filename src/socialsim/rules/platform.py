"""Platform submodel: commercialization (ad load) crowds out brand content and breeds scepticism.

Each function reads the ad load ``c`` from ``platform.commercialization``, or from ``load``
when given (the reacting platform's ad load of the day, ``rules/reacting.py``).
"""

from __future__ import annotations

import math

import numpy as np

from ..config import PlatformConfig, RulesConfig
from ..state import State


def drift_skepticism(state: State, platform: PlatformConfig, load: float | None = None) -> None:
    """Raise every user's scepticism towards 1 at rate ``skepticism_drift * commercialization``."""
    c = platform.commercialization if load is None else load
    rate = platform.skepticism_drift * c
    if rate > 0.0:
        state.skepticism += toward_one(state.skepticism, rate)


def toward_one(s: np.ndarray, rate: float) -> np.ndarray:
    """``rate * (1 - s)`` in one new array (``(1 - s) * rate``: the same products)."""
    out = np.subtract(1.0, s)
    out *= rate
    return out


def attention_factor(
    platform: PlatformConfig, rules: RulesConfig, load: float | None = None
) -> float:
    """Share of a user's spare attention left for brand posts once ads take their place."""
    c = platform.commercialization if load is None else load
    return 1.0 - rules.ad_attention_cost * c


def organic_reach(platform: PlatformConfig, day: int = 0, load: float | None = None) -> float:
    """Share of a brand's posts shown to a follower on ``day`` (0-based): the platform
    throttles organic reach by its ad load, and the throttle may tighten over time:
    ``organic_reach * (1 - commercialization) * exp(organic_reach_trend * day / 365)``."""
    c = platform.commercialization if load is None else load
    trend = math.exp(platform.organic_reach_trend * day / 365.0)
    return min(1.0, platform.organic_reach * (1.0 - c) * trend)
