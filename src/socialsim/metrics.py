"""Daily per-brand metrics: definitions, documentation and computation.

``simulate`` returns one row per day and brand with the columns of :data:`COLUMNS`, in that
order. All counts refer to the day of the row unless marked cumulative.
"""

from __future__ import annotations

import numpy as np

from .config import RulesConfig
from .metric_parts import (
    _count,
    _masked_mean,
    _messages,
    _ratio,
    community_metrics,
    lapse_metrics,
    organic_engagements,
    platform_metrics,
    reply_metrics,
    share_metrics,
)
from .rules.budget import reply_team
from .rules.day import CONTENT_TYPES, Day, Plans
from .state import REASONS, State

#: What each unfollow reason stands for (survey wording, Sprout Social 2016 and 2020).
REASON_TEXT = {
    "promotions": "too many promotions (recognised pitches, pitches on an overdrawn favour "
    "account)",
    "irrelevant": "irrelevant content",
    "frequency": "too frequent posts (items beyond spare attention)",
    "service": "poor service (unanswered problems)",
    "ads": "ads (paid impressions to users who distrust the brand)",
    "deception": "deception (detected covert promotion)",
}

#: Column name -> meaning. This dict is the documentation of the output table.
COLUMNS: dict[str, str] = {
    "step": "day of the simulation, 1..steps",
    "brand": "brand name",
    "reach": "users who received at least one item from the brand today (organic or paid)",
    "engagements": "likes, comments and shares on the brand's items today",
    "followers": "users following the brand at the end of the day",
    "unfollows": "users who unfollowed the brand today",
    "complaints": "users who complained about the brand to their friends today",
    "backlash": "share of aware users who are hostile (irritation above tolerance or trust "
    "below rules.hostile_trust)",
    "mean_trust": "mean trust in the brand over all users (unaware users start at their prior; "
    "word of mouth moves it)",
    "favor_balance": "mean favour balance over aware users (negative: overdrawn)",
    "conversions_new": "first purchases today",
    "conversions_repeat": "repeat purchases today",
    "conversions_total": "cumulative purchases (first + repeat) up to and including today",
    "revenue": "purchases today times the price, in money units",
    "cost": "posts, paid impressions, support capacity and (with public replies on) reply "
    "capacity today at their prices (rules.cost_*), in money units",
    "posts": "brand posts published today (posts_per_day of today's plan)",
    "pitches": "pitch posts published today (posts_per_day * sell_share)",
    "sell_share": "share of today's posts that pitch",
    "aware": "users aware of the brand",
    "customers": "users who have bought at least once (cumulative adopters)",
    "adopter_share": "customers / users",
    "active_customers": "customers who have not lapsed (all customers when mechanisms.lapse "
    "is off)",
    "retention": "active_customers / customers (1 when mechanisms.lapse is off; NaN before the "
    "first customer)",
    "lapses": "customers who lapsed today (0 when mechanisms.lapse is off)",
    "winbacks": "lapsed customers won back today by a purchase",
    "revenue_per_customer": "cumulative revenue per customer (conversions_total * price / "
    "customers): lifetime value to date; NaN before the first customer",
    "ad_load": "the platform's ad load today (share of the feed given to ads: "
    "platform.commercialization unless mechanisms.platform_reacts moves it; with several "
    "platforms and platform_reacts, their ad loads averaged weighted by the number of users "
    "on each); the same for every brand",
    "time_on_platform": "mean time users spend on the platform, as a share of their baseline "
    "time (leavers count 0; 1 when mechanisms.platform_reacts is off; with several platforms, "
    "the mean over the (user, platform) pairs of users present); the same for every brand",
    "time_skeptical": "mean time on the platform of the sceptical users (scepticism above 0.5 "
    "today; NaN when there are none; 1 when mechanisms.platform_reacts is off); the same for "
    "every brand",
    "users_left": "users who have left the platform for good (cumulative; 0 when "
    "mechanisms.platform_reacts is off; with several platforms, users who have left every "
    "platform they were on); the same for every brand",
    "trust_aware": "mean trust among aware users",
    "share_overdrawn": "share of aware users with a negative favour balance",
    "share_in_credit": "share of aware users with a positive favour balance",
    "too_frequent": "share of followers who got more brand items today than their spare "
    "attention (items beyond it irritate)",
    "negative_wom": "negative word-of-mouth messages received by users today",
    "positive_wom": "positive word-of-mouth messages received by users today",
    "replies": "complainers the brand replied to publicly today (0 when mechanisms.replies is off)",
    "negative_wom_weighted": "negative word-of-mouth messages received today, each weighted by "
    "the reply its sender got (1 - rules.reply_calm after a respectful reply, 1 + "
    "rules.reply_fuel after a defensive one, 1 without a reply): the weight that lowers "
    "trust; equal to negative_wom without replies",
    "problems": "support problems raised today",
    "answered": "problems answered today (by the brand, or by community members)",
    "members": "members of the brand's community at the end of the day (0 when "
    "mechanisms.community is off)",
    "peer_answers": "problems of members answered by other members today (they do not reach "
    "the brand's support queue)",
    "support_load": "problems that reached the brand's support queue today (problems - "
    "peer_answers; equals problems when mechanisms.community is off)",
    "detections": "users who detected covert promotion today",
    "paid_posts": "posts boosted with paid reach today (as planned; 0 for plans given as paid "
    "impressions per day only)",
    "items_organic": "organic brand items delivered today, to followers and to friends of "
    "engagers (one item is one user reached by one post)",
    "items_paid": "paid impressions delivered today (one per user reached by an ad)",
    "reach_organic": "users who received at least one organic item today",
    "reach_paid": "users who received a paid impression today",
    "engagements_organic": "engagements today with organic items: the day's engagements "
    "split in proportion to each user's expected engagements with organic and with paid items",
    **{
        f"posts_{t}": f"{t} posts published today (posts * the plan's share of {t})"
        for t in CONTENT_TYPES
    },
    **{
        f"items_{t}": f"{t} items delivered today (items * the plan's share of {t}); items_{t} / "
        f"posts_{t} is the mean reach of a {t} post"
        for t in CONTENT_TYPES
    },
    **{
        f"engagements_{t}": f"engagements today with {t} items (the day's engagements split by "
        "content type)"
        for t in CONTENT_TYPES
    },
    **{
        f"unfollows_{r}": f"unfollows today whose dominant irritant was {REASON_TEXT[r]}"
        for r in REASONS
    },
    "shares": "users who shared one of the brand's items with their friends today (0 when "
    "mechanisms.shares is off)",
    **{f"shares_{t}": f"shares today of {t} items" for t in CONTENT_TYPES},
    "share_reach": "users who received at least one item shared by a friend today",
    "reach_nonfollowers": "users who received at least one organic item (a shared item, a "
    "friend's engagement or a community item; not an ad) today without following the brand "
    "at the start of the day: organic reach beyond followers",
}


