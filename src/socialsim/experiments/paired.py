"""Paired comparisons over days: the three mixes at day 30 and on the last day, and crossings.

Runs of different scenarios and sweep points with the same replication number share their
seed (common random numbers), so two series of runs are compared by pairing replications:
the 95% t-interval of the mean paired difference (:func:`socialsim.mixes.paired_interval`)
decides "ahead", "behind" or "no clear difference" (:func:`socialsim.mixes.verdict`'s rule).

:func:`mix_comparison` compares the balanced mix with serve only and hard sell
(:data:`socialsim.mixes.MIXES`) in a sell-share sweep; :func:`crossing` finds when the top
two series of cumulative conversions swap the lead, and says so only where the daily paired
intervals support it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..mixes import MIXES, interval_verdict, paired_interval
from .outcomes import DAY30, _params

__all__ = [
    "METRIC",
    "crossing",
    "lead_change",
    "mix_changes",
    "mix_comparison",
    "mix_parameter",
    "word",
]

#: The metric compared over days (cumulative, so a day's value is the total so far).
METRIC = "conversions_total"


#: The rule of :func:`socialsim.mixes.verdict` applied to an interval.
word = interval_verdict


def by_replication(runs: pd.DataFrame, mask: Any, metric: str = METRIC) -> pd.DataFrame:
    """The step x replication table of ``metric`` over the runs selected by ``mask`` (one
    series: one run per replication)."""
    sub = runs.loc[mask, ["step", "replication", metric]]
    return sub.pivot_table(index="step", columns="replication", values=metric, aggfunc="mean")


def daily_intervals(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Per step shared by ``a`` and ``b`` (tables of :func:`by_replication`): the mean of
    a - b over the replications both have, its 95% paired interval and the pair count."""
    steps = a.index.intersection(b.index)
    reps = a.columns.intersection(b.columns)
    rows = []
    for step in steps:
        x, y = a.loc[step, reps].to_numpy(float), b.loc[step, reps].to_numpy(float)
        ok = np.isfinite(x) & np.isfinite(y)
        if not ok.any():
            continue
        mean, low, high = paired_interval(x[ok], y[ok])
        rows.append({"step": int(step), "diff": mean, "low": low, "high": high, "n": int(ok.sum())})
    return pd.DataFrame(rows, columns=["step", "diff", "low", "high", "n"])


# ----------------------------------------------------------------------------------------
# the three mixes


def mix_parameter(runs: pd.DataFrame, manifest: dict[str, Any]) -> str | None:
    """The swept sell share whose values include every mix of :data:`MIXES` (one swept
    parameter, one scenario, one brand), else None."""
    params = _params(manifest)
    if len(params) != 1 or not params[0].endswith(".sell_share") or params[0] not in runs:
        return None
    if runs["scenario"].nunique() != 1 or runs["brand"].nunique() != 1:
        return None
    values = pd.unique(runs[params[0]].astype(float))
    if all(np.isclose(values, share).any() for share in MIXES.values()):
        return params[0]
    return None


def compare_days(runs: pd.DataFrame) -> list[int]:
    """Day 30 (or the last day of shorter runs, as ``conversions_day30``) and the last day."""
    steps = np.sort(runs["step"].unique())
    early = steps[steps <= DAY30]
    first = int(early[-1]) if len(early) else int(steps[0])
    return sorted({first, int(steps[-1])})


def _mix_tables(runs: pd.DataFrame, param: str, metric: str) -> dict[str, pd.DataFrame]:
    shares = runs[param].astype(float)
    return {
        name: by_replication(runs, np.isclose(shares, share), metric)
        for name, share in MIXES.items()
    }


