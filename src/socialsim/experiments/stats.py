"""Statistics over replications: summaries, paired differences, best values, Bass check.

:func:`summarize` gives the mean and 95% t-interval of every outcome over replications,
:func:`compare` the paired differences to the reference scenario (the runner uses common
random numbers), :func:`best_values` the bootstrap interval of the sweep's best value and
:func:`bass_check` the distance of the adopter share from the discrete Bass recursion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .outcomes import (
    ReportError,
    _brands,
    _check,
    _order,
    _outcome_names,
    _params,
    _scenarios,
    _sweep,
    run_outcomes,
)

__all__ = [
    "BOOTSTRAP_RESAMPLES",
    "BOOTSTRAP_SEED",
    "bass_check",
    "bass_recursion",
    "best_values",
    "compare",
    "summarize",
]

_SUMMARY_STATS = ("mean", "ci_low", "ci_high", "n")


# ----------------------------------------------------------------------------------------
# statistics


def _t_interval(mean: np.ndarray, sd: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, ...]:
    """95% t-interval of the mean; NaN where fewer than two values."""
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = n >= 2
    half = np.full(mean.shape, np.nan)
    df = np.where(ok, n - 1, 1.0)
    tq = stats.t.ppf(0.975, df)
    half[ok] = (tq * sd / np.sqrt(np.where(ok, n, 1.0)))[ok]
    return mean - half, mean + half


def _aggregate(long: pd.DataFrame, keys: list[str], value: str = "value") -> pd.DataFrame:
    """Mean, 95% CI and count of non-missing ``value`` per group of ``keys``."""
    g = long.groupby(keys, sort=False, observed=True, dropna=False)[value]
    out = g.agg(["mean", "std", "count"]).reset_index()
    low, high = _t_interval(out["mean"].to_numpy(), out["std"].to_numpy(), out["count"].to_numpy())
    out["ci_low"] = low
    out["ci_high"] = high
    out["n"] = out["count"].astype(np.int64)
    return out.drop(columns=["std", "count"])


def _point_values(outcomes: pd.DataFrame, params: list[str]) -> pd.DataFrame:
    """The sweep parameter values of each (scenario, point)."""
    return outcomes.groupby(["scenario", "point"], sort=False)[params].first().reset_index()


def _sorted(
    df: pd.DataFrame, scenarios: list[str], brands: list[str], metrics: Sequence[str]
) -> pd.DataFrame:
    keys = {
        "_s": df["scenario"].map(_order(scenarios)),
        "_b": df["brand"].map(_order(brands)),
        "_m": df["metric"].map(_order(metrics)),
    }
    df = df.assign(**keys).sort_values(["_s", "point", "_b", "_m"], kind="mergesort")
    return df.drop(columns=list(keys)).reset_index(drop=True)


# ----------------------------------------------------------------------------------------
# tables


def summarize(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    """Mean and 95% confidence interval of every outcome over replications.

    Parameters
    ----------
    runs : pandas.DataFrame
        The tidy runs table.
    manifest : dict
        The experiment manifest (``scenarios`` and ``sweep`` are used).

    Returns
    -------
    pandas.DataFrame
        Tidy table, one row per (scenario, point, brand, metric) with columns ``scenario``,
        ``point``, the sweep parameters, ``brand``, ``metric``, ``mean``, ``ci_low``,
        ``ci_high`` and ``n`` (replications with a value). The interval is the 95%
        t-interval of the mean; it is NaN when n < 2. Rows are sorted by scenario (manifest
        order), point, brand (configuration order) and metric (:data:`OUTCOMES` order).
    """
    _check(runs, manifest)
    params = _params(manifest)
    outcomes = run_outcomes(runs)
    metrics = _outcome_names(outcomes)
    long = outcomes.melt(
        id_vars=["scenario", "point", "brand", "replication"],
        value_vars=metrics,
        var_name="metric",
        value_name="value",
    )
    long["value"] = long["value"].astype(float)
    out = _aggregate(long, ["scenario", "point", "brand", "metric"])
    if params:
        out = out.merge(_point_values(outcomes, params), on=["scenario", "point"], how="left")
    out = out[["scenario", "point", *params, "brand", "metric", *_SUMMARY_STATS]]
    return _sorted(out, _scenarios(manifest), _brands(runs), metrics)


_COMPARE_COLUMNS = ("scenario", "reference", "point")


def _paired_differences(
    outcomes: pd.DataFrame, manifest: dict[str, Any], metrics: list[str]
) -> pd.DataFrame:
    """Long table of paired differences scenario - reference per (point, replication, brand)."""
    scenarios = _scenarios(manifest)
    ref_name = scenarios[0]
    keys = ["point", "replication", "brand"]
    ref = outcomes[outcomes["scenario"] == ref_name]
    if ref.empty:
        raise ReportError(f"runs contain no rows of the reference scenario '{ref_name}'")
    ref = ref.set_index(keys)[metrics].astype(float)
    frames = []
    for name in scenarios[1:]:
        other = outcomes[outcomes["scenario"] == name]
        if other.empty:
            continue
        other = other.set_index(keys)[metrics].astype(float)
        common = other.index.intersection(ref.index, sort=False)
        diff = other.loc[common] - ref.loc[common]
        long = diff.reset_index().melt(
            id_vars=keys, value_vars=metrics, var_name="metric", value_name="value"
        )
        long.insert(0, "reference", ref_name)
        long.insert(0, "scenario", name)
        frames.append(long)
    if not frames:
        return pd.DataFrame(columns=["scenario", "reference", *keys, "metric", "value"])
    return pd.concat(frames, ignore_index=True)


def compare(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    """Paired differences of every outcome between each scenario and the reference.

    The reference is ``manifest["scenarios"][0]``. Runs are paired by (point, replication,
    brand): the runner uses common random numbers, so a replication of every scenario shares
    the graph and the user draws, and the paired interval is usually much narrower than an
    unpaired one.

    Parameters
    ----------
    runs : pandas.DataFrame
        The tidy runs table.
    manifest : dict
        The experiment manifest.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``reference``, ``point``, the sweep parameters, ``brand``,
        ``metric``, ``mean_diff`` (scenario minus reference), ``ci_low``, ``ci_high`` (95%
        t-interval, NaN when n < 2) and ``n`` (pairs). Empty, with these columns, when the
        manifest has a single scenario.
    """
    _check(runs, manifest)
    params = _params(manifest)
    columns = [*_COMPARE_COLUMNS, *params, "brand", "metric", "mean_diff", "ci_low", "ci_high", "n"]
    scenarios = _scenarios(manifest)
    if len(scenarios) < 2:
        return pd.DataFrame(columns=columns)
    outcomes = run_outcomes(runs)
    metrics = _outcome_names(outcomes)
    long = _paired_differences(outcomes, manifest, metrics)
    if long.empty:
        return pd.DataFrame(columns=columns)
    out = _aggregate(long, ["scenario", "reference", "point", "brand", "metric"])
    out = out.rename(columns={"mean": "mean_diff"})
    if params:
        out = out.merge(_point_values(outcomes, params), on=["scenario", "point"], how="left")
    return _sorted(out[columns], scenarios, _brands(runs), metrics)


#: Bootstrap resamples and seed of :func:`best_values` (deterministic).
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20240102


def best_values(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame | None:
    """The value of the sweep's ``optimize`` parameter that maximizes its ``objective``.

    For each scenario, brand and combination of the other swept parameters, the best value
    is the one with the highest mean objective over replications. Its 95% interval is the
    2.5 and 97.5 percentiles of the best value over bootstrap resamples of replications
    (resampled jointly across values: with common random numbers a replication is one
    draw of the whole curve). Returns None when the sweep names no ``optimize`` parameter.

    ``best_p05`` and ``best_p95`` are the 5% and 95% quantiles (``inverted_cdf``) of the
    per-replication best value (the argmax of each replication's own curve): 90% of
    replications have their best value in that range. With an ensemble (each replication
    one plausible parameter set, see :class:`socialsim.experiments.spec.Ensemble`) this is
    the best value in 90% of plausible parameter sets, including parameter uncertainty;
    ``best_ci_low``/``best_ci_high`` only measure how precisely the mean curve's peak is known.

    Columns: ``scenario``, ``brand``, the other swept parameters, ``parameter``,
    ``objective``, ``best``, ``best_ci_low``, ``best_ci_high``, ``best_mean``,
    ``share_of_resamples`` (how often ``best`` was the best), ``n``, ``best_p05``,
    ``best_p95``.
    """
    sweep = _sweep(manifest)
    if not sweep or not sweep.get("optimize"):
        return None
    param, objective = sweep["optimize"], sweep.get("objective", "conversions_total")
    others = [p for p in _params(manifest) if p != param]
    outcomes = run_outcomes(runs)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    rows = []
    group_keys = ["scenario", "brand", *others]
    for key, grp in outcomes.groupby(group_keys, sort=False, dropna=False):
        table = grp.pivot_table(
            index="replication", columns=param, values=objective, aggfunc="mean"
        ).dropna()
        values = table.columns.to_numpy()
        Y = table.to_numpy(dtype=float)  # replications x values
        n = Y.shape[0]
        if n == 0:
            continue
        mean = Y.mean(axis=0)
        best = values[int(np.argmax(mean))]
        idx = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
        boot = values[np.argmax(Y[idx].mean(axis=1), axis=1)]
        low, high = np.quantile(boot.astype(float), [0.025, 0.975], method="inverted_cdf")
        own = values[np.argmax(Y, axis=1)].astype(float)  # each replication's own best value
        p05, p95 = np.quantile(own, [0.05, 0.95], method="inverted_cdf")
        rows.append(
            {
                **dict(zip(group_keys, key if isinstance(key, tuple) else (key,), strict=True)),
                "parameter": param,
                "objective": objective,
                "best": best,
                "best_ci_low": low,
                "best_ci_high": high,
                "best_mean": float(mean.max()),
                "share_of_resamples": float(np.mean(boot == best)),
                "n": n,
                "best_p05": p05,
                "best_p95": p95,
            }
        )
    return pd.DataFrame(rows)


def bass_recursion(p: float, q: float, steps: int) -> np.ndarray:
    """The discrete Bass recursion F(t+1) = F(t) + (p + q F(t)) (1 - F(t)), F(0) = 0, t=1..steps."""
    F, out = 0.0, np.empty(steps)
    for t in range(steps):
        F = F + (p + q * F) * (1.0 - F)
        out[t] = F
    return out


def bass_check(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame | None:
    """Adopter share against the discrete Bass recursion, for scenarios in the Bass limit.

    For every scenario whose config sets ``[bass] p, q`` (k = ``steps_per_period`` model days
    per Bass period), the mean ``adopter_share`` over replications on each day is compared
    with the recursion with coefficients p/k and q/k. Returns one row per (scenario, point,
    step) with ``model``, ``bass`` and ``deviation`` (absolute), or None when no scenario is
    in the Bass limit.
    """
    configs = (manifest.get("experiment") or {}).get("scenarios") or {}
    rows = []
    for scenario, cfg in configs.items():
        bass = (cfg or {}).get("bass") or {}
        if bass.get("p") is None or "adopter_share" not in runs:
            continue
        k = int(bass.get("steps_per_period", 1))
        sub = runs[runs["scenario"] == scenario]
        for point, grp in sub.groupby("point", sort=True):
            model = grp.groupby("step")["adopter_share"].mean().sort_index()
            expected = bass_recursion(bass["p"] / k, bass["q"] / k, int(model.index.max()))
            ref = expected[model.index.to_numpy() - 1]
            rows.append(
                pd.DataFrame(
                    {
                        "scenario": scenario,
                        "point": point,
                        "p": bass["p"],
                        "q": bass["q"],
                        "steps_per_period": k,
                        "step": model.index.to_numpy(),
                        "model": model.to_numpy(),
                        "bass": ref,
                        "deviation": np.abs(model.to_numpy() - ref),
                    }
                )
            )
    return pd.concat(rows, ignore_index=True) if rows else None
