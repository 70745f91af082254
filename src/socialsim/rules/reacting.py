"""The reacting platform (odd.md 7.15, ``[mechanisms] platform_reacts``): the ad load
follows the brands' demand for paid reach, and users spend less time on the platform, or
leave it, as the ad load rises.

Each day, before any delivery, with ``c0 = platform.commercialization``:

1. The platform moves its ad load ``c`` towards the load it sells to meet the brands'
   demand: ``D`` = today's planned paid impressions of all brands (``sum_b paid_reach_b``),
   ``A`` = the users' summed time on the platform (``sum_i h_i``, the active audience)::

       c* = max(c0, min(ad_load_max, c0 + ad_supply * D / A))     (c_max if A = 0 < D)
       c <- c + ad_adjust * (c* - c)

2. Each user who has not left moves their time on the platform ``h`` (a share of their
   baseline time) towards its long-run value at today's ads per hour ``a = c *
   feed_items_per_hour``; sceptical users are more sensitive::

       m_i  = max(0, 1 + skeptic_time * (s_i - s0))     (s0: mean scepticism at day 0)
       h*_i = max(0, 1 - time_sensitivity * m_i * max(0, a - ads_reference))
       h_i <- h_i + time_adjust * (h*_i - h_i)

   A user whose ``h`` falls below ``leave_threshold`` leaves for good (``h = 0``).

Everything that read ``platform.commercialization`` (scepticism drift, organic-reach
throttle, attention factor: ``rules/platform.py``) reads ``c`` instead, and a user's brand
deliveries (organic, paid, shared) and spare attention scale with ``h`` (``rules/attention.py``,
``rules/content.py``). The updates are deterministic: no random stream.
"""

from __future__ import annotations

import numpy as np

from ..config import PlatformConfig, RulesConfig
from ..state import State
from .day import Plans
from .platform_speed import time_multiplier


def target_load(state: State, plans: Plans, platform: PlatformConfig, rules: RulesConfig) -> float:
    """The ad load ``c*`` the platform sells to meet today's demand for paid reach."""
    c0 = platform.commercialization
    demand = float(plans.paid_reach.sum())
    active = float(state.time.sum())
    if active > 0.0:
        wanted = c0 + rules.ad_supply * demand / active
    else:
        wanted = rules.ad_load_max if demand > 0.0 else c0
    return max(c0, min(rules.ad_load_max, wanted))


def ads_per_hour(load: float, rules: RulesConfig) -> float:
    """Ads a user sees per hour on the platform at ad load ``load``."""
    return load * rules.feed_items_per_hour


def target_time(state: State, load: float, rules: RulesConfig) -> np.ndarray:
    """Each user's long-run time on the platform ``h*`` at ad load ``load`` (shape (n,))."""
    excess = max(0.0, ads_per_hour(load, rules) - rules.ads_reference)
    if excess == 0.0:
        return np.ones(state.n_users)
    m = time_multiplier(state, rules.skeptic_time)  # max(0, 1 + skeptic_time (s - s0))
    return np.maximum(0.0, 1.0 - rules.time_sensitivity * excess * m)


def react(state: State, plans: Plans, platform: PlatformConfig, rules: RulesConfig) -> None:
    """Today's ad load, then each user's time on the platform and who leaves (in place)."""
    c = state.ad_load
    state.ad_load = c + rules.ad_adjust * (target_load(state, plans, platform, rules) - c)
    h = state.time
    h += rules.time_adjust * (target_time(state, state.ad_load, rules) - h)
    state.left |= h < rules.leave_threshold
    h[state.left] = 0.0


def sceptic_users(state: State, above: float) -> np.ndarray:
    """The users whose scepticism is above ``above`` today, sorted (for the metrics). Found
    afresh each day: the set changes on almost every day (a cache compared by value cost
    more than it saved)."""
    return np.flatnonzero(state.skepticism > above)
