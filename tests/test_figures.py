"""The report's figures read at a glance: plain labels with units, one line per value of a
second swept parameter, differences per sweep point, honest bands and axes, distinct
styles for many brands, and no warnings while drawing (small synthetic runs tables)."""

from __future__ import annotations

import io
import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Text

from socialsim.experiments.figures import (
    daily_figure,
    differences_figure,
    final_vs_figure,
    make_figures,
    sensitivity_figure,
    series_styles,
    timeseries_figure,
)
from socialsim.experiments.report import compare, sensitivity, summarize

METRICS = ("conversions_total", "backlash", "mean_trust")
RAW = ("brands[", "users.", "mechanisms.", "conversions_total", "mean_trust", "final conv")


def synthetic(
    scenarios=("base",),
    brands=("brand",),
    grid: dict[str, list] | None = None,
    reps: int = 3,
    steps: int = 5,
    method: str = "grid",
    design: list[tuple] | None = None,
    effect: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """A runs table shaped like the runner's: conversions small and noisy (their t-interval
    reaches below zero), backlash tiny, trust near 0.4; ``effect`` adds to a scenario's
    conversions."""
    grid = grid or {}
    params = list(grid)
    points = design if design is not None else list(itertools.product(*grid.values()))
    points = points or [()]
    rng = np.random.default_rng(0)
    rows = []
    for s, p, r, b in itertools.product(scenarios, range(len(points)), range(reps), brands):
        values = dict(zip(params, points[p], strict=True))
        level = 1.0 + (effect or {}).get(s, 0.0) + sum(float(v) for v in values.values())
        noise = rng.normal(0, 1.0)
        for step in range(1, steps + 1):
            row = {
                "run_id": f"{s}/p{p:04d}/r{r:03d}",
                "scenario": s,
                "point": p,
                "replication": r,
                "seed": r,
                **values,
                "step": step,
                "brand": b,
                "conversions_total": max(0.0, (level + noise) * step / steps),
                "backlash": 0.002 + 0.0005 * rng.random(),
                "mean_trust": 0.4 + 0.01 * rng.normal(),
            }
            rows.append(row)
    runs = pd.DataFrame(rows)
    sweep = None
    if params:
        sweep = {"method": method, "parameters": params, "points": len(points)}
    manifest = {
        "name": "synthetic",
        "scenarios": list(scenarios),
        "replications": reps,
        "steps": steps,
        "sweep": sweep,
    }
    return runs, manifest


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def drawn(fig: Figure) -> Figure:
    """Render the figure (layout and text happen at draw time) and return it."""
    fig.savefig(io.BytesIO(), format="png", dpi=40)
    return fig


def assert_plain(fig: Figure) -> None:
    for text in texts(fig):
        assert not any(raw in text for raw in RAW), text


GRID2 = {"users.skepticism": [0.2, 0.5, 0.8], "brands[0].sell_share": [0.0, 0.5, 1.0]}


# ----------------------------------------------------------------------------------------
# labels and titles


def test_labels_and_titles_use_plain_names_with_units():
    runs, manifest = synthetic(("soft", "hard"), grid=GRID2, effect={"hard": 2})
    summary = summarize(runs, manifest)
    for fig in (
        timeseries_figure(runs, manifest),
        final_vs_figure(summary, manifest, "brands[0].sell_share"),
        final_vs_figure(summary, manifest, "users.skepticism"),
        differences_figure(compare(runs, manifest), manifest),
    ):
        assert_plain(drawn(fig))
    fig = final_vs_figure(summary, manifest, "brands[0].sell_share")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "sell share (share of posts that pitch)"
    assert ax.get_ylabel() == "cumulative conversions (purchases)"
    assert "95% CI over 3 replications" in fig.get_suptitle()


def test_sensitivity_figure_names_parameters_plainly():
    params = ["brands[0].sell_share", "users.skepticism"]
    manifest = {
        "name": "m",
        "scenarios": ["base"],
        "sweep": {"method": "morris", "parameters": params},
    }
    sens = pd.DataFrame(
        {
            "scenario": "base",
            "brand": "brand",
            "metric": np.repeat(METRICS, 2),
            "parameter": params * 3,
            "mu_star": 1.0,
            "mu_star_conf": 0.1,
            "sigma": 0.5,
        }
    )
    fig = drawn(sensitivity_figure(sens, manifest))
    assert_plain(fig)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [
        "sell share",
        "audience scepticism",
    ]


# ----------------------------------------------------------------------------------------
# two swept parameters


def test_two_parameter_grid_draws_one_line_per_value_of_the_other():
    runs, manifest = synthetic(grid=GRID2)
    summary = summarize(runs, manifest)
    for param, other in (("brands[0].sell_share", "0.2"), ("users.skepticism", "0.5")):
        fig = drawn(final_vs_figure(summary, manifest, param))
        for ax in fig.axes[:3]:
            assert len(ax.get_lines()) == 3  # one line per value of the other parameter
            colours = {tuple(np.round(line.get_color(), 4)) for line in ax.get_lines()}
            assert len(colours) == 3
        legend = fig.legends[0] if fig.legends else fig.axes[0].get_legend()
        names = [t.get_text() for t in legend.get_texts()]
        assert len(names) == 3 and other in names
        # each line holds the means at one value of the other parameter
        other_name = next(p for p in GRID2 if p != param)
        conv = summary[summary["metric"] == "conversions_total"]
        first = conv[conv[other_name] == GRID2[other_name][0]].sort_values(param)
        np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), first["mean"])


