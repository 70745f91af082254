"""Several platforms (``[[platforms]]``, odd.md 7.16): norms, overlapping audiences and a
brand's presence and plan on each.

Each user is present on a set of platforms (``state.present``, (n, K), drawn at
initialisation from ``users.audiences``); each brand is present on some platforms with a
plan on each (posts ``P_bk`` and sell share ``sigma_bk``). On day t, with ``m_i`` the number
of user i's platforms and ``c_k``, ``r_k``, ``f_k``, ``tau_k`` platform k's
commercialization, organic reach, friend-post volume and sell tolerance:

* delivery: a follower i of brand b gets ``Poisson(P_bk * r_k (1 - c_k) e^{trend t/365})``
  organic items on each platform k where both are present; the brand's paid reach is spread
  over its platforms in proportion to its posts there (equally if it posts nowhere), each
  platform's share going to the users present on it (targeting weights as with one
  platform). An item on platform k pitches with probability ``sigma_bk``:
  ``pitch_dose = attended * sum_k items_k sigma_bk / sum_k items_k`` (per user and brand);
* norms: a pitch seen on platform k grates ``g_k = 1 - platform_norm_effect * tau_k`` as
  much as on a friends' network: pitch irritation, favour withdrawal and the scepticism
  discount of persuasion are multiplied by the pitch-weighted mean ``g`` of the user's
  pitches (``day.pitch_norm``);
* attention: user i gives each of their platforms ``A_i / m_i`` of their budget; friends
  take ``min(phi_i A_i / m_i, f_k d_i)`` of it and ads a share ``ad_attention_cost * c_k``
  of the rest: ``spare_i = sum_k present_ik (A_i/m_i - min(phi_i A_i/m_i, f_k d_i))(1 -
  ad_attention_cost c_k)``; items from all platforms share it;
* scepticism drifts at ``skepticism_drift * sum_k present_ik c_k / m_i``.

With one platform on which every user and brand is present this is the single-platform
model. Strategies plan as without platforms; a brand's per-platform posts are scaled each day
by the ratio of the strategy's posts to the brand's configured ``posts_per_day``, and its
per-platform sell shares shifted by the strategy's change of ``sell_share`` (clipped to
[0, 1]) (``plan_day``, before the budget cap).

Communities and shares (odd.md 7.12, 7.13): feeds show ``P_bk (1 - e_b)``, community and
shared items join the day's items (``rules/platform_items.py``).

Budgets (``[mechanisms] budget``, odd.md 7.14): a brand's budget caps its spending summed
over its platforms. With a split, its content money buys ``N_b = M a_content /
cost_per_post`` posts a day in all, spread over its platforms in proportion to its
configured posts there (``P_bk = N_b w_bk``, ``w_bk = P_bk^conf / sum_k P_bk^conf``,
equally if those are all 0), and ``N_b`` is the brand's ``posts_per_day`` that the
strategy's ratio refers to; its paid money buys ``M a_paid / cost_per_paid`` impressions,
spread by posts as above. Each day the cap compares the cost of the posts summed over
platforms (and the paid reach and team) with ``M`` and scales every platform's posts and
the paid reach by the same factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..config import Config, RulesConfig
from ..config.platforms import combination
from ..state import State, kept
from . import platform_items, platform_reacting
from .attention import beyond_followers
from .day import Day, Plans
from .indices import rank
from .platform_speed import (
    fixed,
    kept_by_value,
    mask_rows,
    means,
    of_brand,
    paid_hits,
    poisson_table,
    row_sums,
    take_rows,
    toward_one,
)


@dataclass
class Network:
    """The fixed platform arrays: norms (K,), and brands' presence and plans (B, K)."""

    names: list[str]
    tolerance: np.ndarray
    commercialization: np.ndarray
    reach: np.ndarray
    friend_posts: np.ndarray
    on: np.ndarray  # (B, K) bool: brand b is present on platform k
    posts: np.ndarray  # (B, K) configured posts per day (0 where absent)
    sell: np.ndarray  # (B, K) configured sell share
    base_posts: np.ndarray  # (B,) the brands' own posts_per_day
    base_sell: np.ndarray  # (B,)
    cache: dict = field(default_factory=dict, repr=False, compare=False)  # platform_speed

    def __post_init__(self) -> None:
        for a in (self.tolerance, self.commercialization, self.reach, self.friend_posts, self.on):
            a.flags.writeable = False  # fixed: values derived from them are kept in ``cache``

    def norm(self, rules: RulesConfig) -> np.ndarray:
        """Grating factor ``g_k = 1 - platform_norm_effect * sell_tolerance_k``, (K,)
        (read-only, kept while the effect repeats)."""
        effect = rules.platform_norm_effect
        return kept(self.cache, "norm", (effect,), lambda: 1.0 - effect * self.tolerance)

    def organic_reach(self, load: np.ndarray, scale: float) -> np.ndarray:
        """Each platform's organic reach today ``min(1, r_k (1 - c_k) scale)`` (K,) at the ad
        loads ``load`` (read-only; kept while ``scale`` repeats at the configured loads)."""
        if load is not self.commercialization:  # the platforms react: today's loads
            return np.minimum(1.0, self.reach * (1.0 - load) * scale)
        return kept(
            self.cache,
            "organic_reach",
            (scale,),
            lambda: np.minimum(1.0, self.reach * (1.0 - load) * scale),
        )

    def platforms_of(self, brand: int) -> list[int]:
        """The platforms brand ``brand`` is on (``np.flatnonzero(on[brand])``), kept."""
        known = self.cache.get("platforms_of")
        if known is None:
            known = self.cache["platforms_of"] = [np.flatnonzero(row).tolist() for row in self.on]
        return known[brand]

    def today(self, plans: Plans) -> tuple[np.ndarray, np.ndarray]:
        """Today's posts and sell shares (B, K): the configured posts scaled by the ratio of
        the strategy's posts to the brand's configured ``posts_per_day`` (1 for ``static``),
        the configured sell shares shifted by the strategy's change of ``sell_share`` (0 for
        ``static``), clipped to [0, 1]."""
        ratio = np.divide(
            plans.posts_per_day,
            self.base_posts,
            out=np.ones_like(self.base_posts),
            where=self.base_posts > 0,
        )
        posts = self.posts * ratio[:, None]
        shift = plans.sell_share - self.base_sell
        sell = np.clip(self.sell + shift[:, None], 0.0, 1.0)
        return posts, sell


