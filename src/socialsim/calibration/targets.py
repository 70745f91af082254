"""Targets: summary statistics computed the same way from a page's data and from the model.

A target is one number per period (a month of a post export, or ``period_days`` days of a
daily table), of one *kind*:

``followers``            followers at the end of the period
``reach_organic``        reach of an organic post: organic items delivered (to followers and
                         to friends of engagers) / posts; the data side is the month's median
                         or mean post reach (``targets.reach_statistic``)
``reach_paid``           mean reach of a paid post: organic reach per post + paid
                         impressions / paid posts (Insights counts both for a boosted post)
``engaged_rate_<type>``  engaged users per reached user for posts of a content type:
                         engagements with the type / items of the type delivered
``<metric>``             a column of a daily table: period end for stocks (followers,
                         aware, customers, conversions_total), period mean for shares and
                         means (backlash, mean_trust, ...), period sum for daily counts
``unfollow_share_<r>``   a stylized fact over the whole run (period 0): the share of
                         unfollows whose dominant irritant is reason r among the reasons
                         given (e.g. survey shares, normalised to sum to 1)

Model counts are in model users; one model user stands for ``scale`` real users. With
``scale = "auto"`` each run's scale is the observed followers at the start divided by the
run's followers on day 1, so follower counts fit as growth, and reach per post fits as a
share of followers. Shares and rates are not scaled.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..metrics import MEANS, STOCKS
from ..rules.day import CONTENT_TYPES
from ..state import REASONS
from .errors import CalibrationError

POST_KINDS = (
    "followers",
    "reach_organic",
    "reach_paid",
    *(f"engaged_rate_{t}" for t in CONTENT_TYPES),
)


def is_scaled(kind: str) -> bool:
    """Whether a target kind is a count of users (scaled by real users per model user)."""
    return not (kind.startswith(("engaged_rate_", "unfollow_share_")) or kind in MEANS)


@dataclass(frozen=True)
class TargetPlan:
    """What to compute from a run: period ends (1-based last day of each period), the
    (kind, period) rows in order, and how to scale counts. Small and picklable."""

    ends: tuple[int, ...]
    rows: tuple[tuple[str, int], ...]
    scale: float | None = None  # fixed real users per model user; None = auto
    first_followers: float = float("nan")  # observed followers at the start (auto scale)
    source: str = "posts"  # "posts": post-level kinds; "daily": every kind is a metric column

    @property
    def steps(self) -> int:
        return self.ends[-1]


def period_ends(lengths: list[int] | np.ndarray) -> tuple[int, ...]:
    """Last day (1-based) of each period, from the periods' lengths in days."""
    return tuple(int(x) for x in np.cumsum(lengths))


def observed_from_posts(monthly: pd.DataFrame, kinds: list[str], statistic: str) -> pd.DataFrame:
    """Observed targets per month from :func:`socialsim.calibration.data.monthly_posts`.

    Returns columns ``kind``, ``period`` (1 for the first month of the data, counting
    months without posts, which have no observation), ``observed``. ``statistic``
    ("median" or "mean") summarises post reach within a month.
    """
    out = []
    first = int(monthly.index.min())
    for month, row in monthly.iterrows():
        k = int(month) - first + 1
        for kind in kinds:
            if kind == "followers":
                value = row["followers_last"]
            elif kind in ("reach_organic", "reach_paid"):
                value = row[f"{kind}_{statistic}"]
            else:
                value = row[kind]
            out.append({"kind": kind, "period": k, "observed": float(value)})
    return pd.DataFrame(out)


def observed_from_daily(daily: pd.DataFrame, ends: tuple[int, ...]) -> pd.DataFrame:
    """Observed targets per period from a daily table (:func:`read_daily`)."""
    out = []
    for kind in [c for c in daily.columns if c != "day"]:
        for k, value in enumerate(_per_period(daily["day"], daily[kind], kind, ends), start=1):
            out.append({"kind": kind, "period": k, "observed": value})
    return pd.DataFrame(out)


def _per_period(day: pd.Series, values: pd.Series, kind: str, ends: tuple[int, ...]) -> list:
    starts = (0, *ends[:-1])
    result = []
    for start, end in zip(starts, ends, strict=True):
        inside = values[(day > start) & (day <= end)].dropna()
        if inside.empty:
            result.append(float("nan"))
        elif kind in STOCKS:
            result.append(float(inside.iloc[-1]))
        elif kind in MEANS:
            result.append(float(inside.mean()))
        else:
            result.append(float(inside.sum()))
    return result


