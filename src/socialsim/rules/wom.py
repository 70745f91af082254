"""Word of mouth: users praise and complain to their friends; negative WOM weighs more.

Senders (per user x brand, each day):
- positive: customers advocate with probability ``advocacy_rate * trust``; users with a good
  experience today (a purchase or an answered problem) share with ``share_positive * trust``;
- negative: users with a bad experience today (an unanswered problem, a detected covert pitch,
  a pitch on an overdrawn favour account, weighted by ``overdraft_complaint`` times its
  cost) complain with ``complain_rate``, irritated users (irritation above tolerance) with a
  tenth of it.
Each sender reaches all friends (a sparse gather over the day's senders). One message makes
an unaware friend aware with probability w = ``wom_awareness``, h messages with
``h w / (1 + (h - 1) w)``; the share of friends recommending a brand feeds tomorrow's
purchase probability; received messages move trust (``trust.py``).
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..graphs import friend_counts
from ..state import State
from .day import Day


def spread(
    state: State, day: Day, rules: RulesConfig, trust_on: bool, rng: np.random.Generator
) -> None:
    """Draw senders, deliver messages along friendships, update awareness and the WOM signal."""
    trust = state.trust if trust_on else 1.0
    customer = state.purchases > 0
    good = day.bought_new | day.bought_repeat | day.answered
    p_pos = np.clip(
        rules.advocacy_rate * customer * trust + rules.share_positive * good * trust, 0.0, 1.0
    )
    bad = (
        day.unanswered.astype(float)
        + day.detected_today
        + 0.1 * (state.irritation > rules.irritation_tolerance)
    )
    bad[day.rows] += rules.overdraft_complaint * day.overdraft_cost
    p_neg = np.clip(rules.complain_rate * bad, 0.0, 1.0)
    shape = state.trust.shape
    pos = rng.random(shape) < p_pos
    neg = rng.random(shape) < p_neg
    received = friend_counts(state.adjacency, np.concatenate([pos, neg], axis=1))
    B = shape[1]
    day.pos_sender, day.neg_sender = pos, neg
    day.wom_pos, day.wom_neg = received[:, :B], received[:, B:]
    heard = (day.wom_pos + day.wom_neg).ravel()
    idx = np.flatnonzero((heard > 0) & ~state.aware.ravel())  # unaware users who heard
    w = rules.wom_awareness
    h = heard[idx]
    p_aware = h * w / (1.0 + (h - 1.0) * w)  # w for one message, -> 1 for many
    told = np.zeros(shape, dtype=bool)
    told.ravel()[idx] = rng.random(idx.size) < p_aware
    state.make_aware(told)
    state.wom_signal = day.wom_pos / np.maximum(state.degree, 1.0)[:, None]


def silence(state: State, day: Day) -> None:
    """The WOM mechanism switched off: no messages, no signal."""
    zeros = np.zeros_like(state.trust)
    day.pos_sender = day.neg_sender = day.wom_pos = day.wom_neg = zeros
    state.wom_signal = zeros