def test_two_parameters_with_many_values_give_a_heatmap():
    grid = {"users.skepticism": [0.2, 0.4, 0.6, 0.8], "brands[0].sell_share": list(range(11))}
    runs, manifest = synthetic(grid=grid, reps=2, steps=2)
    summary = summarize(runs, manifest)
    fig = drawn(final_vs_figure(summary, manifest, "users.skepticism"))  # 11 other values
    heat = [ax for ax in fig.axes if ax.images]
    assert len(heat) == 3
    assert heat[0].images[0].get_array().shape == (11, 4)
    assert_plain(fig)
    lines = drawn(final_vs_figure(summary, manifest, "brands[0].sell_share"))  # 4 values
    assert len(lines.axes[0].get_lines()) == 4


def test_sampled_designs_colour_points_by_the_other_parameter():
    rng = np.random.default_rng(2)
    design = [tuple(x) for x in rng.uniform(size=(20, 2))]
    grid = {"brands[0].sell_share": [], "users.skepticism": []}
    runs, manifest = synthetic(grid=grid, design=design, reps=1, method="latin")
    summary = summarize(runs, manifest)
    fig = drawn(final_vs_figure(summary, manifest, "brands[0].sell_share"))
    dots = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    assert len(dots) == 1 and len(dots[0].get_offsets()) == 20
    assert len({tuple(c) for c in np.round(dots[0].get_facecolors(), 4)}) == 20
    assert any("audience scepticism" in t for t in texts(fig))  # the colour bar's label
    assert "coloured by audience scepticism" in fig.get_suptitle()


# ----------------------------------------------------------------------------------------
# differences


def test_differences_are_per_sweep_point_never_pooled():
    grid = {"mechanisms.favor": [True, False]}
    runs, manifest = synthetic(("pitch_first", "earn_then_ask"), grid=grid, reps=4,
                               effect={"earn_then_ask": 3})  # fmt: skip
    diffs = compare(runs, manifest)
    fig = drawn(differences_figure(diffs, manifest))
    ax = fig.axes[0]
    assert len(ax.containers) == 1 * 2  # (scenarios - 1) x points
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(ticks) == ["favour bank off", "favour bank on"]
    conv = diffs[diffs["metric"] == "conversions_total"].set_index("mechanisms.favor")
    means = sorted(c.lines[0].get_xdata()[0] for c in ax.containers)
    np.testing.assert_allclose(means, sorted(conv["mean_diff"]))
    assert "earn_then_ask − pitch_first" in fig.get_suptitle()


def test_differences_rows_are_scenarios_times_points():
    grid = {"users.skepticism": [0.2, 0.5, 0.8]}
    runs, manifest = synthetic(("a", "b", "c"), grid=grid, effect={"b": 1, "c": 2})
    fig = drawn(differences_figure(compare(runs, manifest), manifest))
    for ax in fig.axes:
        assert len(ax.containers) == 2 * 3
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["b − a", "c − a"]


# ----------------------------------------------------------------------------------------
# bands, axes and single runs


def _lower_edges(ax) -> list[float]:
    lows = []
    for c in ax.collections:
        if isinstance(c, PolyCollection):
            for path in c.get_paths():
                lows.append(path.vertices[:, 1].min())
        elif isinstance(c, LineCollection):
            for seg in c.get_segments():
                lows.append(np.asarray(seg)[:, 1].min())
    return lows


