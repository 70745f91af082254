"""Comparisons: :func:`differences_figure` (paired differences to the reference scenario,
one row per scenario, sweep point and brand, never pooled across conditions) and
:func:`bass_figure` (the model's adopter share against the discrete Bass recursion)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...labels import label, point_label, title
from ..outcomes import SENSITIVITY_METRICS, _params, _scenarios
from .base import errorbars, line_handle, place_legend, series_styles, subplots

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["bass_figure", "differences_figure"]

#: More rows than this are drawn against the first swept parameter instead.
MAX_ROWS = 24
#: Rows up to this many get their mean written beside the marker.
_ANNOTATED = 16


def differences_figure(differences: pd.DataFrame, manifest: dict[str, Any]) -> Figure:
    """Paired differences (scenario minus reference) of final conversions, backlash and
    trust, mean and 95% CI, one row per scenario, sweep point (named by its parameter
    values) and brand.

    ``differences`` is :func:`socialsim.experiments.report.compare`'s table (or the saved
    ``differences.csv``). Sweeps with more than :data:`MAX_ROWS` rows are drawn against
    their first parameter instead. Returns a matplotlib Figure.
    """
    scenarios = _scenarios(manifest)
    ref = scenarios[0]
    params = [p for p in _params(manifest) if p in differences.columns]
    d = differences[differences["metric"].isin(SENSITIVITY_METRICS)]
    others = [s for s in scenarios[1:] if s in set(d["scenario"])]
    brands = list(pd.unique(d["brand"]))
    points = list(pd.unique(d["point"]))
    if params:  # rows in order of the parameter values
        order = d.drop_duplicates("point").sort_values([*params, "point"], kind="mergesort")
        points = list(order["point"])
    else:
        points = sorted(points)
    keys = [
        (s, p, b)
        for s in others
        for p in points
        for b in brands
        if ((d["scenario"] == s) & (d["point"] == p) & (d["brand"] == b)).any()
    ]
    values = d.groupby("point")[params].first() if params else None
    n = int(d["n"].max()) if len(d) else 0
    note = f"mean and 95% CI over {n} paired replications" if n > 1 else "single pair (no interval)"
    name = manifest.get("name", "experiment")
    one = len(others) == 1
    heading = f"{name}: paired difference " + (
        f"{others[0]} − {ref}" if one else f"of each scenario to '{ref}'"
    )
    if len(points) > 1:
        heading += ", per sweep point"
    heading += f"; {note}"
    if len(keys) > MAX_ROWS and params:
        return _against(d, keys, params[0], others, brands, ref, heading)

    def row_label(s: str, p: Any, b: str) -> str:
        parts = []
        if len(points) > 1 and values is not None:
            parts.append(point_label(values.loc[p].to_dict()))
        if len(brands) > 1:
            parts.append(str(b))
        return ", ".join(parts) or f"{s} − {ref}"

    from matplotlib.ticker import MaxNLocator

    several = len(others) > 1
    colour_by = others if several else brands
    palette = dict(zip(colour_by, (c for c, _ in series_styles(len(colour_by))), strict=True))
    fig, axes = subplots(
        1, 3, figsize=(15, 1.8 + 0.45 * len(keys)), layout="constrained", sharey=True
    )
    y = np.arange(len(keys))[::-1]
    for ax, metric in zip(axes, SENSITIVITY_METRICS, strict=True):
        m = d[d["metric"] == metric].set_index(["scenario", "point", "brand"])
        shown = [k for k in keys if k in m.index]
        width = m.loc[shown, ["mean_diff", "ci_low", "ci_high"]].abs().to_numpy(dtype=float)
        fmt = _formatter(width)
        for i, key in enumerate(keys):
            if key not in m.index:
                continue
            row = m.loc[key]
            mean, lo, hi = (float(row[c]) for c in ("mean_diff", "ci_low", "ci_high"))
            err = [[mean - lo if np.isfinite(lo) else 0.0], [hi - mean if np.isfinite(hi) else 0.0]]
            color = palette[key[0] if several else key[2]]
            ax.errorbar([mean], [y[i]], xerr=err, fmt="o", capsize=4, color=color)
            if len(keys) > _ANNOTATED:
                continue
            ax.annotate(
                fmt(mean), (mean, y[i]), xytext=(0, 7), textcoords="offset points",
                ha="center", va="bottom", fontsize=8,
            )  # fmt: skip
        for i in range(1, len(keys)):
            if keys[i][0] != keys[i - 1][0]:
                ax.axhline(y[i] + 0.5, color="0.6", lw=0.8)
        ax.axvline(0.0, color="black", lw=0.8, ls="--")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.set_xlabel(f"difference in {label(metric)}")
        head = title(metric)
        ax.set_title(head[:1].upper() + head[1:])
        ax.set_ylim(-0.7, len(keys) - 0.3)
        ax.grid(axis="x", alpha=0.3)
    labels = [row_label(*k) for k in keys]
    axes[0].set_yticks(y, labels)
    if several and any(lab != f"{k[0]} − {ref}" for lab, k in zip(labels, keys, strict=True)):
        handles = [line_handle(palette[s], "", f"{s} − {ref}", "o") for s in others]
        place_legend(fig, axes[0], handles, inside=0)
    fig.suptitle(heading)
    return fig


def _formatter(values: np.ndarray) -> Any:
    """Signed numbers with the decimals the panel's largest value needs (3 significant)."""
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 0.0
    digits = 0 if top <= 0 else max(0, 2 - math.floor(math.log10(top)))

    def fmt(v: float) -> str:
        text = f"{v:+.{digits}f}"
        if float(text) == 0.0:
            return "0"
        return text.replace("-", "−")

    return fmt


