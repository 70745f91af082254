"""Customers lapse: customers who stop getting value from a brand stop buying from it by habit.

The brand gives customer i value on a day when i attends at least ``lapse_value_dose``
relevance-weighted serve items of brand b (``S_ib * r_ib``), has a problem answered, or buys
(with ``[mechanisms] community``: or, as a member, hears other members praise the brand);
``q_ib`` is the number of days since the last such day. Each day an active customer (a
customer, ``P_ib > 0``, who has not lapsed) lapses with probability

    h_ib = sat(lapse_base + lapse_recency * q_ib + lapse_unanswered * [unanswered today]
               + lapse_distrust * (1 - T_ib))

with ``T_ib`` the trust at the start of the day. A lapsed customer buys again only when
persuaded: the purchase rule drops ``base_conversion`` and the repeat bonus for them
(:func:`purchase.purchase_probability`), and such a purchase (a pitch, a deal or word of
mouth) wins the customer back. Runs only with ``[mechanisms] lapse``; the work is on the
day's events and the active customers only (``state.active``), never on every user.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State, flat_view
from .day import Day, flat_rows, saturating


def update(
    state: State, day: Day, rules: RulesConfig, today: int, rng: np.random.Generator
) -> None:
    """Record today's value, win back today's lapsed buyers, then draw today's lapses.

    ``today`` is the 1-based day (the ``step`` column). Sets ``day.winbacks`` and
    ``day.lapses`` (flat indices ``user * n_brands + brand``) and keeps ``state.active``
    (the sorted flat indices of the active customers) current.
    """
    lapsed = flat_view(state.lapsed)
    new, repeat = day.where("bought_new"), day.where("bought_repeat")
    # value days: enough relevant serve items, an answered problem, a purchase
    value = (day.serve_dose * state.relevance[day.rows]).reshape(-1)
    served = flat_rows(day.rows, state.trust.shape[1])[value >= rules.lapse_value_dose]
    valued = [served, day.where("answered"), new, repeat]
    if day.community_heard is not None:  # a member who heard other members (community)
        valued.append(day.community_heard)
    flat_view(state.last_value)[np.concatenate(valued)] = today
    won = repeat[lapsed[repeat]]  # a lapsed customer's purchase wins them back
    active = state.active
    if new.size or won.size:  # first buyers were never customers: the three are disjoint
        lapsed[won] = False
        active = np.concatenate([active, new, won])
        active.sort()
    gone = rng.random(active.size) < lapse_probability(state, day, rules, today, active)
    lost = active[gone]
    lapsed[lost] = True
    day.winbacks, day.lapses = won, lost
    state.active = active[~gone] if lost.size else active


def lapse_probability(
    state: State, day: Day, rules: RulesConfig, today: int, active: np.ndarray
) -> np.ndarray:
    """Today's lapse probability ``h_ib`` of the active customers ``active`` (sorted flat
    indices), once today's value days are recorded in ``state.last_value``."""
    # base + recency * (today - v) + distrust * (1 - T), in fewer array operations
    rate = rules.lapse_recency * flat_view(state.last_value)[active]
    rate += rules.lapse_distrust * flat_view(state.trust)[active]
    c = rules.lapse_base + rules.lapse_recency * today + rules.lapse_distrust
    rate = np.subtract(c, rate, out=rate)
    unanswered = day.where("unanswered")
    if unanswered.size and active.size:
        pos = np.minimum(np.searchsorted(active, unanswered), active.size - 1)
        rate[pos[active[pos] == unanswered]] += rules.lapse_unanswered
    return saturating(rate)
