"""Purchases: needs arrive at random; aware users buy with a probability shaped by the brand.

Each day a user has a need with probability ``1 - exp(-need_rate)``. Persuasion builds a
short-lived *intent* per user x brand from attended pitches (discounted by scepticism when
recognised, multiplied by the favour bank's reciprocity) and deals; it decays with a memory of
``intent_memory_days``. Given a need, an aware user buys from brand b with probability

    pi_b = clip(base_conversion + pitch_conversion * intent + wom_conversion * wom_signal, 0, 1)
           * trust_factor / (1 + irritation / irritation_scale) * (1 + repeat_bonus if customer)

(clipped to [0, 1]), where ``wom_signal`` is the share of friends who recommended the brand
yesterday and ``trust_factor`` is trust (1 when the trust mechanism is off). Brands compete
for the same need: the user buys at most once a day, from brand b with probability
proportional to pi_b, and buys at all with probability 1 - prod(1 - pi_b). With
``[mechanisms] lapse``, a lapsed customer has neither the ``base_conversion`` term nor the
repeat bonus: only persuasion (pitches, deals, WOM) sells to them (``rules/lapse.py``).
With ``[mechanisms] community``, an active customer who is a member of the brand's community
has pi_b multiplied by ``1 + community_loyalty`` as well (``rules/community.py``).
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State, flat_view
from .day import CONTENT_TYPES, Day, Plans, full_bool


def update_intent(
    state: State, day: Day, plans: Plans, rules: RulesConfig, discount: np.ndarray
) -> None:
    """Decay yesterday's intent and add today's persuasion from pitches and deals."""
    state.intent *= np.exp(-1.0 / rules.intent_memory_days)
    pitch = day.pitch_dose * discount * day.reciprocity
    if day.dose_by_type is None:
        deal = day.serve_dose * (plans.serve_mix[:, 2] * rules.deal_persuasion)
    else:  # shares on: deals shared by friends persuade too
        deal = day.dose_by_type[:, :, CONTENT_TYPES.index("deal")] * rules.deal_persuasion
    state.intent[day.rows] += (pitch + deal) * state.relevance[day.rows]


def purchase_probability(
    state: State,
    rules: RulesConfig,
    trust_on: bool,
    rows: np.ndarray | None = None,
    lapse_on: bool = False,
) -> np.ndarray:
    """Probability (n, B) that a user with a need buys from each brand today (or (len(rows),
    B) for the users ``rows``); with ``lapse_on``, lapsed customers buy only when persuaded."""
    at = slice(None) if rows is None else rows
    base = rules.base_conversion
    customer = state.purchases[at] > 0
    if lapse_on:
        lapsed = state.lapsed[at]  # lapsed customers are customers: ^ removes them
        base = np.where(lapsed, 0.0, base)  # no habit left: only persuasion sells
        customer ^= lapsed  # and no repeat bonus
    pi = (
        base
        + rules.pitch_conversion * state.intent[at]
        + rules.wom_conversion * state.wom_signal[at]
    )
    pi = pi.clip(0.0, 1.0)
    if trust_on:
        pi = pi * state.trust[at]
    pi = pi / (1.0 + state.irritation[at] / rules.irritation_scale)
    pi[customer] *= 1.0 + rules.repeat_bonus  # active customers
    if state.member is not None:  # brand communities: members are more loyal
        pi[customer & state.member[at]] *= 1.0 + rules.community_loyalty
    return pi.clip(0.0, 1.0) * state.aware[at]


def buy(
    state: State,
    day: Day,
    need_rate: float,
    rules: RulesConfig,
    trust_on: bool,
    rng: np.random.Generator,
    lapse_on: bool = False,
) -> None:
    """Draw needs and purchases; record first and repeat purchases."""
    n, B = state.trust.shape
    # one uniform per user for the need and one for the choice, as if every user drew (the
    # stream stays aligned across scenarios); purchase probabilities only for the needy who
    # know a brand (pi is 0 for the others: they never buy)
    needy = np.flatnonzero(rng.random(n) < -np.expm1(-need_rate))
    aware = state.aware[needy, 0] if B == 1 else state.aware[needy].any(axis=1)
    needy = needy[aware]
    u = rng.random(n)[needy]
    pi = purchase_probability(state, rules, trust_on, needy, lapse_on)
    if B == 1:
        flat = needy[u < pi[:, 0]]
    else:
        p_any = 1.0 - np.prod(1.0 - pi, axis=1)
        buyer = u < p_any
        share = np.cumsum(pi, axis=1) / np.maximum(pi.sum(axis=1, keepdims=True), 1e-300)
        choice = (rng.random(n)[needy][:, None] > share).sum(axis=1).clip(0, B - 1)
        flat = needy[buyer] * B + choice[buyer]
    purchases = flat_view(state.purchases)
    first = purchases[flat] == 0
    day.record("bought_new", full_bool((n, B), flat[first]), flat[first])
    day.record("bought_repeat", full_bool((n, B), flat[~first]), flat[~first])
    purchases[flat] += 1
