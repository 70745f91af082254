"""The answer of an experiment in plain words, from the tables its report writes.

Every claim is read off a table that is also written as a CSV (``best.csv``,
``differences.csv``, ``summary.csv``, ``bass.csv``, ``sensitivity.csv``) or comes from the
paired daily comparisons of :mod:`.paired`, and carries its 95% interval. A difference
whose interval includes 0 is "no clear difference" (the rule of
:func:`socialsim.mixes.verdict`). Numbers are rounded to 3 significant digits (:func:`fmt`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..labels import bounds, label, short, title, value_text
from ..mixes import MIXES, UNCLEAR
from . import paired
from .outcomes import _params, _scenarios

__all__ = ["BASS_TOLERANCE", "Claim", "experiment_claims", "fmt", "interval", "mix_claims"]

#: Largest deviation of the adopter share from the Bass recursion accepted by the Bass
#: tests (tests/test_bass.py): the check in ``bass.csv`` is read against it.
BASS_TOLERANCE = 0.02
#: Points listed per claim (the rest are in the CSV).
MAX_POINTS = 8
#: Metrics of the summary and differences claims, in this order.
HEADLINE_METRICS = ("conversions_total", "mean_trust", "backlash")


@dataclass(frozen=True)
class Claim:
    """One point of the answer: a bold ``lead``, its ``text``, the table it reads and,
    optionally, ``items`` shown as lines below it (e.g. one per metric)."""

    lead: str
    text: str
    source: str
    items: tuple[str, ...] = ()


def fmt(value: Any, signed: bool = False) -> str:
    """A number rounded to 3 significant digits (``1,230``, ``87.1``, ``0.00085``);
    booleans as on/off, NaN as n/a; ``signed`` puts a + before positive numbers."""
    if isinstance(value, bool | np.bool_):
        return "on" if value else "off"
    if isinstance(value, str):
        return value
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return "n/a"
    if v == 0:
        return "0"
    if abs(v) < 1e-4:
        text = f"{v:.2e}"
    else:
        digits = 2 - math.floor(math.log10(abs(v)))
        v = round(v, digits)
        text = f"{v:,.{max(digits, 0)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    return f"+{text}" if signed and v > 0 else text


def interval(low: Any, high: Any) -> str:
    """``95% interval a to b``, or the reason there is none (a single run)."""
    if not (np.isfinite(float(low)) and np.isfinite(float(high))):
        return "a single run has no interval"
    return f"95% interval {fmt(low)} to {fmt(high)}"


def value(param: str, v: Any) -> str:
    """A parameter value: switches on/off, other booleans yes/no, numbers by :func:`fmt`."""
    return value_text(param, v) if isinstance(v, bool | np.bool_) else fmt(v)


def clip(metric: str, low: float, high: float) -> tuple[float, float]:
    """A summary interval cut at the metric's bounds (0 for counts, 0-1 for shares): the
    t-interval is symmetric and can pass them with few replications."""
    floor, ceiling = bounds(metric)
    if floor is not None:
        low, high = max(low, floor), max(high, floor)
    if ceiling is not None:
        low, high = min(low, ceiling), min(high, ceiling)
    return low, high


def where(row: Any, params: list[str]) -> str:
    """A sweep point by its parameter values: ``sell share 0.4, favour bank on``."""
    parts = []
    for p in params:
        if p in row:
            text = value(p, row[p])
            parts.append(f"{title(p)}{': ' if text in ('yes', 'no') else ' '}{text}")
    return ", ".join(parts)


def series_name(row: Any, manifest: dict[str, Any], several_brands: bool) -> str:
    """A (scenario, point, brand) series by scenario name, parameter values and brand."""
    parts = []
    if len(_scenarios(manifest)) > 1:
        parts.append(str(row["scenario"]))
    if _params(manifest):
        parts.append(where(row, _params(manifest)))
    if several_brands:
        parts.append(f"brand {row['brand']}")
    return ", ".join(parts)


def _metric_name(metric: str) -> str:
    return label(metric)


def _change(mean: float, low: float, high: float) -> str:
    """``+96.2 (95% interval 87.1 to 105)`` or ``no clear difference (+3, ...)``."""
    if mean == low == high == 0:
        return "no difference (the same in every replication)"
    if paired.word(low, high) == UNCLEAR:
        return f"no clear difference ({fmt(mean, signed=True)}, {interval(low, high)})"
    return f"{fmt(mean, signed=True)} ({interval(low, high)})"


def _more(shown: int, total: int, csv: str) -> str:
    return f"; {total - shown} more points in {csv}" if total > shown else ""


# ----------------------------------------------------------------------------------------
# claims per table


def best_claims(best: pd.DataFrame, manifest: dict[str, Any]) -> list[Claim]:
    """The sweep's best value with its bootstrap interval, per row of ``best.csv``."""
    others = [c for c in best.columns[2 : best.columns.get_loc("parameter")]]
    several = best["scenario"].nunique() > 1 or best["brand"].nunique() > 1
    ensemble = manifest.get("ensemble") is not None and "best_p05" in best
    out = []
    for _, r in best.head(MAX_POINTS).iterrows():
        text = (
            f"{fmt(r['best'])} ({interval(r['best_ci_low'], r['best_ci_high'])}) for "
            f"{_metric_name(r['objective'])}: mean {fmt(r['best_mean'])} at the best value"
        )
        if ensemble:
            text += (
                f"; best value between {fmt(r['best_p05'])} and {fmt(r['best_p95'])} in 90% "
                "of the plausible parameter sets"
            )
        scope = [where(r, others)] if others else []
        if several:
            scope.insert(0, f"{r['scenario']}, brand {r['brand']}")
        if scope:
            text += f" ({'; '.join(scope)})"
        out.append(Claim(f"Best {short(r['parameter'])}", text, "best.csv"))
    if len(best) > MAX_POINTS:
        more = len(best) - MAX_POINTS
        out.append(Claim("More best values", f"{more} more rows in best.csv", "best.csv"))
    return out


