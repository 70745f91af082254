"""Trust per user x brand: slow to build, fast to lose, pulled by friends.

With ``sat(x) = x / (1 + x)`` (a saturating map from a rate to a share):

- Gains: valued service closes ``sat(trust_gain * serve items x relevance)
  + answer_trust_gain * answered`` of the gap to 1.
- Losses: overdrawn pitches, irritation, unanswered problems and detected covert promotion
  add up to a loss rate L; trust loses ``sat(L * (1 + skeptic_loss_multiplier * s))`` of itself.
- Word of mouth: positive messages close ``sat(wom_trust * n+)`` of the gap to 1;
  negative ones take ``sat(wom_trust * negativity_bias * n-)`` of trust.
- Social influence (DeGroot averaging whose self-weight rises with scepticism: stubbornness in
  the spirit of Friedkin-Johnsen, without anchoring to the initial opinion): aware users move a
  share ``social_influence * (1 - scepticism)`` of the gap between their aware friends' mean
  trust and their own, both taken at the start of the day (a synchronous update).
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..graphs import rows_times
from ..state import State, flat_view
from .day import Day, flat_rows, saturating
from .indices import union


def update_trust(state: State, day: Day, rules: RulesConfig) -> None:
    """Apply today's gains, losses, word of mouth and social influence to ``state.trust``.

    Terms that are zero for most users (service gains, messages, the sparse losses, social
    influence for users without aware friends) are applied only where they are not zero.
    """
    T = state.trust
    B = T.shape[1]
    rows = day.rows
    Tf = flat_view(T)
    s = state.skepticism[:, None]
    # losses (irritation: everyone; the rest: today's events)
    loss = rules.trust_loss_irritation * state.irritation
    lf = loss.reshape(-1)
    lf[day.where("unanswered")] += rules.unanswered_trust_loss
    lf[day.where("detected_today")] += rules.deception_trust_loss
    loss[rows] += rules.overdraft_trust_loss * day.overdraft_cost
    loss *= 1.0 + rules.skeptic_loss_multiplier * s
    new = np.add(loss, 1.0)  # a buffer: 1 + loss, then T - loss
    loss /= new  # saturating: loss / (1 + loss)
    loss *= T
    new = np.subtract(T, loss, out=new)
    # gains: answered problems and attended service content
    answered = day.where("answered")
    at_rows = flat_rows(rows, B)
    at = union(T.size, answered, at_rows)
    gain = np.zeros(at.size)
    gain[np.searchsorted(at, answered)] = rules.answer_trust_gain
    gain[np.searchsorted(at, at_rows)] += saturating(
        rules.trust_gain * day.serve_dose * state.relevance[rows]
    ).reshape(-1)
    nf = new.reshape(-1)
    nf[at] = Tf[at] + np.minimum(gain, 1.0) * (1.0 - Tf[at]) - lf[at]
    # word of mouth
    heard = day.heard if day.heard is not None else np.flatnonzero(day.wom_pos + day.wom_neg)
    g = saturating(rules.wom_trust * day.wom_pos.reshape(-1)[heard])
    lo = saturating(rules.wom_trust * rules.negativity_bias * day.wom_neg.reshape(-1)[heard])
    nf[heard] = g + nf[heard] * (1.0 - g - lo)
    if rules.social_influence > 0:
        # synchronous DeGroot step: friends' trust at the start of the day
        has = np.flatnonzero(state.aware & (state.aware_friends > 0))  # aware, aware friends
        if has.size:
            users, brands = (has // B, has % B) if B > 1 else (has, 0)
            friends_sum = friends_trust(state, users, brands)
            # nf[has] += w * (friends_mean - Tf[has]), with
            # friends_mean = friends_sum / aware_friends and w = social_influence * (1 - s)
            nudge_toward(nf, has, friends_sum, state, users, rules.social_influence, Tf)
    state.trust = new.clip(0.0, 1.0, out=new)


def friends_trust(state: State, users: np.ndarray, brands: np.ndarray | int) -> np.ndarray:
    """Sum of aware friends' trust (at the start of the day) for each (user, brand) pair."""
    T, A = state.trust, state.adjacency
    if T.shape[1] == 1:
        # aware friends' trust, 0 for the others: T * aware rather than np.where (5x faster;
        # the same sums, as a product with 0 adds a zero either way)
        return rows_times(A, T[:, 0] * state.aware[:, 0], users)
    rows = np.unique(users)  # a user may count for several brands
    sums = rows_times(A, T * state.aware, rows)
    return sums[np.searchsorted(rows, users), brands]


def nudge_toward(
    nf: np.ndarray,
    has: np.ndarray,
    friends_sum: np.ndarray,
    state: State,
    users: np.ndarray,
    influence: float,
    Tf: np.ndarray,
) -> None:
    """``nf[has] += w * (friends_sum / aware_friends[has] - Tf[has])`` with
    ``w = influence * (1 - skepticism[users])``, bit for bit: the same operations on the
    same operands (products and sums commute exactly), done in place in ``friends_sum``
    (which is consumed) with ``take`` for the gathers, so without four temporary arrays."""
    gap = friends_sum
    gap /= state.aware_friends.reshape(-1).take(has)  # friends' mean
    gap -= Tf.take(has)
    w = state.skepticism.take(users)
    np.subtract(1.0, w, out=w)
    w *= influence
    gap *= w
    gap += nf.take(has)
    nf[has] = gap
