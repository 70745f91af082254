"""The reacting platform on several platforms (``[mechanisms] platform_reacts`` with
``[[platforms]]``, odd.md 7.15 and 7.16): each platform's ad load follows the demand for
paid reach on it, and each user's time on each of their platforms answers that platform's
ad load.

Each day, before any delivery, with ``c0_k = platforms[k].commercialization`` and the
``[rules]`` coefficients of 7.15 (the same for every platform):

1. Platform k's demand ``D_k = sum_b paid_reach_b w_bk`` (today's paid impressions bought
   on k: a brand's paid reach spread over its platforms by its posts there, ``w_bk`` of
   ``platform_speed.means``, after any budget cap) and active audience ``A_k = sum_i h_ik``::

       c*_k = max(c0_k, min(ad_load_max, c0_k + ad_supply * D_k / A_k))
       c_k <- c_k + ad_adjust * (c*_k - c_k)

   (``c*_k = ad_load_max`` if ``A_k = 0 < D_k``).

2. Each user i present on k who has not left it moves their time there ``h_ik`` (a share
   of their baseline time on k; 0 where absent) towards its long-run value at k's ads an
   hour ``a_k = c_k * feed_items_per_hour``::

       m_i   = max(0, 1 + skeptic_time * (s_i - s0))
       h*_ik = max(0, 1 - time_sensitivity * m_i * max(0, a_k - ads_reference))
       h_ik <- h_ik + time_adjust * (h*_ik - h_ik)

   and leaves k for good when ``h_ik < leave_threshold`` (``h_ik = 0``).

The platform rules then read ``c_k`` for ``commercialization_k`` (organic-reach throttle
``r_k (1 - c_k)``, attention factor ``1 - ad_attention_cost c_k``, scepticism drift at the
mean of ``c_k`` over the user's platforms) and scale with ``h_ik``: a follower's organic
mean on k is ``P_bk r_k (1 - c_k) e^{trend t/365} h_ik``, a user's paid weight on k is
``w_u h_uk`` (normalised over k's users: the brand gets the impressions it bought there,
among the users present), spare attention on k is multiplied by ``h_ik``, and a friend of
an engager is shown the item with probability ``engager_exposure * mean_k h_jk`` (the mean
over the friend's platforms). With one platform on which everyone is present this is
``rules/reacting.py`` (bit for bit: the same draws in the same order). Deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..config import RulesConfig
from ..state import State, kept
from .attention import paid_by_time
from .day import Plans
from .platform_speed import (
    fixed,
    kept_by_value,
    mean_load,
    means,
    move_time,
    row_sums,
    take_rows,
    time_multiplier,
    toward_one,
    zero_where,
)

if TYPE_CHECKING:
    from .platforms import Network


def start(state: State, commercialization: np.ndarray) -> None:
    """Day 0: every platform at its configured ad load, every user full time on each of
    their platforms (0 elsewhere), nobody left."""
    state.ad_load = commercialization.astype(float).copy()
    state.time = state.present.astype(float)
    state.left = np.zeros(state.present.shape, dtype=bool)
    fixed(state, commercialization)  # the fixed per-user arrays (of the configured loads)


def demand(plans: Plans, net: Network, rules: RulesConfig) -> np.ndarray:
    """Today's planned paid impressions on each platform ``D_k = sum_b paid_reach_b w_bk``
    (the weights delivery uses, kept in the same cache)."""
    args = (plans.platform_posts, plans.platform_sell, net.norm(rules))
    weight = kept_by_value(net.cache, "weights", args, lambda: means(net.on, *args))[0]
    return (plans.paid_reach[:, None] * weight).sum(axis=0)


def target_load(state: State, plans: Plans, net: Network, rules: RulesConfig) -> np.ndarray:
    """Each platform's target ad load ``c*_k`` (K,)."""
    c0 = net.commercialization
    wanted = demand(plans, net, rules)
    out = np.empty(c0.size)
    for k in range(c0.size):  # scalar arithmetic, as rules/reacting.target_load
        active = float(state.time[:, k].sum())
        d = float(wanted[k])
        if active > 0.0:
            goal = c0[k] + rules.ad_supply * d / active
        else:
            goal = rules.ad_load_max if d > 0.0 else c0[k]
        out[k] = max(c0[k], min(rules.ad_load_max, goal))
    return out


def react(state: State, plans: Plans, net: Network, rules: RulesConfig) -> None:
    """Today's ad load on each platform, then each user's time there and who leaves."""
    c = state.ad_load
    state.ad_load = c + rules.ad_adjust * (target_load(state, plans, net, rules) - c)
    excess = np.maximum(0.0, state.ad_load * rules.feed_items_per_hour - rules.ads_reference)
    h = state.time
    if excess.any():
        m = time_multiplier(state, rules.skeptic_time)  # max(0, 1 + skeptic_time (s - s0))
        # h += time_adjust * (maximum(0, 1 - (time_sensitivity * excess)_k * m_i) - h)
        move_time(h, rules.time_sensitivity * excess, m, rules.time_adjust)
    else:  # h* = 1 everywhere (1 - 0 * m_i), as rules/reacting.target_time
        h += rules.time_adjust * (1.0 - h)
    state.left |= state.present & (h < rules.leave_threshold)
    zero_where(h, state.left | absent(state))  # h[left | absent] = 0