def test_count_bands_stop_at_zero_and_shares_start_at_zero():
    runs, manifest = synthetic(grid={"brands[0].sell_share": [0.0, 0.5]}, reps=3)
    summary = summarize(runs, manifest)
    conv = summary[summary["metric"] == "conversions_total"]
    assert (conv["ci_low"] < 0).any()  # the raw interval does reach below zero
    ts = drawn(timeseries_figure(runs, manifest))
    fv = drawn(final_vs_figure(summary, manifest, "brands[0].sell_share"))
    for fig in (ts, fv):
        conv_ax, backlash_ax, trust_ax = fig.axes[:3]
        lows = _lower_edges(conv_ax)
        assert lows and min(lows) >= 0.0
        assert conv_ax.get_ylim()[0] == 0.0
        # backlash of 0.002 stays visible: from 0 to a round limit, not 0-1, not autoscaled
        assert backlash_ax.get_ylim() == (0.0, 0.01)
        assert trust_ax.get_ylim() == (0.0, 1.0)


def test_a_single_run_says_so_and_draws_no_band():
    runs, manifest = synthetic(("a", "b"), reps=1)
    ts = drawn(timeseries_figure(runs, manifest))
    assert "single run (no interval)" in ts.get_suptitle()
    assert "CI" not in ts.get_suptitle() and "1 replication" not in ts.get_suptitle()
    assert not [c for ax in ts.axes for c in ax.collections if isinstance(c, PolyCollection)]
    diff = drawn(differences_figure(compare(runs, manifest), manifest))
    assert "no interval" in diff.get_suptitle()
    grid = {"brands[0].sell_share": [0.0, 0.5, 1.0]}
    runs, manifest = synthetic(grid=grid, reps=1)
    fv = drawn(final_vs_figure(summarize(runs, manifest), manifest, "brands[0].sell_share"))
    assert "single run (no interval)" in fv.get_suptitle()
    assert not [c for ax in fv.axes for c in ax.collections if isinstance(c, PolyCollection)]


# ----------------------------------------------------------------------------------------
# many brands


def test_many_brands_get_distinct_styles_and_a_legend_outside():
    brands = [f"brand_{k:02d}" for k in range(14)]
    runs, manifest = synthetic(brands=brands, reps=2, steps=3)
    fig = drawn(timeseries_figure(runs, manifest))
    lines = fig.axes[0].get_lines()
    assert len(lines) == 14
    styles = {(tuple(np.round(line.get_color(), 4)), line.get_linestyle()) for line in lines}
    assert len(styles) == 14
    assert len({tuple(np.round(line.get_color(), 4)) for line in lines}) == 14  # colours too
    assert fig.legends and not fig.axes[0].get_legend()  # below the panels
    assert len(fig.legends[0].get_texts()) == 14
    assert len(set(series_styles(40))) == 40


# ----------------------------------------------------------------------------------------
# no warnings, reuse


def test_drawing_every_kind_emits_no_warnings(tmp_path):
    cases = [
        synthetic(("a", "b"), reps=1),
        synthetic(("a", "b"), grid={"mechanisms.favor": [True, False]}),
        synthetic(grid=GRID2, reps=2),
        synthetic(brands=[f"b{k}" for k in range(14)], reps=2, steps=3),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k, (runs, manifest) in enumerate(cases):
            paths = make_figures(runs, manifest, tmp_path / str(k))
            assert paths and all(p.stat().st_size > 1000 for p in paths)
        runs, manifest = cases[0]
        drawn(daily_figure(runs.assign(mix=runs["scenario"]), by="mix", heading="demo"))


def test_figure_functions_return_figures_for_reuse():
    runs, manifest = synthetic(("a", "b"), grid={"users.skepticism": [0.2, 0.8]})
    summary = summarize(runs, manifest)
    assert sensitivity(runs, manifest) is None
    figs = [
        timeseries_figure(runs, manifest),
        final_vs_figure(summary, manifest, "users.skepticism"),
        differences_figure(compare(runs, manifest), manifest),
        daily_figure(runs, by="scenario", metrics=["conversions_total"]),
    ]
    assert all(isinstance(f, Figure) for f in figs)
    one = figs[-1]
    assert len(one.axes) == 1 and one.axes[0].get_title() == "Cumulative conversions"


@pytest.mark.parametrize("reps", [1, 3])
def test_daily_figure_bands_only_with_replications(reps):
    runs, _ = synthetic(("x", "y"), reps=reps)
    fig = drawn(daily_figure(runs, by="scenario"))
    bands = [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]
    assert len(bands) == (2 if reps > 1 else 0)
