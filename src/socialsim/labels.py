"""Display names for metrics, outcomes and parameters: the one place figures, reports,
the classroom page and notebooks take them from.

Metric meanings come from :data:`socialsim.metrics.COLUMNS`, parameter meanings from the
schema (:func:`socialsim.paramdoc.field_table`); this module only shortens them into axis
labels with units. ``label("brands[0].sell_share")`` gives ``"sell share (share of posts
that pitch)"``; ``label("final conversions_total")`` or ``label("conversions_total")`` give
``"cumulative conversions (purchases)"``.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["UNITS", "bounds", "label", "short"]

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
    "revenue": "revenue (price units)",
    "cost": "cost (cost units)",
    "reach": "reach (users per day)",
    "roi": "return on cost, (revenue - cost) / cost (-1 = nothing back)",
}

#: Outcomes whose values are counts (never below zero): intervals are clipped at 0.
COUNTS: frozenset[str] = frozenset(
    {
        "conversions_total",
        "conversions_day30",
        "conversions_new",
        "conversions_repeat",
        "customers",
        "followers",
        "aware",
        "engagements",
        "unfollows",
        "complaints",
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
    }
)

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
    text = text.strip().rstrip(".")
    text = re.split(r"[;.](\s|$)", text, maxsplit=1)[0]
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
    row = _fields().get(_INDEX.sub("[]", name))
    if row is not None and row["description"]:
        return f"{short(name)} ({_first_clause(row['description']).replace('`', '')})"
    return short(name)


def bounds(name: str) -> tuple[float | None, float | None]:
    """Fixed axis limits for shares (0, 1) and a floor of 0 for counts; else no limits."""
    metric = _metric(name)
    if metric in SHARES:
        return 0.0, 1.0
    if metric in COUNTS:
        return 0.0, None
    return None, None
