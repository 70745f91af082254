"""Trust per user x brand: slow to build, fast to lose, pulled by friends.

- Gains: valued service (attended serve content x relevance, answered problems) closes a
  share of the gap to 1.
- Losses: overdrawn pitches, irritation, unanswered problems and detected covert promotion
  take a share of current trust, amplified by scepticism (``1 + skeptic_loss_multiplier * s``).
- Word of mouth: positive messages close ``1 - exp(-wom_trust * n+)`` of the gap to 1;
  negative ones take ``1 - exp(-wom_trust * negativity_bias * n-)`` of trust.
- Social influence (DeGroot with stubbornness, after Friedkin-Johnsen): aware users move a
  share ``social_influence * (1 - scepticism)`` towards the mean trust of their aware friends.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State
from .day import Day


def update_trust(state: State, day: Day, rules: RulesConfig) -> None:
    """Apply today's gains, losses, word of mouth and social influence to ``state.trust``."""
    T = state.trust
    s = state.skepticism[:, None]
    service = day.serve_dose * state.relevance
    gain = -np.expm1(-rules.trust_gain * service) + rules.answer_trust_gain * day.answered
    loss = (
        rules.overdraft_trust_loss * day.overdraft_cost
        + rules.trust_loss_irritation * state.irritation
        + rules.unanswered_trust_loss * day.unanswered
        + rules.deception_trust_loss * day.detected_today
    )
    loss = -np.expm1(-loss * (1.0 + rules.skeptic_loss_multiplier * s))
    T = T + np.minimum(gain, 1.0) * (1.0 - T) - loss * T
    g = -np.expm1(-rules.wom_trust * day.wom_pos)
    lo = -np.expm1(-rules.wom_trust * rules.negativity_bias * day.wom_neg)
    T = g + T * (1.0 - g - lo)
    if rules.social_influence > 0:
        aware = state.aware.astype(np.float32)
        A = state.adjacency
        sums = A @ np.concatenate([(T * aware).astype(np.float32), aware], axis=1)
        B = T.shape[1]
        n_aware = sums[:, B:]
        has = (n_aware > 0) & state.aware
        friends_mean = np.divide(sums[:, :B], n_aware, out=T.copy(), where=has)
        w = rules.social_influence * (1.0 - s)
        T = T + w * (friends_mean - T) * has
    state.trust = np.clip(T, 0.0, 1.0)
