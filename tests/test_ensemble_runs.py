"""Decisions under parameter uncertainty: experiments whose replications draw parameter sets
from a calibration ensemble (``ensemble = "...parquet"`` / ``--ensemble``)."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from socialsim.cli import main
from socialsim.experiments import ExperimentError, load_experiment, run_experiment
from socialsim.experiments.report import best_values
from socialsim.experiments.spec import ensemble_member

PITCH = [0.01, 0.02, 0.03, 0.04, 0.05]
REACH = [0.2, 0.3, 0.4, 0.5, 0.6]


def write_ensemble(path, **extra):
    """Five parameter sets as ``socialsim calibrate`` writes them (trial, distance, params)."""
    df = pd.DataFrame(
        {
            "trial": [3, 7, 11, 20, 31],
            "distance": [0.1, 0.2, 0.3, 0.4, 0.5],
            "rules.engage_pitch": PITCH,
            "platform.organic_reach": REACH,
            **extra,
        }
    )
    df.to_parquet(path, index=False)
    return path


def small(ens, **over):
    """Two scenarios x 2 replications on 200 users for 30 days, drawing from ``ens``."""
    exp = {
        "name": "ens",
        "steps": 30,
        "seed": 5,
        "replications": 4,
        "graph": {"kind": "barabasi_albert", "n": 200, "m": 2},
        "scenarios": [{"name": "serve"}, {"name": "sell", "set": {"brands[0].sell_share": 0.8}}],
        "ensemble": str(ens),
    }
    exp.update(over)
    return exp


@pytest.fixture
def ens(tmp_path):
    return write_ensemble(tmp_path / "ensemble.parquet")


# ----------------------------------------------------------------------------- planning
def test_replication_uses_the_same_member_in_every_scenario_and_point(ens):
    sweep = {"method": "grid", "parameters": {"brands[0].posts_per_day": [1.0, 3.0]}}
    exp = load_experiment(small(ens, replications=6, sweep=sweep))
    members = exp.members()
    assert len(members) == 6 and all(0 <= k < 5 for k in members)
    specs = exp.runs()
    assert len(specs) == 2 * 2 * 6
    for spec in specs:
        k = members[spec.replication]
        assert spec.member == k
        assert spec.config["rules"]["engage_pitch"] == PITCH[k]
        assert spec.config["platform"]["organic_reach"] == REACH[k]
        assert spec.params["rules.engage_pitch"] == PITCH[k]
        assert spec.params["platform.organic_reach"] == REACH[k]
    # the scenario's own overrides stay
    assert {s.config["brands"][0]["sell_share"] for s in specs if s.scenario == "sell"} == {0.8}
    # without CRN the seeds differ, but the member of a replication is still shared
    no_crn = load_experiment(small(ens, replications=6, crn=False)).runs()
    by_rep = {}
    for spec in no_crn:
        by_rep.setdefault(spec.replication, set()).add(spec.member)
    assert all(len(v) == 1 for v in by_rep.values())


def test_members_follow_the_master_seed(ens):
    a = load_experiment(small(ens, replications=12)).members()
    b = load_experiment(small(ens, replications=12)).members()
    c = load_experiment(small(ens, replications=12), seed=6).members()
    assert a == b
    assert a != c
    assert a == [ensemble_member(5, r, 5) for r in range(12)]
    # raising replications keeps the members of the earlier replications
    assert load_experiment(small(ens, replications=20)).members()[:12] == a
    # the values are in the config, so the digest (and the run's file name) changes with them
    other = write_ensemble(ens.parent / "other.parquet", **{"rules.engage_pitch": [0.5] * 5})
    one = load_experiment(small(ens)).runs()
    two = load_experiment(small(ens), ensemble=other).runs()
    assert all(x.filename != y.filename for x, y in zip(one, two, strict=True))
    assert load_experiment(small(ens)).runs()[0].filename == one[0].filename


def test_a_swept_parameter_overrides_the_ensemble(ens):
    sweep = {"method": "grid", "parameters": {"rules.engage_pitch": [0.5, 0.7]}}
    exp = load_experiment(small(ens, sweep=sweep))
    members = exp.members()
    for spec in exp.runs():
        swept = [0.5, 0.7][spec.point]
        assert spec.config["rules"]["engage_pitch"] == swept
        assert spec.params["rules.engage_pitch"] == swept
        assert spec.config["platform"]["organic_reach"] == REACH[members[spec.replication]]


def test_weight_column_draws_only_rows_with_weight(tmp_path):
    path = write_ensemble(tmp_path / "w.parquet", weight=[0.0, 0.0, 1.0, 0.0, 0.0])
    exp = load_experiment(small(path, replications=30))
    assert exp.members() == [2] * 30
    assert exp.ensemble_info()["weighted"] is True
    assert all(s.config["rules"]["engage_pitch"] == PITCH[2] for s in exp.runs())
    # weight is not a parameter
    assert exp.ensemble.parameters == ("rules.engage_pitch", "platform.organic_reach")


def test_ensemble_parameters_selects_columns_and_integers_are_rounded(tmp_path):
    path = write_ensemble(tmp_path / "e.parquet", **{"graph.m": [2.4, 2.6, 3.0, 2.0, 3.4]})
    exp = load_experiment(small(path, ensemble_parameters=["graph.m", "rules.engage_pitch"]))
    assert exp.ensemble.parameters == ("graph.m", "rules.engage_pitch")
    for spec in exp.runs():
        k = spec.member
        assert spec.config["graph"]["m"] == [2, 3, 3, 2, 3][k]
        assert isinstance(spec.config["graph"]["m"], int)
        assert spec.config["platform"]["organic_reach"] == 0.4  # not applied: the default


def test_path_in_a_file_is_relative_to_the_file_and_the_keyword_overrides(
    tmp_path, monkeypatch, ens
):
    folder = tmp_path / "exp"
    folder.mkdir()
    write_ensemble(folder / "local.parquet", **{"rules.engage_pitch": [0.3] * 5})
    toml = folder / "e.toml"
    toml.write_text(
        'steps = 30\nreplications = 2\nensemble = "local.parquet"\n[graph]\nn = 200\nm = 2\n'
    )
    monkeypatch.chdir(tmp_path)
    exp = load_experiment(toml)
    assert exp.ensemble.path == str((folder / "local.parquet").resolve())
    assert {s.config["rules"]["engage_pitch"] for s in exp.runs()} == {0.3}
    over = load_experiment(toml, ensemble=ens.relative_to(tmp_path))
    assert over.ensemble.path == str(ens.resolve())
    assert {s.config["rules"]["engage_pitch"] for s in over.runs()} <= set(PITCH)


# ----------------------------------------------------------------------------- bad input
def _bad_cases(tmp_path):
    d = tmp_path
    (d / "text.parquet").write_text("not parquet\n")
    pd.DataFrame(
        {"trial": pd.Series([], dtype=int), "rules.engage_pitch": pd.Series([], dtype=float)}
    ).to_parquet(d / "empty.parquet")
    pd.DataFrame({"trial": [1, 2], "distance": [0.1, 0.2]}).to_parquet(d / "noparams.parquet")
    write_ensemble(d / "nan.parquet", **{"rules.engage_pitch": [0.01, np.nan, 0.02, 0.03, 0.04]})
    write_ensemble(d / "big.parquet", **{"rules.engage_pitch": [0.01, 0.02, 1.5, 0.03, 0.04]})
    write_ensemble(d / "typo.parquet", **{"rules.engage_pich": [0.01] * 5})
    write_ensemble(d / "brand.parquet", **{"brands[0].params.paid_reach_per_post": [50.0] * 5})
    write_ensemble(d / "neg.parquet", weight=[1.0, -1.0, 0.0, 0.0, 0.0])
    write_ensemble(d / "ok.parquet")
    return [
        ({"ensemble": str(d / "missing.parquet")}, ["ensemble", "missing.parquet", "not found"]),
        ({"ensemble": str(d)}, ["ensemble", "directory"]),
        ({"ensemble": 3}, ["ensemble = 3", "parquet"]),
        ({"ensemble": str(d / "text.parquet")}, ["text.parquet", "cannot read it as a parquet"]),
        ({"ensemble": str(d / "empty.parquet")}, ["empty.parquet", "no rows"]),
        ({"ensemble": str(d / "noparams.parquet")}, ["noparams.parquet", "no parameter columns"]),
        (
            {"ensemble": str(d / "ok.parquet"), "ensemble_parameters": ["users.skepticism"]},
            ["ensemble_parameters", "'users.skepticism'", "ok.parquet"],
        ),
        ({"ensemble": str(d / "ok.parquet"), "ensemble_parameters": []}, ["ensemble_parameters"]),
        ({"ensemble_parameters": ["rules.engage_pitch"]}, ["ensemble_parameters", "ensemble"]),
        (
            {"ensemble": str(d / "nan.parquet")},
            ["nan.parquet", "'rules.engage_pitch'", "row 1 (trial 7)", "nan"],
        ),
        (
            {"ensemble": str(d / "big.parquet")},
            ["big.parquet", "row 2 (trial 11)", "'rules.engage_pitch'", "1.5", "scenario 'serve'"],
        ),
        ({"ensemble": str(d / "typo.parquet")}, ["typo.parquet", "engage_pich", "engage_pitch"]),
        (
            {"ensemble": str(d / "brand.parquet")},
            [
                "brand.parquet",
                "paid_reach_per_post",
                "strategy 'static'",
                'ensemble_parameters = ["rules.engage_pitch", "platform.organic_reach"]',
            ],
        ),
        ({"ensemble": str(d / "neg.parquet")}, ["neg.parquet", "'weight'", "row 1", "-1.0"]),
    ]


def test_bad_ensembles_raise_one_line_errors_naming_key_and_column(tmp_path):
    for over, expected in _bad_cases(tmp_path):
        exp = small("unused", **over)
        if "ensemble" not in over:
            exp.pop("ensemble")
        with pytest.raises(ExperimentError) as info:
            load_experiment(exp)
        msg = str(info.value)
        assert "\n" not in msg, msg
        for part in expected:
            assert part in msg, (part, msg)


def test_cli_missing_ensemble_exits_2_and_writes_nothing(tmp_path, capsys):
    toml = tmp_path / "e.toml"
    toml.write_text("steps = 30\nreplications = 2\n[graph]\nn = 200\nm = 2\n")
    out = tmp_path / "out"
    args = ["run", str(toml), "--ensemble", str(tmp_path / "missing.parquet"), "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "ensemble" in err and "missing.parquet" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert main(["validate", str(toml), "--ensemble", str(tmp_path / "missing.parquet")]) == 2


def test_cli_validate_prints_the_ensemble(tmp_path, capsys, ens):
    toml = tmp_path / "e.toml"
    toml.write_text("steps = 30\nreplications = 2\n[graph]\nn = 200\nm = 2\n")
    assert main(["validate", str(toml), "--ensemble", str(ens)]) == 0
    printed = capsys.readouterr().out
    assert "5 parameter sets x 2 parameters" in printed
    assert "rules.engage_pitch" in printed


# ----------------------------------------------------------------------------- running
OPTIMIZE = {
    "method": "grid",
    "parameters": {"brands[0].sell_share": [0.1, 0.5, 0.9]},
    "optimize": "brands[0].sell_share",
}


def test_run_records_members_and_serial_equals_processes(tmp_path, ens):
    exp = small(ens, replications=3, sweep=OPTIMIZE)
    serial = run_experiment(exp, out=tmp_path / "serial")
    par = run_experiment(exp, out=tmp_path / "par", workers=2, executor="processes")
    pd.testing.assert_frame_equal(serial.runs, par.runs)
    for name in ("summary.csv", "best.csv", "differences.csv"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "par" / name).read_bytes()

    runs = serial.runs
    cols = list(runs.columns)
    assert cols[:6] == ["run_id", "scenario", "point", "replication", "seed", "member"]
    assert cols[6:9] == ["brands[0].sell_share", "rules.engage_pitch", "platform.organic_reach"]
    members = load_experiment(exp).members()
    per_run = runs.drop_duplicates("run_id")
    assert (per_run["member"] == per_run["replication"].map(dict(enumerate(members)))).all()
    assert (per_run["rules.engage_pitch"] == per_run["member"].map(dict(enumerate(PITCH)))).all()

    manifest = json.loads((tmp_path / "serial" / "manifest.json").read_text())
    info = manifest["ensemble"]
    assert info["path"] == str(ens.resolve())
    assert info["sha256"] == hashlib.sha256(ens.read_bytes()).hexdigest()
    assert info["parameters"] == ["rules.engage_pitch", "platform.organic_reach"]
    assert info["members"] == members and len(members) == 3
    assert info["trials"] == [[3, 7, 11, 20, 31][k] for k in members]
    assert manifest["experiment"]["ensemble"] == info

    best = pd.read_csv(tmp_path / "serial" / "best.csv")
    assert list(best.columns[-2:]) == ["best_p05", "best_p95"]
    assert {"best", "best_ci_low", "best_ci_high", "best_mean", "n"} <= set(best.columns)
    assert len(best) == 2  # one row per scenario
    for _, row in best.iterrows():
        assert row["best_p05"] <= row["best_p95"]
        assert {row["best_p05"], row["best_p95"], row["best"]} <= {0.1, 0.5, 0.9}
        assert row["n"] == 3

    # a rerun resumes everything; a different ensemble reruns everything
    again = run_experiment(exp, out=tmp_path / "serial")
    assert again.manifest["runs_resumed"] == again.manifest["runs"]


def test_cli_run_with_ensemble_prints_the_best_value_interval(tmp_path, capsys, ens):
    toml = tmp_path / "e.toml"
    toml.write_text(
        "steps = 30\nreplications = 3\n[graph]\nn = 200\nm = 2\n[sweep]\n"
        'optimize = "brands[0].sell_share"\n[sweep.parameters]\n'
        '"brands[0].sell_share" = [0.1, 0.9]\n'
    )
    out = tmp_path / "out"
    assert main(["run", str(toml), "--ensemble", str(ens), "--out", str(out), "-q"]) == 0
    printed = capsys.readouterr().out
    assert "in 90% of plausible parameter sets" in printed
    assert "member" in pd.read_parquet(out / "runs.parquet").columns


def _runs(curves):
    """A minimal runs table: ``curves[r][v]`` is the objective of replication r at value v."""
    rows = []
    for r, curve in enumerate(curves):
        for p, (v, y) in enumerate(curve.items()):
            rows.append(
                {
                    "run_id": f"base/p{p:04d}/r{r:03d}",
                    "scenario": "base",
                    "point": p,
                    "replication": r,
                    "seed": r,
                    "x": v,
                    "step": 1,
                    "brand": "b",
                    "conversions_total": y,
                }
            )
    return pd.DataFrame(rows)


def test_best_p05_p95_are_quantiles_of_each_replications_own_best():
    manifest = {
        "name": "x",
        "scenarios": ["base"],
        "sweep": {"method": "grid", "parameters": ["x"], "optimize": "x"},
    }
    # 20 replications: 2 peak at 0.0, 16 at 0.5, 2 at 1.0
    peaks = [0.0] * 2 + [0.5] * 16 + [1.0] * 2
    curves = [{v: 10.0 + (5.0 if v == peak else 0.0) for v in (0.0, 0.5, 1.0)} for peak in peaks]
    row = best_values(_runs(curves), manifest).iloc[0]
    assert row["best"] == 0.5
    own = np.array(peaks)
    assert row["best_p05"] == np.quantile(own, 0.05, method="inverted_cdf") == 0.0
    assert row["best_p95"] == np.quantile(own, 0.95, method="inverted_cdf") == 1.0
    assert row["best_p05"] <= row["best"] <= row["best_p95"]
    # one outlier on each side of 21 is outside the 90% range
    peaks = [0.0] + [0.5] * 19 + [1.0]
    curves = [{v: 10.0 + (5.0 if v == peak else 0.0) for v in (0.0, 0.5, 1.0)} for peak in peaks]
    row = best_values(_runs(curves), manifest).iloc[0]
    assert row["best_p05"] == row["best"] == row["best_p95"] == 0.5
