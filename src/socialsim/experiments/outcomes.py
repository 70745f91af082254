"""The runs table and manifest the report reads, and the outcomes of each run.

The input ``runs`` has one row per (run, day, brand): the id columns :data:`ID_COLUMNS`
(and ``member``, the ensemble row, when the experiment has an ensemble), then one column per
swept parameter and per ensemble parameter, then the model metrics of
:data:`socialsim.COLUMNS`. :func:`_check` tests runs and manifest against that contract
(raising :class:`ReportError`), and :func:`run_outcomes` reduces each run to its outcomes:
final-day values of the stock metrics :data:`FINAL_METRICS` and totals over days of the flow
metrics :data:`FLOW_METRICS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DAY30",
    "FINAL_METRICS",
    "FLOW_METRICS",
    "ID_COLUMNS",
    "OUTCOMES",
    "SENSITIVITY_METRICS",
    "ReportError",
    "run_outcomes",
]

#: Id columns that lead every row of ``runs`` (sweep parameter columns follow them).
ID_COLUMNS: tuple[str, ...] = ("run_id", "scenario", "point", "replication", "seed")

#: Stock metrics, summarised by their value on the final day of each run.
FINAL_METRICS: tuple[str, ...] = (
    "conversions_total",
    "customers",
    "followers",
    "backlash",
    "mean_trust",
    "trust_aware",
    "favor_balance",
    "share_overdrawn",
    "retention",
    "revenue_per_customer",
    "members",
    "ad_load",
    "time_on_platform",
    "time_skeptical",
    "users_left",
)

#: Daily flow metrics, summarised by their total over all days (outcome ``total_<metric>``).
FLOW_METRICS: tuple[str, ...] = (
    "engagements",
    "engagements_organic",
    "unfollows",
    "complaints",
    "revenue",
    "cost",
    "conversions_new",
    "conversions_repeat",
    "negative_wom",
    "negative_wom_weighted",
    "replies",
    "support_load",
    "shares",
    "share_reach",
    "reach_nonfollowers",
    "items_organic",
    "reach_organic",
)

#: Outcome columns of :func:`run_outcomes`, in the order used by every table.
OUTCOMES: tuple[str, ...] = (
    *FINAL_METRICS,
    *(f"total_{m}" for m in FLOW_METRICS),
    "roi",
    "conversions_day30",
)

#: Outcomes analysed by :func:`sensitivity` and drawn in the figures.
SENSITIVITY_METRICS: tuple[str, ...] = ("conversions_total", "backlash", "mean_trust")

#: Step whose cumulative conversions give ``conversions_day30`` (or the last step if shorter).
DAY30 = 30


class ReportError(ValueError):
    """The runs table, the manifest or a saved experiment directory cannot be reported."""


# ----------------------------------------------------------------------------------------
# inputs


def _sweep(manifest: dict[str, Any]) -> dict[str, Any] | None:
    sweep = manifest.get("sweep")
    return sweep if sweep else None


def _params(manifest: dict[str, Any]) -> list[str]:
    sweep = _sweep(manifest)
    return list(sweep.get("parameters", [])) if sweep else []


def _scenarios(manifest: dict[str, Any]) -> list[str]:
    try:
        scenarios = list(manifest["scenarios"])
    except (KeyError, TypeError):
        raise ReportError("manifest has no 'scenarios' list") from None
    if not scenarios:
        raise ReportError("manifest['scenarios'] is empty")
    return scenarios


def _check(runs: pd.DataFrame, manifest: dict[str, Any]) -> None:
    """Raise :class:`ReportError` when runs and manifest do not fit the contract."""
    needed = [*ID_COLUMNS, *_params(manifest), "step", "brand"]
    missing = [c for c in needed if c not in runs.columns]
    if missing:
        raise ReportError(f"runs table lacks column(s) {missing}")
    if runs.empty:
        raise ReportError("runs table is empty")
    unknown = sorted(set(runs["scenario"]) - set(_scenarios(manifest)))
    if unknown:
        raise ReportError(f"runs contain scenario(s) {unknown} not in manifest['scenarios']")


def _order(values: Sequence[Any]) -> dict[Any, int]:
    return {v: i for i, v in enumerate(values)}


def _brands(runs: pd.DataFrame) -> list[str]:
    """Brands in order of first appearance (the configuration order)."""
    return list(pd.unique(runs["brand"]))


# ----------------------------------------------------------------------------------------
# outcomes


def run_outcomes(runs: pd.DataFrame) -> pd.DataFrame:
    """Reduce each run to its outcomes, one row per (run, brand).

    Parameters
    ----------
    runs : pandas.DataFrame
        The tidy runs table (one row per run, day and brand).

    Returns
    -------
    pandas.DataFrame
        The id columns (every column before ``step``: run_id, scenario, point, replication,
        seed and the sweep parameters), ``brand``, then :data:`OUTCOMES`: final-day values of
        the stock metrics :data:`FINAL_METRICS`, totals over days ``total_<metric>`` of the
        flow metrics :data:`FLOW_METRICS`, ``roi`` = (total_revenue - total_cost) /
        total_cost (NaN when the cost is 0) and ``conversions_day30`` (cumulative conversions
        on day 30, or on the last day of shorter runs). Metrics absent from ``runs`` are left
        out. Rows keep the order of first appearance of (run, brand).
    """
    for col in ("run_id", "step", "brand"):
        if col not in runs.columns:
            raise ReportError(f"runs table lacks column '{col}'")
    ids = [c for c in runs.columns[: runs.columns.get_loc("step")] if c != "brand"]
    keys = ["run_id", "brand"]
    finals = [m for m in FINAL_METRICS if m in runs.columns]
    flows = [m for m in FLOW_METRICS if m in runs.columns]
    by_day = runs.sort_values("step", kind="mergesort")
    out = by_day.drop_duplicates(keys, keep="last").set_index(keys)
    out = out[[c for c in ids if c != "run_id"] + finals]
    totals = by_day.groupby(keys, sort=False)[flows].sum(min_count=1).astype(float)
    out = out.join(totals.rename(columns=lambda m: f"total_{m}"))
    if "revenue" in flows and "cost" in flows:
        cost = out["total_cost"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            roi = (out["total_revenue"].to_numpy() - cost) / cost
        out["roi"] = np.where(cost > 0, roi, np.nan)
    if "conversions_total" in runs.columns:
        upto = by_day[by_day["step"] <= DAY30].drop_duplicates(keys, keep="last")
        day30 = upto.set_index(keys)["conversions_total"].reindex(out.index)
        first = by_day.drop_duplicates(keys, keep="first").set_index(keys)["conversions_total"]
        out["conversions_day30"] = day30.fillna(first)  # runs starting after day 30
    order = pd.MultiIndex.from_frame(runs[keys].drop_duplicates())
    out = out.reindex(order).reset_index()
    return out[[*ids, "brand", *(c for c in OUTCOMES if c in out.columns)]]


def _outcome_names(outcomes: pd.DataFrame) -> list[str]:
    return [m for m in OUTCOMES if m in outcomes.columns]
