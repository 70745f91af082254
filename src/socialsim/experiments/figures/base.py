"""What every figure shares: pyplot-free figures, series styles, honest bands and axes,
legends that fit, titles that say how many runs stand behind a line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...labels import axis_limits, bounds, point_label
from ..files import atomic_write

__all__ = ["band", "metric_axis", "series_styles", "subplots", "value_colors"]

#: Line styles combined with colours once the colours run out.
STYLES: tuple[str, ...] = ("-", "--", ":", "-.")
#: Legends with more entries than this go below the figure.
_INSIDE = 3


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


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name)


# ----------------------------------------------------------------------------------------
# replications and titles


def n_replications(table: pd.DataFrame, manifest: dict[str, Any]) -> int:
    """Replications per point: from the manifest, else counted in the table."""
    if "replications" in manifest:
        return int(manifest["replications"])
    if "replication" in table.columns:
        return int(table["replication"].nunique())
    return int(table["n"].max())


def _replications(table: pd.DataFrame, manifest: dict[str, Any]) -> str:
    reps = n_replications(table, manifest)
    return f"{reps} replication" + ("" if reps == 1 else "s")


def interval_note(reps: int, what: str = "mean and 95% CI") -> str:
    """``mean and 95% CI over 5 replications``, or ``single run (no interval)``."""
    if reps <= 1:
        return "single run (no interval)"
    return f"{what} over {reps} replications"


def final_day(manifest: dict[str, Any]) -> str:
    steps = manifest.get("steps")
    return f"day {int(steps)}" if steps else "the last day"


def series_label(scenario: str, brand: str, scenarios: int, brands: int) -> str:
    """Names only what varies: the scenario, the brand, or ``scenario / brand``."""
    if brands > 1 and scenarios > 1:
        return f"{scenario} / {brand}"
    return str(brand) if brands > 1 else str(scenario)


def point_labels(values: pd.DataFrame, params: Sequence[str]) -> dict[Any, str]:
    """Point -> ``audience scepticism 0.2, sell share 0.4`` (``values`` indexed by point)."""
    return {p: point_label({k: row[k] for k in params}) for p, row in values.iterrows()}


# ----------------------------------------------------------------------------------------
# colours and styles


def series_styles(n: int) -> list[tuple[Any, str]]:
    """``n`` distinct (colour, line style) pairs: tab10 up to 10 series, then the light
    tab20 colours dashed, then both again dotted and dash-dotted (40 distinct pairs)."""
    tab20 = _cmap("tab20")
    dark = [tab20(2 * i) for i in range(10)]
    light = [tab20(2 * i + 1) for i in range(10)]
    out = []
    for k in range(n):
        block = (k // 10) % 4
        colours = dark if block % 2 == 0 else light
        out.append((colours[k % 10], STYLES[block]))
    return out


def value_colors(values: Iterable[Any]) -> dict[Any, Any]:
    """A colour per distinct value: ordered (viridis, without its pale yellow end) for
    numbers, two contrasting colours for booleans."""
    uniq = sorted(set(values), key=lambda v: float(v) if _is_number(v) else str(v))
    if uniq and all(isinstance(v, bool | np.bool_) for v in uniq):
        return {v: ("tab:blue" if v else "tab:orange") for v in uniq}
    if len(uniq) == 1:
        return {uniq[0]: "tab:blue"}
    cmap = _cmap("viridis")
    return {v: cmap(0.85 * i / (len(uniq) - 1)) for i, v in enumerate(uniq)}


def _is_number(v: Any) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


# ----------------------------------------------------------------------------------------
# honest bands and axes


def clip(metric: str, values: np.ndarray) -> np.ndarray:
    """Values clipped to the metric's bounds (counts >= 0, shares in 0-1)."""
    lo, hi = bounds(metric)
    out = np.asarray(values, dtype=float)
    return np.clip(out, -np.inf if lo is None else lo, np.inf if hi is None else hi)


def band(
    ax: Any,
    x: np.ndarray,
    mean: np.ndarray,
    low: np.ndarray | None,
    high: np.ndarray | None,
    metric: str,
    *,
    color: Any,
    ls: str = "-",
    label: str | None = None,
    alpha: float = 0.18,
    lw: float = 1.6,
    marker: str | None = None,
) -> list[float]:
    """Draw a mean line and its interval band, clipped to the metric's bounds.

    No band where the interval is missing (a single run). Returns the drawn values, for
    :func:`metric_axis`.
    """
    x = np.asarray(x, dtype=float)
    mean = np.asarray(mean, dtype=float)
    ax.plot(x, mean, color=color, ls=ls, lw=lw, label=label, marker=marker, ms=4,
            clip_on=marker is None)  # markers on the axis (a count of 0) stay whole  # fmt: skip
    drawn = list(mean[np.isfinite(mean)])
    if low is None or high is None:
        return drawn
    lo, hi = clip(metric, low), clip(metric, high)
    ok = np.isfinite(lo) & np.isfinite(hi)
    if ok.any():
        ax.fill_between(x, lo, hi, where=ok, color=color, alpha=alpha, lw=0, interpolate=False)
        drawn += list(lo[ok]) + list(hi[ok])
    return drawn


def band_alpha(lines: int) -> float:
    """Band opacity: lighter as more lines share a panel."""
    return 0.2 if lines <= 4 else 0.1 if lines <= 8 else 0.05


def errorbars(
    ax: Any, x: np.ndarray, mean: np.ndarray, low: np.ndarray, high: np.ndarray, metric: str, **kw
) -> list[float]:
    """Markers with clipped error bars where the interval is finite."""
    mean = np.asarray(mean, dtype=float)
    lo, hi = clip(metric, low), clip(metric, high)
    yerr = np.vstack([mean - lo, hi - mean])
    yerr = np.where(np.isfinite(yerr), np.maximum(yerr, 0.0), 0.0)
    has = bool(np.isfinite(lo).any())
    ax.errorbar(x, mean, yerr=yerr if has else None, capsize=2 if has else 0, clip_on=False, **kw)
    vals = np.concatenate([mean, lo, hi])
    return list(vals[np.isfinite(vals)])


def metric_axis(ax: Any, metric: str, values: Iterable[float], axis: str = "y") -> None:
    """Set the limits of ``axis`` from :func:`socialsim.labels.axis_limits`."""
    lo, hi = axis_limits(metric, values)
    (ax.set_ylim if axis == "y" else ax.set_xlim)(lo, hi)


def day_axis(ax: Any) -> None:
    """Label the x axis "day" with whole-day ticks."""
    from matplotlib.ticker import MaxNLocator

    ax.set_xlabel("day")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))


def place_legend(
    fig: Any, ax: Any, handles: list[Any], title: str | None = None, inside: int = _INSIDE
) -> None:
    """Inside ``ax`` for a few entries, else below the figure in up to 5 columns."""
    if not handles:
        return
    if len(handles) <= inside:
        ax.legend(handles=handles, fontsize="small", title=title, title_fontsize="small")
        return
    ncols = min(len(handles), 5 if max(len(h.get_label()) for h in handles) < 28 else 3)
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=ncols,
        fontsize="small",
        title=title,
        title_fontsize="small",
        frameon=False,
    )


def line_handle(color: Any, ls: str, label: str, marker: str | None = None) -> Any:
    """A legend entry drawn like the series it names."""
    from matplotlib.lines import Line2D

    return Line2D([], [], color=color, ls=ls, lw=1.8, marker=marker, ms=4, label=label)
