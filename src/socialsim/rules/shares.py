"""Shares: users pass brand items on to their friends, more often useful content than pitches.

``d_ibk`` is the number of brand b's items of content type k (pitch, useful, deal, support)
that user i attended today, the brand's own items split by its plan and items shared by
friends with their own type (``Day.dose_by_type``). User i shares one of them today with
probability

    p_ib = sat(r_ib * (engage_trust_offset + T_ib) * sum_k share_k * d_ibk)

(``sat(x) = x / (1 + x)``; ``share_k`` = ``share_pitch``, ``share_useful``, ``share_deal``,
``share_support``; ``r`` relevance and ``T`` trust at the start of the day, as in the
engagement rule). The shared item is of type k with probability ``share_k * d_ibk / sum_j
share_j * d_ibj``. Each friend of the sharer sees it in their feed the next day with
probability ``share_visibility``, whether or not they follow the brand; it arrives as one
item of its type (``attention.expose``), so it competes for attention, makes the friend aware
when attended, persuades, deposits favour, irritates and can be shared on like the brand's
own items of that type, and it is a contact that can lead to a follow (``follow``). Cascades
through the graph emerge from re-sharing. Runs only with ``[mechanisms] shares`` and draws
from the ``shares`` stream only. With ``[[platforms]]`` the item goes on one of the sharer's
platforms (by the brand's posts there) and only friends present there can see it, a shared
pitch grating under that platform's norm (``rules/platform_items.py``, odd.md 7.16).
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State
from .day import CONTENT_TYPES, Day, by_type_array, saturating
from .platform_items import share_platforms
from .shares_speed import friends_and_degree, type_draws


def share_rates(rules: RulesConfig) -> np.ndarray:
    """The share rates ``share_k`` in :data:`CONTENT_TYPES` order (read-only)."""
    return by_type_array(rules, "share")


def share_probability(
    state: State, day: Day, rules: RulesConfig, rates: np.ndarray | None = None
) -> np.ndarray:
    """Today's share probability ``p_ib`` of the users ``day.rows`` (compact, (rows, B));
    ``rates``: :func:`share_rates` when already at hand."""
    rows = day.rows
    x = state.relevance.take(rows, axis=0)  # relevance[rows] (take: a little cheaper)
    x *= rules.engage_trust_offset + state.trust.take(rows, axis=0)
    rates = share_rates(rules) if rates is None else rates
    x *= day.dose_by_type @ rates
    return saturating(x)


def share(
    state: State,
    day: Day,
    rules: RulesConfig,
    rng: np.random.Generator,
    places: tuple[np.ndarray, np.ndarray] | None = None,
    time: np.ndarray | None = None,
) -> None:
    """Draw today's sharers and the type of the item each shares; queue the item for the
    friends who will see it tomorrow (``state.share_flat``, ``state.share_kind``) and count
    today's shares by type and brand in ``day.shares_by_type``. With ``[[platforms]]``,
    ``places`` (the brands' presence and today's posts, (B, K) each): the item goes on one
    platform, seen only by friends there (``platform_items.share_platforms``,
    ``state.share_platform``). With ``time`` (the reacting platform: each user's time on
    the platform (n,), or on each platform (n, K)), a friend sees it with probability
    ``share_visibility`` times the friend's time there (0 once they have left it)."""
    B = state.trust.shape[1]
    K = len(CONTENT_TYPES)
    rates = share_rates(rules)
    p = share_probability(state, day, rules, rates)
    hit = np.flatnonzero(rng.random(p.shape) < p)  # row * B + brand, in row-major order
    if hit.size == 0:  # nobody shares today: nothing is queued for tomorrow
        day.shares_by_type = np.zeros((K, B), dtype=np.int64)
        state.share_flat = np.empty(0, dtype=np.int64)
        state.share_kind = np.empty(0, dtype=np.int8)
        state.share_platform = np.empty(0, dtype=np.int64)
        return
    kind = type_draws(day.dose_by_type.reshape(-1, K)[hit], rates, rng)
    r, c = (hit, None) if B == 1 else np.divmod(hit, B)  # compact row and brand
    sharers = day.rows[r]
    if c is None:
        day.shares_by_type = np.bincount(kind, minlength=K).reshape(K, 1)
    else:
        by_type = np.bincount(kind.astype(np.int64) * B + c, minlength=K * B)
        day.shares_by_type = by_type.reshape(K, B)
    where = None
    if places is not None:  # with one brand, every sharer's brand is brand 0
        brands = np.zeros(hit.size, dtype=np.int64) if c is None else c
        where = share_platforms(state, sharers, brands, *places, rng)
    friends, degree = friends_and_degree(state.adjacency, sharers)  # every friend of every sharer
    u = rng.random(friends.size)
    if where is not None:
        where = np.repeat(where, degree)
    if time is None:
        seen = u < rules.share_visibility
    else:  # in their feed as often as they are on the platform
        h = time[friends] if where is None else time[friends, where]
        seen = u < rules.share_visibility * h
    if where is not None:  # only friends on the sharer's platform see it
        seen &= state.present[friends, where]
        state.share_platform = where[seen]
    state.share_flat = friends[seen]
    if c is not None:
        state.share_flat = state.share_flat * B + np.repeat(c, degree)[seen]
    state.share_kind = np.repeat(kind, degree)[seen]
