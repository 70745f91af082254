"""Friendship-first attention: brand items reach users and compete for what friends leave.

Each user has a daily attention budget (items). A share ``friend_motive`` is reserved for
friends' posts; what friends do not fill, and the rest of the budget, is *spare attention*
for brands, reduced by the platform's ad load. Brand items beyond the spare attention are
not attended: they never persuade, they irritate (``excess``).
"""

from __future__ import annotations

import numpy as np

from ..state import State
from .day import Day, Plans


def spare_attention(state: State, friend_posts: float, ad_factor: float) -> np.ndarray:
    """Items per day each user can give to brands after friends' posts and ads (shape (n,))."""
    reserve = state.attention * state.friend_motive
    friends_use = np.minimum(reserve, friend_posts * state.degree)
    return (state.attention - friends_use) * ad_factor


def expose(state: State, day: Day, plans: Plans, reach: float, rng: np.random.Generator) -> None:
    """Deliver today's brand items: organic posts to followers, paid impressions to targets.

    Followers receive Poisson(``posts_per_day * reach``) organic items. Paid impressions go
    to ``paid_reach`` users a day on average, each chosen with a probability proportional to
    ``(1 - targeting) + targeting * match`` (targeting aims at the brand's segment).
    """
    n, B = state.following.shape
    organic = np.zeros((n, B))
    rows, cols = np.nonzero(state.following)
    organic[rows, cols] = rng.poisson((plans.posts_per_day * reach)[cols])
    paid = np.zeros((n, B))
    for b in np.flatnonzero(plans.paid_reach > 0):
        weight = (1.0 - plans.targeting[b]) + plans.targeting[b] * state.match[:, b]
        total = weight.sum()
        if total > 0:
            prob = np.minimum(1.0, plans.paid_reach[b] * weight / total)
            paid[:, b] = rng.random(n) < prob
    items = organic + paid
    rows = np.flatnonzero(items.any(axis=1))
    day.rows = rows
    day.items = items[rows]
    day.paid_items = paid[rows]


def attend(state: State, day: Day, plans: Plans, spare: np.ndarray | None) -> None:
    """Split each user's spare attention over brands' items; the rest is ``excess``.

    With the attention mechanism off (``spare is None``) every item is attended.
    The attended items are then split by content type using each brand's mix.
    """
    items = day.items
    if spare is None:
        attended = items.astype(float)
    else:
        total = items.sum(axis=1)
        scale = np.minimum(1.0, spare[day.rows] / np.maximum(total, 1e-12))
        attended = items * scale[:, None]
    day.attended = attended
    day.excess = items - attended
    day.pitch_dose = attended * plans.sell_share[None, :]
    day.serve_dose = attended * (1.0 - plans.sell_share)[None, :]
    state.make_aware(attended > 0, day.rows)
