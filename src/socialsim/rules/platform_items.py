"""Community items and shared items on several platforms (odd.md 7.12, 7.13, 7.16).

Hooks of ``platforms.expose``, ``attention.attend`` and ``shares.share`` for
``[mechanisms] community`` and ``shares`` together with ``[[platforms]]``. With ``P_bk``
brand b's posts on platform k today, ``e_b`` its community effort, ``g_k`` platform k's
grating factor and ``present_ik`` user i's presence:

* community: the community is the brand's own space, apart from the platforms. On each
  platform the followers see the feed posts ``P_bk (1 - e_b)``; each member gets
  ``Poisson(P_b e_b community_reach)`` community items, ``P_b = sum_k P_bk``
  (``community.deliver``). Community items are serve items of the brand's serve mix: pitch
  0, no platform norm; they share the spare attention summed over the user's platforms.
* shares: a sharer i of brand b's item posts it on one platform ``p`` drawn (``shares``
  stream) among ``C_ib = {k: present_ik and b on k}`` with probability ``P_bp / sum_{k in
  C_ib} P_bk`` (equally if those are all 0; among all of i's platforms equally when
  ``C_ib`` is empty: i saw the item through a friend's share); no draw when there is one
  candidate. Each friend j of i present on p sees it the next day with probability
  ``share_visibility`` (``state.share_platform``). It arrives as one item of its type on
  p: a shared pitch is a pitch under p's norm (pitch count 1, grated ``g_p``), a serve item
  carries no pitch.
* typed doses (shares on): with ``E`` the attended items, ``s`` the attention scale, ``Y_k``
  the shared items of type k, ``Q`` the community items and ``pi^own`` the pitch share of
  the brand's own items (organic, engagers' friends', paid) under their platforms' sell
  shares, the own attended items ``O = max(E - s(sum_k Y_k + Q), 0)`` give
  ``d_pitch = O pi^own + s Y_pitch`` and ``d_t = O (1 - pi^own) mix_t + s (Y_t + Q mix_t)``
  for the serve types t (``Day.dose_by_type``).

With one platform on which every user and brand is present this is the single-platform
rule (the same draws).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..state import State
from .day import CONTENT_TYPES, Day, Plans
from .items_speed import sum_types

PITCH = CONTENT_TYPES.index("pitch")


def feed_posts(posts: np.ndarray, plans: Plans, community: tuple | None) -> np.ndarray:
    """The posts shown in the platforms' feeds (B, K): ``P_bk (1 - e_b)`` with a community,
    ``posts`` itself without."""
    if community is None:
        return posts
    return posts * (1.0 - plans.community_effort)[:, None]


@dataclass
class Extra:
    """Shared and community items delivered today (flat user * B + brand), in that order,
    with their counts, pitch counts and grated pitch counts."""

    flat: np.ndarray
    counts: np.ndarray
    pitches: np.ndarray
    grates: np.ndarray
    kind: np.ndarray | None  # shared items' types (None: shares off)
    n_shared: int
    n_community: int
    community: bool  # community on


def _none() -> Extra:
    """No shared and no community items (read-only empty arrays)."""
    empty = [np.empty(0, dtype=np.int64), np.empty(0), np.empty(0), np.empty(0)]
    for a in empty:
        a.flags.writeable = False
    return Extra(*empty, kind=None, n_shared=0, n_community=0, community=False)


NONE = _none()


def extra_items(state: State, g: np.ndarray, shares_on: bool, community: tuple | None) -> Extra:
    """Yesterday's shares (each on its platform) and today's community items; empties the
    queue of shares."""
    if not shares_on and community is None:
        return NONE
    empty = np.empty(0, dtype=np.int64)
    flat, counts, pitches, grates = [empty], [np.empty(0)], [np.empty(0)], [np.empty(0)]
    kind = None
    if shares_on:
        kind, where = state.share_kind, state.share_platform
        pitch = (kind == PITCH).astype(float)
        flat.append(state.share_flat)
        counts.append(np.ones(kind.size))
        pitches.append(pitch)
        grates.append(pitch * g[where])
        state.share_flat = empty
        state.share_kind = np.empty(0, dtype=np.int8)
        state.share_platform = empty
    if community is not None:
        flat.append(community[0])
        counts.append(community[1])
        pitches.append(np.zeros(community[0].size))
        grates.append(np.zeros(community[0].size))
    return Extra(
        flat=np.concatenate(flat),
        counts=np.concatenate(counts),
        pitches=np.concatenate(pitches),
        grates=np.concatenate(grates),
        kind=kind,
        n_shared=0 if kind is None else kind.size,
        n_community=0 if community is None else community[0].size,
        community=community is not None,
    )


def record(
    day: Day, extra: Extra, pos: np.ndarray, start: int, shape: tuple, pitch_items: np.ndarray
) -> None:
    """Compact counts of today's shared items by type (``day.shared_items``), community
    items (``day.community_items``) and, with shares, the own items' pitch count
    (``day.own_pitches``); ``pos[start:]`` are the compact positions of ``extra``'s items."""
    size = shape[0] * shape[1]
    if extra.kind is not None:
        K = len(CONTENT_TYPES)
        at = pos[start : start + extra.n_shared] * K + extra.kind
        shared = np.bincount(at, minlength=size * K).astype(float)
        day.shared_items = shared.reshape(*shape, K)
        day.own_pitches = np.maximum(pitch_items - day.shared_items[:, :, PITCH], 0.0)
    if extra.community:
        first = start + extra.n_shared
        at = pos[first : first + extra.n_community]
        community = np.bincount(at, weights=extra.counts[extra.n_shared :], minlength=size)
        day.community_items = community.reshape(shape)


