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
from ..state import REASONS, State, flat_view
from .content import recognised
from .day import Day, Plans, flat_rows, full_bool, saturating
from .indices import union

_SERVICE, _DECEPTION = REASONS.index("service"), REASONS.index("deception")


def update_irritation(state: State, day: Day, plans: Plans, rules: RulesConfig) -> None:
    """Decay irritation and add today's irritants (also kept by reason, for attribution)."""
    R = state.irritation
    decay = np.exp(-1.0 / rules.irritation_memory_days)
    R *= decay
    by_reason = state.irritation_by_reason
    by_reason *= np.float32(decay)
    K = len(REASONS)
    unanswered, detected = day.where("unanswered"), day.where("detected_today")
    if unanswered.size or detected.size:
        at = union(R.size, unanswered, detected)
        service = rules.unanswered_irritation * day.unanswered.reshape(-1)[at]
        deception = rules.deception_irritation * day.detected_today.reshape(-1)[at]
        R.reshape(-1)[at] += service + deception
        flat = by_reason.reshape(-1, K)
        flat[at, _SERVICE] += service
        flat[at, _DECEPTION] += deception
    rows = day.rows
    s = state.skepticism[rows, None]
    if day.pitch_norm is not None:  # several platforms: pitches grate less where expected
        s = s * day.pitch_norm
    parts = (  # (reason, irritant)
        ("frequency", rules.excess_irritation * day.excess),
        ("irrelevant", rules.irrelevance_irritation * day.attended * (1.0 - state.relevance[rows])),
        (
            "promotions",
            rules.pitch_irritation * day.pitch_dose * s * recognised(state, plans, rows),
        ),
        ("promotions", rules.overdraft_irritation * day.overdraft_cost),
        ("ads", rules.paid_irritation * day.paid_items * (1.0 - state.trust[rows])),
    )
    R[rows] += parts[0][1] + parts[1][1] + parts[2][1] + parts[3][1] + parts[4][1]
    today = np.zeros((rows.size, R.shape[1], K), dtype=np.float32)
    for name, value in parts:
        today[:, :, REASONS.index(name)] += value
    by_reason[rows] += today


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
    B = shape[1]
    following = flat_view(state.following)
    unfollowed = flat_view(state.unfollowed)
    quit_at = np.empty(0, dtype=np.int64)
    if backlash_on:  # draw only for irritated followers
        idx = day.followed if day.followed is not None else np.flatnonzero(following)
        irritation = state.irritation.reshape(-1)[idx]
        idx, irritation = (
            idx[irritation > rules.irritation_tolerance],
            irritation[irritation > rules.irritation_tolerance],
        )
        over = irritation - rules.irritation_tolerance
        quit_at = idx[rng.random(idx.size) < saturating(rules.unfollow_rate * over)]
        following[quit_at] = False
        unfollowed[quit_at] = True
    # contact today: an attended item or a positive message
    attended = flat_rows(day.rows, B)[day.attended.reshape(-1) > 0]
    contact = union(following.size, day.where("wom_pos"), attended)
    aware = flat_view(state.aware)
    idx = contact[aware[contact] & ~following[contact] & ~unfollowed[contact]]
    p_follow = rules.follow_rate * state.relevance.reshape(-1)[idx]
    if trust_on:
        p_follow = p_follow * state.trust.reshape(-1)[idx]
    follow_at = idx[rng.random(idx.size) < p_follow]
    following[follow_at] = True
    day.record("unfollows", full_bool(shape, quit_at), quit_at)
    day.unfollow_reasons = unfollow_reasons(state, quit_at)
    day.record("new_follows", full_bool(shape, follow_at), follow_at)


def unfollow_reasons(state: State, quit_at: np.ndarray) -> np.ndarray:
    """Unfollows per reason and brand, (len(REASONS), B): each unfollow counts for the
    reason that contributed most to the user's irritation with the brand."""
    K, B = len(REASONS), state.trust.shape[1]
    if quit_at.size == 0:  # most days: nobody quits
        return np.zeros((K, B), dtype=np.int64)
    reason = state.irritation_by_reason.reshape(-1, K)[quit_at].argmax(axis=1)
    brand = quit_at % B
    counts = np.zeros((K, B), dtype=np.int64)
    np.add.at(counts, (reason, brand), 1)
    return counts
