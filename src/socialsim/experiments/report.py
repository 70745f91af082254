"""Tables and figures from the tidy table of all runs of an experiment.

The input ``runs`` has one row per (run, day, brand): the id columns ``run_id``,
``scenario``, ``point``, ``replication``, ``seed`` (and ``member``, the ensemble row, when
the experiment has an ensemble), then one column per swept parameter (a number or boolean,
named by its config path) and per ensemble parameter, then the model metrics of
:data:`socialsim.COLUMNS`. The ``manifest`` names the experiment, its scenarios (the first
is the reference), replications, steps and the sweep design (or None).

Each run is first reduced to its outcomes (:func:`run_outcomes`): final-day values of stock
metrics and totals over days of flow metrics. :func:`summarize` gives the mean and 95%
t-interval over replications, :func:`compare` the paired differences to the reference
scenario (the runner uses common random numbers), :func:`sensitivity` Sobol or Morris
indices, and :func:`make_figures` the plots. :func:`write_report` writes all of them, and
:func:`rebuild` redoes it from a saved ``runs.parquet`` and ``manifest.json``.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "FINAL_METRICS",
    "FLOW_METRICS",
    "ID_COLUMNS",
    "OUTCOMES",
    "SENSITIVITY_METRICS",
    "SENSITIVITY_SEED",
    "ReportError",
    "atomic_write",
    "bass_check",
    "bass_recursion",
    "best_values",
    "compare",
    "make_figures",
    "rebuild",
    "run_outcomes",
    "sensitivity",
    "summarize",
    "write_report",
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
)

#: Daily flow metrics, summarised by their total over all days (outcome ``total_<metric>``).
FLOW_METRICS: tuple[str, ...] = (
    "engagements",
    "unfollows",
    "complaints",
    "revenue",
    "cost",
    "conversions_new",
    "conversions_repeat",
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

#: Seed of the bootstrap confidence intervals of the sensitivity indices (deterministic).
SENSITIVITY_SEED = 20240101

#: Step whose cumulative conversions give ``conversions_day30`` (or the last step if shorter).
DAY30 = 30

_FLOAT_FORMAT = "%.12g"
_MAX_TIMESERIES_POINTS = 12
_LABELS = {
    "conversions_total": "cumulative conversions (purchases)",
    "mean_trust": "mean trust (0-1)",
    "backlash": "backlash (share of aware users)",
}
_SUMMARY_STATS = ("mean", "ci_low", "ci_high", "n")


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


def _point_means(outcomes: pd.DataFrame, metric: str) -> pd.Series:
    return outcomes.groupby("point")[metric].mean().sort_index()


def sensitivity(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame | None:
    """Global sensitivity indices of the sweep (Sobol or Morris designs only).

    The model output of a point is the mean over replications of an outcome (final
    conversions_total, backlash, mean_trust); indices are computed per scenario and brand with
    SALib and a fixed bootstrap seed (:data:`SENSITIVITY_SEED`), so they are deterministic.

    Parameters
    ----------
    runs : pandas.DataFrame
        The tidy runs table; its points must be the complete SALib design in row order.
    manifest : dict
        The experiment manifest; ``sweep`` gives method, parameters, bounds and num_levels.

    Returns
    -------
    pandas.DataFrame or None
        None unless the sweep method is ``sobol`` or ``morris``. Sobol: columns ``scenario``,
        ``brand``, ``metric``, ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        (first-order and total indices, 95% bootstrap half-widths). Morris: ``scenario``,
        ``brand``, ``metric``, ``parameter``, ``mu_star``, ``mu_star_conf``, ``sigma``.
    """
    sweep = _sweep(manifest)
    method = sweep.get("method") if sweep else None
    if method not in ("sobol", "morris"):
        return None
    _check(runs, manifest)
    from SALib.analyze import morris as salib_morris
    from SALib.analyze import sobol as salib_sobol

    params = list(sweep["parameters"])
    bounds = [list(map(float, b)) for b in sweep["bounds"]]
    if len(bounds) != len(params):
        raise ReportError(f"sweep has {len(params)} parameters but {len(bounds)} bounds")
    problem = {"num_vars": len(params), "names": params, "bounds": bounds}
    outcomes = run_outcomes(runs)
    d = len(params)
    rows: list[dict[str, Any]] = []
    for scenario in _scenarios(manifest):
        sc = outcomes[outcomes["scenario"] == scenario]
        if sc.empty:
            continue
        points = np.sort(sc["point"].unique())
        npts = len(points)
        if not np.array_equal(points, np.arange(npts)):
            raise ReportError(
                f"scenario '{scenario}': points must be 0..P-1 without gaps for {method}"
            )
        group = d + 2 if method == "sobol" else d + 1
        if npts % group:
            raise ReportError(
                f"scenario '{scenario}': {npts} points is not a complete {method} design "
                f"(a multiple of {group} for {d} parameters)"
            )
        X = sc.groupby("point")[params].first().sort_index().to_numpy(dtype=float)
        for brand in _brands(sc):
            sb = sc[sc["brand"] == brand]
            for metric in SENSITIVITY_METRICS:
                Y = _point_means(sb, metric).reindex(points).to_numpy(dtype=float)
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore", RuntimeWarning)
                    if method == "sobol":
                        res = salib_sobol.analyze(
                            problem,
                            Y,
                            calc_second_order=False,
                            seed=SENSITIVITY_SEED,
                            print_to_console=False,
                        )
                        cols = ("S1", "S1_conf", "ST", "ST_conf")
                    else:
                        res = salib_morris.analyze(
                            problem,
                            X,
                            Y,
                            num_levels=int(sweep.get("num_levels", 4)),
                            seed=SENSITIVITY_SEED,
                            print_to_console=False,
                        )
                        cols = ("mu_star", "mu_star_conf", "sigma")
                for i, param in enumerate(params):
                    row: dict[str, Any] = {
                        "scenario": scenario,
                        "brand": brand,
                        "metric": metric,
                        "parameter": param,
                    }
                    row.update({c: float(np.asarray(res[c], dtype=float)[i]) for c in cols})
                    rows.append(row)
    cols_all = (
        ["S1", "S1_conf", "ST", "ST_conf"]
        if method == "sobol"
        else ["mu_star", "mu_star_conf", "sigma"]
    )
    return pd.DataFrame(rows, columns=["scenario", "brand", "metric", "parameter", *cols_all])


# ----------------------------------------------------------------------------------------
# files


def atomic_write(path: str | Path, write: Callable[[str], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place.

    A reader never sees a half-written file, and an interrupted write leaves none behind.
    The file gets the usual permissions (0666 minus the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    text = df.to_csv(index=False, float_format=_FLOAT_FORMAT, lineterminator="\n")

    def write(tmp: str) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    return atomic_write(path, write)


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


# ----------------------------------------------------------------------------------------
# figures


def _series_label(scenario: str, brand: str, several_brands: bool) -> str:
    return f"{scenario} / {brand}" if several_brands else str(scenario)


def _replications(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    if "replications" in manifest:
        reps = int(manifest["replications"])
    elif "replication" in table.columns:
        reps = int(table["replication"].nunique())
    else:
        reps = int(table["n"].max())
    return f"{reps} replication" + ("" if reps == 1 else "s")


def subplots(*args: Any, figsize: tuple[float, float], **kwargs: Any) -> tuple[Any, Any]:
    """A figure and its axes without pyplot: no global backend or figure registry is touched,
    so reports drawn inside a notebook leave its inline plotting as it was."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout=kwargs.pop("layout", None))
    if kwargs.pop("constrained_layout", False):
        fig.set_layout_engine("constrained")
    return fig, fig.subplots(*args, **kwargs)