def difference_claims(diff: pd.DataFrame, manifest: dict[str, Any]) -> list[Claim]:
    """Each scenario (and brand) against the reference: one line per headline metric, each
    with the difference per sweep point (labelled by its parameter values)."""
    params = _params(manifest)
    several = diff["brand"].nunique() > 1
    rows = diff[diff["metric"].isin(HEADLINE_METRICS)]
    out = []
    for (scenario, brand), grp in rows.groupby(["scenario", "brand"], sort=False):
        items = []
        for metric in HEADLINE_METRICS:
            sub = grp[grp["metric"] == metric]
            if sub.empty:
                continue
            words = [
                paired.word(lo, hi) for lo, hi in zip(sub["ci_low"], sub["ci_high"], strict=True)
            ]
            if len(sub) > 1 and all(w == UNCLEAR for w in words):
                items.append(f"{title(metric)}: no clear difference at any {_points(sub, params)}")
                continue
            parts = []
            for _, r in sub.head(MAX_POINTS).iterrows():
                change = _change(r["mean_diff"], r["ci_low"], r["ci_high"])
                parts.append(f"{where(r, params)}: {change}" if params else change)
            more = _more(min(len(sub), MAX_POINTS), len(sub), "differences.csv")
            items.append(f"{title(metric)}: " + "; ".join(parts) + more)
        lead = f"{scenario} vs {grp['reference'].iloc[0]}" + (f", brand {brand}" if several else "")
        text = "difference (scenario minus reference) at the end of the run"
        out.append(Claim(lead, text, "differences.csv", tuple(items)))
    return out


def _points(rows: pd.DataFrame, params: list[str]) -> str:
    """``of the 5 sweep points (platform ad load 0 to 0.8)``."""
    span = ""
    if len(params) == 1 and params[0] in rows:
        values = rows[params[0]]
        low, high = value(params[0], values.min()), value(params[0], values.max())
        span = f" ({title(params[0])} {low} to {high})"
    return f"of the {len(rows)} sweep points{span}"


def summary_claims(summary: pd.DataFrame, manifest: dict[str, Any]) -> list[Claim]:
    """Means with intervals of the headline metrics: every series when there are at most
    four, else the highest and the lowest."""
    several = summary["brand"].nunique() > 1
    out = []
    for metric in HEADLINE_METRICS:
        rows = summary[summary["metric"] == metric].dropna(subset=["mean"])
        if rows.empty:
            continue

        if len(rows) <= 4:
            text = "; ".join(_say(r, metric, manifest, several) for _, r in rows.iterrows())
        else:
            ranked = rows.sort_values("mean", kind="mergesort")
            high = _say(ranked.iloc[-1], metric, manifest, several)
            text = f"highest at {high}; lowest at {_say(ranked.iloc[0], metric, manifest, several)}"
        out.append(Claim(_metric_name(metric).capitalize(), text, "summary.csv"))
    return out


def _say(r: Any, metric: str, manifest: dict[str, Any], several: bool) -> str:
    """``name: mean (95% interval ...)`` of a summary row, the interval cut at bounds."""
    name = series_name(r, manifest, several)
    said = f"{fmt(r['mean'])} ({interval(*clip(metric, r['ci_low'], r['ci_high']))})"
    return f"{name}: {said}" if name else said


def bass_claims(check: pd.DataFrame) -> list[Claim]:
    """Largest deviation from the Bass recursion per scenario, against the tolerance."""
    out = []
    for (scenario, _), grp in check.groupby(["scenario", "point"], sort=False):
        worst = grp.loc[grp["deviation"].idxmax()]
        verdict = "within" if worst["deviation"] < BASS_TOLERANCE else "exceeds"
        out.append(
            Claim(
                f"Bass check, {scenario} (p {fmt(worst['p'])}, q {fmt(worst['q'])})",
                f"largest deviation of the adopter share from the Bass recursion "
                f"{fmt(worst['deviation'])} on day {int(worst['step'])}: {verdict} the "
                f"tolerance {fmt(BASS_TOLERANCE)}",
                "bass.csv",
            )
        )
    return out


