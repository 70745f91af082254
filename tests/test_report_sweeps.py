"""Report tables and figures of sweeps: Sobol and Morris sensitivity, grids, the best
value of a swept parameter, the Bass check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from report_runs import SCENARIOS, TINY, assemble, is_png, manifest_for, synthetic_runs
from socialsim.experiments.report import (
    OUTCOMES,
    compare,
    make_figures,
    sensitivity,
    summarize,
    write_report,
)

PARAMS = ["brands[0].sell_share", "users.skepticism"]
BOUNDS = [[0.0, 1.0], [0.1, 0.9]]
PROBLEM = {"num_vars": 2, "names": PARAMS, "bounds": BOUNDS}


def _sweep_runs(method: str) -> tuple[pd.DataFrame, dict]:
    if method == "sobol":
        from SALib.sample import sobol as sampler

        X = sampler.sample(PROBLEM, 8, calc_second_order=False, seed=1)
        extra = {"second_order": False}
    else:
        from SALib.sample import morris as sampler

        X = sampler.sample(PROBLEM, 4, num_levels=4, seed=1)
        extra = {"num_levels": 4}
    sweep = {
        "method": method,
        "parameters": PARAMS,
        "bounds": BOUNDS,
        "samples": 8 if method == "sobol" else 4,
        "points": len(X),
        **extra,
    }
    runs = assemble(TINY, {"base": [{}]}, replications=1, points=X, params=PARAMS)
    return runs, manifest_for(["base"], 1, TINY["steps"], sweep)


@pytest.fixture(scope="module")
def sobol_runs():
    return _sweep_runs("sobol")


@pytest.fixture(scope="module")
def morris_runs():
    return _sweep_runs("morris")


def test_sobol_sensitivity(sobol_runs):
    runs, manifest = sobol_runs
    assert runs["point"].nunique() == 8 * 4
    sens = sensitivity(runs, manifest)
    assert list(sens.columns) == [
        "scenario",
        "brand",
        "metric",
        "parameter",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
    ]
    assert len(sens) == 3 * 2
    assert list(sens["parameter"].iloc[:2]) == PARAMS
    conv = sens[sens["metric"].isin(["conversions_total", "mean_trust"])]
    assert np.isfinite(conv[["S1", "ST", "S1_conf", "ST_conf"]].to_numpy()).all()
    # deterministic bootstrap
    pd.testing.assert_frame_equal(sens, sensitivity(runs, manifest))
    # scepticism drives mean trust (its prior): the largest total index
    trust = sens[sens["metric"] == "mean_trust"].set_index("parameter")
    assert trust.loc["users.skepticism", "ST"] > trust.loc["brands[0].sell_share", "ST"]


def test_sobol_summary_has_parameter_columns(sobol_runs):
    runs, manifest = sobol_runs
    summary = summarize(runs, manifest)
    assert list(summary.columns[:4]) == ["scenario", "point", *PARAMS]
    first = runs.groupby("point")[PARAMS].first()
    conv = summary[summary["metric"] == "conversions_total"].set_index("point")
    np.testing.assert_allclose(conv[PARAMS].to_numpy(), first.to_numpy())
    assert conv["ci_low"].isna().all()


def test_morris_sensitivity_and_report(morris_runs, tmp_path):
    runs, manifest = morris_runs
    sens = sensitivity(runs, manifest)
    assert list(sens.columns) == [
        "scenario",
        "brand",
        "metric",
        "parameter",
        "mu_star",
        "mu_star_conf",
        "sigma",
    ]
    assert len(sens) == 3 * 2
    vals = sens[sens["metric"] != "backlash"][["mu_star", "mu_star_conf", "sigma"]]
    assert np.isfinite(vals.to_numpy()).all()
    assert (sens["mu_star"].dropna() >= 0).all()

    written = write_report(tmp_path, runs, manifest)
    names = set(written)
    assert "sensitivity.csv" in names and "differences.csv" not in names
    assert {
        "figures/timeseries.png",
        "figures/sensitivity.png",
        "figures/final_vs_brands_0__sell_share.png",
        "figures/final_vs_users_skepticism.png",
    } <= names
    assert all(is_png(p) for k, p in written.items() if k.endswith(".png"))


def test_grid_sweep_with_two_scenarios(tmp_path):
    grid = np.array([[0.1], [0.5], [0.9]])
    params = ["users.skepticism"]
    runs = assemble(TINY, SCENARIOS, replications=2, points=grid, params=params)
    sweep = {"method": "grid", "parameters": params, "bounds": [[0.1, 0.9]], "points": 3}
    manifest = manifest_for(SCENARIOS, 2, TINY["steps"], sweep)
    diffs = compare(runs, manifest)
    assert len(diffs) == 3 * len(OUTCOMES)
    assert list(diffs.columns[:4]) == ["scenario", "reference", "point", "users.skepticism"]
    assert sorted(diffs["users.skepticism"].unique()) == [0.1, 0.5, 0.9]
    written = write_report(tmp_path, runs, manifest)
    assert {"figures/final_vs_users_skepticism.png", "figures/differences.png"} <= set(written)


def test_sobol_figures_with_many_points(sobol_runs, tmp_path):
    runs, manifest = sobol_runs
    paths = make_figures(runs, manifest, tmp_path)
    assert [p.name for p in paths] == [
        "final_vs_brands_0__sell_share.png",
        "final_vs_users_skepticism.png",
        "sensitivity.png",
        "timeseries.png",
    ]
    assert all(is_png(p) for p in paths)


def test_best_values_finds_the_peak_with_a_bootstrap_interval():
    from socialsim.experiments.report import best_values

    rng = np.random.default_rng(0)
    noise = rng.normal(0, 1.0, size=10)
    runs = synthetic_runs(
        [0.0, 0.25, 0.5, 0.75, 1.0], 10, lambda v, r: 100 - 80 * (v - 0.5) ** 2 + noise[r]
    )
    manifest = {
        "name": "x",
        "scenarios": ["base"],
        "sweep": {
            "method": "grid",
            "parameters": ["brands[0].sell_share"],
            "optimize": "brands[0].sell_share",
            "objective": "conversions_total",
        },
    }
    best = best_values(runs, manifest)
    row = best.iloc[0]
    assert row["best"] == 0.5 and row["best_ci_low"] <= 0.5 <= row["best_ci_high"]
    assert row["share_of_resamples"] > 0.95 and row["n"] == 10
    assert row["best_mean"] == pytest.approx(100 + noise.mean())
    # a flat curve (same mean at every value) gives a wide interval
    base = rng.normal(50, 5, size=10)
    perms = {v: rng.permutation(base) for v in (0.0, 0.5, 1.0)}  # equal means
    flat = synthetic_runs([0.0, 0.5, 1.0], 10, lambda v, r: perms[v][r])
    wide = best_values(flat, manifest).iloc[0]
    assert wide["best_ci_high"] - wide["best_ci_low"] >= 0.5
    assert best_values(runs, {**manifest, "sweep": {**manifest["sweep"], "optimize": None}}) is None


def test_bass_check_measures_the_deviation_from_the_recursion():
    from socialsim.experiments.report import bass_check, bass_recursion

    F = bass_recursion(0.03, 0.38, 20)
    assert F[0] == pytest.approx(0.03) and F[1] == pytest.approx(0.03 + (0.03 + 0.38 * 0.03) * 0.97)
    runs = pd.DataFrame(
        {
            "run_id": "m/p0000/r000",
            "scenario": "m",
            "point": 0,
            "replication": 0,
            "seed": 0,
            "step": np.arange(1, 21),
            "brand": "b",
            "adopter_share": F + 0.01 * (np.arange(20) == 7),
        }
    )
    manifest = {"experiment": {"scenarios": {"m": {"bass": {"p": 0.03, "q": 0.38}}}}}
    check = bass_check(runs, manifest)
    assert len(check) == 20
    assert check["deviation"].max() == pytest.approx(0.01)
    assert int(check.loc[check["deviation"].idxmax(), "step"]) == 8
    assert bass_check(runs, {"experiment": {"scenarios": {"m": {"bass": {"p": None}}}}}) is None
