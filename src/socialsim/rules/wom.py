"""Word of mouth: users praise and complain to their friends; negative WOM weighs more.

Senders (per user x brand, each day):
- positive: customers advocate with probability ``advocacy_rate * trust``; users with a good
  experience today (a purchase or an answered problem) share with ``share_positive * trust``;
- negative: users with a bad experience today (an unanswered problem, a detected covert pitch,
  a pitch on an overdrawn favour account, weighted by ``overdraft_complaint`` times its
  cost) complain with ``complain_rate``, irritated users (irritation above tolerance) with
  ``irritated_complaint`` times it.
Each sender reaches all friends (a sparse gather over the day's senders). One message makes
an unaware friend aware with probability w = ``wom_awareness``, h messages with
``h w / (1 + (h - 1) w)``; the share of friends recommending a brand feeds tomorrow's
purchase probability; received messages move trust (``trust.py``).
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..graphs import count_at, friend_targets
from ..state import State, flat_view
from .day import Day, flat_rows, full_bool
from .indices import union, union_mask, unique


def spread(
    state: State, day: Day, rules: RulesConfig, trust_on: bool, rng: np.random.Generator
) -> None:
    """Draw senders, deliver messages along friendships, update awareness and the WOM signal.

    Sender probabilities are computed only where they can be positive (customers and users
    with a good experience; users with a bad experience or irritated); messages are counted
    by a sparse gather over the senders' friends.
    """
    shape = state.trust.shape
    n, B = shape
    size = n * B
    # positive: customers and users with a good experience today
    purchases = flat_view(state.purchases)  # > 0: customers
    good_at = union(
        size, day.where("bought_new"), day.where("bought_repeat"), day.where("answered")
    )
    cand = union_mask(purchases > 0, good_at)
    good = np.zeros(cand.size, dtype=bool)
    good[np.searchsorted(cand, good_at)] = True
    trust = flat_view(state.trust)[cand] if trust_on else 1.0
    p_pos = (
        rules.advocacy_rate * (purchases[cand] > 0) * trust + rules.share_positive * good * trust
    ).clip(0.0, 1.0)
    # one uniform per (user, brand) and sender kind, as if every user drew (the stream then
    # stays aligned across scenarios: common random numbers); compared only where p > 0
    pos = cand[rng.random(size)[cand] < p_pos]
    # negative: bad experiences today, irritated users
    irritated = flat_view(state.irritation) > rules.irritation_tolerance
    unanswered, detected = day.where("unanswered"), day.where("detected_today")
    overdraft = day.overdraft_cost  # compact (rows, B), or 0.0 without the favour bank
    if np.shape(overdraft) != (day.rows.size, B):
        overdraft = np.broadcast_to(overdraft, (day.rows.size, B))
    overdraft = overdraft.reshape(-1)
    od_flat = flat_rows(day.rows, B)
    od_flat, overdraft = od_flat[overdraft > 0], overdraft[overdraft > 0]
    cand = union_mask(irritated, unanswered, detected, od_flat)
    bad = np.zeros(cand.size)
    bad[np.searchsorted(cand, unanswered)] = 1.0
    bad[np.searchsorted(cand, detected)] += 1.0
    bad += rules.irritated_complaint * irritated[cand]
    bad[np.searchsorted(cand, od_flat)] += rules.overdraft_complaint * overdraft
    p_neg = (rules.complain_rate * bad).clip(0.0, 1.0)
    neg = cand[rng.random(size)[cand] < p_neg]
    # deliver along friendships
    to_pos = friend_targets(state.adjacency, pos, B)
    to_neg = friend_targets(state.adjacency, neg, B)
    wom_pos, wom_neg = count_at(to_pos, size), count_at(to_neg, size)
    if to_pos.size + to_neg.size < size // 8:
        heard_pos = unique(to_pos, size)
        heard = union(size, heard_pos, to_neg)
    else:
        heard_pos = np.flatnonzero(wom_pos)
        heard = np.flatnonzero(wom_pos + wom_neg)
    day.record("pos_sender", full_bool(shape, pos), pos)
    day.record("neg_sender", full_bool(shape, neg), neg)
    day.record("wom_pos", wom_pos.reshape(shape), heard_pos)
    day.wom_neg = wom_neg.reshape(shape)
    day.heard = heard
    # awareness: unaware users who heard
    idx = heard[~flat_view(state.aware)[heard]]
    w = rules.wom_awareness
    h = wom_pos[idx] + wom_neg[idx]
    p_aware = h * w / (1.0 + (h - 1.0) * w)  # w for one message, -> 1 for many
    state.make_aware_at(idx[rng.random(idx.size) < p_aware], distinct=True)  # of heard
    signal = np.zeros(size)
    users = heard_pos // B if B > 1 else heard_pos
    signal[heard_pos] = wom_pos[heard_pos] / np.maximum(state.degree[users], 1.0)
    state.wom_signal = signal.reshape(shape)


def silence(state: State, day: Day) -> None:
    """The WOM mechanism switched off: no messages, no signal."""
    zeros = np.zeros_like(state.trust)
    day.pos_sender = day.neg_sender = day.wom_pos = day.wom_neg = zeros
    day.heard = np.empty(0, dtype=np.int64)
    state.wom_signal = zeros
