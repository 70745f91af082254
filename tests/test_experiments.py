"""Experiments: planning (scenarios, sweeps, seeds), running, determinism, resume, failures."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import socialsim
from socialsim.experiments import ExperimentError, RunError, load_experiment, run_experiment
from socialsim.experiments.paths import merge
from socialsim.experiments.spec import parse_assignment, run_seed, set_path
from socialsim.strategies import STRATEGIES, Strategy
from tiny_experiment import tiny


# ----------------------------------------------------------------------------- planning
def test_key_paths_and_merge():
    data = {"brands": [{"name": "a", "sell_share": 0.3}]}
    set_path(data, "brands[1].sell_share", 0.5)
    set_path(data, "users.skepticism", 0.7)
    set_path(data, "brands.0.posts_per_day", 3)
    assert data == {
        "brands": [{"name": "a", "sell_share": 0.3, "posts_per_day": 3}, {"sell_share": 0.5}],
        "users": {"skepticism": 0.7},
    }
    merged = merge({"brands": [{"a": 1, "b": 2}], "x": {"y": 1}}, {"brands": [{"b": 3}, {}]})
    assert merged == {"brands": [{"a": 1, "b": 3}, {}], "x": {"y": 1}}
    assert parse_assignment("brands[0].disclosed=false") == ("brands[0].disclosed", False)
    assert parse_assignment("graph.kind=complete") == ("graph.kind", "complete")
    assert parse_assignment("replications = 3") == ("replications", 3)


def test_plan_scenarios_points_replications_and_crn_seeds():
    exp = load_experiment(tiny())
    specs = exp.runs()
    assert exp.n_runs == len(specs) == 2 * 2 * 2
    assert [s.run_id for s in specs[:3]] == [
        "serve/p0000/r000",
        "serve/p0000/r001",
        "serve/p0001/r000",
    ]
    by_id = {s.run_id: s for s in specs}
    assert by_id["serve/p0000/r000"].config["brands"][0]["sell_share"] == 0.1
    assert by_id["sell/p0001/r001"].config["brands"][0]["sell_share"] == 0.9
    assert by_id["sell/p0001/r001"].config["users"]["skepticism"] == 0.6
    # common random numbers: a replication has one seed across scenarios and points
    seeds = {(s.replication, s.seed) for s in specs}
    assert len(seeds) == 2 and len({s for _, s in seeds}) == 2
    # without CRN every run key has its own seed
    no_crn = load_experiment(tiny(crn=False)).runs()
    assert len({s.seed for s in no_crn}) == len(no_crn)
    # seeds derive from the master seed only through the run key
    assert run_seed(11, 1, "x", 0, crn=True) == by_id["serve/p0000/r001"].seed
    assert run_seed(12, 1, "x", 0, crn=True) != by_id["serve/p0000/r001"].seed


def test_overrides_apply_before_validation():
    exp = load_experiment(
        tiny(), replications=3, seed=5, assignments=["brands[0].posts_per_day=4", "steps=10"]
    )
    assert (exp.replications, exp.seed, exp.steps) == (3, 5, 10)
    assert all(s.config["brands"][0]["posts_per_day"] == 4 for s in exp.runs())
    with pytest.raises(ExperimentError, match=r"brands\[0\]\.posts_per_day = -4"):
        load_experiment(tiny(), assignments=["brands[0].posts_per_day=-4"])


@pytest.mark.parametrize("method", ["lhs", "sobol", "morris"])
def test_sampled_designs_stay_in_bounds_and_round_integers(method):
    exp = load_experiment(
        tiny(
            scenarios=None,
            sweep={
                "method": method,
                "samples": 8,
                "parameters": {
                    "brands[0].sell_share": {"low": 0.1, "high": 0.7},
                    "graph.m": {"low": 1, "high": 4},
                },
            },
        )
    )
    points = pd.DataFrame(exp.points)
    assert points["brands[0].sell_share"].between(0.1, 0.7).all()
    assert points["graph.m"].between(1, 4).all()
    assert all(isinstance(v, int) for v in points["graph.m"])
    expected = {"lhs": 8, "sobol": 8 * (2 + 2), "morris": 8 * (2 + 1)}[method]
    assert len(points) == expected
    again = load_experiment(tiny(scenarios=None, sweep=exp.sweep.model_dump()))
    assert again.points == exp.points  # the design is seeded by the master seed


# ----------------------------------------------------------------------------- running
def test_run_writes_tidy_results_with_provenance(tmp_path):
    res = run_experiment(tiny(), out=tmp_path / "out", progress=False)
    runs = res.runs
    assert list(runs.columns[:6]) == [
        "run_id",
        "scenario",
        "point",
        "replication",
        "seed",
        "users.skepticism",
    ]
    assert list(runs.columns[6:]) == list(socialsim.COLUMNS)
    assert len(runs) == 8 * 25
    assert set(runs["scenario"]) == {"serve", "sell"}
    # each run equals a plain simulate() of its config
    spec = load_experiment(tiny()).runs()[5]
    direct = socialsim.simulate(spec.config)
    mine = runs[runs["run_id"] == spec.run_id][list(socialsim.COLUMNS)].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, direct, check_dtype=False)
    # provenance: manifest and parquet metadata record config, seed, version, time
    out = tmp_path / "out"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"] == 8 and manifest["master_seed"] == 11
    assert manifest["scenarios"] == ["serve", "sell"]
    assert manifest["socialsim_version"] == socialsim.__version__
    assert {"started", "finished", "dependencies", "machine", "git_commit"} <= set(manifest)
    assert manifest["experiment"]["scenarios"]["sell"]["brands"][0]["sell_share"] == 0.9
    meta = json.loads(pq.read_schema(out / "runs.parquet").metadata[b"socialsim"])
    assert meta["master_seed"] == 11 and meta["experiment"]["name"] == "tiny"
    run_file = next((out / "runs").glob("sell__p0001__r001-*.parquet"))
    run_meta = json.loads(pq.read_schema(run_file).metadata[b"socialsim"])
    assert run_meta["config"]["brands"][0]["sell_share"] == 0.9 and "written" in run_meta
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["scenario"]) == {"serve", "sell"} and (summary["n"] == 2).all()
    assert (out / "differences.csv").is_file()
    assert any((out / "figures").glob("*.png"))


def test_resume_skips_saved_runs_and_changed_config_reruns(tmp_path):
    out = tmp_path / "out"
    first = run_experiment(tiny(), out=out, progress=False)
    assert first.manifest["runs_resumed"] == 0
    again = run_experiment(tiny(), out=out, progress=False)
    assert again.manifest["runs_resumed"] == 8
    pd.testing.assert_frame_equal(first.runs, again.runs)
    # more replications: the first two are reused, two more run
    more = run_experiment(tiny(), out=out, replications=3, progress=False)
    assert more.manifest["runs_resumed"] == 8 and more.manifest["runs"] == 12
    # a changed parameter changes every run's digest: nothing is reused
    changed = run_experiment(tiny(), out=out, assignments=["steps=20"], progress=False)
    assert changed.manifest["runs_resumed"] == 0
    fresh = run_experiment(tiny(), out=out, fresh=True, progress=False)
    assert fresh.manifest["runs_resumed"] == 0
    pd.testing.assert_frame_equal(first.runs, fresh.runs)


def test_interrupted_run_resumes_to_the_uninterrupted_result(tmp_path):
    """Ctrl-C (SIGINT) mid-sweep keeps the finished runs; the same command resumes."""
    exp = tiny(steps=150, replications=4, graph={"kind": "barabasi_albert", "n": 1000, "m": 3})
    path = tmp_path / "exp.toml"
    path.write_text(_toml(exp))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "socialsim.cli", "run", str(path), "--out", str(out), "-q"]
    # a shell that started us in the background may ignore SIGINT, and children inherit
    # that: restore the default so Python installs its Ctrl-C handler in the child
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "runs").glob("*.parquet"))) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    saved = len(list((out / "runs").glob("*.parquet")))
    assert proc.returncode == 130, err
    assert "resume" in err and "Traceback" not in err
    assert 3 <= saved < 16 and not (out / "runs.parquet").exists()
    assert not list((out / "runs").glob(".*tmp"))  # no half-written file left
    resumed = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    assert f"({saved} resumed)" in resumed.stdout
    whole = run_experiment(path, out=tmp_path / "whole", progress=False)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), whole.runs)


class _Crash(Strategy):
    name = "test_crash"

    def plan(self, day, history):
        if day == 3:
            raise RuntimeError("strategy bug on day 3")
        return self.base_plan()


def test_a_failing_run_keeps_the_others(tmp_path):
    exp = tiny(
        sweep=None,
        scenarios=[{"name": "ok"}, {"name": "bad", "brands": [{"strategy": "test_crash"}]}],
    )
    try:
        with pytest.raises(RunError, match=r"2 of 4 runs failed.*strategy bug on day 3"):
            run_experiment(exp, out=tmp_path / "out", progress=False)
    finally:
        STRATEGIES.pop("test_crash", None)
    assert len(list((tmp_path / "out" / "runs").glob("ok__*.parquet"))) == 2
    assert not (tmp_path / "out" / "runs.parquet").exists()


def test_scenario_set_changes_one_value_not_a_table():
    """TOML's unquoted dotted key in ``set`` makes a nested table; it must not reset users."""
    exp = load_experiment(
        {
            "users": {"skepticism": 0.3, "attention": 20.0},
            "scenarios": [{"name": "a", "set": {"users": {"skepticism": 0.6}}}],
        }
    )
    users = exp.scenarios[0][1]["users"]
    assert users["skepticism"] == 0.6 and users["attention"] == 20.0


