"""Command line: run writes results with metadata; bad input exits 2 with nothing written."""

from __future__ import annotations

import json

import pandas as pd

from socialsim.cli import main


def test_run_writes_metrics_and_metadata(tmp_path, capsys):
    cfg = tmp_path / "tiny.toml"
    cfg.write_text("steps = 20\n[graph]\nn = 200\nm = 2\n")
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out), "--seed", "5"]) == 0
    df = pd.read_csv(out / "metrics.csv")
    assert len(df) == 20
    meta = json.loads((out / "run.json").read_text())
    assert meta["seed"] == 5 and meta["config"]["steps"] == 20
    assert {"socialsim_version", "started", "finished"} <= set(meta)
    assert "wrote" in capsys.readouterr().out


def test_bad_config_exits_2_and_writes_nothing(tmp_path, capsys):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[[brands]]\nsell_share = 1.5\n")
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "brands[0].sell_share = 1.5" in err and "Traceback" not in err
    assert not out.exists()