#: Stocks: counts of users at the end of the day (a period's value is its last day's).
STOCKS: tuple[str, ...] = (
    "followers",
    "aware",
    "customers",
    "conversions_total",
    "active_customers",
    "members",
    "users_left",
)
#: Shares, means and plan values of the day (a period's value is a mean or the last day's).
MEANS: tuple[str, ...] = (
    "backlash",
    "mean_trust",
    "favor_balance",
    "sell_share",
    "adopter_share",
    "trust_aware",
    "share_overdrawn",
    "share_in_credit",
    "too_frequent",
    "retention",
    "revenue_per_customer",
    "ad_load",
    "time_on_platform",
    "time_skeptical",
)
#: Daily counts (a period's value is their sum): every other column.
FLOWS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in (*STOCKS, *MEANS, "step", "brand"))


def hostile(state: State, rules: RulesConfig) -> np.ndarray:
    """Users (n, B) hostile to a brand: irritation above tolerance or trust collapsed."""
    return (state.irritation > rules.irritation_tolerance) | (state.trust < rules.hostile_trust)


def aware_shares(state: State, rules: RulesConfig, aware: np.ndarray) -> dict[str, np.ndarray]:
    """Shares of the ``aware`` aware users per brand who are hostile (``backlash``), overdrawn
    (``share_overdrawn``) or in credit (``share_in_credit``). Counted over the aware users
    only when they are few (large populations), over everyone otherwise: the same counts."""
    n, B = state.aware.shape
    if 8 * int(aware.sum()) > n * B:
        return {
            "backlash": _masked_mean(hostile(state, rules), state.aware, aware),
            "share_overdrawn": _masked_mean(state.favor < 0, state.aware, aware),
            "share_in_credit": _masked_mean(state.favor > 0, state.aware, aware),
        }
    at = np.flatnonzero(state.aware)
    irritation, trust, favor = (
        a.reshape(-1)[at] for a in (state.irritation, state.trust, state.favor)
    )
    hostile_at = (irritation > rules.irritation_tolerance) | (trust < rules.hostile_trust)

    def per_brand(mask: np.ndarray) -> np.ndarray:
        if B == 1:
            return np.array([np.count_nonzero(mask)])
        return np.bincount(at[mask] % B, minlength=B)

    return {
        name: _ratio(per_brand(mask), aware)
        for name, mask in (
            ("backlash", hostile_at),
            ("share_overdrawn", favor < 0),
            ("share_in_credit", favor > 0),
        )
    }