def pattern_claims(shares: pd.DataFrame) -> list[Claim]:
    """Share of the parameter space where each pattern holds, with its Wilson interval."""
    out = []
    for _, r in shares.iterrows():
        pct = f"{fmt(100 * r['share'])}%"
        low, high = fmt(100 * r["ci_low"]), fmt(100 * r["ci_high"])
        lead = "All of P1-P8" if r["pattern"] == "all" else str(r["pattern"])
        out.append(
            Claim(
                lead,
                f"holds in {pct} of the sampled space (95% Wilson interval {low}% to {high}%; "
                f"{int(r['holds'])} of {int(r['samples'])} samples): {r['predicate']}",
                "summary.csv",
            )
        )
    return out


def sensitivity_claims(sens: pd.DataFrame) -> list[Claim]:
    """The most influential parameter for each headline metric (first scenario and brand)."""
    index, conf = ("ST", "ST_conf") if "ST" in sens else ("mu_star", "mu_star_conf")
    name = "total-order Sobol index" if index == "ST" else "Morris mu*"
    first = sens[
        (sens["scenario"] == sens["scenario"].iloc[0]) & (sens["brand"] == sens["brand"].iloc[0])
    ]
    out = []
    for metric in HEADLINE_METRICS:
        rows = first[first["metric"] == metric].dropna(subset=[index])
        if rows.empty:
            continue
        r = rows.loc[rows[index].idxmax()]
        low, high = r[index] - r[conf], r[index] + r[conf]
        out.append(
            Claim(
                f"{_metric_name(metric).capitalize()} depends most on {short(r['parameter'])}",
                f"{name} {fmt(r[index])} ({interval(low, high)})",
                "sensitivity.csv",
            )
        )
    return out


def mix_claims(
    table: pd.DataFrame, changes: dict[str, dict[str, Any]] | None = None
) -> list[Claim]:
    """Balanced against each other mix by day 30 and by the last day, and a lead change
    where the daily paired intervals support one (:mod:`.paired`)."""
    out = []
    for other, grp in table.groupby("other", sort=False):
        parts = []
        for _, r in grp.iterrows():
            parts.append(
                f"{r['verdict']} by day {int(r['day'])} ({fmt(r['mean'])} vs "
                f"{fmt(r['other_mean'])} conversions; difference {fmt(r['diff'], signed=True)}, "
                f"{interval(r['low'], r['high'])})"
            )
        change = (changes or {}).get(str(other))
        if change is not None:
            parts.append(
                f"{change['early']} clearly ahead until day {change['until']}, "
                f"{change['late']} clearly ahead on every day from day {change['from']} "
                "(paired 95% intervals of each day)"
            )
        lead = (
            f"Balanced (sell share {fmt(MIXES['balanced'])}) vs {other} ({fmt(MIXES[str(other)])})"
        )
        out.append(Claim(lead, "; ".join(parts), "runs.parquet, paired by replication"))
    return out


def crossing_claim(found: dict[str, Any], summary: pd.DataFrame, manifest: dict[str, Any]) -> Claim:
    """The lead change of :func:`.paired.crossing` in words."""
    several = summary["brand"].nunique() > 1
    names = {}
    for key in ("first", "second"):
        scenario, point, brand = found[key]
        row = summary[
            (summary["scenario"] == scenario)
            & (summary["point"] == point)
            & (summary["brand"] == brand)
        ].iloc[0]
        names[key] = series_name(row, manifest, several)
    return Claim(
        "Lead change",
        f"in cumulative conversions, {names['second']} is clearly ahead of {names['first']} "
        f"until day {found['until']}; {names['first']} is clearly ahead on every day from day "
        f"{found['from']} to day {found['last']} (paired 95% intervals of each day)",
        "runs.parquet, paired by replication",
    )


def experiment_claims(
    runs: pd.DataFrame, manifest: dict[str, Any], tables: dict[str, pd.DataFrame]
) -> list[Claim]:
    """The answer of an experiment, from its report ``tables`` (keyed by CSV name)."""
    if manifest.get("patterns"):
        return pattern_claims(tables["summary.csv"])
    summary = tables["summary.csv"]
    out: list[Claim] = []
    best, diff = tables.get("best.csv"), tables.get("differences.csv")
    if best is not None and not best.empty:
        out += best_claims(best, manifest)
    param = paired.mix_parameter(runs, manifest)
    if param is not None:
        out += mix_claims(paired.mix_comparison(runs, param), paired.mix_changes(runs, param))
    found = paired.crossing(runs, summary, manifest)
    if found is not None:
        out.append(crossing_claim(found, summary, manifest))
    if diff is not None and not diff.empty:
        out += difference_claims(diff, manifest)
    elif best is None or best.empty:
        out += summary_claims(summary, manifest)
    sens = tables.get("sensitivity.csv")
    if sens is not None and not sens.empty:
        out += sensitivity_claims(sens)
    check = tables.get("bass.csv")
    if check is not None and not check.empty:
        out += bass_claims(check)
    return out
