"""Irritation, unfollows and follows.

Irritation (per user x brand) decays with a memory of ``irritation_memory_days`` and builds
from: items beyond spare attention, irrelevant items, recognised pitches (more for sceptics),
pitches on an overdrawn favour account, paid impressions to users who distrust the brand,
unanswered problems and detected covert promotion. Followers unfollow with probability
``sat(unfollow_rate * max(0, irritation - irritation_tolerance))``, ``sat(x) = x/(1+x)``,
and never re-follow within a run. Aware non-followers who met the brand today (an attended
item or a positive message) follow with probability ``follow_rate * trust * relevance``.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State
from .content import recognised
from .day import Day, Plans, saturating


def update_irritation(state: State, day: Day, plans: Plans, rules: RulesConfig) -> None:
    """Decay irritation and add today's irritants."""
    R = state.irritation
    R *= np.exp(-1.0 / rules.irritation_memory_days)
    R += (
        rules.unanswered_irritation * day.unanswered
        + rules.deception_irritation * day.detected_today
    )
    rows = day.rows
    s = state.skepticism[rows, None]
    R[rows] += (
        rules.excess_irritation * day.excess
        + rules.irrelevance_irritation * day.attended * (1.0 - state.relevance[rows])
        + rules.pitch_irritation * day.pitch_dose * s * recognised(state, plans, rows)
        + rules.overdraft_irritation * day.overdraft_cost
        + rules.paid_irritation * day.paid_items * (1.0 - state.trust[rows])
    )


def follow_unfollow(
    state: State,
    day: Day,
    rules: RulesConfig,
    trust_on: bool,
    backlash_on: bool,
    rng: np.random.Generator,
) -> None:
    """Draw today's unfollows (from irritation) and follows (from contact and trust)."""
    shape = state.trust.shape
    unfollows = np.zeros(shape, dtype=bool)
    if backlash_on:  # draw only for irritated followers
        idx = np.flatnonzero(state.following & (state.irritation > rules.irritation_tolerance))
        over = state.irritation.ravel()[idx] - rules.irritation_tolerance
        unfollows.ravel()[idx] = rng.random(idx.size) < saturating(rules.unfollow_rate * over)
        state.following &= ~unfollows
        state.unfollowed |= unfollows
    contact = day.wom_pos > 0
    contact[day.rows] |= day.attended > 0
    idx = np.flatnonzero(state.aware & ~state.following & ~state.unfollowed & contact)
    p_follow = rules.follow_rate * state.relevance.ravel()[idx]
    if trust_on:
        p_follow = p_follow * state.trust.ravel()[idx]
    follows = np.zeros(shape, dtype=bool)
    follows.ravel()[idx] = rng.random(idx.size) < p_follow
    state.following |= follows
    day.unfollows, day.new_follows = unfollows, follows