def typed_doses(day: Day, plans: Plans, scale: np.ndarray | None) -> None:
    """``day.dose_by_type`` (module docstring) and the pitch and serve doses from it;
    ``scale``: the attention scale per compact row (None: everything attended)."""
    s = 1.0 if scale is None else scale[:, None]
    shared = day.shared_items if scale is None else day.shared_items * s[:, :, None]
    community = day.community_items
    attended = day.attended
    own_items = day.items - sum_types(day.shared_items)
    own = attended - sum_types(shared)
    if community is not None:
        community = community * s
        own_items = own_items - day.community_items
        own = own - community
    own = np.maximum(own, 0.0)
    share = np.divide(day.own_pitches, own_items, out=np.zeros(own.shape), where=own_items > 1e-12)
    serve = own * (1.0 - share)
    mix = plans.serve_mix[None, :, [1, 2, 0]]  # useful, deal, support
    dose = shared.copy()
    dose[:, :, PITCH] += own * share
    dose[:, :, 1:] += serve[:, :, None] * mix
    if community is not None:
        dose[:, :, 1:] += community[:, :, None] * mix
    day.dose_by_type = dose
    day.pitch_dose = dose[:, :, PITCH]
    day.serve_dose = sum_types(dose[:, :, 1:])


def share_platforms(
    state: State,
    sharers: np.ndarray,
    brands: np.ndarray,
    on: np.ndarray,
    posts: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """The platform each sharer posts the shared item on (module docstring), (sharers,);
    one uniform per sharer with more than one candidate platform."""
    mine = state.present[sharers]  # (S, K)
    cand = mine & on[brands]
    none = ~cand.any(axis=1)
    cand[none] = mine[none]  # seen through a friend's share: any of the sharer's platforms
    weight = np.where(cand, posts[brands], 0.0)
    equal = weight.sum(axis=1) <= 0
    weight[equal] = cand[equal]
    out = np.argmax(cand, axis=1)  # the first candidate: the only one where there is one
    many = np.flatnonzero(cand.sum(axis=1) > 1)
    if many.size:
        cum = weight[many].cumsum(axis=1)
        u = rng.random(many.size) * cum[:, -1]
        out[many] = np.minimum((u[:, None] >= cum).sum(axis=1), cand.shape[1] - 1)
    return out
