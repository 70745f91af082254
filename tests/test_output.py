"""[output]: workers write reduced run tables (chosen metrics, every N days)."""

from __future__ import annotations

import pandas as pd
import pytest

import socialsim
from socialsim.experiments import ExperimentError, load_experiment
from socialsim.experiments.report import run_outcomes

EXP = {
    "name": "out",
    "steps": 45,
    "seed": 4,
    "replications": 2,
    "graph": {"n": 300, "m": 3},
    "scenarios": [{"name": "a"}, {"name": "b", "brands": [{"sell_share": 0.8}]}],
}


def test_every_n_days_keeps_totals_and_final_values(tmp_path):
    full = socialsim.run_experiment(EXP, out=tmp_path / "full", progress=False)
    spec = {**EXP, "output": {"every": 7, "metrics": ["conversions_total", "engagements"]}}
    thin = socialsim.run_experiment(spec, out=tmp_path / "thin", progress=False)
    assert sorted(thin.runs.step.unique()) == [7, 14, 21, 28, 35, 42, 45]
    assert [c for c in thin.runs.columns if c not in full.runs.columns] == []
    assert "followers" not in thin.runs.columns and "backlash" in thin.runs.columns  # ALWAYS
    a, b = run_outcomes(full.runs), run_outcomes(thin.runs)
    pd.testing.assert_series_equal(a.total_engagements, b.total_engagements)
    pd.testing.assert_series_equal(a.conversions_total, b.conversions_total)
    # the reduced runs have their own file names: nothing is reused across settings
    assert not set((tmp_path / "full" / "runs").iterdir()) & set(
        (tmp_path / "thin" / "runs").iterdir()
    )


def test_workers_write_the_same_reduced_files(tmp_path):
    spec = {**EXP, "output": {"every": 5}}
    serial = socialsim.run_experiment(spec, out=tmp_path / "s", progress=False)
    pool = socialsim.run_experiment(
        spec, out=tmp_path / "p", workers=2, executor="processes", progress=False
    )
    pd.testing.assert_frame_equal(serial.runs, pool.runs)
    assert pool.manifest["experiment"]["output"] == {"metrics": None, "every": 5}


@pytest.mark.parametrize(
    ("output", "expect"),
    [
        ({"metrics": ["folowers"]}, "did you mean 'followers'"),
        ({"metrics": []}, "at least one metric"),
        ({"every": 0}, "output.every = 0"),
        ({"every": "7"}, "output.every = '7'"),
        ({"every": 2.5}, "output.every = 2.5"),
        ({"evry": 2}, "did you mean 'every'"),
    ],
)
def test_bad_output_tables(output, expect):
    with pytest.raises(ExperimentError, match=expect) as info:
        load_experiment({**EXP, "output": output})
    assert "\n" not in str(info.value)
