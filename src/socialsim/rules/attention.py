"""Friendship-first attention: brand items reach users and compete for what friends leave.

Each user has a daily attention budget (items). A share ``friend_motive`` is reserved for
friends' posts; what friends do not fill, and the rest of the budget, is *spare attention*
for brands, reduced by the platform's ad load. Brand items beyond the spare attention are
not attended: they never persuade, they irritate (``excess``). With the reacting platform
(``time``, a user's share of baseline time on the platform), deliveries and spare attention
scale with the time a user spends there.
"""

from __future__ import annotations

import numpy as np

from ..state import State, kept
from . import platform_items
from .day import CONTENT_TYPES, Day, Plans
from .indices import rank, unique
from .items_speed import typed_doses
from .platform_speed import below


def spare_attention(
    state: State,
    friend_posts: float,
    ad_factor: float,
    rows: np.ndarray | None = None,
    time: np.ndarray | None = None,
) -> np.ndarray:
    """Items per day each user can give to brands after friends' posts and ads (shape (n,)),
    or for the users ``rows`` only; times the user's time on the platform ``time`` when
    given (the reacting platform)."""
    left = spare_before_ads(state, friend_posts)
    spare = (left if rows is None else left[rows]) * ad_factor
    if time is not None:
        spare = spare * (time if rows is None else time[rows])
    return spare


def spare_before_ads(state: State, friend_posts: float) -> np.ndarray:
    """Each user's attention left after friends' posts, before ads (shape (n,)): the
    attention minus what friends use of the reserve ``attention * friend_motive``. Per-user
    constants: computed once (read-only), again only if an input array is replaced."""
    attention, motive, degree = state.attention, state.friend_motive, state.degree

    def left() -> np.ndarray:
        return attention - np.minimum(attention * motive, friend_posts * degree)

    inputs = (friend_posts, attention, motive, degree)
    return kept(state.cache, "spare_before_ads", inputs, left)


def poisson_by_brand(
    rng: np.random.Generator, lam: np.ndarray, flat: np.ndarray, n_brands: int
) -> np.ndarray:
    """One Poisson draw per flat index ``flat`` (user * n_brands + brand) with its brand's
    mean ``lam[brand]``: ``rng.poisson(lam[flat % n_brands])``. With one brand, one scalar
    mean and a size (the same draws in the same order, without the per-entry means)."""
    if n_brands == 1:
        return rng.poisson(lam[0], size=flat.size)
    return rng.poisson(lam[flat % n_brands])