def mix_comparison(runs: pd.DataFrame, param: str, metric: str = METRIC) -> pd.DataFrame:
    """Balanced against each other mix on :func:`compare_days`, paired by replication.

    One row per (other mix, day): ``mix`` ("balanced"), ``other``, ``day``, the shares,
    ``mean`` and ``other_mean`` (means over replications), ``diff`` (balanced minus
    other), ``low``, ``high`` (95% paired t-interval), ``n`` (pairs) and ``verdict``.
    """
    tables = _mix_tables(runs, param, metric)
    rows = []
    for other in (name for name in MIXES if name != "balanced"):
        a, b = tables["balanced"], tables[other]
        daily = daily_intervals(a, b).set_index("step")
        for day in compare_days(runs):
            if day not in daily.index:
                continue
            d = daily.loc[day]
            rows.append(
                {
                    "mix": "balanced",
                    "other": other,
                    "day": day,
                    "share": MIXES["balanced"],
                    "other_share": MIXES[other],
                    "mean": float(a.loc[day].mean()),
                    "other_mean": float(b.loc[day].mean()),
                    "diff": float(d["diff"]),
                    "low": float(d["low"]),
                    "high": float(d["high"]),
                    "n": int(d["n"]),
                    "verdict": word(d["low"], d["high"]),
                }
            )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------
# crossings


def crossing(
    runs: pd.DataFrame, summary: pd.DataFrame, manifest: dict[str, Any], metric: str = METRIC
) -> dict[str, Any] | None:
    """When the runner-up in final ``metric`` (by ``summary``'s means) leads early on.

    Takes the top two (scenario, point, brand) series of ``summary`` (grid sweeps and
    scenario experiments only: the top two of a sampled design are a winner's curse) and
    pairs their runs by replication day by day. Returns ``{"first", "second", "until",
    "from", "last"}`` (series keys, the last day the runner-up is clearly ahead, the first
    day from which the leader is clearly ahead on every later day, the last day) when both
    exist; None otherwise (no crossing the intervals support).
    """
    method = (manifest.get("sweep") or {}).get("method")
    if method not in (None, "grid") or "replication" not in runs or metric not in runs:
        return None
    rows = summary[summary["metric"] == metric].dropna(subset=["mean"])
    if len(rows) < 2 or runs["replication"].nunique() < 2:
        return None
    top = rows.sort_values("mean", ascending=False, kind="mergesort").head(2)
    keys = [tuple(r) for r in top[["scenario", "point", "brand"]].itertuples(index=False)]

    def series(key: tuple) -> pd.DataFrame:
        scenario, point, brand = key
        mask = (runs["scenario"] == scenario) & (runs["point"] == point) & (runs["brand"] == brand)
        return by_replication(runs, mask, metric)

    change = lead_change(daily_intervals(series(keys[0]), series(keys[1])))
    if change is None:
        return None
    return {"first": keys[0], "second": keys[1], **change}


def lead_change(daily: pd.DataFrame) -> dict[str, int] | None:
    """On the daily intervals of a - b (:func:`daily_intervals`): when b is clearly ahead
    on some early day and a is clearly ahead on every day from some later day to the last.

    Returns ``{"until": last day b is clearly ahead, "from": first day of a's lasting
    clear lead, "last": last day}``, or None when the intervals show no such change.
    """
    if daily.empty:
        return None
    behind = daily.loc[daily["high"] < 0, "step"]
    if behind.empty:
        return None
    until = int(behind.max())
    later = daily[daily["step"] > until]
    clear = (later["low"] > 0).to_numpy()
    if not len(clear) or not clear[-1]:
        return None
    start = 0 if clear.all() else len(clear) - int(np.argmin(clear[::-1]))
    return {
        "until": until,
        "from": int(later["step"].iloc[start]),
        "last": int(daily["step"].max()),
    }


def flip(daily: pd.DataFrame) -> pd.DataFrame:
    """The daily intervals of b - a from those of a - b."""
    return daily.assign(diff=-daily["diff"], low=-daily["high"], high=-daily["low"])


def mix_changes(runs: pd.DataFrame, param: str, metric: str = METRIC) -> dict[str, dict[str, Any]]:
    """Lead changes between balanced and each other mix (other mix -> ``{"early", "late",
    "until", "from", "last"}``, names of the early and the late leader), where the daily
    paired intervals support one."""
    tables = _mix_tables(runs, param, metric)
    out = {}
    for other in (name for name in MIXES if name != "balanced"):
        daily = daily_intervals(tables["balanced"], tables[other])
        change = lead_change(daily)
        if change is not None:
            out[other] = {"early": other, "late": "balanced", **change}
            continue
        change = lead_change(flip(daily))
        if change is not None:
            out[other] = {"early": "balanced", "late": other, **change}
    return out
