"""The tables of ``report.html``: parameter values as columns, numbers to 3 significant digits.

Each function turns one report table (the DataFrame written as a CSV) into a :class:`Table`
of display strings; a cell is a string or a (value, interval) pair. Long tables show their
first :data:`MAX_ROWS` rows and say where the rest is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..labels import label, short
from .answers import BASS_TOLERANCE, clip, fmt, value
from .outcomes import _params

__all__ = [
    "Column",
    "Table",
    "bass_table",
    "best_table",
    "differences_table",
    "pattern_table",
    "plain_table",
    "summary_table",
]

#: Rows shown per table.
MAX_ROWS = 60
#: Outcomes shown in the summary table (all are in summary.csv).
SUMMARY_METRICS = (
    "conversions_total",
    "conversions_day30",
    "customers",
    "followers",
    "mean_trust",
    "backlash",
    "total_unfollows",
    "total_complaints",
)
#: Outcomes shown in the differences table.
DIFFERENCE_METRICS = ("conversions_total", "conversions_day30", "mean_trust", "backlash")


@dataclass(frozen=True)
class Column:
    """A table column: display ``name``; ``text`` columns are left-aligned."""

    name: str
    text: bool = False


@dataclass
class Table:
    """A table of display strings: a cell is a string or a (value, interval) pair."""

    title: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""


def _span(low: Any, high: Any) -> str:
    if not (np.isfinite(float(low)) and np.isfinite(float(high))):
        return "no interval"
    return f"{fmt(low)} to {fmt(high)}"


def _cut(rows: list[list[Any]], csv: str) -> tuple[list[list[Any]], str]:
    if len(rows) <= MAX_ROWS:
        return rows, ""
    return rows[:MAX_ROWS], f" First {MAX_ROWS} of {len(rows)} rows; all in {csv}."


def _keys(df: pd.DataFrame, manifest: dict[str, Any], scenario: str) -> list[tuple[str, Column]]:
    """Identifying columns: scenario (if several), the swept parameters, brand (if several)."""
    keys = []
    if df["scenario"].nunique() > 1:
        keys.append(("scenario", Column(scenario, text=True)))
    keys += [(p, Column(label(p))) for p in _params(manifest) if p in df]
    if df["brand"].nunique() > 1:
        keys.append(("brand", Column("brand", text=True)))
    return keys


def _wide(
    df: pd.DataFrame,
    manifest: dict[str, Any],
    metrics: tuple[str, ...],
    stat: str,
    scenario: str,
    bounded: bool = False,
) -> tuple[list[Column], list[list[Any]]]:
    """One row per (scenario, point, brand), one (value, interval) column per metric
    (``bounded``: intervals cut at the metric's bounds, :func:`.answers.clip`)."""
    metrics = tuple(m for m in metrics if m in set(df["metric"]))
    keys = _keys(df, manifest, scenario)
    rows = []
    group = ["scenario", "point", "brand"]
    for _, grp in df[df["metric"].isin(metrics)].groupby(group, sort=False):
        by = grp.set_index("metric")
        first = grp.iloc[0]
        row: list[Any] = [value(k, first[k]) for k, _ in keys]
        for m in metrics:
            r = by.loc[m]
            low, high = r["ci_low"], r["ci_high"]
            if bounded:
                low, high = clip(m, low, high)
            row.append((fmt(r[stat]), _span(low, high)))
        rows.append(row)
    columns = [c for _, c in keys] + [Column(label(m)) for m in metrics]
    return columns, rows


def summary_table(summary: pd.DataFrame, manifest: dict[str, Any]) -> Table:
    """Main outcomes per scenario, sweep point and brand: mean and 95% interval."""
    columns, rows = _wide(summary, manifest, SUMMARY_METRICS, "mean", "scenario", bounded=True)
    rows, more = _cut(rows, "summary.csv")
    n = summary["metric"].nunique()
    shown = sum(1 for c in columns if c.name in {label(m) for m in SUMMARY_METRICS})
    note = (
        "Mean over replications, 95% interval below it, cut at 0 for counts and at 0-1 for "
        f"shares (end of the run; totals over all days). {shown} of {n} outcomes; all in "
        f"summary.csv.{more}"
    )
    return Table("Outcomes (summary.csv)", columns, rows, note)


def differences_table(diff: pd.DataFrame, manifest: dict[str, Any]) -> Table:
    """Paired differences to the reference: mean and 95% interval per point and brand."""
    diff = diff.assign(scenario=diff["scenario"] + " vs " + diff["reference"])
    columns, rows = _wide(diff, manifest, DIFFERENCE_METRICS, "mean_diff", "comparison")
    if columns and columns[0].name != "comparison":  # one comparison: say which
        comparison = diff["scenario"].iloc[0]
        columns.insert(0, Column("comparison", text=True))
        rows = [[comparison, *row] for row in rows]
    rows, more = _cut(rows, "differences.csv")
    note = (
        "Scenario minus reference, averaged over paired replications, 95% interval below; "
        f"an interval that includes 0 is no clear difference.{more}"
    )
    return Table("Differences to the reference scenario (differences.csv)", columns, rows, note)


def best_table(best: pd.DataFrame) -> Table:
    """The best value of the optimized parameter with its bootstrap interval."""
    others = list(best.columns[2 : best.columns.get_loc("parameter")])
    columns = []
    if best["scenario"].nunique() > 1:
        columns.append(Column("scenario", text=True))
    if best["brand"].nunique() > 1:
        columns.append(Column("brand", text=True))
    columns += [Column(label(p)) for p in others]
    columns += [
        Column("parameter", text=True),
        Column("objective", text=True),
        Column("best value"),
        Column("95% interval (bootstrap)"),
        Column("mean objective at the best value"),
        Column("share of resamples with this best"),
        Column("replications"),
    ]
    ranges = "best_p05" in best
    if ranges:
        columns.append(Column("best value of 90% of replications"))
    rows = []
    for _, r in best.iterrows():
        row = []
        if best["scenario"].nunique() > 1:
            row.append(str(r["scenario"]))
        if best["brand"].nunique() > 1:
            row.append(str(r["brand"]))
        row += [value(p, r[p]) for p in others]
        row += [
            short(r["parameter"]),
            label(r["objective"]),
            fmt(r["best"]),
            _span(r["best_ci_low"], r["best_ci_high"]),
            fmt(r["best_mean"]),
            fmt(r["share_of_resamples"]),
            fmt(r["n"]),
        ]
        if ranges:
            row.append(_span(r["best_p05"], r["best_p95"]))
        rows.append(row)
    rows, more = _cut(rows, "best.csv")
    note = (
        "The value with the highest mean objective; its interval is the 2.5-97.5% range of "
        f"the best value over bootstrap resamples of replications.{more}"
    )
    return Table("Best value (best.csv)", columns, rows, note)


def bass_table(check: pd.DataFrame) -> Table:
    """The Bass check per scenario: largest and mean deviation against the tolerance."""
    columns = [
        Column("scenario", text=True),
        Column("p"),
        Column("q"),
        Column("model days per Bass period"),
        Column("days"),
        Column("largest deviation"),
        Column("on day"),
        Column("mean deviation"),
        Column(f"within {fmt(BASS_TOLERANCE)}", text=True),
    ]
    rows = []
    for (scenario, _), g in check.groupby(["scenario", "point"], sort=False):
        worst = g.loc[g["deviation"].idxmax()]
        rows.append(
            [
                str(scenario),
                fmt(worst["p"]),
                fmt(worst["q"]),
                fmt(worst["steps_per_period"]),
                fmt(len(g)),
                fmt(worst["deviation"]),
                fmt(worst["step"]),
                fmt(g["deviation"].mean()),
                "yes" if worst["deviation"] < BASS_TOLERANCE else "no",
            ]
        )
    note = "Absolute deviation of the mean adopter share from the discrete Bass recursion."
    return Table("Bass check (bass.csv)", columns, rows, note)


def pattern_table(shares: pd.DataFrame) -> Table:
    """Share of the parameter space where each pattern holds, with its Wilson interval."""
    columns = [
        Column("pattern", text=True),
        Column("what must hold", text=True),
        Column("holds at"),
        Column("samples"),
        Column("share"),
        Column("95% Wilson interval"),
    ]
    rows = [
        [
            str(r["pattern"]),
            str(r["predicate"]),
            fmt(r["holds"]),
            fmt(r["samples"]),
            f"{fmt(100 * r['share'])}%",
            f"{fmt(100 * r['ci_low'])}% to {fmt(100 * r['ci_high'])}%",
        ]
        for _, r in shares.iterrows()
    ]
    return Table("Robustness of the patterns (summary.csv)", columns, rows)


def plain_table(df: pd.DataFrame, csv: str) -> Table:
    """Any table as it is, numbers rounded (parameter paths labelled)."""
    columns = [
        Column(
            label(c) if "." in str(c) else str(c).replace("_", " "),
            text=not pd.api.types.is_numeric_dtype(df[c]),
        )
        for c in df.columns
    ]
    rows = [[fmt(v) for v in row] for row in df.itertuples(index=False)]
    rows, more = _cut(rows, csv)
    return Table(f"{csv.removesuffix('.csv').capitalize()} ({csv})", columns, rows, more.strip())
