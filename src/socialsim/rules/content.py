"""Content: relevance, engagement, persuasion knowledge and covert-promotion detection.

Content types: pitch (sell), support, useful/light and deal (the three serve types).
Relevance (set at initialisation from interest segments and targeting) scales every effect.
Disclosed pitches are recognised as persuasion and discounted by scepticism (Friestad &
Wright 1994); covert pitches escape the discount until a user detects them, with a daily
probability that rises with scepticism and with the number of covert pitches seen.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State
from .day import Day, Plans, saturating


def recognised(state: State, plans: Plans, rows: np.ndarray) -> np.ndarray:
    """Whether users ``rows`` recognise each brand's pitches as promotion: disclosed, or
    covert but detected (compact, (len(rows), B))."""
    return plans.disclosed[None, :] | state.detected[rows]


def persuasion_discount(
    state: State, plans: Plans, rules: RulesConfig, rows: np.ndarray
) -> np.ndarray:
    """Factor by which a pitch's persuasion is kept for users ``rows`` (compact): 1 - discount
    * scepticism when the pitch is recognised, else 1."""
    s = state.skepticism[rows, None]
    return 1.0 - rules.persuasion_discount * s * recognised(state, plans, rows)


def engagements(
    state: State, day: Day, plans: Plans, rules: RulesConfig, rng: np.random.Generator
) -> None:
    """Likes, comments and shares: expected counts from attended items, drawn per brand."""
    per_type = np.array([rules.engage_support, rules.engage_useful, rules.engage_deal])
    rate = day.serve_dose * (plans.serve_mix @ per_type) + day.pitch_dose * rules.engage_pitch
    rate = rate * state.relevance[day.rows] * (0.5 + state.trust[day.rows])
    day.engagements = rng.poisson(rate.sum(axis=0))


def detect_covert(
    state: State, day: Day, plans: Plans, rules: RulesConfig, rng: np.random.Generator
) -> None:
    """Users who see covert pitches detect them with prob sat(rate * scepticism * pitches)."""
    day.detected_today = np.zeros(state.detected.shape, dtype=bool)
    if plans.disclosed.all():
        return
    rows = day.rows
    covert = ~plans.disclosed[None, :] & ~state.detected[rows] & (day.pitch_dose > 0)
    hazard = rules.detection_rate * state.skepticism[rows, None] * day.pitch_dose
    detected = covert & (rng.random(covert.shape) < saturating(hazard))
    day.detected_today[rows] = detected
    state.detected |= day.detected_today
