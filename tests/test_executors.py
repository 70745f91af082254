"""Experiments on other executors: processes, a Dask cluster started here or elsewhere, an
unreachable scheduler and a worker lost mid-run; every executor gives the serial results."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from socialsim.experiments import ExperimentError, load_experiment, run_experiment
from socialsim.strategies import STRATEGIES
from tiny_experiment import tiny


def test_same_results_for_any_executor_and_worker_count(tmp_path):
    exp = tiny()
    serial = run_experiment(exp, out=tmp_path / "serial", progress=False).runs
    procs = run_experiment(
        exp, out=tmp_path / "procs", workers=2, executor="processes", progress=False
    ).runs
    dask = run_experiment(exp, out=tmp_path / "dask", workers=2, progress=False)
    assert dask.manifest["executor"] == "dask"
    pd.testing.assert_frame_equal(serial, procs)
    pd.testing.assert_frame_equal(serial, dask.runs)
    one = pd.read_csv(tmp_path / "serial" / "summary.csv")
    two = pd.read_csv(tmp_path / "dask" / "summary.csv")
    pd.testing.assert_frame_equal(one, two)


def test_existing_dask_scheduler_gives_the_same_results(tmp_path):
    """--scheduler ADDRESS: runs go to a cluster that was started elsewhere."""
    from dask.distributed import LocalCluster

    exp = tiny(scenarios=None)
    serial = run_experiment(exp, out=tmp_path / "serial", progress=False).runs
    with LocalCluster(n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        res = run_experiment(
            exp, out=tmp_path / "remote", scheduler=cluster.scheduler_address, progress=False
        )
    assert res.manifest["scheduler"] == cluster.scheduler_address
    pd.testing.assert_frame_equal(serial, res.runs)


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    with pytest.raises(ExperimentError, match="cannot connect"):
        run_experiment(
            tiny(scenarios=None), out=tmp_path / "x", scheduler="tcp://127.0.0.1:1", progress=False
        )
    assert not (tmp_path / "x" / "runs.parquet").exists()


def test_a_lost_dask_worker_is_replaced_and_its_run_redone(tmp_path, monkeypatch):
    """A worker process dies mid-run (os._exit); Dask reschedules the run on a fresh worker
    and the results equal a serial run without the crash."""
    import crashing_strategy

    marker = tmp_path / "crashed"
    monkeypatch.setenv("SOCIALSIM_TEST_CRASH_MARKER", str(marker))
    exp = tiny(sweep=None, scenarios=None, brands=[{"strategy": "test_crash_once"}])
    try:
        assert load_experiment(exp).runs()[0].imports == ("crashing_strategy",)
        lost = run_experiment(exp, out=tmp_path / "dask", workers=2, progress=False)
        assert marker.is_file() and int(marker.read_text()) != os.getpid()  # a worker died
        serial = run_experiment(exp, out=tmp_path / "serial", progress=False)  # no crash now
    finally:
        STRATEGIES.pop(crashing_strategy.CrashOnce.name, None)
    pd.testing.assert_frame_equal(lost.runs, serial.runs)
