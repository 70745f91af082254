"""Public replies to complaints, and their tone (``[mechanisms] replies``, odd.md 7.11).

Today's complainers about brand b are the users who sent it negative word of mouth today
(``day.neg_sender``). Brand b replies publicly to all of them when they are at most c_b,
else to a random subset of c_b of them; c_b is the brand's ``reply_capacity`` with its
fractional part rounded stochastically (as ``support_capacity``). The brand's
``reply_tone`` sets what a reply to complainer i does:

- ``respectful`` ("take the high road"): the complainer calms and trust recovers (service
  recovery), ``R_ib <- (1 - reply_relief) R_ib`` and ``T_ib <- T_ib + reply_trust_recovery
  (1 - T_ib)``; each friend who received the complaint weighs it ``w = 1 - reply_calm``;
- ``defensive``: the complainer's irritation rises, ``R_ib <- R_ib +
  reply_defensive_irritation``, and each friend weighs the complaint ``w = 1 + reply_fuel``;
- ``none``: no replies (the baseline); complaints without a reply weigh ``w = 1``.

A friend j's weighted count ``n-_jb = sum of w over j's friends who complained about b today``
replaces the message count in the WOM trust loss ``sat(wom_trust * negativity_bias * n-)``
(``trust.py``); the metric ``negative_wom`` keeps the message count and
``negative_wom_weighted`` sums the weights. The rule runs after ``wom.spread`` (awareness
from today's messages is already drawn) and before ``trust.update_trust``: the complainer's
trust recovers before today's trust update, their irritation changes before today's decay
and irritants. Trust is left alone with ``[mechanisms] trust`` off and irritation with
``[mechanisms] backlash`` off. The work is on today's complainers and their friends only.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..graphs import friend_targets
from ..state import REASONS, State, flat_view
from .day import Day, Plans, up_to_capacity

#: Reply tones, in the order of their integer codes in ``Plans.reply_tone``.
TONES = ("none", "respectful", "defensive")
RESPECTFUL, DEFENSIVE = TONES.index("respectful"), TONES.index("defensive")
_SERVICE = REASONS.index("service")


def tone_codes(tones: list[str]) -> np.ndarray:
    """Integer codes (index in :data:`TONES`) of the brands' ``reply_tone`` values."""
    return np.array([TONES.index(t) for t in tones], dtype=np.int64)


def choose_replied(day: Day, plans: Plans, n_brands: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted flat indices of the complainers each brand replies to today (up to capacity)."""
    senders = day.where("neg_sender")
    cols = senders % n_brands if n_brands > 1 else None
    replied = []
    for b in range(n_brands):
        if plans.reply_tone[b] == 0:  # "none": no replies, no draws
            continue
        idx = senders if cols is None else senders[cols == b]
        replied.append(up_to_capacity(idx, plans.reply_capacity[b], rng))
    if not replied:
        return np.empty(0, dtype=np.int64)
    return np.sort(np.concatenate(replied)).astype(np.int64)


def reply(
    state: State,
    day: Day,
    plans: Plans,
    rules: RulesConfig,
    trust_on: bool,
    backlash_on: bool,
    rng: np.random.Generator,
) -> None:
    """Reply to today's complainers up to capacity and apply each reply's tone.

    Sets ``day.replied`` (flat indices ``user * n_brands + brand``), keeps the message counts
    in ``day.wom_neg_messages`` and replaces ``day.wom_neg`` with the weighted counts.
    """
    B = state.trust.shape[1]
    replied = choose_replied(day, plans, B, rng)
    day.replied = replied
    day.wom_neg_messages = day.wom_neg
    if not replied.size:
        return
    tone = plans.reply_tone[replied % B] if B > 1 else np.full(replied.size, plans.reply_tone[0])
    resp, defe = replied[tone == RESPECTFUL], replied[tone == DEFENSIVE]
    # the complainer: calmed (respectful) or provoked (defensive)
    R = flat_view(state.irritation)
    by_reason = state.irritation_by_reason.reshape(-1, len(REASONS))
    keep = 1.0 - rules.reply_relief
    R[resp] *= keep
    by_reason[resp] *= np.float32(keep)
    if backlash_on and defe.size:
        R[defe] += rules.reply_defensive_irritation
        by_reason[defe, _SERVICE] += np.float32(rules.reply_defensive_irritation)
    if trust_on and resp.size:
        T = flat_view(state.trust)
        T[resp] += rules.reply_trust_recovery * (1.0 - T[resp])
    # the friends who received a replied complaint weigh it 1 - calm or 1 + fuel
    A = state.adjacency
    targets = friend_targets(A, replied, B)
    users = replied // B if B > 1 else replied
    delta = np.where(tone == RESPECTFUL, -rules.reply_calm, rules.reply_fuel)
    weights = np.repeat(delta, A.indptr[users + 1] - A.indptr[users])
    wom_neg = day.wom_neg.copy()
    flat = wom_neg.reshape(-1)
    np.add.at(flat, targets, weights)
    flat[targets] = np.maximum(flat[targets], 0.0)  # rounding: never below zero
    day.wom_neg = wom_neg