def simulated(metrics: pd.DataFrame, plan: TargetPlan) -> np.ndarray:
    """The plan's targets computed from one run's metrics (one brand), in ``plan.rows`` order."""
    df = metrics.reset_index(drop=True)
    if plan.scale is not None:
        scale = plan.scale
    else:
        start = float(df["followers"].iloc[0])
        scale = plan.first_followers / start if start > 0 else float("nan")
    ends = plan.ends
    starts = (0, *ends[:-1])
    cache: dict[str, np.ndarray] = {}

    def sums(col: str) -> np.ndarray:
        if col not in cache:
            c = np.concatenate([[0.0], np.cumsum(df[col].to_numpy(dtype=float))])
            cache[col] = np.array([c[e] - c[s] for s, e in zip(starts, ends, strict=True)])
        return cache[col]

    def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.divide(a, b, out=np.full(a.shape, np.nan), where=b > 0)

    values: dict[str, np.ndarray] = {}
    reasons = [
        k.removeprefix("unfollow_share_") for k, _ in plan.rows if k.startswith("unfollow_share_")
    ]
    daily = plan.source == "daily"
    for kind in dict.fromkeys(k for k, _ in plan.rows):
        if daily and not kind.startswith("unfollow_share_"):
            v = _metric(df, kind, sums, ends, starts)
            values[kind] = v * scale if is_scaled(kind) else v
            continue
        if kind.startswith("unfollow_share_"):
            counts = {r: float(df[f"unfollows_{r}"].sum()) for r in reasons}
            total = sum(counts.values())
            share = counts[kind.removeprefix("unfollow_share_")] / total if total else np.nan
            values[kind] = np.array([share])
            continue
        if kind == "reach_organic":
            v = ratio(sums("items_organic"), sums("posts"))
        elif kind == "reach_paid":
            v = ratio(sums("items_organic"), sums("posts")) + ratio(
                sums("items_paid"), sums("paid_posts")
            )
        elif kind.startswith("engaged_rate_"):
            t = kind.removeprefix("engaged_rate_")
            v = ratio(sums(f"engagements_{t}"), sums(f"items_{t}"))
        else:
            v = _metric(df, kind, sums, ends, starts)
        values[kind] = v * scale if is_scaled(kind) else v
    return np.array([values[kind][max(period, 1) - 1] for kind, period in plan.rows])


def _metric(df: pd.DataFrame, kind: str, sums, ends: tuple, starts: tuple) -> np.ndarray:
    """A daily metric per period: period end (stocks), mean (shares, means) or sum."""
    if kind in STOCKS:
        return df[kind].to_numpy(dtype=float)[np.asarray(ends) - 1]
    if kind in MEANS:
        return sums(kind) / (np.asarray(ends, float) - np.asarray(starts, float))
    return sums(kind)


def distance(sim: np.ndarray, obs: np.ndarray, weight: np.ndarray, eps: np.ndarray) -> float:
    """Weighted root mean square of log ratios ``log((sim + eps) / (obs + eps))``.

    Rows with weight 0 (outside the fit window) or no observation are ignored; a simulated
    value that is missing where an observation exists counts as a log ratio of 3 (a factor
    of 20), so runs that cannot produce a target are far, not free.
    """
    use = (weight > 0) & np.isfinite(obs)
    lr = np.log((np.abs(sim[use]) + eps[use]) / (np.abs(obs[use]) + eps[use]))
    lr = np.where(np.isfinite(lr), lr, 3.0)
    w = weight[use]
    return float(np.sqrt(np.sum(w * lr**2) / np.sum(w))) if w.sum() > 0 else float("nan")


def month_ends(months: pd.Index, year: int) -> tuple[int, ...]:
    """Last day (1-based, counted from the first month's first day) of each calendar month
    from the first to the last of ``months`` (numbers 1-12) of ``year``."""
    first, last = int(months.min()), int(months.max())
    return period_ends([calendar.monthrange(year, m)[1] for m in range(first, last + 1)])


def stylized_targets(given: dict[str, float] | None) -> pd.DataFrame:
    """Unfollow-reason shares (period 0: the whole run) from ``targets.unfollow_reasons``,
    normalised to sum to 1; an unknown reason, a share that is not > 0 or a single reason is
    a :class:`CalibrationError`."""
    given = given or {}
    for reason, share in given.items():
        if reason not in REASONS:
            raise CalibrationError(
                f"targets.unfollow_reasons.{reason}: not a reason (valid: {', '.join(REASONS)})"
            )
        if not (math.isfinite(share) and share > 0):
            raise CalibrationError(f"targets.unfollow_reasons.{reason} = {share}: must be > 0")
    if len(given) == 1:
        raise CalibrationError("targets.unfollow_reasons: give at least two reasons to compare")
    total = sum(given.values())
    rows = [
        {"kind": f"unfollow_share_{r}", "period": 0, "observed": s / total}
        for r, s in given.items()
    ]
    return pd.DataFrame(rows, columns=["kind", "period", "observed"])


def annotate(
    observed: pd.DataFrame, fit: tuple[int, int], val: tuple[int, int] | None, weights: dict
) -> pd.DataFrame:
    """Add the window (fit, validate or none), weight (a kind's weight shared by its fitted
    rows) and eps (1% of the kind's mean absolute value) columns to the observed targets."""
    out = observed.copy()
    out["window"] = "none"
    out.loc[out.period.between(*fit) | (out.period == 0), "window"] = "fit"
    if val is not None:
        out.loc[out.period.between(*val), "window"] = "validate"
    for kind in weights:
        if kind not in set(out.kind):
            raise CalibrationError(
                f"targets.weights.{kind}: not a target ({', '.join(out.kind.unique())})"
            )
    out["weight"] = 0.0
    for kind, rows in out.groupby("kind"):
        fitted = rows.index[(rows.window == "fit") & rows.observed.notna()]
        if len(fitted):
            out.loc[fitted, "weight"] = weights.get(kind, 1.0) / len(fitted)
        scale = float(np.nanmean(np.abs(rows.observed))) if rows.observed.notna().any() else 1.0
        out.loc[rows.index, "eps"] = 0.01 * scale if scale > 0 else 1e-9
    out["scaled"] = [is_scaled(k) for k in out.kind]
    return out
