"""Platform submodel: commercialization (ad load) crowds out brand content and breeds scepticism."""

from __future__ import annotations

import math

from ..config import PlatformConfig, RulesConfig
from ..state import State


def drift_skepticism(state: State, platform: PlatformConfig) -> None:
    """Raise every user's scepticism towards 1 at rate ``skepticism_drift * commercialization``."""
    rate = platform.skepticism_drift * platform.commercialization
    if rate > 0.0:
        state.skepticism += rate * (1.0 - state.skepticism)


def attention_factor(platform: PlatformConfig, rules: RulesConfig) -> float:
    """Share of a user's spare attention left for brand posts once ads take their place."""
    return 1.0 - rules.ad_attention_cost * platform.commercialization


def organic_reach(platform: PlatformConfig, day: int = 0) -> float:
    """Share of a brand's posts shown to a follower on ``day`` (0-based): the platform
    throttles organic reach by its ad load, and the throttle may tighten over time:
    ``organic_reach * (1 - commercialization) * exp(organic_reach_trend * day / 365)``."""
    trend = math.exp(platform.organic_reach_trend * day / 365.0)
    return min(1.0, platform.organic_reach * (1.0 - platform.commercialization) * trend)
