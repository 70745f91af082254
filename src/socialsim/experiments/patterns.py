"""The pattern battery: P1-P8 as yes/no predicates at every sample of a parameter space.

An experiment file with ``patterns = true`` has no ``[[scenarios]]`` of its own: its
scenarios are the battery below, the runs each pattern of ``docs/odd.md`` needs, on the
file's one brand. With an ``lhs`` sweep over the model's coefficients this is the
robustness map (``experiments/robustness.toml``): at every sample point the battery runs
``replications`` times with common random numbers, the outcomes are averaged over
replications and each pattern is judged by the pass condition of its test in
``tests/test_patterns.py`` (:data:`PATTERNS`), with four differences that keep the battery
at 30 runs per replication: P5 uses the static strategy only (the test also checks
earn_then_ask and adaptive), P6 uses five shares per scepticism level (0.1, 0.3, ..., 0.9;
the test nine), P8's early gain is a higher mean over the replications (the test asks for
2 standard errors over 32 seeds), and mean backlash is the mean of the monthly values the
runs keep (:data:`EVERY`).
:func:`pattern_table` gives one row per point (parameters, P1-P8 as booleans and the
numbers behind them) and :func:`robustness` the share of points where each pattern holds,
with a 95% Wilson interval.

The battery's overrides are *pinned*: they are set after the sweep point's values, so a
battery run that fixes a swept parameter (P5 sets ``platform.commercialization``, P6
``users.skepticism``) keeps its value while every other parameter is the point's.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..config import BrandConfig, Config
from ..strategies import History, make_strategy
from .errors import ExperimentError
from .outcomes import DAY30, ReportError, _params

#: Sell shares of the P1-P3 curve (static strategy), as in the pattern tests.
SHARES = tuple(round(0.1 * i, 1) for i in range(11))
#: P2 compares a hard sell (0.9) with a serve-first mix (0.2) on the P1 curve.
P2_HARD, P2_SERVE = 0.9, 0.2
#: P4: earn_then_ask vs pitch_first at this sell share, favour bank on and off.
P4_SHARE = 0.6
#: P5 and P8 use a moderate sell share.
P5_SHARE = P8_SHARE = 0.4
P5_COMMERCIALIZATION = (0.0, 0.6)
#: P6: the best share's centre at a trusting and a sceptical population.
P6_SHARES = (0.1, 0.3, 0.5, 0.7, 0.9)
P6_SKEPTICISM = (0.15, 0.7)
P7_CAPACITY = (1, 200)

#: Metrics the predicates read (kept by the runs' ``[output]``).
METRICS = (
    "conversions_total",
    "conversions_new",
    "conversions_repeat",
    "backlash",
    "mean_trust",
    "unfollows",
    "engagements",
    "complaints",
    "detections",
    "pitches",
)
#: Runs keep every 30th day (day 30 is P2's and P8's early day; flows are summed).
EVERY = 30

#: Each pattern's predicate, as judged at one sample point (means over replications).
PATTERNS = {
    "P1": "conversions at day 365 peak at an interior sell share that beats 0 and 1 by 40%",
    "P2": "sell share 0.9 leads 0.2 by 20% at day 30 and trails it by 15% at day 365",
    "P3": "backlash and unfollows rise, trust falls with sell share (Spearman > 0.8, > 30%)",
    "P4": "earn_then_ask beats pitch_first by 20% with less backlash; less so without favour",
    "P5": "commercialization 0.6 vs 0: engagements, first and repeat conversions below 90%",
    "P6": "the best sell share is at least 0.15 lower at scepticism 0.7 than at 0.15",
    "P7": "support capacity 1 vs 200: complaints above 3x and backlash above 2x",
    "P8": "covert selling converts more by day 30 but ends with trust lower by 0.02",
}


def _pct(x: float) -> int:
    return round(100 * x)


def battery(base: Config) -> list[dict[str, Any]]:
    """The battery's scenarios for a one-brand base config: ``{"name", "set"}`` tables
    whose ``set`` values are pinned (applied after the sweep point)."""
    if len(base.brands) != 1:
        raise ExperimentError(
            f"patterns = true needs exactly one brand (the battery varies its plan), not "
            f"{len(base.brands)}"
        )
    b = "brands[0]."
    out = [
        {"name": f"sell_{_pct(s)}", "set": {b + "strategy": "static", b + "sell_share": s}}
        for s in SHARES
    ]
    budget = _pitches(base.brands[0], P4_SHARE, base.steps)
    for favor in (True, False):
        tag = "on" if favor else "off"
        out.append(
            {
                "name": f"earn_then_ask_{tag}",
                "set": {
                    b + "strategy": "earn_then_ask",
                    b + "sell_share": P4_SHARE,
                    "mechanisms.favor": favor,
                },
            }
        )
        out.append(
            {
                "name": f"pitch_first_{tag}",
                "set": {
                    b + "strategy": "pitch_first",
                    b + "sell_share": P4_SHARE,
                    b + "params": {"pitch_budget": budget},
                    "mechanisms.favor": favor,
                },
            }
        )
    for c in P5_COMMERCIALIZATION:
        out.append(
            {
                "name": f"commercialization_{_pct(c)}",
                "set": {
                    b + "strategy": "static",
                    b + "sell_share": P5_SHARE,
                    "platform.commercialization": c,
                },
            }
        )
    for level, sk in zip(("trusting", "sceptical"), P6_SKEPTICISM, strict=True):
        for s in P6_SHARES:
            out.append(
                {
                    "name": f"{level}_sell_{_pct(s)}",
                    "set": {
                        b + "strategy": "static",
                        b + "sell_share": s,
                        "users.skepticism": sk,
                    },
                }
            )
    for cap in P7_CAPACITY:
        out.append(
            {
                "name": f"support_{cap}",
                "set": {b + "strategy": "static", b + "support_capacity": cap},
            }
        )
    out.append(
        {
            "name": "covert",
            "set": {b + "strategy": "static", b + "sell_share": P8_SHARE, b + "disclosed": False},
        }
    )
    return out


def _pitches(brand: BrandConfig, share: float, steps: int) -> float:
    """Pitch posts earn_then_ask makes in ``steps`` days (its ledger is deterministic)."""
    cfg = brand.model_copy(update={"strategy": "earn_then_ask", "sell_share": share, "params": {}})
    strategy = make_strategy(cfg)
    history = History()
    return float(
        sum(strategy.plan(day, history).sell_share * cfg.posts_per_day for day in range(steps))
    )


# ----------------------------------------------------------------------------------------
# predicates


def _run_stats(runs: pd.DataFrame) -> pd.DataFrame:
    """Per run: final and day-30 conversions, mean backlash, final trust and flow totals."""
    missing = [m for m in METRICS if m not in runs.columns]
    if missing:
        raise ReportError(f"a pattern experiment's runs lack metric(s) {missing}")
    runs = runs.sort_values(["run_id", "step"], kind="mergesort")
    g = runs.groupby("run_id", sort=False)
    out = g[["scenario", "point"]].first()
    out["conversions"] = g["conversions_total"].last()
    early = runs[runs["step"] <= DAY30].groupby("run_id", sort=False)["conversions_total"].last()
    out["conversions_day30"] = early.reindex(out.index).fillna(0.0)
    out["backlash"] = g["backlash"].mean()
    out["trust"] = g["mean_trust"].last()
    for m in ("unfollows", "engagements", "complaints", "detections", "pitches"):
        out[m] = g[m].sum()
    out["conversions_new"] = g["conversions_new"].sum()
    out["conversions_repeat"] = g["conversions_repeat"].sum()
    return out


def _spearman(values: np.ndarray) -> np.ndarray:
    """Rank correlation of each row with its column order (ties get average ranks)."""
    ranks = stats.rankdata(values, axis=1)
    order = np.arange(values.shape[1], dtype=float)
    rc = ranks - ranks.mean(axis=1, keepdims=True)
    oc = order - order.mean()
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rc @ oc) / np.sqrt((rc**2).sum(axis=1) * (oc**2).sum())


def _centre(curve: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Conversion-weighted centre of the shares within 10% of each row's best."""
    top = curve >= 0.9 * curve.max(axis=1, keepdims=True)
    w = np.where(top, curve, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (w * shares).sum(axis=1) / w.sum(axis=1)


def _humped(curve: np.ndarray) -> np.ndarray:
    """P1 per row: interior best beating both ends by 40%, one noisy step allowed a side."""
    best = curve.argmax(axis=1)
    out = np.zeros(len(curve), dtype=bool)
    for i, (row, k) in enumerate(zip(curve, best, strict=True)):
        if not 0 < k < len(row) - 1 or not (row[k] > 1.4 * row[0] and row[k] > 1.4 * row[-1]):
            continue
        down_left = sum(b < a for a, b in itertools.pairwise(row[: k + 1]))
        up_right = sum(b > a for a, b in itertools.pairwise(row[k:]))
        out[i] = down_left <= 1 and up_right <= 1
    return out


def pattern_table(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    """One row per sample point: the swept parameters, P1-P8 (booleans) and their numbers.

    Outcomes are averaged over replications before a pattern is judged.
    """
    per_run = _run_stats(runs)
    means = per_run.groupby(["point", "scenario"]).mean(numeric_only=True)

    def col(stat: str, scenario: str) -> np.ndarray:
        try:
            return means[stat].xs(scenario, level="scenario").sort_index().to_numpy(float)
        except KeyError:
            raise ReportError(f"pattern experiment lacks scenario '{scenario}'") from None

    points = np.sort(per_run["point"].unique())
    t = pd.DataFrame({"point": points})
    params = _params(manifest)
    if params:
        first = runs.drop_duplicates("point").set_index("point")[params]
        t = t.join(first, on="point")
    with np.errstate(invalid="ignore", divide="ignore"):
        sell = [f"sell_{_pct(s)}" for s in SHARES]
        curve = np.column_stack([col("conversions", s) for s in sell])
        t["best_share"] = np.asarray(SHARES)[curve.argmax(axis=1)]
        t["P1"] = _humped(curve)

        hard, serve = f"sell_{_pct(P2_HARD)}", f"sell_{_pct(P2_SERVE)}"
        t["early_ratio"] = col("conversions_day30", hard) / col("conversions_day30", serve)
        t["late_ratio"] = col("conversions", hard) / col("conversions", serve)
        t["P2"] = (t["early_ratio"] > 1.2) & (t["late_ratio"] < 0.85)

        p3 = np.ones(len(t), dtype=bool)
        for stat, sign in (("backlash", 1), ("unfollows", 1), ("trust", -1)):
            values = np.column_stack([col(stat, s) for s in sell])
            rho = _spearman(values)
            t[f"rho_{stat}"] = rho
            low, high = values[:, :3].mean(axis=1), values[:, -3:].mean(axis=1)
            p3 &= (sign * rho > 0.8) & (sign * (high - low) > 0.3 * np.abs(low) + 1e-3)
        t["P3"] = p3

        ratio = {}
        for tag in ("on", "off"):
            eta, pf = f"earn_then_ask_{tag}", f"pitch_first_{tag}"
            ratio[tag] = col("conversions", eta) / col("conversions", pf)
        t["reciprocity_ratio"], t["reciprocity_ratio_off"] = ratio["on"], ratio["off"]
        less_backlash = col("backlash", "earn_then_ask_on") < col("backlash", "pitch_first_on")
        t["P4"] = (ratio["on"] > 1.2) & less_backlash & (ratio["on"] > ratio["off"] + 0.15)

        lo, hi = (f"commercialization_{_pct(c)}" for c in P5_COMMERCIALIZATION)
        p5 = np.ones(len(t), dtype=bool)
        for stat in ("engagements", "conversions_new", "conversions_repeat"):
            p5 &= col(stat, hi) < 0.9 * col(stat, lo)
        t["P5"] = p5

        shares = np.asarray(P6_SHARES)
        centres = [
            _centre(
                np.column_stack([col("conversions", f"{lv}_sell_{_pct(s)}") for s in shares]),
                shares,
            )
            for lv in ("trusting", "sceptical")
        ]
        t["best_trusting"], t["best_sceptical"] = centres
        t["P6"] = centres[0] - centres[1] >= 0.15

        short, ample = (f"support_{c}" for c in P7_CAPACITY)
        t["P7"] = (col("complaints", short) > 3 * col("complaints", ample)) & (
            col("backlash", short) > 2 * col("backlash", ample)
        )

        overt = f"sell_{_pct(P8_SHARE)}"
        early = col("conversions_day30", "covert") - col("conversions_day30", overt)
        t["covert_gain_day30"] = early
        t["covert_trust_loss"] = col("trust", overt) - col("trust", "covert")
        t["P8"] = (
            (t["covert_gain_day30"] > 0)
            & (t["covert_trust_loss"] > 0.02)
            & (col("detections", "covert") > 0)
        )
    names = list(PATTERNS)
    t[names] = t[names].astype(bool)
    t = t.copy()  # defragment (columns were added one by one)
    t["all"] = t[names].all(axis=1)
    lead = ["point", *params, *names, "all"]
    return t[lead + [c for c in t.columns if c not in lead]]


def wilson(k: np.ndarray, n: np.ndarray, z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of a binomial share ``k / n``."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    p = k / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def robustness(table: pd.DataFrame) -> pd.DataFrame:
    """Share of sample points where each pattern (and all eight) holds, with 95% intervals."""
    names = [*PATTERNS, "all"]
    k = np.array([int(table[p].sum()) for p in names])
    n = np.full(len(names), len(table))
    low, high = wilson(k, n)
    return pd.DataFrame(
        {
            "pattern": names,
            "holds": k,
            "samples": n,
            "share": k / n,
            "ci_low": low,
            "ci_high": high,
            "predicate": [*PATTERNS.values(), "P1-P8 all hold"],
        }
    )


def check_output(output: Any) -> None:
    """A pattern experiment's ``[output]`` must keep :data:`METRICS` and day 30."""
    if output is None:
        return
    if output.metrics is not None:
        missing = [m for m in METRICS if m not in output.metrics]
        if missing:
            raise ExperimentError(
                f"output.metrics: patterns = true needs {', '.join(missing)} as well"
            )
    if DAY30 % output.every:
        raise ExperimentError(
            f"output.every = {output.every}: patterns = true needs day {DAY30}; use a divisor "
            f"of {DAY30} (e.g. {EVERY})"
        )
