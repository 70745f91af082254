"""Display names for metrics, outcomes and parameters: the one place figures, reports,
the classroom page and notebooks take them from.

Metric meanings come from :data:`socialsim.metrics.COLUMNS`, parameter meanings from the
schema (:func:`socialsim.paramdoc.field_table`); this module only shortens them into axis
labels with units. ``label("brands[0].sell_share")`` gives ``"sell share (share of posts
that pitch)"``; ``label("final conversions_total")`` or ``label("conversions_total")`` give
``"cumulative conversions (purchases)"``. :func:`title` drops the unit (``"cumulative
conversions"``), :func:`point_label` names a sweep point by its values (``"favour bank
off"``), :func:`bounds` and :func:`axis_limits` give honest axis ranges.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import numpy as np

__all__ = [
    "COUNTS",
    "FULL_RANGE",
    "PARAMETERS",
    "SHARES",
    "UNITS",
    "axis_limits",
    "bounds",
    "label",
    "point_label",
    "short",
    "title",
    "value_text",
]

#: Short axis labels, with their unit, of the metrics and outcomes users look at most.
#: Anything else falls back to its documented meaning (metrics.COLUMNS or the schema).
UNITS: dict[str, str] = {
    "conversions_total": "cumulative conversions (purchases)",
    "conversions_day30": "conversions by day 30 (purchases)",
    "conversions_new": "first purchases",
    "conversions_repeat": "repeat purchases",
    "customers": "customers (users who bought)",
    "followers": "followers (users)",
    "aware": "aware users",
    "backlash": "backlash (share of aware users hostile, 0-1)",
    "mean_trust": "mean trust in the brand (0-1)",
    "trust_aware": "mean trust of aware users (0-1)",
    "favor_balance": "favour balance of aware users (favours)",
    "share_overdrawn": "share of aware users overdrawn (0-1)",
    "share_in_credit": "share of aware users in credit (0-1)",
    "adopter_share": "share of users who bought (0-1)",
    "engagements": "engagements (likes, comments, shares)",
    "unfollows": "unfollows (users)",
    "complaints": "complaints (users)",
    "revenue": "revenue (money units)",
    "cost": "cost (money units)",
    "reach": "reach (users per day)",
    "roi": "return on cost, (revenue - cost) / cost (-1 = nothing back)",
    "active_customers": "active customers (customers who have not lapsed)",
    "retention": "retention (share of customers still active, 0-1)",
    "lapses": "lapses (customers)",
    "winbacks": "win-backs (lapsed customers who bought again)",
    "revenue_per_customer": "revenue per customer to date (money units)",
    "replies": "public replies to complaints",
    "negative_wom_weighted": "negative word of mouth weighted by replies (messages)",
    "members": "community members (users)",
    "peer_answers": "problems answered by community members",
    "support_load": "support load (problems that reached the brand)",
    "shares": "shares (users who shared a brand item)",
    "share_reach": "reach of shared items (users per day)",
    "reach_nonfollowers": "organic reach beyond followers (users per day)",
    "ad_load": "platform ad load (share of the feed given to ads, 0-1)",
    "time_on_platform": "time on the platform (share of baseline time, 0-1)",
    "time_skeptical": "time on the platform of sceptical users (share of baseline, 0-1)",
    "users_left": "users who left the platform",
    "items_organic": "organic items delivered (user-items)",
    "reach_organic": "organic reach (users per day)",
    "engagements_organic": "engagements with organic items (per day)",
}

#: Short labels of the parameters experiments sweep most (``brands[]`` for any brand);
#: other parameters take the first clause of their schema description.
PARAMETERS: dict[str, str] = {
    "users.skepticism": "audience scepticism (mean, 0-1)",
    "brands[].sell_share": "sell share (share of posts that pitch)",
    "brands[].posts_per_day": "posts per day",
    "brands[].support_capacity": "support capacity (problems answered per day)",
    "brands[].disclosed": "promotion disclosed",
    "brands[].paid_reach": "paid reach (impressions per day)",
    "brands[].targeting": "targeting (audience research, 0-1)",
    "platform.commercialization": "platform ad load (share of the feed given to ads, 0-1)",
    "platform.organic_reach": "organic reach (share of posts shown to followers, 0-1)",
    "mechanisms.trust": "trust mechanism",
    "mechanisms.favor": "favour bank",
    "mechanisms.attention": "attention limit",
    "mechanisms.backlash": "irritation and unfollows",
    "mechanisms.wom": "word of mouth",
    "mechanisms.lapse": "customer lapse",
    "mechanisms.budget": "budgets",
    "brands[].budget.money": "budget (money per day)",
    "brands[].budget.paid": "share of the budget on paid reach",
    "brands[].budget.content": "share of the budget on content (posting hours)",
    "brands[].budget.support": "share of the budget on support (support hours)",
    "mechanisms.replies": "public replies to complaints",
    "brands[].reply_capacity": "reply capacity (public replies per day)",
    "brands[].reply_tone": "public replies to complaints (tone)",
    "mechanisms.community": "brand community",
    "brands[].community_effort": "community effort (share of posts to the community, 0-1)",
    "mechanisms.shares": "shares",
    "mechanisms.platform_reacts": "reacting platform",
    "platforms": "platforms",
    "users.audiences": "audiences (shares of users on each combination of platforms)",
    "brands[].platforms": "platforms the brand is on (and its plan on each)",
    "platforms[].sell_tolerance": "tolerance of selling on the platform (0-1)",
    "rules.platform_norm_effect": "platform norms' effect on a pitch's grating (0-1)",
    "graph.n": "users (number)",
    "brands[].strategy": "strategy",
}

#: Outcomes whose values are counts (never below zero): intervals are clipped at 0.
COUNTS: frozenset[str] = frozenset(
    {
        "conversions_total",
        "conversions_day30",
        "conversions_new",
        "conversions_repeat",
        "customers",
        "active_customers",
        "lapses",
        "winbacks",
        "members",
        "peer_answers",
        "support_load",
        "shares",
        "share_reach",
        "reach_nonfollowers",
        "users_left",
        "items_organic",
        "reach_organic",
        "followers",
        "aware",
        "engagements",
        "unfollows",
        "complaints",
        "replies",
        "negative_wom_weighted",
        "reach",
        "revenue",
        "cost",
    }
)

#: Outcomes that are shares in [0, 1] (axes may be fixed to that range).
SHARES: frozenset[str] = frozenset(
    {
        "backlash",
        "mean_trust",
        "trust_aware",
        "share_overdrawn",
        "share_in_credit",
        "adopter_share",
        "too_frequent",
        "sell_share",
        "retention",
        "ad_load",
        "time_on_platform",
        "time_skeptical",
    }
)

#: Shares always drawn on the full 0-1 axis; other shares get 0 to a round upper limit, so
#: a backlash of 0.002 stays visible without its noise looking dramatic.
FULL_RANGE: frozenset[str] = frozenset({"mean_trust", "trust_aware", "sell_share"})

_PREFIX = re.compile(r"^(final |total_|final_)")
_INDEX = re.compile(r"\[\d+\]")


def _metric(name: str) -> str:
    """The metric behind an outcome name: ``total_unfollows`` -> ``unfollows``."""
    return _PREFIX.sub("", name.strip())


@cache
def _fields() -> dict[str, dict]:
    from .paramdoc import field_table

    return {row["path"]: row for row in field_table()}


def _first_clause(text: str) -> str:
    """The description's first clause without asides: ``Audience mean scepticism `s`
    (Beta-distributed across users).`` -> ``audience mean scepticism s``."""
    text = text.replace("`", "").strip().rstrip(".")
    text = re.split(r"[;.:](\s|$)", text, maxsplit=1)[0]
    text = re.split(r"\s\(", text, maxsplit=1)[0].strip()
    return text[:1].lower() + text[1:]


def short(name: str) -> str:
    """The bare name, readable: ``brands[0].sell_share`` -> ``sell share``."""
    return _metric(name).rsplit(".", 1)[-1].replace("_", " ")


def label(name: str) -> str:
    """An axis label with unit for a metric, outcome or parameter path.

    Unknown names come back readable (underscores as spaces) rather than raising, so a
    user's own metric still gets a label.
    """
    from .metrics import COLUMNS

    metric = _metric(name)
    total = "total " if name.startswith("total_") else ""
    if metric in UNITS:
        return total + UNITS[metric]
    if metric in COLUMNS:
        return total + f"{short(metric)} ({COLUMNS[metric]})"
    path = _INDEX.sub("[]", name.strip())
    if path in PARAMETERS:
        return PARAMETERS[path]
    row = _fields().get(path)
    if row is not None and row["description"]:
        clause = _first_clause(row["description"])
        if clause.lower() in ("", short(name).lower()):
            return short(name)
        return f"{short(name)} ({clause})"
    return short(name)


def title(name: str) -> str:
    """The label without its unit, for titles and legends: ``conversions_total`` ->
    ``cumulative conversions``, ``roi`` -> ``return on cost``."""
    return re.split(r"\s\(", label(name), maxsplit=1)[0].rstrip(" ,")


def value_text(name: str, value: Any) -> str:
    """A parameter value as text: switches ``on``/``off``, other booleans ``yes``/``no``,
    whole numbers in full, others with up to 3 significant digits."""
    if isinstance(value, bool | np.bool_):
        if name.startswith("mechanisms."):
            return "on" if value else "off"
        return "yes" if value else "no"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.0f}" if abs(number) >= 1000 else f"{number:.3g}"


def point_label(values: Mapping[str, Any]) -> str:
    """A sweep point named by its parameter values: ``{"mechanisms.favor": False}`` ->
    ``favour bank off``; ``{"users.skepticism": 0.2, "brands[0].sell_share": 0.4}`` ->
    ``audience scepticism 0.2, sell share 0.4``."""
    parts = []
    for name, value in values.items():
        text = value_text(name, value)
        sep = ": " if text in ("yes", "no") else " "
        parts.append(f"{title(name)}{sep}{text}")
    return ", ".join(parts)


def bounds(name: str) -> tuple[float | None, float | None]:
    """Fixed axis limits for shares (0, 1) and a floor of 0 for counts; else no limits."""
    metric = _metric(name)
    if metric in SHARES:
        return 0.0, 1.0
    if metric in COUNTS:
        return 0.0, None
    return None, None


def _round_up(x: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is >= x (x > 0)."""
    power = 10.0 ** math.floor(math.log10(x))
    for step in (1.0, 2.0, 5.0, 10.0):
        if step * power >= x * (1 - 1e-12):
            return step * power
    return 10.0 * power  # pragma: no cover


def axis_limits(name: str, values: Iterable[float] = ()) -> tuple[float, float]:
    """Honest axis limits for a metric drawn over ``values``.

    Trust (and other :data:`FULL_RANGE` shares) get 0-1; other shares 0 to a round limit
    of at least 0.01 (1, 2 or 5 times a power of ten, at most 1); everything else spans its
    data and includes 0, so small noise never fills the axis. Counts never go below 0.
    """
    metric = _metric(name)
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if metric in FULL_RANGE:
        return 0.0, 1.0
    vmin, vmax = min(vals, default=0.0), max(vals, default=0.0)
    if metric in SHARES:
        return 0.0, min(1.0, _round_up(max(vmax * 1.1, 0.01)))
    lo, hi = min(vmin, 0.0), max(vmax, 0.0)
    floor = bounds(name)[0]
    if floor is not None:
        lo = max(lo, floor)
    span = hi - lo
    if span <= 0:
        return (lo, lo + 1.0)
    pad = 0.05 * span
    return (lo if lo == floor or lo == 0.0 else lo - pad, hi if hi == 0.0 else hi + pad)