def _cmap(name: str) -> Any:
    import matplotlib

    return matplotlib.colormaps[name]


def _save(fig: Any, path: Path) -> Path:
    atomic_write(
        path, lambda tmp: fig.savefig(tmp, format="png", dpi=120, metadata={"Software": None})
    )
    return path


def _daily_ci(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    long = runs[["scenario", "point", "brand", "step", metric]].rename(columns={metric: "value"})
    long = long.assign(value=long["value"].astype(float))
    return _aggregate(long, ["scenario", "point", "brand", "step"]).sort_values(
        "step", kind="mergesort"
    )


def _selected_points(outcomes: pd.DataFrame, params: list[str]) -> list[int]:
    """Sweep points drawn in the time series: all if few, else lowest/middle/highest."""
    pv = outcomes.groupby("point")[params[0]].first() if params else None
    points = sorted(outcomes["point"].unique())
    if pv is None or len(points) <= _MAX_TIMESERIES_POINTS:
        return [int(p) for p in points]
    ranked = pv.sort_values(kind="mergesort").index.to_list()
    picks = [ranked[0], ranked[len(ranked) // 2], ranked[-1]]
    return [int(p) for p in dict.fromkeys(picks)]


def _fig_timeseries(
    runs: pd.DataFrame, manifest: dict[str, Any], outcomes: pd.DataFrame, path: Path
) -> Path:
    from matplotlib import cm, colors
    from matplotlib.lines import Line2D

    scenarios = [s for s in _scenarios(manifest) if s in set(runs["scenario"])]
    brands = _brands(runs)
    several = len(brands) > 1
    params = _params(manifest)
    swept = bool(params) and outcomes["point"].nunique() > 1
    points = _selected_points(outcomes, params) if swept else None
    sub = runs if points is None else runs[runs["point"].isin(points)]
    present = set(zip(runs["scenario"], runs["brand"], strict=True))
    combos = [(s, b) for s in scenarios for b in brands if (s, b) in present]
    band = 0.18 if len(combos) * (len(points) if points else 1) <= 4 else 0.08
    styles = ["-", "--", ":", "-."]
    palette = _cmap("tab10")
    norm = cmap = pv = None
    if swept:
        pv = outcomes.groupby("point")[params[0]].first()
        lo, hi = float(pv.min()), float(pv.max())
        norm = colors.Normalize(lo, hi if hi > lo else lo + 1.0)
        cmap = _cmap("viridis")

    fig, axes = subplots(1, 3, figsize=(15, 4.8), layout="constrained")
    for ax, metric in zip(axes, SENSITIVITY_METRICS, strict=True):
        daily = _daily_ci(sub, metric)
        for k, (scenario, brand) in enumerate(combos):
            sb = daily[(daily["scenario"] == scenario) & (daily["brand"] == brand)]
            if sb.empty:
                continue
            for point, sp in sb.groupby("point", sort=True):
                if swept:
                    color = cmap(norm(float(pv.loc[point])))
                    style = styles[k % len(styles)]
                    label = None
                else:
                    color = palette(k % 10)
                    style = "-"
                    label = _series_label(scenario, brand, several)
                x = sp["step"].to_numpy()
                ax.plot(x, sp["mean"].to_numpy(), color=color, ls=style, lw=1.6, label=label)
                ax.fill_between(
                    x, sp["ci_low"].to_numpy(), sp["ci_high"].to_numpy(), color=color, alpha=band
                )
        ax.set_xlabel("day")
        ax.set_ylabel(_LABELS[metric])
        ax.set_title(metric)
        ax.grid(alpha=0.3)
    title = (
        f"{manifest.get('name', 'experiment')}: daily outcomes, mean and 95% CI over "
        f"{_replications(runs, manifest)}"
    )
    if swept:
        npts = outcomes["point"].nunique()
        if len(points) < npts:
            title += f"; points with lowest, middle and highest {params[0]} of {npts}"
        fig.colorbar(cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes, label=params[0])
        handles = [
            Line2D(
                [],
                [],
                color="black",
                ls=styles[k % len(styles)],
                label=_series_label(s, b, several),
            )
            for k, (s, b) in enumerate(combos)
        ]
        axes[0].legend(handles=handles, fontsize="small", title="line style")
    else:
        axes[0].legend(fontsize="small")
    fig.suptitle(title)
    return _save(fig, path)


def _errorbar(
    ax: Any, x: np.ndarray, mean: np.ndarray, low: np.ndarray, high: np.ndarray, **kw: Any
) -> None:
    """Error bars where the interval is finite, markers everywhere."""
    yerr = np.vstack([mean - low, high - mean])
    yerr = np.where(np.isfinite(yerr), yerr, 0.0)
    ax.errorbar(x, mean, yerr=yerr, capsize=2, **kw)


def _fig_final_vs(summary: pd.DataFrame, manifest: dict[str, Any], param: str, path: Path) -> Path:

    sweep = _sweep(manifest) or {}
    curve = sweep.get("method") == "grid" and len(_params(manifest)) == 1
    scenarios = [s for s in _scenarios(manifest) if s in set(summary["scenario"])]
    brands = list(pd.unique(summary["brand"]))
    several = len(brands) > 1
    palette = _cmap("tab10")
    fig, axes = subplots(1, 3, figsize=(15, 4.8), layout="constrained")
    for ax, metric in zip(axes, SENSITIVITY_METRICS, strict=True):
        sm = summary[summary["metric"] == metric]
        k = 0
        for scenario in scenarios:
            for brand in brands:
                sb = sm[(sm["scenario"] == scenario) & (sm["brand"] == brand)]
                if sb.empty:
                    continue
                sb = sb.sort_values(param, kind="mergesort")
                kw: dict[str, Any] = {
                    "color": palette(k % 10),
                    "label": _series_label(scenario, brand, several),
                }
                if curve:
                    kw.update(fmt="-o", ms=4, lw=1.6)
                else:
                    kw.update(fmt="o", ms=4, alpha=0.7, lw=0.8)
                _errorbar(
                    ax,
                    sb[param].to_numpy(dtype=float),
                    sb["mean"].to_numpy(dtype=float),
                    sb["ci_low"].to_numpy(dtype=float),
                    sb["ci_high"].to_numpy(dtype=float),
                    **kw,
                )
                k += 1
        ax.set_xlabel(param)
        ax.set_ylabel(f"final {_LABELS[metric]}")
        ax.set_title(f"final {metric}")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize="small")
    kind = "" if curve else f" ({sweep.get('method', 'sweep')} design points)"
    fig.suptitle(
        f"{manifest.get('name', 'experiment')}: final-day outcomes vs {param}{kind}, "
        f"mean and 95% CI over {_replications(summary, manifest)}"
    )
    return _save(fig, path)


def _fig_sensitivity(sens: pd.DataFrame, manifest: dict[str, Any], path: Path) -> Path:

    method = (_sweep(manifest) or {}).get("method")
    series = list(dict.fromkeys(zip(sens["scenario"], sens["brand"], strict=True)))
    several = sens["brand"].nunique() > 1
    nrows = max(len(series), 1)
    fig, axes = subplots(nrows, 3, figsize=(15, 4.2 * nrows), layout="constrained", squeeze=False)
    params = _params(manifest)
    x = np.arange(len(params))
    w = 0.38
    for r, (scenario, brand) in enumerate(series):
        for c, metric in enumerate(SENSITIVITY_METRICS):
            ax = axes[r][c]
            s = (
                sens[
                    (sens["scenario"] == scenario)
                    & (sens["brand"] == brand)
                    & (sens["metric"] == metric)
                ]
                .set_index("parameter")
                .reindex(params)
            )
            if method == "sobol":
                bars = (("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST"))
                ylabel = "Sobol index (share of variance)"
            else:
                bars = (
                    ("mu_star", "mu_star_conf", "mu* (mean |effect|)"),
                    ("sigma", None, "sigma"),
                )
                ylabel = f"elementary effect on {metric}"
            for j, (col, conf, label) in enumerate(bars):
                yerr = None
                if conf is not None:
                    yerr = np.nan_to_num(s[conf].to_numpy(dtype=float), nan=0.0)
                ax.bar(
                    x + (j - 0.5) * w,
                    s[col].to_numpy(dtype=float),
                    w,
                    yerr=yerr,
                    capsize=3,
                    label=label,
                )
            ax.set_xticks(x, params, rotation=20, ha="right")
            ax.set_xlabel("parameter")
            ax.set_ylabel(ylabel)
            ax.set_title(f"{metric}: {_series_label(scenario, brand, several)}")
            ax.axhline(0.0, color="black", lw=0.6)
            ax.grid(axis="y", alpha=0.3)
            ax.legend(fontsize="small")
    what = "Sobol indices" if method == "sobol" else "Morris screening"
    fig.suptitle(f"{manifest.get('name', 'experiment')}: {what} (95% bootstrap CI)")
    return _save(fig, path)


def _fig_differences(outcomes: pd.DataFrame, manifest: dict[str, Any], path: Path) -> Path:

    scenarios = _scenarios(manifest)
    long = _paired_differences(outcomes, manifest, list(SENSITIVITY_METRICS))
    pooled = outcomes["point"].nunique() > 1
    diffs = _aggregate(long, ["scenario", "reference", "brand", "metric"])
    brands = _brands(outcomes)
    several = len(brands) > 1
    rows = [
        (s, b)
        for s in scenarios[1:]
        for b in brands
        if ((diffs["scenario"] == s) & (diffs["brand"] == b)).any()
    ]
    fig, axes = subplots(
        1, 3, figsize=(15, max(3.0, 1.6 + 0.55 * len(rows))), layout="constrained", sharey=True
    )
    y = np.arange(len(rows))[::-1]
    labels = [f"{s} − {scenarios[0]}" + (f" ({b})" if several else "") for s, b in rows]
    palette = _cmap("tab10")
    for ax, metric in zip(axes, SENSITIVITY_METRICS, strict=True):
        d = diffs[diffs["metric"] == metric].set_index(["scenario", "brand"])
        for i, key in enumerate(rows):
            if key not in d.index:
                continue
            m, lo, hi = (float(d.loc[key, c]) for c in ("mean", "ci_low", "ci_high"))
            err = [[m - lo if np.isfinite(lo) else 0.0], [hi - m if np.isfinite(hi) else 0.0]]
            ax.errorbar([m], [y[i]], xerr=err, fmt="o", capsize=4, color=palette(i % 10))
        ax.axvline(0.0, color="black", lw=0.8, ls="--")
        ax.set_xlabel(f"difference in final {_LABELS[metric]}")
        ax.set_title(metric)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(y, labels)
    axes[0].set_ylabel("scenario − reference")
    scope = " (pooled over sweep points)" if pooled else ""
    fig.suptitle(
        f"{manifest.get('name', 'experiment')}: paired differences to '{scenarios[0]}'{scope}, "
        "mean and 95% CI"
    )
    return _save(fig, path)


def _figures(
    runs: pd.DataFrame,
    manifest: dict[str, Any],
    figdir: Path,
    summary: pd.DataFrame,
    sens: pd.DataFrame | None,
) -> list[Path]:

    figdir = Path(figdir)
    figdir.mkdir(parents=True, exist_ok=True)
    outcomes = run_outcomes(runs)
    paths = [_fig_timeseries(runs, manifest, outcomes, figdir / "timeseries.png")]
    for param in _params(manifest):
        paths.append(
            _fig_final_vs(summary, manifest, param, figdir / f"final_vs_{_safe(param)}.png")
        )
    if sens is not None and not sens.empty:
        paths.append(_fig_sensitivity(sens, manifest, figdir / "sensitivity.png"))
    if len(_scenarios(manifest)) >= 2 and outcomes["scenario"].nunique() >= 2:
        paths.append(_fig_differences(outcomes, manifest, figdir / "differences.png"))
    return sorted(paths)


def make_figures(runs: pd.DataFrame, manifest: dict[str, Any], figdir: str | Path) -> list[Path]:
    """Draw the experiment's figures as PNG files.

    Writes ``timeseries.png`` (conversions, trust and backlash by day, mean and 95% CI per
    scenario/brand, and per sweep point when there are at most 12, else the points with the
    lowest, middle and highest value of the first parameter), ``final_vs_<param>.png`` per
    swept parameter, ``sensitivity.png`` for Sobol or Morris sweeps and ``differences.png``
    (paired differences to the reference) when there are two or more scenarios. Each file is
    written to a temporary file and moved into place.

    Parameters
    ----------
    runs : pandas.DataFrame
        The tidy runs table.
    manifest : dict
        The experiment manifest.
    figdir : str or pathlib.Path
        Output directory, created if missing.

    Returns
    -------
    list of pathlib.Path
        The files written, sorted.
    """
    _check(runs, manifest)
    return _figures(
        runs, manifest, Path(figdir), summarize(runs, manifest), sensitivity(runs, manifest)
    )


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


def _fig_bass(check: pd.DataFrame, path: Path) -> Path:

    fig, ax = subplots(figsize=(8, 5), constrained_layout=True)
    for i, ((scenario, _), grp) in enumerate(check.groupby(["scenario", "point"], sort=False)):
        color = f"C{i}"
        p, q, k = grp["p"].iloc[0], grp["q"].iloc[0], grp["steps_per_period"].iloc[0]
        label = f"{scenario} (p={p:g}, q={q:g}, {k} day/period)"
        ax.plot(grp["step"], grp["model"], "o", ms=3, color=color, label=f"{label}: model")
        ax.plot(grp["step"], grp["bass"], "-", color=color, lw=1.5, label="  Bass recursion")
    worst = check["deviation"].max()
    ax.set_title(f"Bass limit: adopter share vs the discrete recursion (max |dev| {worst:.3f})")
    ax.set_xlabel("day")
    ax.set_ylabel("share of users who adopted (first purchase)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, path)


def write_report(
    outdir: str | Path, runs: pd.DataFrame, manifest: dict[str, Any]
) -> dict[str, Path]:
    """Write the tables and figures of an experiment into ``outdir``.

    Writes ``summary.csv``, ``differences.csv`` (two or more scenarios), ``sensitivity.csv``
    (Sobol or Morris sweeps), ``best.csv`` (grid sweeps with ``optimize``), ``bass.csv`` and
    ``figures/bass.png`` (scenarios in the Bass limit) and ``figures/*.png``, each
    atomically (temporary file in the same directory, then :func:`os.replace`). CSVs use a
    fixed float format, so the same runs give byte-identical files.

    Parameters
    ----------
    outdir : str or pathlib.Path
        The experiment directory (created if missing).
    runs : pandas.DataFrame
        The tidy runs table.
    manifest : dict
        The experiment manifest.

    Returns
    -------
    dict of str to pathlib.Path
        Path of every file written, keyed by its path relative to ``outdir`` (for example
        ``"summary.csv"`` or ``"figures/timeseries.png"``).
    """
    _check(runs, manifest)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    summary = summarize(runs, manifest)
    written["summary.csv"] = _write_csv(summary, outdir / "summary.csv")
    if len(_scenarios(manifest)) >= 2:
        written["differences.csv"] = _write_csv(compare(runs, manifest), outdir / "differences.csv")
    sens = sensitivity(runs, manifest)
    if sens is not None:
        written["sensitivity.csv"] = _write_csv(sens, outdir / "sensitivity.csv")
    best = best_values(runs, manifest)
    if best is not None:
        written["best.csv"] = _write_csv(best, outdir / "best.csv")
    check = bass_check(runs, manifest)
    figures = _figures(runs, manifest, outdir / "figures", summary, sens)
    if check is not None:
        written["bass.csv"] = _write_csv(check, outdir / "bass.csv")
        figures.append(_fig_bass(check, outdir / "figures" / "bass.png"))
    for path in sorted(figures):
        written[path.relative_to(outdir).as_posix()] = path
    _remove_stale(outdir, written)
    return written


#: Files the report may write; those not written this time are left over from an earlier
#: report (e.g. differences.csv after scenarios were removed) and are deleted.
_REPORT_FILES = ("summary.csv", "differences.csv", "sensitivity.csv", "best.csv", "bass.csv")


def _remove_stale(outdir: Path, written: dict[str, Path]) -> None:
    stale = [outdir / name for name in _REPORT_FILES]
    stale += list((outdir / "figures").glob("*.png"))
    keep = {p.resolve() for p in written.values()}
    for path in stale:
        if path.is_file() and path.resolve() not in keep and path.name != "demo.png":
            path.unlink()


def rebuild(outdir: str | Path) -> dict[str, Path]:
    """Rewrite the report of a finished experiment from its saved files.

    Parameters
    ----------
    outdir : str or pathlib.Path
        Directory holding ``runs.parquet`` and ``manifest.json``.

    Returns
    -------
    dict of str to pathlib.Path
        As :func:`write_report`.

    Raises
    ------
    ReportError
        When ``runs.parquet`` or ``manifest.json`` is missing or unreadable.
    """
    outdir = Path(outdir)
    runs_path = outdir / "runs.parquet"
    manifest_path = outdir / "manifest.json"
    for path in (runs_path, manifest_path):
        if not path.is_file():
            raise ReportError(f"cannot rebuild the report: {path} not found")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"cannot read {manifest_path}: {exc}") from None
    if not isinstance(manifest, dict):
        raise ReportError(f"{manifest_path} does not hold a JSON object")
    try:
        runs = pd.read_parquet(runs_path)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise ReportError(f"cannot read {runs_path}: {exc}") from None
    return write_report(outdir, runs, manifest)