def daily_metrics(
    state: State, day: Day, plans: Plans, rules: RulesConfig, conversions_before: np.ndarray
) -> dict[str, np.ndarray]:
    """Compute every metric except ``step`` and ``brand`` as arrays over brands."""
    n, B = state.trust.shape
    reached = day.items > 0
    n_reached = reached.sum(axis=0)
    new = _count(day.bought_new)
    repeat = _count(day.bought_repeat)
    customers = _count(state.purchases)  # purchases >= 0: nonzero = customer
    followers = _count(state.following)
    aware = _count(state.aware)
    aware_f = state.aware.astype(np.float64)
    total = conversions_before + new + repeat
    return {
        "reach": n_reached,
        "engagements": day.engagements,
        "followers": followers,
        "unfollows": _count(day.unfollows),
        "complaints": _count(day.neg_sender),
        **aware_shares(state, rules, aware),
        "mean_trust": np.add.reduce(state.trust, axis=0) / n,  # trust.mean(axis=0)
        "favor_balance": _masked_mean(state.favor, aware_f, aware),
        "conversions_new": new,
        "conversions_repeat": repeat,
        "conversions_total": total,
        "revenue": (new + repeat) * rules.price,
        "cost": (
            plans.posts_per_day * rules.cost_per_post
            + day.paid_items.sum(axis=0) * rules.cost_per_paid
            + plans.support_capacity * rules.cost_per_agent
            + reply_team(plans, day.replied is not None) * rules.cost_per_reply
        ),
        "posts": plans.posts_per_day,
        "pitches": plans.posts_per_day * plans.sell_share,
        "sell_share": plans.sell_share,
        "aware": aware,
        "customers": customers,
        "adopter_share": customers / n,
        **lapse_metrics(state, day, customers, total * rules.price),
        **platform_metrics(state, B),
        "trust_aware": _masked_mean(state.trust, aware_f, aware),
        "too_frequent": np.divide(
            ((day.excess > 1e-9) & state.following[day.rows]).sum(axis=0),
            followers,
            out=np.zeros(B),
            where=followers > 0,
        ),
        "positive_wom": _messages(day.wom_pos, day.heard),
        **reply_metrics(day, B),
        **community_metrics(state, day, _count(day.problems)),
        "answered": _count(day.answered),
        "detections": _count(day.detected_today),
        **by_type(day, plans),
        **share_metrics(day),
    }


def by_type(day: Day, plans: Plans) -> dict[str, np.ndarray]:
    """Paid vs organic delivery, posts / items / engagements by content type, unfollow
    reasons (the metrics that calibration compares with a page's analytics)."""
    paid = day.paid_items.sum(axis=0)
    items = day.items.sum(axis=0)
    shares = plans.type_shares()
    out = {
        "paid_posts": plans.paid_posts,
        "items_organic": items - paid,
        "items_paid": paid,
        "reach_organic": ((day.items - day.paid_items) > 0).sum(axis=0),
        "reach_paid": (day.paid_items > 0).sum(axis=0),
        "engagements_organic": organic_engagements(day),
    }
    posts, delivered = plans.posts_per_day * shares, items * shares  # (types, brands)
    own = items
    if day.community_items is not None:  # community items are serve items (the serve mix)
        community = day.community_items.sum(axis=0)
        own = own - community
    if day.shared_items is not None:  # shared items keep their own type
        shared = day.shared_items.sum(axis=0).T  # (types, brands)
        own = own - shared.sum(axis=0)
    if own is not items:
        delivered = own * shares
        if day.shared_items is not None:
            delivered = delivered + shared
        if day.community_items is not None:
            delivered[1:] += community * plans.serve_mix[:, [1, 2, 0]].T
    for k, t in enumerate(CONTENT_TYPES):
        out[f"posts_{t}"] = posts[k]
        out[f"items_{t}"] = delivered[k]
        out[f"engagements_{t}"] = day.engagements_by_type[k]
    reasons = day.unfollow_reasons
    for k, r in enumerate(REASONS):
        out[f"unfollows_{r}"] = reasons[k] if reasons is not None else np.zeros_like(paid)
    return out
