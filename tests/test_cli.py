"""Command line: validate, run, report, demo; bad input exits 2 naming field and value."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from socialsim.cli import main

TINY = """
name = "tiny"
steps = 20
replications = 2
[graph]
n = 150
m = 2
[[scenarios]]
name = "serve"
brands = [{ sell_share = 0.1 }]
[[scenarios]]
name = "sell"
brands = [{ sell_share = 0.9 }]
"""

SWEEP = """
[sweep]
method = "{method}"
samples = {samples}
[sweep.parameters]
"brands[0].sell_share" = {spec}
"""

ONE_PARAM = '[sweep.parameters]\n"brands[0].sell_share" = [0.1]'

# (id, file text, extra CLI args, text the message must contain)
BAD_INPUTS = [
    ("out_of_range", "[[brands]]\nsell_share = 1.5", [], "brands[0].sell_share = 1.5"),
    (
        "negative_capacity",
        "[[brands]]\nsupport_capacity = -1",
        [],
        "brands[0].support_capacity = -1",
    ),
    ("misspelt_top_key", "replicatons = 3", [], "'replicatons'; did you mean 'replications'"),
    (
        "misspelt_nested_key",
        "[users]\nskeptisism = 0.3",
        [],
        "'users.skeptisism'; did you mean 'skepticism'",
    ),
    ("wrong_type", 'steps = "long"', [], "steps = 'long'"),
    ("zero_steps", "steps = 0", [], "steps = 0"),
    ("zero_replications", "replications = 0", [], "replications = 0"),
    ("crn_not_bool", 'crn = "yes"', [], "crn = 'yes'"),
    (
        "missing_graph_file",
        '[graph]\nkind = "file"\npath = "/no/such/graph.txt"',
        [],
        "graph.path = '/no/such/graph.txt'",
    ),
    ("edgeless_graph_file", '[graph]\nkind = "file"\npath = "{empty}"', [], "no edges"),
    ("unknown_graph_kind", '[graph]\nkind = "smallworld"', [], "graph.kind = 'smallworld'"),
    ("unknown_strategy", '[[brands]]\nstrategy = "agressive"', [], "'agressive'"),
    (
        "unknown_strategy_param",
        '[[brands]]\nstrategy = "adaptive"\nparams = { windo = 3 }',
        [],
        "'windo'",
    ),
    ("bass_half_set", "[bass]\np = 0.03", [], "bass.p and bass.q"),
    (
        "sweep_method",
        SWEEP.format(method="random", samples=4, spec="[0.1]"),
        [],
        "sweep.method = 'random'",
    ),
    (
        "sweep_unknown_path",
        '[sweep.parameters]\n"brands[0].sel_share" = [0.1]',
        [],
        "'brands[0].sel_share'",
    ),
    (
        "sweep_value_out_of_range",
        SWEEP.format(method="grid", samples=4, spec="[0.5, 1.5]"),
        [],
        "value 1.5",
    ),
    (
        "sweep_list_for_lhs",
        SWEEP.format(method="lhs", samples=4, spec="[0.5, 0.6]"),
        [],
        "method 'lhs' needs a range",
    ),
    (
        "sweep_range_reversed",
        SWEEP.format(method="lhs", samples=4, spec="{ low = 0.9, high = 0.1 }"),
        [],
        "{low = 0.9, high = 0.1}",
    ),
    (
        "sobol_samples",
        SWEEP.format(method="sobol", samples=10, spec="{ low = 0.1, high = 0.9 }")
        + '"users.skepticism" = { low = 0.1, high = 0.9 }',
        [],
        "sweep.samples = 10",
    ),
    (
        "scenario_out_of_range",
        '[[scenarios]]\nname = "x"\nbrands = [{ sell_share = 2.0 }]',
        [],
        "scenarios[0] ('x'): brands[0].sell_share = 2.0",
    ),
    (
        "scenario_unknown_key",
        '[[scenarios]]\nname = "x"\nbrandz = []',
        [],
        "'scenarios[0].brandz'; did you mean 'brands'",
    ),
    ("scenario_no_name", "[[scenarios]]\nsteps = 3", [], "scenarios[0].name"),
    (
        "scenario_twice",
        '[[scenarios]]\nname = "a"\n[[scenarios]]\nname = "a"',
        [],
        "scenarios[1].name = 'a'",
    ),
    (
        "optimize_not_swept",
        '[sweep]\noptimize = "users.skepticism"\n' + ONE_PARAM,
        [],
        "sweep.optimize = 'users.skepticism'",
    ),
    (
        "objective_misspelt",
        '[sweep]\nobjective = "conversion_total"\n' + ONE_PARAM,
        [],
        "'conversion_total' is not an outcome; did you mean 'conversions_total'",
    ),
    (
        "sweep_strings",
        '[sweep.parameters]\n"brands[0].strategy" = ["static", "adaptive"]',
        [],
        "sweep values must be numbers or booleans, not 'static'",
    ),
    (
        "scenario_seed",
        '[[scenarios]]\nname = "a"\nseed = 3',
        [],
        "scenarios[0].seed",
    ),
    (
        "set_out_of_range",
        "",
        ["--set", "brands[0].posts_per_day=-2"],
        "brands[0].posts_per_day = -2",
    ),
    ("set_malformed", "", ["--set", "replications"], "expected key.path=value"),
    ("invalid_toml", "[[[", [], "not valid TOML"),
    ("workers_zero", "", ["--workers", "0"], "--workers"),
]


@pytest.fixture
def empty_graph(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("# no edges here\n")
    return path


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
@pytest.mark.parametrize("command", ["run", "validate"])
def test_bad_input_exits_2_names_field_and_writes_nothing(
    case, command, tmp_path, capsys, empty_graph
):
    _, text, extra, expected = case
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text.replace("{empty}", str(empty_graph)))
    out = tmp_path / "out"
    args = [command, str(cfg), *extra] + (["--out", str(out)] if command == "run" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 6  # one short paragraph (click adds a usage line)
    assert not out.exists()


def test_missing_file_and_directory(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.toml"), "--out", str(tmp_path / "o")]) == 2
    assert "experiment file not found" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "nothing" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_validate_prints_summary(tmp_path, capsys):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY)
    assert main(["validate", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "valid experiment 'tiny'" in out
    assert "2 (serve, sell)" in out and "runs:         4" in out and "estimated" in out


def test_run_then_report_rebuilds_identical_tables(tmp_path, capsys):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY)
    out = tmp_path / "res"
    assert main(["run", str(cfg), "--out", str(out), "--seed", "4", "-q"]) == 0
    printed = capsys.readouterr().out
    assert "4 runs (0 resumed)" in printed and "summary.csv" in printed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["master_seed"] == 4
    original = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    assert {"summary.csv", "differences.csv"} <= set(original)
    for p in out.glob("*.csv"):
        p.unlink()
    shutil.rmtree(out / "figures")
    assert main(["report", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == original
    assert any((out / "figures").glob("*.png"))


def test_run_set_and_replications_override(tmp_path):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY)
    out = tmp_path / "res"
    args = ["run", str(cfg), "--out", str(out), "-r", "1", "--set", "steps=7", "-q"]
    assert main(args) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs["step"].max() == 7 and runs["replication"].nunique() == 1


def test_help_has_examples(capsys):
    for cmd in ("run", "validate", "report", "demo"):
        assert main([cmd, "--help"]) == 0
        assert "Example: socialsim" in capsys.readouterr().out


def test_console_script_runs(tmp_path):
    exe = Path(sys.executable).parent / "socialsim"
    res = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    assert res.returncode == 0 and res.stdout.startswith("socialsim ")


def test_demo_writes_figure_and_caption(tmp_path, capsys, monkeypatch):
    """The demo at a reduced size (same code path): a figure and a computed caption."""
    from socialsim.experiments import demo

    small = {**demo.DEMO, "steps": 40, "replications": 2, "graph": {"n": 300, "m": 3}}
    monkeypatch.setattr(demo, "DEMO", small)
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    printed = capsys.readouterr().out
    # balanced (0.3) against each other mix, by day 30 and the last day, from intervals
    for other in ("serve only (0)", "hard sell (0.9)"):
        assert f"Balanced (sell share 0.3) vs {other}: " in printed
    assert len(re.findall(r"(ahead|behind|no clear difference) by day (30|40) \(", printed)) == 4
    assert "Best sell share for cumulative conversions" in printed
    assert (tmp_path / "demo" / "report.html").is_file() and "report: " in printed
    png = tmp_path / "demo" / "figures" / "demo.png"
    assert png.stat().st_size > 20_000