def test_overrides_apply_to_a_loaded_experiment(tmp_path):
    exp = load_experiment(tiny(sweep=None, scenarios=None))
    res = run_experiment(exp, out=tmp_path / "o", replications=3, seed=5, progress=False)
    assert res.manifest["runs"] == 3 and res.manifest["master_seed"] == 5


def test_outputs_are_readable_and_stale_files_are_removed(tmp_path):
    out = tmp_path / "o"
    run_experiment(tiny(sweep=None), out=out, progress=False)
    umask = os.umask(0)
    os.umask(umask)
    for path in [out / "summary.csv", out / "manifest.json", *out.glob("runs/*.parquet")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path
    assert (out / "differences.csv").is_file() and len(list(out.glob("runs/*"))) == 4
    # one scenario now: no differences table; the earlier config's saved runs are kept
    one = tiny(sweep=None, scenarios=[{"name": "serve"}])
    again = run_experiment(one, out=out, progress=False)
    assert not (out / "differences.csv").exists()
    assert not (out / "figures" / "differences.png").exists()
    assert again.kept == 4 and len(list(out.glob("runs/*"))) == 6
    assert again.manifest["runs_kept_from_other_configs"] == 4
    # until a fresh run, which deletes them once it has succeeded
    assert run_experiment(one, out=out, fresh=True, progress=False).kept == 0
    assert len(list(out.glob("runs/*"))) == 2


def test_editing_the_graph_file_reruns(tmp_path):
    graph = tmp_path / "g.txt"
    graph.write_text("0 1\n1 2\n2 3\n3 0\n")
    exp = {"steps": 5, "graph": {"kind": "file", "path": str(graph)}}
    before = load_experiment(exp).runs()[0].filename
    graph.write_text("0 1\n1 2\n2 3\n3 0\n0 2\n")
    assert load_experiment(exp).runs()[0].filename != before


def test_a_failing_report_keeps_the_runs(tmp_path, monkeypatch):
    from socialsim.experiments import report

    def broken(*args, **kwargs):
        raise ValueError("figure trouble")

    monkeypatch.setattr(report, "write_report", broken)
    with pytest.raises(RunError, match="report failed: ValueError: figure trouble"):
        run_experiment(tiny(sweep=None), out=tmp_path / "o", progress=False)
    assert (tmp_path / "o" / "runs.parquet").is_file()
    assert (tmp_path / "o" / "manifest.json").is_file()


def test_plain_model_config_is_a_one_run_experiment(tmp_path):
    res = run_experiment(
        {"steps": 10, "graph": {"n": 100, "m": 2}}, out=tmp_path / "o", progress=False
    )
    assert res.manifest["runs"] == 1 and set(res.runs["scenario"]) == {"base"}


def test_real_graph_experiment(facebook_path, tmp_path):
    exp = {
        "steps": 15,
        "graph": {"kind": "file", "path": str(facebook_path)},
        "scenarios": [{"name": "a"}, {"name": "b", "brands": [{"sell_share": 0.8}]}],
    }
    res = run_experiment(exp, out=tmp_path / "fb", progress=False)
    assert res.runs["followers"].max() <= 4039


def _toml(data, prefix=""):
    """A minimal TOML writer for the test's experiment dicts."""
    lines, tables = [], []
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            tables.extend((key, item, True) for item in value)
        else:
            lines.append(f"{json.dumps(key)} = {_value(value)}")
    for entry in tables:
        name = f"{prefix}{entry[0]}"
        header = f"[[{name}]]" if len(entry) == 3 else f"[{name}]"
        lines.append(header)
        lines.append(_toml(entry[1], prefix=f"{name}."))
    return "\n".join(lines)


def _value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(v)


def test_toml_helper_round_trips():
    import tomllib

    assert tomllib.loads(_toml(tiny())) == tiny()


ROOT = Path(__file__).resolve().parents[1]
# calibration files (calibrate_*.toml) are checked in test_calibration.py
CANONICAL = sorted(
    p for p in (ROOT / "experiments").glob("*.toml") if not p.stem.startswith("calibrate_")
)


@pytest.mark.parametrize("path", CANONICAL, ids=[p.stem for p in CANONICAL])
def test_canonical_experiments_validate_and_results_are_current(path):
    try:
        exp = load_experiment(path)
    except socialsim.ConfigError as exc:
        if "graph.path" in str(exc) and "not found" in str(exc):
            pytest.skip(f"{path.name}: real graph absent ({exc})")
        raise
    assert exp.n_runs >= 1
    manifest_path = ROOT / "results" / exp.name / "manifest.json"
    if path.stem == "default":
        return
    assert manifest_path.is_file(), f"results/{exp.name} missing: python experiments/run_all.py"
    manifest = json.loads(manifest_path.read_text())
    assert manifest["runs"] == exp.n_runs
    assert manifest["scenarios"] == [name for name, _ in exp.scenarios]
    assert manifest["experiment"]["points"] == exp.points
    assert manifest["replications"] == exp.replications


def test_custom_strategy_code_enters_the_digest_and_main_strategies_run_serially(tmp_path):
    exp = tiny(sweep=None, scenarios=None, brands=[{"strategy": "test_calm"}])

    class Calm(Strategy):
        name = "test_calm"

        def plan(self, day, history):
            return self.base_plan(sell_share=0.1)

    try:
        first = load_experiment(exp).runs()[0].filename

        class Calm(Strategy):  # an edited version under the same name
            name = "test_calm"

            def plan(self, day, history):
                return self.base_plan(sell_share=0.2)

        assert load_experiment(exp).runs()[0].filename != first
        Calm.__module__ = "__main__"  # as if defined in a notebook
        with pytest.raises(ExperimentError, match="test_calm is defined in __main__"):
            run_experiment(exp, out=tmp_path / "o", workers=2, progress=False)
        assert not (tmp_path / "o").exists()
    finally:
        STRATEGIES.pop("test_calm", None)
