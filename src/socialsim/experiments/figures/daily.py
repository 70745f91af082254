"""Outcomes by day: :func:`timeseries_figure` for an experiment (scenarios, brands and
sweep points), :func:`daily_figure` for any table of runs grouped by a column (the demo's
mixes, a notebook's strategies, the page's single run)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...labels import label, title, value_text
from ..outcomes import SENSITIVITY_METRICS, _brands, _params, _scenarios, _sweep, run_outcomes
from ..stats import _aggregate
from .base import (
    band,
    band_alpha,
    day_axis,
    interval_note,
    line_handle,
    metric_axis,
    n_replications,
    place_legend,
    point_labels,
    series_label,
    series_styles,
    subplots,
    value_colors,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["daily_figure", "timeseries_figure"]

#: Sweeps with at most this many points show all of them (one parameter: 12).
_ALL_POINTS = 6
_ALL_POINTS_ONE_PARAM = 12
_HEIGHT = 3.9  # inches per row of panels


def _daily_ci(runs: pd.DataFrame, keys: list[str], metric: str) -> pd.DataFrame:
    long = runs[[*keys, "step", metric]].rename(columns={metric: "value"})
    long = long.assign(value=long["value"].astype(float))
    return _aggregate(long, [*keys, "step"]).sort_values("step", kind="mergesort")


def _draw(ax: Any, d: pd.DataFrame, metric: str, alpha: float, **style: Any) -> list[float]:
    single = not np.isfinite(d["ci_low"].to_numpy(dtype=float)).any()
    return band(
        ax,
        d["step"].to_numpy(),
        d["mean"].to_numpy(),
        None if single else d["ci_low"].to_numpy(),
        None if single else d["ci_high"].to_numpy(),
        metric,
        alpha=alpha,
        **style,
    )


def _finish(axes: Sequence[Any], metric: str, drawn: list[float], what: Sequence[str]) -> None:
    """Label a column of panels of one metric, all on the same axis limits."""
    for ax, w in zip(axes, what, strict=True):
        metric_axis(ax, metric, drawn)
        day_axis(ax)
        ax.set_ylabel(label(metric))
        head = title(metric)
        ax.set_title(head[:1].upper() + head[1:] + (f" · {w}" if w else ""))
        ax.grid(alpha=0.3)


def daily_figure(
    runs: pd.DataFrame,
    by: str = "scenario",
    metrics: Sequence[str] = SENSITIVITY_METRICS,
    *,
    heading: str | None = None,
    colors: Mapping[Any, Any] | None = None,
    names: Mapping[Any, str] | None = None,
    figsize: tuple[float, float] | None = None,
    legend_title: str | None = None,
) -> Figure:
    """Mean and 95% CI by day of each group of ``runs`` (one panel per metric).

    ``runs`` has a ``step`` column, the column ``by`` and the metrics; the rows of a group
    on one day are its replications (one row per day draws the line alone). ``colors`` and
    ``names`` map group values to colours and legend names; ``figsize`` defaults to 5 x 4.6
    inches per panel. Returns a matplotlib Figure (the report, the demo and the classroom
    page's preset draw with it).
    """
    groups = list(pd.unique(runs[by]))
    styles = dict(zip(groups, series_styles(len(groups)), strict=True))
    fig, axes = subplots(
        1,
        len(metrics),
        figsize=figsize or (5 * len(metrics), 4.6),
        layout="constrained",
        squeeze=False,
    )
    handles = []
    for g in groups:
        color, ls = styles[g]
        color = (colors or {}).get(g, color)
        handles.append(line_handle(color, ls, (names or {}).get(g, str(g))))
    for ax, metric in zip(axes[0], metrics, strict=True):
        daily = _daily_ci(runs, [by], metric)
        drawn: list[float] = []
        for g, h in zip(groups, handles, strict=True):
            d = daily[daily[by] == g]
            alpha = band_alpha(len(groups))
            drawn += _draw(ax, d, metric, alpha, color=h.get_color(), ls=h.get_linestyle())
        _finish([ax], metric, drawn, [""])
    place_legend(fig, axes[0][0], handles, title=legend_title)
    if heading:
        fig.suptitle(heading)
    return fig


def _selected_points(
    values: pd.DataFrame, params: list[str], method: str | None
) -> tuple[list[Any], list[str]]:
    """Points drawn by day and the parameters they span: all if few; else, in a grid, those
    at the lowest, middle and highest value of every parameter; else the points with the
    lowest, middle and highest first parameter."""
    limit = _ALL_POINTS_ONE_PARAM if len(params) == 1 else _ALL_POINTS
    if len(values) <= limit:
        return list(values.index), params
    if method == "grid":
        keep = pd.Series(True, index=values.index)
        for p in params:
            vals = sorted(pd.unique(values[p]))
            keep &= values[p].isin({vals[0], vals[len(vals) // 2], vals[-1]})
        if keep.any():
            return list(values.index[keep]), params
    ranked = values[params[0]].sort_values(kind="mergesort").index.to_list()
    return list(dict.fromkeys([ranked[0], ranked[len(ranked) // 2], ranked[-1]])), params[:1]


def _point_styles(values: pd.DataFrame, params: list[str]) -> dict[Any, tuple[Any, str]]:
    """Colour by the first parameter, line style by the combination of the others."""
    colors = value_colors(values[params[0]])
    rest = [tuple(r) for r in values[params[1:]].itertuples(index=False)]
    order = {c: i for i, c in enumerate(sorted(set(rest), key=str))}
    styles = ("-", "--", ":", "-.")
    return {
        p: (colors[values.loc[p, params[0]]], styles[order[r] % len(styles)])
        for p, r in zip(values.index, rest, strict=True)
    }


def timeseries_figure(
    runs: pd.DataFrame, manifest: dict[str, Any], outcomes: pd.DataFrame | None = None
) -> Figure:
    """Conversions, backlash and trust by day: mean and 95% CI per scenario and brand, and
    per sweep point (a few representative points of large sweeps), one row of panels per
    scenario/brand when a sweep has several. Returns a matplotlib Figure."""
    from matplotlib import cm, colors

    outcomes = run_outcomes(runs) if outcomes is None else outcomes
    scenarios = [s for s in _scenarios(manifest) if s in set(runs["scenario"])]
    brands = _brands(runs)
    present = set(zip(runs["scenario"], runs["brand"], strict=True))
    combos = [(s, b) for s in scenarios for b in brands if (s, b) in present]
    params = _params(manifest)
    reps = n_replications(runs, manifest)
    values = outcomes.groupby("point", sort=True)[params].first() if params else None
    swept = values is not None and len(values) > 1
    metrics = SENSITIVITY_METRICS

    def name(s: str, b: str) -> str:
        return series_label(s, b, len(scenarios), len(brands))

    if not swept:
        rows: list[list[tuple[str, str]]] = [combos]
        points = sorted(pd.unique(runs["point"]))
        styles = dict(zip(combos, series_styles(len(combos)), strict=True))
        handles = [line_handle(*styles[c], name(*c)) for c in combos]
    else:
        rows = [[c] for c in combos]
        method = (_sweep(manifest) or {}).get("method")
        points, spanned = _selected_points(values, params, method)
        pstyles = _point_styles(values.loc[points], spanned)
        if len(params) == 1:  # the legend's title names the parameter
            plabels = {p: value_text(params[0], values.loc[p, params[0]]) for p in points}
        else:
            plabels = point_labels(values.loc[points], params)
        handles = [line_handle(*pstyles[p], plabels[p]) for p in points]
    nlines = len(rows[0]) * len(points)
    alpha = band_alpha(nlines)
    colorbar = swept and len(params) == 1 and len(points) > _ALL_POINTS
    fig, axes = subplots(
        len(rows),
        3,
        figsize=(15, 1.0 + _HEIGHT * len(rows) + (0 if colorbar else 0.25 * -(-len(handles) // 5))),
        layout="constrained",
        squeeze=False,
    )
    sub = runs[runs["point"].isin(points)]
    keys = ["scenario", "brand", "point"]
    for c, metric in enumerate(metrics):
        daily = _daily_ci(sub, keys, metric)
        groups = dict(iter(daily.groupby(keys, sort=False)))
        drawn: list[float] = []
        for r, row in enumerate(rows):
            ax = axes[r][c]
            for s, b in row:
                for p in points:
                    d = groups.get((s, b, p))
                    if d is None:
                        continue
                    color, ls = pstyles[p] if swept else styles[(s, b)]
                    drawn += _draw(ax, d, metric, alpha, color=color, ls=ls)
        what = [name(*row[0]) if swept and len(rows) > 1 else "" for row in rows]
        _finish([axes[r][c] for r in range(len(rows))], metric, drawn, what)
    heading = f"{manifest.get('name', 'experiment')}: daily outcomes, {interval_note(reps)}"
    if swept and len(points) < len(values):
        shown = " and ".join(title(p) for p in spanned)
        heading += (
            f"\n{len(points)} of {len(values)} sweep points: lowest, middle and highest {shown}"
        )
    if colorbar:  # one colour per value, ticks at the values (not a linear scale)
        order = values.loc[points].sort_values(params[0], kind="mergesort").index
        cmap = colors.ListedColormap([pstyles[p][0] for p in order])
        norm = colors.BoundaryNorm(np.arange(len(order) + 1), cmap.N)
        bar = fig.colorbar(
            cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes, label=label(params[0]), shrink=0.9
        )
        bar.set_ticks(
            np.arange(len(order)) + 0.5,
            labels=[value_text(params[0], values.loc[p, params[0]]) for p in order],
        )
        bar.ax.tick_params(length=0)
    else:
        title_ = (title(params[0]) if len(params) == 1 else "sweep point") if swept else None
        place_legend(fig, axes[0][0], handles, title=title_)
    fig.suptitle(heading)
    return fig
