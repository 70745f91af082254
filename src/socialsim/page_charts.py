"""The classroom page's charts: matplotlib ``Figure`` objects (no pyplot), sized for the page.

Every chart is drawn for its place on a 1024x768 screen: :data:`CHART` inches at 100 dpi are
the CSS pixels it occupies, text is at least 8.5 pt (about 12 px), and :func:`png` renders at
twice that resolution so projectors show it sharp. Axis labels come from
:func:`socialsim.labels.label`, fixed ranges from :func:`socialsim.labels.bounds` (shares and
trust 0-1, counts from 0), and day ticks are whole days.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, MultipleLocator

from .labels import bounds, label
from .mixes import MIXES
from .page_model import ClassroomModel

#: Size of a live chart (inches at 100 dpi = CSS pixels / 100) and of the preset's chart.
CHART = (3.6, 2.45)
PRESET_CHART = (4.4, 2.7)
#: Text sizes in points (at 100 dpi one point is 1.39 px: 8.5 pt is about 12 px).
RC = {
    "font.size": 9.5,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
MIX_COLORS = {"serve only": "#3182bd", "balanced": "#31a354", "hard sell": "#de2d26"}
STATUS_COLORS = {
    "unaware": "#cfcfcf",
    "aware": "#9ecae1",
    "follower": "#3182bd",
    "unfollowed": "#e6550d",
    "customer": "#31a354",
}
#: The live charts' day axis grows in these stages (then stops at the horizon).
DAY_STAGES = (30, 90, 180, 365)


@contextmanager
def _style() -> Iterator[None]:
    with mpl.rc_context(RC):
        yield


def png(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG bytes (``dpi`` 150: 1.5 times the CSS pixels, sharp on projectors)."""
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def day_limit(today: int, horizon: int) -> int:
    """Right end of the day axis: the first of :data:`DAY_STAGES` past ``today`` (at most
    the horizon), so the axis does not rescale every day."""
    return min(next((s for s in DAY_STAGES if s >= today), today), horizon)


def day_step(xmax: int) -> int:
    """Whole-day tick spacing for an axis ending at ``xmax`` (about 4-7 ticks)."""
    return next((step for step in (1, 2, 5, 10, 15, 30, 60, 90) if xmax / step <= 7), 180)


def _day_axis(ax, xmax: int) -> None:
    ax.set_xlim(0, max(xmax, 1))
    ax.xaxis.set_major_locator(MultipleLocator(day_step(max(xmax, 1))))
    ax.set_xlabel("day")


def _legend_below(fig: Figure, ax) -> None:
    """The legend under the chart, so it never hides a line on a fixed 0-1 axis."""
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", frameon=False)


def _set_bounds(ax, name: str, top: float | None = None) -> None:
    low, high = bounds(name)
    ax.set_ylim(low, high if high is not None else top)


def _new(size: tuple[float, float] = CHART) -> tuple[Figure, object]:
    fig = Figure(figsize=size, dpi=100, layout="constrained")
    return fig, fig.subplots()


#: Live lines: 2 pt wide, with a dot on today's value (visible from day 1).
_LINE = {"lw": 2, "marker": "o", "markersize": 4, "markevery": [-1]}


def _waiting(ax) -> None:
    ax.text(0.5, 0.5, "press Step or Play", transform=ax.transAxes, ha="center", color="grey")


def trust_backlash_figure(df: pd.DataFrame, horizon: int) -> Figure:
    """Mean trust and backlash over the days so far, both on a fixed 0-1 axis."""
    with _style():
        fig, ax = _new()
        today = int(df["step"].max()) if len(df) else 0
        for col, color in (("mean_trust", "#3182bd"), ("backlash", "#e6550d")):
            ax.plot(df["step"], df[col].astype(float), color=color, label=label(col), **_LINE)
        _set_bounds(ax, "mean_trust")
        _day_axis(ax, day_limit(today, horizon))
        ax.set_title("trust and backlash")
        _legend_below(fig, ax)
        if not len(df):
            _waiting(ax)
    return fig