def _against(d, keys, param, others, brands, ref, heading) -> Any:
    """Differences against the first swept parameter, one colour per scenario and brand."""
    series = list(dict.fromkeys((s, b) for s, _, b in keys))
    styles = series_styles(len(series))
    names = [
        ", ".join(x for x in (f"{s} − {ref}" if len(others) > 1 else "",
                              b if len(brands) > 1 else "") if x) or f"{s} − {ref}"
        for s, b in series
    ]  # fmt: skip
    handles = [line_handle(c, "", n, "o") for (c, _), n in zip(styles, names, strict=True)]
    fig, axes = subplots(1, 3, figsize=(15, 5.0), layout="constrained")
    for ax, metric in zip(axes, SENSITIVITY_METRICS, strict=True):
        m = d[d["metric"] == metric]
        for (s, b), h in zip(series, handles, strict=True):
            sb = m[(m["scenario"] == s) & (m["brand"] == b)]
            mean, lo, hi = (sb[c].to_numpy(dtype=float) for c in ("mean_diff", "ci_low", "ci_high"))
            errorbars(ax, sb[param].astype(float).to_numpy(), mean, lo, hi, "difference",
                      fmt="o", ms=4, color=h.get_color(), alpha=0.8, lw=0.8)  # fmt: skip
        ax.axhline(0.0, color="black", lw=0.8, ls="--")
        ax.set_xlabel(label(param))
        ax.set_ylabel(f"difference in {label(metric)}")
        head = title(metric)
        ax.set_title(head[:1].upper() + head[1:])
        ax.grid(alpha=0.3)
    if len(series) > 1:
        place_legend(fig, axes[0], handles)
    fig.suptitle(heading)
    return fig


def bass_figure(check: pd.DataFrame) -> Figure:
    """The model's adopter share (markers) against the discrete Bass recursion (lines), per
    scenario; ``check`` is :func:`socialsim.experiments.report.bass_check`'s table."""
    fig, ax = subplots(figsize=(9, 5.4), layout="constrained")
    groups = list(check.groupby(["scenario", "point"], sort=False))
    styles = series_styles(len(groups))
    for ((scenario, _), grp), (color, _) in zip(groups, styles, strict=True):
        p, q, k = grp["p"].iloc[0], grp["q"].iloc[0], grp["steps_per_period"].iloc[0]
        name = f"{scenario} (p={p:g}, q={q:g}, {k:g} day/period)"
        ax.plot(grp["step"], grp["model"], "o", ms=3, color=color, label=f"{name}: model")
        ax.plot(grp["step"], grp["bass"], "-", color=color, lw=1.5, label="  Bass recursion")
    worst = check["deviation"].max()
    ax.set_title(
        f"Bass limit: adopter share against the discrete recursion (max |deviation| {worst:.3f})"
    )
    ax.set_xlabel("day")
    ax.set_ylabel(label("adopter_share"))
    ax.set_ylim(0.0, 1.0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig
