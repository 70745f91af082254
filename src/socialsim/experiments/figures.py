"""The experiment's figures (matplotlib, drawn without pyplot).

:func:`make_figures` draws the time series, the final outcomes against each swept
parameter, the sensitivity indices and the paired differences to the reference scenario;
:func:`_fig_bass` draws the Bass-limit check. :func:`subplots` gives a figure without
touching pyplot's global state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .files import atomic_write
from .outcomes import (
    SENSITIVITY_METRICS,
    _brands,
    _check,
    _params,
    _scenarios,
    _sweep,
    run_outcomes,
)
from .sensitivity import sensitivity
from .stats import _aggregate, _paired_differences, summarize

__all__ = ["make_figures", "subplots"]

_MAX_TIMESERIES_POINTS = 12
_LABELS = {
    "conversions_total": "cumulative conversions (purchases)",
    "mean_trust": "mean trust (0-1)",
    "backlash": "backlash (share of aware users)",
}


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


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
