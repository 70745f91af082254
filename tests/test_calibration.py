"""Calibration: parameter recovery, determinism, resume, outputs and bad input."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest

import socialsim
from socialsim.calibration import search
from socialsim.calibration.calibrate import calibrate
from socialsim.calibration.spec import CalibrationError, load_calibration
from socialsim.cli import main

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
POSTS = SHARED / "facebook_brand_posts.csv"
CANONICAL = Path(__file__).resolve().parents[1] / "experiments" / "calibrate_facebook_brand.toml"

TRUTH = {"platform.organic_reach": 0.25, "rules.engage_useful": 0.12, "rules.follow_rate": 0.2}
MODEL = {
    "steps": 120,
    "graph": {"kind": "barabasi_albert", "n": 1500, "m": 4},
    "users": {"initial_awareness": 0.2, "initial_follow": 0.5},
    "brands": [{"sell_share": 0.2, "paid_reach": 30.0}],
}


def daily_data(path: Path, params: dict[str, float], seed: int = 12345) -> Path:
    """A daily page table simulated from known parameter values."""
    cfg = copy.deepcopy(MODEL)
    for key, value in params.items():
        section, name = key.split(".")
        cfg.setdefault(section, {})[name] = value
    df = socialsim.simulate(cfg, seed=seed)
    df.rename(columns={"step": "day"})[["day", "followers", "reach", "engagements"]].to_csv(
        path, index=False
    )
    return path


def spec(daily: Path, **method) -> dict:
    return {
        "name": "recovery",
        "seed": 3,
        "model": MODEL,
        "data": {"daily": str(daily), "period_days": 30},
        "parameters": {
            "platform.organic_reach": {"low": 0.05, "high": 0.6, "log": True},
            "rules.engage_useful": {"low": 0.02, "high": 0.4, "log": True},
            "rules.follow_rate": {"low": 0.02, "high": 0.6, "log": True},
        },
        "windows": {"fit": [1, 3], "validate": [4, 4]},
        "method": {"trials": 90, "replications": 2, "accept": 0.15, "batch": 16, **method},
    }


@pytest.fixture(scope="module")
def recovery(tmp_path_factory):
    folder = tmp_path_factory.mktemp("recovery")
    data = daily_data(folder / "daily.csv", TRUTH)
    return calibrate(spec(data), out=folder / "out", progress=False)


def test_parameter_recovery(recovery):
    """Data simulated from known values: the ensemble's 90% intervals (5%-95% quantiles of
    the accepted sets) contain the true value of every parameter, the best set is within a
    factor 1.6 of the truth for each, and the fitted model covers most observations.
    Tolerances: 90 prior draws, 14 accepted sets, 2 replications per trial."""
    ens = recovery.ensemble
    for key, true in TRUTH.items():
        low, high = ens[key].quantile([0.05, 0.95])
        assert low <= true <= high, (key, low, true, high)
        assert 1 / 1.6 <= ens[key].iloc[0] / true <= 1.6, (key, ens[key].iloc[0], true)
    cover = recovery.manifest["coverage_90"]
    assert cover["fit"] >= 0.6 and cover["validate"] >= 0.6, cover


def test_outputs_are_complete_and_consistent(recovery):
    out = recovery.out
    for name in ("calibrated.toml", "ensemble.parquet", "trials.parquet", "fit.csv", "fit.png"):
        assert (out / name).is_file()
    m = recovery.manifest
    assert m["trials"] == 90 and m["ensemble_size"] == 14
    assert m["data"][0]["sha256"] and m["socialsim_version"] and m["master_seed"] == 3
    fit = pd.read_csv(out / "fit.csv")
    assert set(fit.window) == {"fit", "validate"} and len(fit) == 3 * 4
    assert (fit.sim_low <= fit.sim_median).all() and (fit.sim_median <= fit.sim_high).all()
    ens = pd.read_parquet(out / "ensemble.parquet")
    assert ens.distance.is_monotonic_increasing
    trials = pd.read_parquet(out / "trials.parquet")
    assert ens.distance.iloc[-1] <= trials.distance.quantile(0.16)
    # the calibrated config runs as it is, with the best parameter set
    cfg = socialsim.load_config(out / "calibrated.toml")
    assert cfg.platform.organic_reach == pytest.approx(ens["platform.organic_reach"].iloc[0])
    assert len(socialsim.simulate(out / "calibrated.toml", steps=3)) == 3


def small(tmp_path: Path, **method) -> dict:
    data = daily_data(tmp_path / "daily.csv", TRUTH)
    s = spec(data, trials=8, batch=4, replications=1, **method)
    s["model"] = {**MODEL, "graph": {"kind": "barabasi_albert", "n": 300, "m": 3}}
    return s


def test_same_ensemble_for_any_number_of_workers(tmp_path):
    s = small(tmp_path)
    serial = calibrate(s, out=tmp_path / "serial", progress=False)
    pool = calibrate(s, out=tmp_path / "pool", workers=2, executor="processes", progress=False)
    pd.testing.assert_frame_equal(serial.trials, pool.trials)
    pd.testing.assert_frame_equal(serial.fit, pool.fit)


def test_tpe_is_deterministic(tmp_path):
    s = small(tmp_path, name="tpe")
    a = calibrate(s, out=tmp_path / "a", progress=False)
    b = calibrate(s, out=tmp_path / "b", progress=False)
    pd.testing.assert_frame_equal(a.trials, b.trials)


def test_interrupted_calibration_resumes_to_the_same_result(tmp_path, monkeypatch):
    s = small(tmp_path)
    whole = calibrate(s, out=tmp_path / "whole", progress=False)
    calls = {"n": 0}
    real = search.distance

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 6:  # in the second batch: some trials told, some asked only
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(search, "distance", flaky)
    with pytest.raises(KeyboardInterrupt):
        calibrate(s, out=tmp_path / "resumed", progress=False)
    monkeypatch.setattr(search, "distance", real)
    resumed = calibrate(s, out=tmp_path / "resumed", progress=False)
    pd.testing.assert_frame_equal(whole.trials, resumed.trials)
    # a larger budget continues the same study: its first trials are the earlier ones
    more = calibrate(s, out=tmp_path / "resumed", trials=12, progress=False)
    assert len(more.trials) == 12
    pd.testing.assert_frame_equal(more.trials.head(8), whole.trials)


def test_a_changed_calibration_refuses_an_old_study(tmp_path):
    s = small(tmp_path)
    calibrate(s, out=tmp_path / "o", progress=False)
    s["parameters"]["rules.follow_rate"]["high"] = 0.5
    with pytest.raises(CalibrationError, match="--fresh"):
        calibrate(s, out=tmp_path / "o", progress=False)
    assert len(calibrate(s, out=tmp_path / "o", fresh=True, progress=False).trials) == 8


@pytest.mark.parametrize(
    ("change", "expect"),
    [
        ({"method": {"nme": "abc"}}, "did you mean 'name'"),
        ({"parameters": {"rules.nope": {"low": 0, "high": 1}}}, "not a parameter"),
        ({"parameters": {"rules.engage_pitch": {"low": 0.5, "high": 2}}}, "prior bound 2"),
        ({"parameters": {"rules.engage_pitch": {"low": 0.5, "high": 0.1}}}, "low < high"),
        ({"parameters": {"graph.n": {"low": 10, "high": 20}}}, "cannot be calibrated"),
        ({"windows": {"fit": [1, 9]}}, "periods run from 1 to 4"),
        ({"data": {"daily": "missing.csv"}}, "missing.csv"),
        ({"model": {"users": {"attention": -1}}}, "users.attention"),
        ({"targets": {"weights": {"folowers": 2}}}, "targets.weights.folowers"),
    ],
)
def test_bad_calibration_files_name_the_field(tmp_path, change, expect):
    s = small(tmp_path)
    for key, value in change.items():
        s[key] = {**s.get(key, {}), **value} if key != "parameters" else value
    with pytest.raises(socialsim.ConfigError, match=expect.replace("(", r"\(")) as info:
        load_calibration(s)
    assert "\n" not in str(info.value)


def test_cli_calibrate_and_bad_input(tmp_path, capsys):
    import tomli_w

    s = small(tmp_path)
    path = tmp_path / "c.toml"
    path.write_text(tomli_w.dumps(s))
    out = tmp_path / "cli"
    assert main(["validate", str(path)]) == 0
    said = capsys.readouterr().out
    assert "valid calibration 'recovery'" in said and "3 (platform.organic_reach" in said
    assert main(["calibrate", str(path), "--out", str(out), "--trials", "4", "-q"]) == 0
    assert "ensemble of 2 parameter sets" in capsys.readouterr().out
    assert main(["calibrate", str(path), "--fit", "2-1", "--out", str(tmp_path / "x")]) == 2
    assert (
        main(["calibrate", str(path), "--set", "method.trials=0", "-o", str(tmp_path / "y")]) == 2
    )
    err = capsys.readouterr().err
    assert "--fit '2-1'" in err and "method.trials" in err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


@pytest.mark.skipif(not POSTS.is_file(), reason="needs ../shared/data/facebook_brand_posts.csv")
def test_canonical_calibration_file_builds_monthly_targets():
    cal = load_calibration(CANONICAL)
    assert cal.plan.ends[-1] == 365 and len(cal.plan.ends) == 12
    kinds = set(cal.observed.kind)
    assert {"followers", "reach_organic", "reach_paid", "engaged_rate_pitch"} <= kinds
    assert cal.calendar is not None and cal.calendar.posts.sum() == 500
    fit = cal.observed[cal.observed.window == "fit"]
    assert set(fit.period) == set(range(1, 9)) and (fit.weight > 0).all()
    assert (cal.observed[cal.observed.window != "fit"].weight == 0).all()


def test_apmc_shrinks_the_tolerance_and_weights_its_population(tmp_path):
    """APMC: the tolerance falls, the ensemble is the kept population (population x
    accept particles) with weights summing to 1, and it is deterministic and resumable."""
    s = small(tmp_path, name="apmc", population=12, accept=0.25, min_acceptance=0.0)
    s["method"]["trials"] = 12 + 9 * 3
    a = calibrate(s, out=tmp_path / "a", progress=False)
    gens = a.manifest["generations"]
    assert [g["generation"] for g in gens] == [0, 1, 2, 3]
    tol = [g["tolerance"] for g in gens]
    assert tol[-1] < tol[0]
    assert len(a.ensemble) == 3 and a.ensemble.weight.sum() == pytest.approx(1.0)
    assert a.ensemble.distance.max() == pytest.approx(tol[-1])
    assert 1 <= a.manifest["ensemble_ess"] <= 3
    b = calibrate(s, out=tmp_path / "b", workers=2, executor="processes", progress=False)
    pd.testing.assert_frame_equal(a.ensemble, b.ensemble)


def test_apmc_stops_when_few_new_particles_are_accepted(tmp_path):
    s = small(tmp_path, name="apmc", population=12, accept=0.25, min_acceptance=1.0)
    s["method"]["trials"] = 200
    r = calibrate(s, out=tmp_path / "o", progress=False)
    assert r.manifest["trials"] < 200  # stopped by the acceptance rule, not the budget
    assert r.manifest["generations"][-1]["acceptance"] < 1.0


def test_daily_targets_are_the_metric_columns_themselves():
    """From a daily table, every kind is the metric: ``reach_organic`` is users reached per
    period (a sum), not the post-level reach of a post export; stocks take the period end,
    means the period mean."""
    from socialsim.calibration.targets import TargetPlan, simulated

    df = socialsim.simulate({"steps": 60, "graph": {"n": 400}}, seed=5)
    rows = tuple((k, p) for k in ("reach_organic", "followers", "backlash") for p in (1, 2))
    plan = TargetPlan(ends=(30, 60), rows=rows, scale=2.0, source="daily")
    got = dict(zip(rows, simulated(df, plan), strict=True))
    assert got[("reach_organic", 2)] == pytest.approx(2.0 * df.reach_organic[30:60].sum())
    assert got[("followers", 1)] == pytest.approx(2.0 * df.followers[29])
    assert got[("backlash", 2)] == pytest.approx(df.backlash[30:60].mean())  # not scaled


def test_committed_canonical_calibration_is_current():
    """results/calibrate_facebook_brand/ was produced by the canonical file as it is now."""
    import json
    import tomllib

    out = CANONICAL.parents[1] / "results" / "calibrate_facebook_brand"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["calibration"] == tomllib.loads(CANONICAL.read_text()), (
        "rerun: socialsim calibrate experiments/calibrate_facebook_brand.toml --workers 2 --fresh"
    )
    ensemble = pd.read_parquet(out / "ensemble.parquet")
    method = manifest["method"]
    assert len(ensemble) == round(method["population"] * method["accept"])
    assert ensemble.weight.sum() == pytest.approx(1.0)
    fit = pd.read_csv(out / "fit.csv")
    assert set(fit.window) == {"fit", "validate", "check"}
    cfg = socialsim.load_config(out / "calibrated.toml")  # usable as it is
    assert cfg.brands[0].strategy == "calendar"
