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
from ..graphs import friend_targets
from ..state import State
from .day import CONTENT_TYPES, Day, Plans, by_type_array, poisson_each, saturating


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
    state: State,
    day: Day,
    plans: Plans,
    rules: RulesConfig,
    rng: np.random.Generator,
    observe: np.random.Generator,
) -> None:
    """Likes, comments and shares: expected counts from attended items, drawn per brand.

    The day's total is Poisson; it is split over content types (``CONTENT_TYPES``) in
    proportion to their expected counts with a multinomial draw from the reporting stream
    ``observe`` (a Poisson total split multinomially is the same as independent Poissons).
    """
    factor = state.relevance[day.rows] * (rules.engage_trust_offset + state.trust[day.rows])
    if day.dose_by_type is not None:  # shares on: shared items keep their own type
        engagements_by_dose(day, rules, factor, rng, observe)
        return
    per_type = np.array([rules.engage_support, rules.engage_useful, rules.engage_deal])
    rate = day.serve_dose * (plans.serve_mix @ per_type) + day.pitch_dose * rules.engage_pitch
    rate = rate * factor
    day.engagements = poisson_each(rng, rate.sum(axis=0))
    serve = (day.serve_dose * factor).sum(axis=0)
    expected = np.array(
        [
            (day.pitch_dose * factor).sum(axis=0) * rules.engage_pitch,
            serve * plans.serve_mix[:, 1] * rules.engage_useful,
            serve * plans.serve_mix[:, 2] * rules.engage_deal,
            serve * plans.serve_mix[:, 0] * rules.engage_support,
        ]
    )
    day.engagements_by_type = split_counts(day.engagements, expected, observe)
    day.engage_rate = rate


def engagements_by_dose(
    day: Day,
    rules: RulesConfig,
    factor: np.ndarray,
    rng: np.random.Generator,
    observe: np.random.Generator,
) -> None:
    """:func:`engagements` from the typed doses ``day.dose_by_type`` (shares on): the same
    rule, with each content type's attended items taken from the dose of that type."""
    per_type = by_type_array(rules, "engage")
    rate = (day.dose_by_type @ per_type) * factor
    day.engagements = poisson_each(rng, rate.sum(axis=0))
    dose = day.dose_by_type
    expected = np.empty((len(CONTENT_TYPES), dose.shape[1]))  # (4, B)
    for b in range(dose.shape[1]):
        expected[:, b] = (dose[:, b, :].T @ factor[:, b]) * per_type
    day.engagements_by_type = split_counts(day.engagements, expected, observe)
    day.engage_rate = rate


def split_counts(total: np.ndarray, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split each brand's ``total`` (B,) over the rows of ``weights`` (K, B) multinomially."""
    out = np.zeros(weights.shape, dtype=np.int64)
    for b in np.flatnonzero(total):
        w = weights[:, b]
        out[:, b] = rng.multinomial(total[b], w / w.sum())
    return out


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


def share_with_friends(
    state: State,
    day: Day,
    exposure: float,
    rng: np.random.Generator,
    time: np.ndarray | None = None,
) -> None:
    """Friends of engagers see the item tomorrow ("a friend liked this").

    A user engages with a brand today with probability ``sat(lambda_ib)`` (the expected
    engagements of the engagement rule); each friend of an engager is shown one of the
    brand's items the next day with probability ``exposure`` (``platform.engager_exposure``),
    times the friend's time on the platform ``h`` when ``time`` is given (reacting platform).
    """
    B = state.trust.shape[1]
    rate = day.engage_rate
    engaged = rng.random(rate.shape) < saturating(rate)
    r, c = np.nonzero(engaged)
    engagers = day.rows[r] * B + c
    targets = friend_targets(state.adjacency, engagers, B)
    keep = exposure if time is None else exposure * time[targets // B]
    state.shared = targets[rng.random(targets.size) < keep]
