"""Outcomes against swept parameters: :func:`final_vs_figure` (one line per value of the
other swept parameters, a heatmap for two parameters with many values, points coloured by
the other parameter for LHS, Sobol and Morris designs) and :func:`sensitivity_figure`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...labels import axis_limits, label, point_label, title, value_text
from ..outcomes import SENSITIVITY_METRICS, _params, _scenarios, _sweep
from .base import (
    band,
    band_alpha,
    errorbars,
    final_day,
    interval_note,
    line_handle,
    metric_axis,
    n_replications,
    place_legend,
    series_label,
    series_styles,
    subplots,
    value_colors,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["final_vs_figure", "sensitivity_figure"]

#: A grid draws one line per value of the other parameters up to this many lines; two
#: parameters with more values give a heatmap.
MAX_LINES = 8
_HEIGHT = 3.9


def _is_bool(values: pd.Series) -> bool:
    return values.dtype == bool or all(isinstance(v, bool | np.bool_) for v in values)


def _x(values: pd.Series) -> np.ndarray:
    return values.astype(float).to_numpy()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _panel(ax: Any, metric: str, param: str, drawn: list[float], what: str, boolean: bool):
    metric_axis(ax, metric, drawn)
    ax.set_xlabel(label(param))
    ax.set_ylabel(label(metric))
    ax.set_title(_cap(title(metric)) + (f" · {what}" if what else ""))
    ax.grid(alpha=0.3)
    if boolean:
        ax.set_xticks([0.0, 1.0], [value_text(param, False), value_text(param, True)])
        ax.set_xlim(-0.5, 1.5)


@dataclass
class _Sweep:
    """What every final-vs figure needs: the drawn rows of the summary and their series."""

    sm: pd.DataFrame  # summary rows of the drawn metrics
    param: str  # the x-axis parameter
    combos: list[tuple[str, str]]  # (scenario, brand) series in order
    reps: int
    kind: str  # "line" (numeric grid) or "points"
    boolean: bool  # the x-axis parameter is a switch
    where: str  # the title's start

    def name(self, scenario: str, brand: str) -> str:
        scenarios = len({s for s, _ in self.combos})
        brands = len({b for _, b in self.combos})
        return series_label(scenario, brand, scenarios, brands)

    def facets(self) -> list[str]:
        """Row titles when each series gets its row of panels."""
        return [self.name(s, b) if len(self.combos) > 1 else "" for s, b in self.combos]

    def rows(self, metric: str) -> list[pd.DataFrame]:
        m = self.sm[self.sm["metric"] == metric]
        return [m[(m["scenario"] == s) & (m["brand"] == b)] for s, b in self.combos]


def _series(summary: pd.DataFrame, manifest: dict[str, Any]) -> list[tuple[str, str]]:
    scenarios = [s for s in _scenarios(manifest) if s in set(summary["scenario"])]
    brands = list(pd.unique(summary["brand"]))
    present = set(zip(summary["scenario"], summary["brand"], strict=True))
    return [(s, b) for s in scenarios for b in brands if (s, b) in present]


def _draw(
    ax: Any,
    d: pd.DataFrame,
    sw: _Sweep,
    metric: str,
    color: Any,
    ls: str,
    dodge: float = 0.0,
    alpha: float = 0.15,
) -> list[float]:
    d = d.sort_values(sw.param, kind="mergesort")
    x = _x(d[sw.param]) + dodge
    mean, low, high = (d[c].to_numpy(dtype=float) for c in ("mean", "ci_low", "ci_high"))
    if sw.kind == "line":
        single = not np.isfinite(low).any()
        return band(
            ax, x, mean, None if single else low, None if single else high, metric,
            color=color, ls=ls, marker="o", alpha=alpha,
        )  # fmt: skip
    return errorbars(ax, x, mean, low, high, metric, fmt="o", ms=5, color=color, alpha=0.85, lw=1.0)


def final_vs_figure(summary: pd.DataFrame, manifest: dict[str, Any], param: str) -> Figure:
    """Final-day conversions, backlash and trust against the swept ``param``.

    ``summary`` is :func:`socialsim.experiments.report.summarize`'s table. A grid draws
    mean and 95% CI lines, one per scenario and brand, or, with more swept parameters, one
    per value of the others (a row of panels per scenario and brand); two parameters with
    more than :data:`MAX_LINES` values give a heatmap of the means; other designs draw
    their points coloured by the other parameter. Returns a matplotlib Figure.
    """
    params = _params(manifest)
    others = [p for p in params if p != param]
    method = (_sweep(manifest) or {}).get("method")
    sm = summary[summary["metric"].isin(SENSITIVITY_METRICS)]
    boolean = _is_bool(sm[param])
    grid = method == "grid"
    where = f"{manifest.get('name', 'experiment')}: outcomes on {final_day(manifest)} against "
    where += title(param) + ("" if grid else f" ({method} design points)")
    sw = _Sweep(
        sm=sm,
        param=param,
        combos=_series(summary, manifest),
        reps=n_replications(summary, manifest),
        kind="line" if grid and not boolean else "points",
        boolean=boolean,
        where=where,
    )
    if not others:
        return _by_series(sw)
    if grid and len(sm[others].drop_duplicates()) <= MAX_LINES:
        return _by_others(sw, others)
    if grid and len(params) == 2:
        return _heatmap(sw, others[0], manifest)
    return _scatter(sw, others[0])


def _figure(rows: int, legend: int, colorbar: bool = False) -> tuple[Any, Any]:
    extra = 0.25 * -(-legend // 5) if legend > 3 else 0.0
    return subplots(
        rows,
        3,
        figsize=(15 + (0.8 if colorbar else 0.0), 1.0 + _HEIGHT * rows + extra),
        layout="constrained",
        squeeze=False,
    )


def _by_series(sw: _Sweep) -> Any:
    """One line (or dodged points for a switch) per scenario and brand."""
    ls_ok = sw.kind == "line"
    handles = [
        line_handle(c, ls if ls_ok else "", sw.name(s, b), "o")
        for (s, b), (c, ls) in zip(sw.combos, series_styles(len(sw.combos)), strict=True)
    ]
    fig, axes = _figure(1, len(handles))
    width = 0.5 / max(len(handles), 1) if sw.boolean else 0.0
    alpha = band_alpha(len(handles))
    for ax, metric in zip(axes[0], SENSITIVITY_METRICS, strict=True):
        drawn: list[float] = []
        for k, (d, h) in enumerate(zip(sw.rows(metric), handles, strict=True)):
            dodge = (k - (len(handles) - 1) / 2) * width
            drawn += _draw(ax, d, sw, metric, h.get_color(), h.get_linestyle(), dodge, alpha)
        _panel(ax, metric, sw.param, drawn, "", sw.boolean)
    if len(handles) > 1:
        place_legend(fig, axes[0][0], handles)
    fig.suptitle(f"{sw.where}; {interval_note(sw.reps)}")
    return fig


def _by_others(sw: _Sweep, others: list[str]) -> Any:
    """One line per value of the other parameters; a row of panels per scenario and brand."""
    groups = sw.sm[others].drop_duplicates().sort_values(others, kind="mergesort")
    colors = value_colors(groups[others[0]])
    rest = [tuple(r) for r in groups[others[1:]].itertuples(index=False)]
    order = {r: i for i, r in enumerate(dict.fromkeys(rest))}
    handles = []
    for (_, g), r in zip(groups.iterrows(), rest, strict=True):
        ls = ("-", "--", ":", "-.")[order[r] % 4]
        name = value_text(others[0], g[others[0]]) if len(others) == 1 else point_label(g)
        handles.append(line_handle(colors[g[others[0]]], ls, name, "o"))
    fig, axes = _figure(len(sw.combos), len(handles))
    alpha = band_alpha(len(handles))
    for c, metric in enumerate(SENSITIVITY_METRICS):
        drawn: list[float] = []
        for r, m in enumerate(sw.rows(metric)):
            for (_, g), h in zip(groups.iterrows(), handles, strict=True):
                d = m[(m[others] == g[others].to_numpy()).all(axis=1)]
                if not d.empty:
                    color, ls = h.get_color(), h.get_linestyle()
                    drawn += _draw(axes[r][c], d, sw, metric, color, ls, 0.0, alpha)
        for r, what in enumerate(sw.facets()):
            _panel(axes[r][c], metric, sw.param, drawn, what, sw.boolean)
    place_legend(fig, axes[0][0], handles, title=title(others[0]) if len(others) == 1 else None)
    per = " and ".join(title(o) for o in others)
    fig.suptitle(f"{sw.where}, one line per {per}; {interval_note(sw.reps)}")
    return fig


def _heatmap(sw: _Sweep, other: str, manifest: dict[str, Any]) -> Any:
    """Means over ``param`` x ``other``, one colour scale per outcome."""
    fig, axes = _figure(len(sw.combos), 0, colorbar=True)
    for c, metric in enumerate(SENSITIVITY_METRICS):
        rows = sw.rows(metric)
        lo, hi = axis_limits(metric, pd.concat(rows)["mean"].to_numpy(dtype=float))
        for r, (one, what) in enumerate(zip(rows, sw.facets(), strict=True)):
            ax = axes[r][c]
            table = one.pivot_table(index=other, columns=sw.param, values="mean", sort=True)
            data = table.to_numpy(dtype=float)
            im = ax.imshow(
                np.ma.masked_invalid(data), origin="lower", aspect="auto", cmap="viridis",
                vmin=lo, vmax=hi,
            )  # fmt: skip
            _annotate(ax, data, im)
            xt = [value_text(sw.param, v) for v in table.columns]
            ax.set_xticks(range(len(table.columns)), xt)
            ax.set_yticks(range(len(table.index)), [value_text(other, v) for v in table.index])
            ax.set_xlabel(label(sw.param))
            ax.set_ylabel(label(other))
            ax.set_title(_cap(title(metric)) + (f" · {what}" if what else ""))
            fig.colorbar(im, ax=ax, label=label(metric), shrink=0.9)
    note = "single run" if sw.reps <= 1 else (
        f"mean over {sw.reps} replications (95% CIs in summary.csv)"
    )  # fmt: skip
    fig.suptitle(
        f"{manifest.get('name', 'experiment')}: outcomes on {final_day(manifest)} by "
        f"{title(sw.param)} and {title(other)}; {note}"
    )
    return fig


def _annotate(ax: Any, data: np.ndarray, im: Any) -> None:
    """Each cell's value, in black or white by the cell's brightness."""
    finite = data[np.isfinite(data)]
    if data.size > 150 or not finite.size:
        return
    big = np.abs(finite).max() >= 10
    for (i, j), v in np.ndenumerate(data):
        if not np.isfinite(v):
            continue
        r, g, b, _ = im.cmap(im.norm(v))
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
        text = f"{v:.0f}" if big else f"{v:.2g}"
        ax.text(j, i, text, ha="center", va="center", fontsize=7, color="w" if dark else "k")


def _scatter(sw: _Sweep, other: str) -> Any:
    """Design points coloured by ``other`` (a legend for few values, else a colour bar)."""
    from matplotlib import cm, colors

    vals = sw.sm[other]
    discrete = _is_bool(vals) or vals.nunique() <= MAX_LINES
    fig, axes = _figure(len(sw.combos), vals.nunique() if discrete else 0, colorbar=not discrete)
    vcol = value_colors(vals) if discrete else {}
    handles = [line_handle(c, "", point_label({other: v}), marker="o") for v, c in vcol.items()]
    lo, hi = float(vals.astype(float).min()), float(vals.astype(float).max())
    scale = cm.ScalarMappable(colors.Normalize(lo, hi if hi > lo else lo + 1), cmap="viridis")
    for c, metric in enumerate(SENSITIVITY_METRICS):
        drawn: list[float] = []
        for r, m in enumerate(sw.rows(metric)):
            ax = axes[r][c]
            x = _x(m[sw.param])
            mean, low, high = (m[k].to_numpy(dtype=float) for k in ("mean", "ci_low", "ci_high"))
            drawn += errorbars(ax, x, mean, low, high, metric, fmt="none", ecolor="0.7", lw=0.8)
            if discrete:
                colours = [vcol[v] for v in m[other]]
            else:
                colours = scale.to_rgba(m[other].astype(float).to_numpy())
            ax.scatter(x, mean, c=colours, s=18, edgecolors="none", zorder=3, clip_on=False)
        for r, what in enumerate(sw.facets()):
            _panel(axes[r][c], metric, sw.param, drawn, what, sw.boolean)
    if discrete:
        place_legend(fig, axes[0][0], handles)
    else:
        fig.colorbar(scale, ax=axes, label=label(other), shrink=0.9)
    fig.suptitle(f"{sw.where}, coloured by {title(other)}; {interval_note(sw.reps)}")
    return fig


def sensitivity_figure(sens: pd.DataFrame, manifest: dict[str, Any]) -> Figure:
    """Sobol indices or Morris screening (95% bootstrap CI) per scenario and brand (rows)
    and outcome (columns). Returns a matplotlib Figure."""
    method = (_sweep(manifest) or {}).get("method")
    series = list(dict.fromkeys(zip(sens["scenario"], sens["brand"], strict=True)))
    nscen, nbrand = sens["scenario"].nunique(), sens["brand"].nunique()
    rows = max(len(series), 1)
    fig, axes = subplots(
        rows, 3, figsize=(15, 1.0 + 4.0 * rows), layout="constrained", squeeze=False
    )
    params = _params(manifest)
    x = np.arange(len(params))
    w = 0.38
    for r, (scenario, brand) in enumerate(series):
        for c, metric in enumerate(SENSITIVITY_METRICS):
            ax = axes[r][c]
            s = sens[
                (sens["scenario"] == scenario)
                & (sens["brand"] == brand)
                & (sens["metric"] == metric)
            ]
            s = s.set_index("parameter").reindex(params)
            if method == "sobol":
                bars = (("S1", "S1_conf", "first order S1"), ("ST", "ST_conf", "total ST"))
                ylabel = f"Sobol index of {title(metric)} (share of variance)"
            else:
                bars = (("mu_star", "mu_star_conf", "μ* (mean |effect|)"), ("sigma", None, "σ"))
                ylabel = f"elementary effect on {label(metric)}"
            for j, (col, conf, name) in enumerate(bars):
                yerr = None
                if conf is not None:
                    yerr = np.nan_to_num(s[conf].to_numpy(dtype=float), nan=0.0)
                ax.bar(x + (j - 0.5) * w, s[col].to_numpy(dtype=float), w, yerr=yerr,
                       capsize=3, label=name)  # fmt: skip
            ax.set_xticks(x, [title(p) for p in params], rotation=20, ha="right")
            ax.set_ylabel(ylabel)
            what = series_label(scenario, brand, nscen, nbrand) if len(series) > 1 else ""
            ax.set_title(_cap(title(metric)) + (f" · {what}" if what else ""))
            ax.axhline(0.0, color="black", lw=0.6)
            ax.grid(axis="y", alpha=0.3)
            ax.legend(fontsize="small")
    what = "Sobol indices" if method == "sobol" else "Morris screening"
    fig.suptitle(f"{manifest.get('name', 'experiment')}: {what} (95% bootstrap CI)")
    return fig