def network(cfg: Config) -> Network | None:
    """The platform arrays of ``cfg``, or None without ``[[platforms]]``."""
    if not cfg.platforms:
        return None
    names = [p.name for p in cfg.platforms]
    B, K = len(cfg.brands), len(names)
    on = np.zeros((B, K), dtype=bool)
    posts, sell = np.zeros((B, K)), np.zeros((B, K))
    for b, bc in enumerate(cfg.brands):
        for k, name in enumerate(names):
            plan = None if bc.platforms is None else bc.platforms.get(name)
            if bc.platforms is not None and plan is None:
                continue
            on[b, k] = True
            given = plan.posts_per_day if plan is not None else None
            posts[b, k] = bc.posts_per_day if given is None else given
            given = plan.sell_share if plan is not None else None
            sell[b, k] = bc.sell_share if given is None else given
    base_posts = np.array([bc.posts_per_day for bc in cfg.brands], dtype=float)
    for b, bc in enumerate(cfg.brands):  # a budget split buys the posts over all platforms
        if cfg.mechanisms.budget and bc.budget is not None and bc.budget.split:
            total = bc.budget.allocate(cfg.rules)["posts_per_day"]
            posts[b] = total * split_weights(posts[b], on[b])
            base_posts[b] = total
    return Network(
        names=names,
        tolerance=np.array([p.sell_tolerance for p in cfg.platforms]),
        commercialization=np.array([p.commercialization for p in cfg.platforms]),
        reach=np.array([p.organic_reach for p in cfg.platforms]),
        friend_posts=np.array([p.friend_posts for p in cfg.platforms]),
        on=on,
        posts=posts,
        sell=sell,
        base_posts=base_posts,
        base_sell=np.array([bc.sell_share for bc in cfg.brands], dtype=float),
    )


def split_weights(posts: np.ndarray, on: np.ndarray) -> np.ndarray:
    """How a brand's budget-bought posts are spread over the platforms (K,): in proportion
    to its configured posts there ``P_bk / sum_k P_bk`` (its per-platform ``posts_per_day``
    act as weights), equally over the platforms it is on when those are all 0."""
    total = posts.sum()
    if total > 0:
        return posts / total
    return on / on.sum()


