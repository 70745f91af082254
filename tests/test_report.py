"""Tests of socialsim.experiments.report on small real runs of the model."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from report_runs import SCENARIOS, SMALL, TINY, assemble, is_png, manifest_for, synthetic_runs
from socialsim.experiments.report import (
    OUTCOMES,
    ReportError,
    compare,
    make_figures,
    rebuild,
    run_outcomes,
    sensitivity,
    summarize,
    write_report,
)


@pytest.fixture(scope="module")
def two_scenarios() -> tuple[pd.DataFrame, dict]:
    runs = assemble(SMALL, SCENARIOS, replications=3)
    return runs, manifest_for(SCENARIOS, 3, SMALL["steps"])


def _final(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    last = runs[runs["step"] == runs["step"].max()]
    return last[["scenario", "point", "replication", "brand", metric]]


# ----------------------------------------------------------------------------------------
# outcomes and summary


def test_run_outcomes_stock_flow_and_roi(two_scenarios):
    runs, _ = two_scenarios
    out = run_outcomes(runs)
    assert len(out) == 6
    assert list(out.columns[:6]) == ["run_id", "scenario", "point", "replication", "seed", "brand"]
    assert list(out.columns[6:]) == list(OUTCOMES)
    one = runs[runs["run_id"] == "hard/p0000/r001"]
    row = out[out["run_id"] == "hard/p0000/r001"].iloc[0]
    assert row["conversions_total"] == one["conversions_total"].iloc[-1]
    assert row["mean_trust"] == pytest.approx(one["mean_trust"].iloc[-1])
    assert row["total_complaints"] == one["complaints"].sum()
    assert row["total_revenue"] == pytest.approx(one["revenue"].sum())
    cost = one["cost"].sum()
    assert row["roi"] == pytest.approx((one["revenue"].sum() - cost) / cost)
    assert row["conversions_day30"] == one.loc[one["step"] == 30, "conversions_total"].iloc[0]
    # total conversions equal new plus repeat purchases summed over days
    assert (
        row["conversions_total"] == row["total_conversions_new"] + row["total_conversions_repeat"]
    )


def test_day30_falls_back_to_last_step():
    runs = assemble(TINY, {"a": [{}]}, replications=1)
    out = run_outcomes(runs)
    assert out["conversions_day30"].iloc[0] == runs["conversions_total"].iloc[-1]


def test_summary_shape_order_and_means(two_scenarios):
    runs, manifest = two_scenarios
    summary = summarize(runs, manifest)
    cols = ["scenario", "point", "brand", "metric", "mean", "ci_low", "ci_high", "n"]
    assert list(summary.columns) == cols
    assert len(summary) == 2 * 1 * len(OUTCOMES)
    assert list(summary["scenario"].iloc[[0, -1]]) == ["soft", "hard"]
    assert list(summary["metric"].iloc[: len(OUTCOMES)]) == list(OUTCOMES)
    assert (summary["n"] == 3).all()

    final = _final(runs, "conversions_total")
    direct = final.groupby("scenario")["conversions_total"].agg(["mean", "std"])
    conv = summary[summary["metric"] == "conversions_total"].set_index("scenario")
    for scenario in SCENARIOS:
        m, sd = direct.loc[scenario]
        assert conv.loc[scenario, "mean"] == pytest.approx(m)
        half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
        assert conv.loc[scenario, "ci_low"] == pytest.approx(m - half)
        assert conv.loc[scenario, "ci_high"] == pytest.approx(m + half)

    complaints = runs.groupby(["scenario", "replication"])["complaints"].sum()
    tc = summary[summary["metric"] == "total_complaints"].set_index("scenario")["mean"]
    assert tc["hard"] == pytest.approx(complaints["hard"].mean())

    finite = summary.dropna(subset=["ci_low", "ci_high"])
    assert len(finite) > 0
    assert (finite["ci_low"] <= finite["mean"] + 1e-12).all()
    assert (finite["mean"] <= finite["ci_high"] + 1e-12).all()


def test_summary_ci_is_nan_with_one_replication(two_scenarios):
    runs, manifest = two_scenarios
    one = runs[runs["replication"] == 0]
    summary = summarize(one, manifest)
    assert (summary["n"] <= 1).all()
    assert summary["ci_low"].isna().all() and summary["ci_high"].isna().all()
    assert summary.loc[summary["metric"] == "conversions_total", "mean"].notna().all()


def test_summary_rejects_unknown_scenario(two_scenarios):
    runs, manifest = two_scenarios
    with pytest.raises(ReportError, match="hard"):
        summarize(runs, {**manifest, "scenarios": ["soft"]})


# ----------------------------------------------------------------------------------------
# paired differences


def test_compare_is_paired_difference(two_scenarios):
    runs, manifest = two_scenarios
    diffs = compare(runs, manifest)
    assert list(diffs.columns) == [
        "scenario",
        "reference",
        "point",
        "brand",
        "metric",
        "mean_diff",
        "ci_low",
        "ci_high",
        "n",
    ]
    assert len(diffs) == len(OUTCOMES)
    assert set(diffs["scenario"]) == {"hard"} and set(diffs["reference"]) == {"soft"}

    for metric in ("conversions_total", "backlash", "mean_trust"):
        final = _final(runs, metric).pivot(index="replication", columns="scenario", values=metric)
        paired = final["hard"] - final["soft"]
        row = diffs[diffs["metric"] == metric].iloc[0]
        assert row["mean_diff"] == pytest.approx(paired.mean())
        assert row["n"] == 3
        half = stats.t.ppf(0.975, 2) * paired.std() / math.sqrt(3)
        assert row["ci_high"] - row["ci_low"] == pytest.approx(2 * half)
        assert np.isfinite(row["ci_low"]) and np.isfinite(row["ci_high"])


def test_compare_pairing_narrows_conversion_interval(two_scenarios):
    # common random numbers: a replication of both scenarios shares the graph and user draws,
    # so conversions are positively correlated across scenarios and the paired interval is
    # narrower than the unpaired (Welch) one. Holds for these fixed seeds, not for every draw.
    runs, manifest = two_scenarios
    row = compare(runs, manifest).set_index("metric").loc["conversions_total"]
    final = _final(runs, "conversions_total")
    soft = final.loc[final["scenario"] == "soft", "conversions_total"].to_numpy(dtype=float)
    hard = final.loc[final["scenario"] == "hard", "conversions_total"].to_numpy(dtype=float)
    welch = stats.ttest_ind(hard, soft, equal_var=False).confidence_interval(0.95)
    assert row["mean_diff"] == pytest.approx(hard.mean() - soft.mean())
    assert np.isfinite([row["ci_low"], row["ci_high"]]).all()
    assert row["ci_high"] - row["ci_low"] <= welch.high - welch.low


def test_compare_single_scenario_is_empty(two_scenarios):
    runs, manifest = two_scenarios
    soft = runs[runs["scenario"] == "soft"]
    diffs = compare(soft, {**manifest, "scenarios": ["soft"]})
    assert diffs.empty
    assert "mean_diff" in diffs.columns and "reference" in diffs.columns


# ----------------------------------------------------------------------------------------
# files


def test_figures_are_written(two_scenarios, tmp_path):
    runs, manifest = two_scenarios
    paths = make_figures(runs, manifest, tmp_path / "figs")
    assert paths == sorted(paths)
    assert {p.name for p in paths} == {"timeseries.png", "differences.png"}
    assert all(is_png(p) for p in paths)
    assert not [p for p in (tmp_path / "figs").iterdir() if p.suffix != ".png"]


def test_write_report_and_rebuild_are_byte_identical(two_scenarios, tmp_path):
    runs, manifest = two_scenarios
    written = write_report(tmp_path, runs, manifest)
    assert {"summary.csv", "differences.csv", "figures/timeseries.png"} <= set(written)
    assert "sensitivity.csv" not in written
    csvs = {k: written[k].read_bytes() for k in ("summary.csv", "differences.csv")}
    png = written["figures/timeseries.png"].read_bytes()
    back = pd.read_csv(written["summary.csv"])
    assert len(back) == len(summarize(runs, manifest))

    runs.to_parquet(tmp_path / "runs.parquet", index=False)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    rebuilt = rebuild(tmp_path)
    assert set(rebuilt) == set(written)
    for name, data in csvs.items():
        assert rebuilt[name].read_bytes() == data
    # the figures carry no timestamp or version metadata either
    assert rebuilt["figures/timeseries.png"].read_bytes() == png
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_rebuild_names_missing_file(tmp_path):
    with pytest.raises(ReportError, match=r"runs\.parquet"):
        rebuild(tmp_path)
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "runs.parquet")
    with pytest.raises(ReportError, match=r"manifest\.json"):
        rebuild(tmp_path)


# ----------------------------------------------------------------------------------------
# sweeps and sensitivity


def test_drawing_the_report_leaves_the_matplotlib_backend_alone(tmp_path):
    import matplotlib

    from socialsim.experiments import run_experiment

    before = matplotlib.get_backend()
    run_experiment({"steps": 10, "graph": {"n": 100, "m": 2}}, out=tmp_path / "o", progress=False)
    assert matplotlib.get_backend() == before


# ----------------------------------------------------------------------------------------
# readable tables and console summary


def test_csv_floats_have_six_significant_digits(two_scenarios, tmp_path):
    runs, manifest = two_scenarios
    written = write_report(tmp_path, runs, manifest)
    text = written["summary.csv"].read_text()
    fields = [f for line in text.splitlines()[1:] for f in line.split(",")[4:8]]
    digits = [len(f.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) for f in fields if f]
    assert max(digits) <= 6
    back = pd.read_csv(written["summary.csv"])
    exact = summarize(runs, manifest)
    for col in ("mean", "ci_low", "ci_high"):
        np.testing.assert_allclose(back[col], exact[col], rtol=5e-6, atol=1e-12)


def test_float_format_keeps_large_values_whole():
    from socialsim.experiments.files import _FLOAT_FORMAT

    assert _FLOAT_FORMAT(1234567.891) == "1234568"
    assert _FLOAT_FORMAT(0.000123456789) == "0.000123457"
    assert _FLOAT_FORMAT(735.0) == "735" and _FLOAT_FORMAT(-0.0) == "0"


def test_console_summary_names_points_by_parameter_values(capsys, tmp_path):
    from socialsim.cli_text import print_best as _print_best
    from socialsim.cli_text import print_headline as _print_headline

    rows = []
    for point, favor in enumerate([True, False]):
        for metric, value in (("conversions_total", 340.6), ("backlash", 0.0026), ("roi", -0.96)):
            rows.append(
                {"scenario": "earn", "point": point, "mechanisms.favor": favor, "brand": "b",
                 "metric": metric, "mean": value, "ci_low": 0.0, "ci_high": 1.0, "n": 5}
            )  # fmt: skip
    _print_headline(pd.DataFrame(rows))
    out = capsys.readouterr().out
    assert "favour bank" in out and " on " in out and " off " in out
    assert "point" not in out and "conversions_total" not in out
    assert "cumulative conversions" in out and "341" in out

    runs = synthetic_runs([0.0, 0.5, 1.0], 4, lambda v, r: 10 - (v - 0.5) ** 2 + r)
    runs.insert(5, "users.skepticism", 0.2)
    manifest = {
        "name": "x",
        "scenarios": ["base"],
        "sweep": {
            "method": "grid",
            "parameters": ["users.skepticism", "brands[0].sell_share"],
            "optimize": "brands[0].sell_share",
        },
    }
    from socialsim.experiments.report import best_values

    best_values(runs, manifest).to_csv(tmp_path / "best.csv", index=False)
    _print_best(tmp_path / "best.csv", ensemble=False)
    out = capsys.readouterr().out
    assert out.startswith("best sell share for base/b at audience scepticism 0.2: 0.5")
    assert "by mean cumulative conversions" in out and "brands[0]" not in out


def test_sensitivity_none_without_sobol_or_morris(two_scenarios):
    runs, manifest = two_scenarios
    assert sensitivity(runs, manifest) is None
