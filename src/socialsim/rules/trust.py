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
from ..state import State
from .day import Day, saturating


def update_trust(state: State, day: Day, rules: RulesConfig) -> None:
    """Apply today's gains, losses, word of mouth and social influence to ``state.trust``."""
    T = state.trust
    s = state.skepticism[:, None]
    rows = day.rows
    gain = rules.answer_trust_gain * day.answered
    gain[rows] += saturating(rules.trust_gain * day.serve_dose * state.relevance[rows])
    loss = (
        rules.trust_loss_irritation * state.irritation
        + rules.unanswered_trust_loss * day.unanswered
        + rules.deception_trust_loss * day.detected_today
    )
    loss[rows] += rules.overdraft_trust_loss * day.overdraft_cost
    loss = saturating(loss * (1.0 + rules.skeptic_loss_multiplier * s))
    T = T + np.minimum(gain, 1.0) * (1.0 - T) - loss * T
    g = saturating(rules.wom_trust * day.wom_pos)
    lo = saturating(rules.wom_trust * rules.negativity_bias * day.wom_neg)
    T = g + T * (1.0 - g - lo)
    if rules.social_influence > 0:
        # synchronous DeGroot step: friends' trust at the start of the day
        start = state.trust
        friends_sum = state.adjacency @ (start * state.aware)
        has = (state.aware_friends > 0) & state.aware
        friends_mean = np.divide(friends_sum, state.aware_friends, out=start.copy(), where=has)
        w = rules.social_influence * (1.0 - s)
        T = T + w * (friends_mean - start) * has
    state.trust = np.clip(T, 0.0, 1.0)