def draw_presence(cfg: Config, n: int, rng: np.random.Generator) -> np.ndarray:
    """Which platforms each user is on, (n, K) bool: one combination per user drawn from
    ``users.audiences`` (every user on every platform when it is unset)."""
    names = [p.name for p in cfg.platforms]
    audiences = cfg.users.audiences
    if audiences is None:
        return np.ones((n, len(names)), dtype=bool)
    combos = np.zeros((len(audiences), len(names)), dtype=bool)
    for j, key in enumerate(audiences):
        for name in combination(key):
            combos[j, names.index(name)] = True
    shares = np.array(list(audiences.values()), dtype=float)
    return combos[rng.choice(len(shares), size=n, p=shares / shares.sum())]


def drift_skepticism(state: State, net: Network, drift: float) -> None:
    """Raise scepticism towards 1 at ``drift`` times the user's mean ad load over platforms."""
    if state.time is not None:  # the platforms react: today's ad loads (odd.md 7.15)
        return platform_reacting.drift(state, net, drift)
    load = fixed(state, net.commercialization)["load"]
    rate = kept(state.cache, "platform_drift", (drift,), lambda: drift * load)
    toward_one(state.skepticism, rate)  # s += rate * (1 - s)


def spare_attention(state: State, net: Network, rules: RulesConfig, rows: np.ndarray) -> np.ndarray:
    """Spare attention of users ``rows`` for brands, summed over their platforms (per-user
    constants: :func:`spare_all` computed once, again only if an input array is replaced)."""
    if state.time is not None:  # the platforms react: today's ad loads and times
        return platform_reacting.spare(state, net, rules, rows)
    inputs = (state.attention, state.friend_motive, state.degree, rules.ad_attention_cost)
    return kept(state.cache, "platform_spare", inputs, lambda: spare_all(state, net, rules))[rows]


def spare_all(state: State, net: Network, rules: RulesConfig) -> np.ndarray:
    """Every user's spare attention for brands, summed over their platforms (n,)."""
    present = state.present
    share = state.attention / fixed(state, net.commercialization)["m"]  # per platform
    reserve = share * state.friend_motive
    degree = state.degree
    spare = np.zeros(present.shape[0])
    for k in range(len(net.names)):
        friends = np.minimum(reserve, net.friend_posts[k] * degree)
        left = (share - friends) * (1.0 - rules.ad_attention_cost * net.commercialization[k])
        spare += np.where(present[:, k], left, 0.0)
    return spare