def expose(
    state: State,
    day: Day,
    plans: Plans,
    reach: float,
    rng: np.random.Generator,
    shares_on: bool = False,
    community: tuple[np.ndarray, np.ndarray] | None = None,
    time: np.ndarray | None = None,
) -> None:
    """Deliver today's brand items: organic posts to followers, paid impressions to targets.

    Followers receive Poisson(``posts_per_day * reach``) organic items, and friends of
    yesterday's engagers one item each time they were shown one (``state.shared``, see
    :func:`content.share_with_friends`). With ``shares_on``, friends of yesterday's sharers
    receive each shared item (``state.share_flat``, typed by ``state.share_kind``; see
    :func:`shares.share`), counted in ``day.shared_items``. Paid impressions go
    to ``paid_reach`` users a day on average, each chosen with a probability proportional to
    ``(1 - targeting) + targeting * match`` (targeting aims at the brand's segment).
    With ``time`` (the reacting platform), a follower's organic mean is multiplied by the
    follower's time on the platform ``h``, and a user's paid weight too (the brand still gets
    the impressions it bought, among the users present).

    With ``community`` (flat indices and counts of today's community items, see
    :func:`community.deliver`), followers get only the share ``1 - community_effort`` of the
    posts, and the community items are delivered too (``day.community_items``).
    """
    n, B = state.following.shape
    followed = np.flatnonzero(state.following)  # flat user * B + brand, row-major
    posts = plans.posts_per_day
    if community is not None:
        posts = posts * (1.0 - plans.community_effort)  # the rest goes to the community
    if time is None:
        organic = poisson_by_brand(rng, posts * reach, followed, B)
    else:
        lam = (
            (posts * reach)[0] * time[followed]
            if B == 1
            else ((posts * reach)[followed % B] * time[followed // B])
        )
        organic = rng.poisson(lam)
    got = organic > 0
    flat = [followed[got], state.shared]  # organic: to followers, and to friends of engagers
    count = [organic[got].astype(float), np.ones(state.shared.size)]
    share_flat, share_kind = state.share_flat, state.share_kind
    extra = [state.shared, share_flat] if shares_on else [state.shared]
    if community is not None:  # members who do not follow get community items
        extra.append(community[0])
    day.beyond = beyond_followers(state, extra)
    state.shared = np.empty(0, dtype=np.int64)
    if shares_on:  # shared items, after the organic ones (the paid ones stay last)
        flat.append(share_flat)
        count.append(np.ones(share_flat.size))
        state.share_flat = np.empty(0, dtype=np.int64)
        state.share_kind = np.empty(0, dtype=np.int8)
    n_community = 0
    if community is not None:  # community items, after the shared ones
        flat.append(community[0])
        count.append(community[1])
        n_community = community[0].size
    paid_flat = []
    for b in np.flatnonzero(plans.paid_reach > 0):
        t = plans.targeting[b]
        members, others = state.segment_members(b)
        w_in, w_out = (1.0 - t) + t * 1.0, (1.0 - t) + t * 0.0
        if time is not None:
            weight = by_segment(state, b, w_in, w_out)
            hits = paid_by_time(members, others, weight, plans.paid_reach[b], time, rng)
            if hits is not None:
                paid_flat.append(hits * B + b)
            continue
        total = members.size * w_in + others.size * w_out
        if total > 0:
            u = rng.random(n)  # one uniform per user
            chance = [min(1.0, plans.paid_reach[b] * w / total) for w in (w_in, w_out)]
            paid_flat.append(np.flatnonzero(u < by_segment(state, b, *chance)) * B + b)
    paid_flat = np.concatenate(paid_flat) if paid_flat else np.empty(0, dtype=np.int64)
    flat.append(paid_flat)
    count.append(np.ones(paid_flat.size))
    flat, count = np.concatenate(flat), np.concatenate(count)
    rows, pos = rank(flat // B if B > 1 else flat, n)
    if B > 1:
        pos = pos * B + flat % B
    items = np.bincount(pos, weights=count, minlength=rows.size * B).reshape(rows.size, B)
    paid = np.zeros((rows.size, B))
    paid.reshape(-1)[pos[flat.size - paid_flat.size :]] = 1.0
    if community is not None:
        start = flat.size - paid_flat.size - n_community
        at = slice(start, flat.size - paid_flat.size)
        day.community_items = np.bincount(
            pos[at], weights=count[at], minlength=rows.size * B
        ).reshape(rows.size, B)
    if shares_on:
        start = flat.size - paid_flat.size - n_community - share_flat.size
        K = len(CONTENT_TYPES)
        at = pos[start : start + share_flat.size] * K + share_kind
        shared = np.bincount(at, minlength=rows.size * B * K).astype(float)
        day.shared_items = shared.reshape(rows.size, B, K)
    day.followed = followed
    day.rows = rows
    day.items = items
    day.paid_items = paid


def beyond_followers(state: State, extra: list[np.ndarray]) -> np.ndarray:
    """Users per brand who get an organic item today without following the brand: only items
    shown to friends of engagers or sharers and community items (``extra``, flat indices)
    can reach them: ``np.bincount(np.unique(flat[~following[flat]]) % B, minlength=B)`` with
    ``flat = np.concatenate(extra)``, counted on a mask unless ``extra`` is small."""
    B = state.following.shape[1]
    following = state.following.reshape(-1)
    total = sum(e.size for e in extra)
    if total == 0:
        return np.zeros(B, dtype=np.int64)
    if total * 256 >= following.size:  # not few next to the flat size: a mask, no sort
        got = np.zeros(following.size, dtype=bool)
        for e in extra:
            got[e] = True
        outside = got > following  # got an item and does not follow
        if B == 1:
            return np.array([np.count_nonzero(outside)])
        return np.bincount(np.flatnonzero(outside) % B, minlength=B)
    flat = np.concatenate(extra)
    flat = unique(flat[~following[flat]], following.size)
    if B == 1:
        return np.array([flat.size])
    return np.bincount(flat % B, minlength=B)


def by_segment(state: State, brand: int, inside: float, outside: float) -> np.ndarray:
    """Per user (shape (n,)): ``inside`` for the members of ``brand``'s segment, ``outside``
    for the others; a scalar when they are equal. Kept (read-only) for the last values."""
    if inside == outside:
        return np.float64(inside)

    def weights() -> np.ndarray:
        out = np.full(state.n_users, outside, dtype=np.float64)
        out[state.segment_members(brand)[0]] = inside
        return out

    return kept(state.cache, f"by_segment {brand}", (inside, outside), weights)


def paid_by_time(
    members: np.ndarray,
    others: np.ndarray,
    weight: np.ndarray,
    paid_reach: float,
    time: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray | None:
    """Positions of the users shown one paid impression of a brand (sorted; one uniform
    per user), each with probability
    ``min(1, paid_reach * w * h / sum(w * h))``: the targeting weight ``w`` (per user, see
    :func:`by_segment`) times the user's time on the platform ``h``; the sum runs over the
    segment's members, then the others. None when nobody can be reached."""
    wh = time * weight
    total = wh.take(members).sum() + wh.take(others).sum()  # wh[members], wh[others]
    if total <= 0:
        return None
    u = rng.random(time.size)  # one uniform per user
    # u < minimum(1, paid_reach * wh / total): as u < 1, the same as u < paid_reach * wh / total
    return below(u, paid_reach, wh, total)


def attend(state: State, day: Day, plans: Plans, spare: np.ndarray | None) -> None:
    """Split each user's spare attention over brands' items; the rest is ``excess``.

    ``spare`` is every user's spare attention (n,) or that of ``day.rows`` only. With the
    attention mechanism off (``spare is None``) every item is attended. The attended items
    are then split by content type using each brand's mix; community items are serve items
    (the brand's serve mix); with shares on (``day.shared_items`` set), a shared item keeps
    its own type and the split is kept in ``day.dose_by_type``.
    """
    items = day.items
    if spare is None:
        attended = items.astype(float)
    else:
        if spare.shape[0] != day.rows.size:  # all users given: take today's rows
            spare = spare[day.rows]
        total = items[:, 0] if items.shape[1] == 1 else items.sum(axis=1)  # items per user
        scale = np.minimum(1.0, spare / np.maximum(total, 1e-12))
        attended = items * scale[:, None]
    day.attended = attended
    day.excess = items - attended
    community = day.community_items
    if community is not None and spare is not None:
        community = community * scale[:, None]
    if day.shared_items is not None and day.pitch_share is not None:  # shares on platforms
        platform_items.typed_doses(day, plans, None if spare is None else scale)
    elif day.pitch_share is not None:  # several platforms: each user's own mix of items
        day.pitch_dose = attended * day.pitch_share
        day.serve_dose = attended - day.pitch_dose
    elif day.shared_items is None and community is None:
        day.pitch_dose = attended * plans.sell_share[None, :]
        day.serve_dose = attended * (1.0 - plans.sell_share)[None, :]
    elif day.shared_items is None:  # community items are serve items; the feed's carry the mix
        feed = attended - community
        day.pitch_dose = feed * plans.sell_share[None, :]
        day.serve_dose = feed * (1.0 - plans.sell_share)[None, :] + community
    else:  # shared items keep their type; the brand's own items follow its plan
        day.dose_by_type, day.pitch_dose, day.serve_dose = typed_doses(
            attended,
            day.shared_items,
            None if spare is None else scale,
            plans.type_shares(),
            community,
            plans.serve_mix,
        )
    state.make_aware(attended > 0, day.rows)