def conversions_figure(df: pd.DataFrame, horizon: int) -> Figure:
    """Cumulative conversions over the days so far, on an axis from 0."""
    with _style():
        fig, ax = _new()
        today = int(df["step"].max()) if len(df) else 0
        values = df["conversions_total"].astype(float)
        ax.plot(df["step"], values, color="#31a354", **_LINE)
        top = max(10.0, 1.15 * float(values.max())) if len(df) else 10.0
        _set_bounds(ax, "conversions_total", top)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        _day_axis(ax, day_limit(today, horizon))
        ax.set_title(label("conversions_total"))
        if not len(df):
            _waiting(ax)
    return fig


def favour_figure(df: pd.DataFrame, horizon: int) -> Figure:
    """The favour bank: shares of aware users in credit and overdrawn, stacked (0-1)."""
    with _style():
        fig, ax = _new()
        today = int(df["step"].max()) if len(df) else 0
        if len(df):
            ax.stackplot(
                df["step"].to_numpy(dtype=float),
                df["share_in_credit"].astype(float).fillna(0.0),
                df["share_overdrawn"].astype(float).fillna(0.0),
                labels=[label("share_in_credit"), label("share_overdrawn")],
                colors=["#31a354", "#de2d26"],
                alpha=0.8,
            )
        else:
            _waiting(ax)
            for name, color in (("share_in_credit", "#31a354"), ("share_overdrawn", "#de2d26")):
                ax.fill_between([], [], color=color, alpha=0.8, label=label(name))
        _legend_below(fig, ax)
        _set_bounds(ax, "share_in_credit")
        _day_axis(ax, day_limit(today, horizon))
        ax.set_title("favour bank: served more than asked, or less")
    return fig


def network_figure(model: ClassroomModel) -> Figure:
    """A sample of at most 200 users and their friendships, coloured by status."""
    with _style():
        fig, ax = _new()
        nodes, pos, edges = model.sample_layout()
        status = model.status()[nodes]
        xy = np.array([pos[n] for n in nodes])
        index = {n: i for i, n in enumerate(nodes)}
        segments = [xy[[index[a], index[b]]] for a, b in edges]
        ax.add_collection(LineCollection(segments, colors="#bbbbbb", linewidths=0.4, zorder=1))
        for name, color in STATUS_COLORS.items():
            mask = status == name
            ax.scatter(*xy[mask].T, s=14, color=color, label=f"{name} ({mask.sum()})", zorder=2)
        ax.set_aspect("equal")
        ax.set_axis_off()
        fig.legend(loc="outside right center", frameon=False, handletextpad=0.2)
        ax.set_title(f"{len(nodes)} of {model.state.n_users:,} users by status")
    return fig


def preset_figure(df: pd.DataFrame, metric: str = "conversions_total") -> Figure:
    """The preset: each mix's mean over the replications with its 95% band (counts >= 0),
    drawn by the experiments' own :func:`~socialsim.experiments.figures.daily_figure`."""
    from .experiments.figures import daily_figure

    n = df["seed"].nunique()
    with _style():
        fig = daily_figure(
            df,
            by="mix",
            metrics=[metric],
            colors=MIX_COLORS,
            names={mix: f"{mix} ({share:.1f})" for mix, share in MIXES.items()},
            figsize=PRESET_CHART,
            legend_title="mix (sell share)",
        )
        ax = fig.axes[0]
        last = int(df["step"].max())
        if last > 30:
            ax.axvline(30, color="grey", ls=":", lw=1)
            ax.annotate(
                "day 30",
                (30, 1),
                xycoords=("data", "axes fraction"),
                color="grey",
                xytext=(3, -3),
                textcoords="offset points",
                va="top",
            )
        _day_axis(ax, last)
        ax.set_title(f"{label(metric)}\nmean of {n} runs per mix (same seeds), 95% band")
    return fig