def expose(
    state: State,
    day: Day,
    plans: Plans,
    net: Network,
    rules: RulesConfig,
    t: int,
    trend: float,
    rng: np.random.Generator,
    shares_on: bool = False,
    community: tuple[np.ndarray, np.ndarray] | None = None,
) -> None:
    """Deliver today's items on every platform (module docstring) and record
    ``day.items``, ``day.paid_items``, ``day.pitch_share`` and ``day.pitch_norm``; with
    ``shares_on`` and ``community`` (``community.deliver``) the shared and community items
    too (``rules/platform_items.py``)."""
    n, B = state.following.shape
    posts, sell = plans.platform_posts, plans.platform_sell  # plan_day, after any budget cap
    g = net.norm(rules)
    scale = math.exp(trend * t / 365.0)
    reacts = state.time is not None  # the platforms react: today's ad loads, times h_ik
    load = state.ad_load if reacts else net.commercialization
    reach = net.organic_reach(load, scale)  # min(1, r_k (1 - c_k) scale)
    followed = np.flatnonzero(state.following)
    user, brand = (followed, None) if B == 1 else (followed // B, followed % B)
    feed = platform_items.feed_posts(posts, plans, community)  # P_bk (1 - e_b)
    on = take_rows(state.time if reacts else state.present, user)  # h_ik or present_ik
    organic = poisson_table(rng, feed * reach[None, :], brand, on)  # Poisson(lam_bk * on_ik)
    count = row_sums(organic)
    got = count > 0
    organic, brand = mask_rows(organic, got), None if brand is None else brand[got]
    pitch = row_sums(organic * of_brand(sell, brand))
    grate = row_sums(organic * of_brand(sell * g[None, :], brand))
    # friends of engagers: an item with the brand's posts-weighted mean sell share and norm
    args = (posts, sell, g)
    weight, mean_sell, mean_grate = kept_by_value(
        net.cache, "weights", args, lambda: means(net.on, *args)
    )
    shared = state.shared
    flat = [followed[got], shared]
    counts = [count[got], np.ones(shared.size)]
    pitches = [pitch, mean_sell[shared % B]]
    grates = [grate, mean_grate[shared % B]]
    extra = platform_items.extra_items(state, g, shares_on, community)  # shared, community
    day.beyond = beyond_followers(state, [shared, extra.flat])
    state.shared = np.empty(0, dtype=np.int64)
    flat.append(extra.flat)
    counts.append(extra.counts)
    pitches.append(extra.pitches)
    grates.append(extra.grates)
    paid = []
    on_k = fixed(state, net.commercialization)["users"]
    for b in np.flatnonzero(plans.paid_reach > 0):
        for k in net.platforms_of(b):
            # the platform's share of the paid reach to its users u, each with probability
            # min(1, reach_bk w_u / sum w) for w_u = (1 - targeting) + targeting * match_ub
            amount = plans.paid_reach[b] * weight[b, k]
            hit = platform_reacting.paid_hits if reacts else paid_hits
            hits = hit(state, on_k[k], k, b, plans.targeting[b], amount, rng)
            if hits is None:
                continue
            paid.append(hits if B == 1 else hits * B + b)  # flat user * B + brand
            pitches.append(np.full(hits.size, sell[b, k]))
            grates.append(np.full(hits.size, sell[b, k] * g[k]))
    paid_flat = np.concatenate(paid) if paid else np.empty(0, dtype=np.int64)
    flat.append(paid_flat)
    counts.append(np.ones(paid_flat.size))
    flat, counts = np.concatenate(flat), np.concatenate(counts)
    pitches, grates = np.concatenate(pitches), np.concatenate(grates)
    rows, pos = rank(flat // B if B > 1 else flat, n)
    if B > 1:
        pos = pos * B + flat % B
    size = rows.size * B
    shape = (rows.size, B)
    items = np.bincount(pos, weights=counts, minlength=size).reshape(shape)  # float64
    pitch_items = np.bincount(pos, weights=pitches, minlength=size).reshape(shape)
    grate_items = np.bincount(pos, weights=grates, minlength=size).reshape(shape)
    platform_items.record(day, extra, pos, pitch.size + shared.size, shape, pitch_items)
    at = pos[flat.size - paid_flat.size :]
    day.paid_items = np.bincount(at, minlength=size).reshape(rows.size, B).astype(float)
    day.pitch_share = np.divide(pitch_items, items, out=np.zeros(shape), where=items > 0)
    # a negligible pitch count (e.g. a denormal sell share) keeps the neutral norm 1: the
    # ratio of two underflowing products is not a norm
    day.pitch_norm = np.divide(
        grate_items, pitch_items, out=np.ones(shape), where=pitch_items > 1e-12
    )
    day.followed = followed
    day.rows = rows
    day.items = items


def discount(base: np.ndarray, day: Day) -> np.ndarray:
    """The persuasion discount ``1 - d`` with its grating part ``d`` scaled by today's
    pitch norm (compact)."""
    return 1.0 - (1.0 - base) * day.pitch_norm


def plan_day(plans: Plans, net: Network) -> None:
    """Today's per-platform plans (``plans.platform_posts``, ``plans.platform_sell``, from
    :meth:`Network.today`) and their totals over platforms in ``plans`` (posts summed, sell
    share posts-weighted), before a budget caps them (``budget.spend_within`` scales the
    totals and every platform's posts by the same factor); delivery uses the per-platform
    plans, the metrics and the brands' observations the totals."""

    def plan() -> tuple:
        posts, sell = net.today(plans)
        total = posts.sum(axis=1)
        share = np.divide(
            (posts * sell).sum(axis=1), total, out=plans.sell_share.copy(), where=total > 0
        )
        return posts, sell, total, share

    inputs = (plans.posts_per_day, plans.sell_share)  # a static plan repeats: kept
    posts, sell, total, share = kept_by_value(net.cache, "plan", inputs, plan)
    plans.platform_posts, plans.platform_sell = posts, sell
    plans.sell_share, plans.posts_per_day = share.copy(), total.copy()