def absent(state: State) -> np.ndarray:
    """Where users are not present (n, K), computed once (presence is fixed)."""
    out = state.cache.get("platform_absent")
    if out is None:
        out = state.cache["platform_absent"] = ~state.present
    return out


def drift(state: State, net: Network, rate: float) -> None:
    """Scepticism rises towards 1 at ``rate`` times the user's mean ad load over platforms."""
    rate_load = mean_load(state, state.ad_load, rate)  # rate * (present @ c) / m
    toward_one(state.skepticism, rate_load)  # s += rate_load * (1 - s)


def paid_hits(
    state: State,
    users: np.ndarray,
    k: int,
    brand: int,
    targeting: float,
    amount: float,
    rng: np.random.Generator,
) -> np.ndarray | None:
    """The users among platform k's ``users`` shown one paid impression of ``brand``: one
    uniform per user, each with probability ``min(1, amount * w_u h_uk / sum w h)``, ``w_u =
    (1 - targeting) + targeting * match_ub`` (the sum over the segment's members on k, then
    the others: ``attention.paid_by_time``); None (no draws) when the sum is 0."""
    inside, outside, at, w = paid_weights(state, users, k, brand, float(targeting))
    time = state.time.reshape(-1).take(at)  # h_uk: time[users, k]
    hits = paid_by_time(inside, outside, w, amount, time, rng)
    return None if hits is None else users[hits]


def paid_weights(state: State, users: np.ndarray, k: int, brand: int, t: float) -> tuple:
    """For platform k's ``users`` (fixed) and ``brand`` at targeting ``t``: the positions in
    ``users`` of the segment's members and of the others, the flat positions of ``time[users,
    k]`` and the weights ``w_u = (1 - t) + t * match_ub`` (kept while ``t`` repeats)."""
    key = ("reacting_paid", k, brand)
    known = state.cache.get(key)
    if known is None or known[0] is not users or known[1] != t:
        member = state.match[users, brand]
        inside, outside = np.flatnonzero(member), np.flatnonzero(~member)
        at = users * state.time.shape[1] + k
        w = np.where(member, (1.0 - t) + t * 1.0, (1.0 - t) + t * 0.0)
        for a in (inside, outside, at, w):
            a.flags.writeable = False
        known = state.cache[key] = (users, t, inside, outside, at, w)
    return known[2:]


def spare(state: State, net: Network, rules: RulesConfig, rows: np.ndarray) -> np.ndarray:
    """Spare attention of users ``rows`` summed over their platforms, each platform's share
    ``(A_i/m_i - min(phi_i A_i/m_i, f_k d_i)) (1 - ad_attention_cost c_k) h_ik``."""
    inputs = (state.attention, state.friend_motive, state.degree)
    before = kept(state.cache, "reacting_before_ads", inputs, lambda: before_ads(state, net))
    factor = 1.0 - rules.ad_attention_cost * state.ad_load
    return row_sums(take_rows(before, rows) * factor[None, :] * take_rows(state.time, rows))


def before_ads(state: State, net: Network) -> np.ndarray:
    """Each user's attention on each platform left after friends' posts, before ads (n, K)."""
    share = state.attention / fixed(state, net.commercialization)["m"]
    reserve = (share * state.friend_motive)[:, None]
    friends = np.minimum(reserve, state.degree[:, None] * net.friend_posts[None, :])
    return share[:, None] - friends


def friend_time(state: State) -> np.ndarray:
    """Each user's mean time over their platforms (n,): scales their chance of seeing an
    item a friend engaged with."""
    return state.time.sum(axis=1) / fixed(state, state.ad_load)["m"]  # m: kept by start()


def metrics(state: State, n_brands: int, sceptics: np.ndarray) -> dict[str, np.ndarray]:
    """The platform columns: the ad load averaged over platforms weighted by their
    presence counts, the mean time over (user, platform) presence pairs (all users and the
    sceptical ones ``sceptics``), and the users who left every platform they were on."""
    known = fixed(state, state.ad_load)  # computed by start(): m and each platform's users
    m, weight, total = known["m"], known["presence_share"], known["presence_pairs"]
    load = float((weight * state.ad_load).sum())  # counts_k / sum(counts) * c_k
    time = float(state.time.sum()) / total
    pairs = int(m.take(sceptics).sum())
    sceptic_time = float(take_rows(state.time, sceptics).sum()) / pairs if pairs else np.nan
    left = 0
    if state.left.any():  # users whose every platform is left
        left = int(np.count_nonzero(np.count_nonzero(state.left, axis=1) == m))
    return {
        "ad_load": np.full(n_brands, load),
        "time_on_platform": np.full(n_brands, time),
        "time_skeptical": np.full(n_brands, sceptic_time),
        "users_left": np.full(n_brands, left, dtype=np.int64),
    }
