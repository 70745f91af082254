"""Faults: Ctrl-C with worker pools, SIGKILL mid-run, two runs into one folder.

Each interrupted or killed run must lose and duplicate nothing: the same command resumes
to the result of an uninterrupted run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from socialsim import run_experiment
from socialsim.cli import main

EXPERIMENT = """
name = "faulty"
steps = 150
seed = 5
replications = 12
[graph]
kind = "barabasi_albert"
n = 1000
m = 3
"""


def _start(path: Path, out: Path, *extra: str) -> subprocess.Popen:
    """``socialsim run`` in its own process group with Ctrl-C enabled (a shell that started
    the tests in the background may ignore SIGINT, and children inherit that)."""
    cmd = [sys.executable, "-m", "socialsim.cli", "run", str(path), "--out", str(out), "-q"]
    return subprocess.Popen(
        [*cmd, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for_runs(out: Path, n: int, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(list((out / "runs").glob("*.parquet"))) < n:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("whole")
    path = folder / "faulty.toml"
    path.write_text(EXPERIMENT)
    return path, run_experiment(path, out=folder / "out", progress=False).runs


def test_sigkill_mid_run_then_resume(uninterrupted, tmp_path):
    path, whole = uninterrupted
    out = tmp_path / "out"
    proc = _start(path, out)
    _wait_for_runs(out, 3, proc)
    proc.kill()  # no cleanup at all: the lock and maybe a temporary file stay behind
    proc.communicate(timeout=30)
    assert (out / ".socialsim.lock").exists()
    assert main(["run", str(path), "--out", str(out), "-q"]) == 0  # takes over the dead lock
    assert not (out / ".socialsim.lock").exists()
    assert not list((out / "runs").glob(".*.tmp"))  # leftovers of the killed run are gone
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), whole)


def test_second_run_into_a_busy_folder_is_refused(uninterrupted, tmp_path, capsys):
    path, whole = uninterrupted
    out = tmp_path / "out"
    proc = _start(path, out)
    _wait_for_runs(out, 1, proc)
    before = sorted(p.name for p in (out / "runs").iterdir())
    assert main(["run", str(path), "--out", str(out), "-q", "--set", "steps=20"]) == 2
    err = capsys.readouterr().err
    assert f"pid {proc.pid}" in err and "in use" in err and "Traceback" not in err
    assert set(before) <= {p.name for p in (out / "runs").iterdir()}  # nothing deleted
    _, perr = proc.communicate(timeout=300)
    assert proc.returncode == 0, perr
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), whole)


def test_runs_of_another_config_are_kept_until_fresh(tmp_path, capsys):
    path = tmp_path / "small.toml"
    path.write_text("steps = 8\nreplications = 2\ngraph = { n = 80, m = 2 }\n")
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "-q"]) == 0
    assert main(["run", str(path), "--out", str(out), "-q", "--set", "steps=9"]) == 0
    said = capsys.readouterr().out
    assert "2 saved runs" in said and "kept until --fresh" in said
    assert len(list((out / "runs").glob("*.parquet"))) == 4
    assert main(["run", str(path), "--out", str(out), "-q", "--set", "steps=9", "--fresh"]) == 0
    assert len(list((out / "runs").glob("*.parquet"))) == 2


def test_sigterm_stops_the_classroom_server(tmp_path):
    import socket
    import urllib.request

    pytest.importorskip("solara")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    cmd = [sys.executable, "-m", "socialsim.cli", "app", "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, "socialsim app exited early"
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("socialsim app did not answer within 120 s")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) is not None
    with pytest.raises(OSError):  # nothing serves the page any more (no orphan server)
        urllib.request.urlopen(url, timeout=2)


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("executor", ["dask", "processes"])
@pytest.mark.parametrize("how", ["ctrl_c", "sigterm"])
def test_interrupt_with_workers_is_quiet_stops_them_and_resumes_exactly(
    how, executor, uninterrupted, tmp_path
):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or ``kill PID``
    (SIGTERM to the main process only): one line, exit 130, no worker left running, the
    lock released, and the same command resumes to the uninterrupted result."""
    path, whole = uninterrupted
    out = tmp_path / "out"
    proc = _start(path, out, "--workers", "2", "--executor", executor)
    _wait_for_runs(out, 2, proc)
    workers = _children(proc.pid)
    assert workers
    if how == "ctrl_c":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.terminate()
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "resume" in err and not (out / ".socialsim.lock").exists()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in workers):
        time.sleep(0.2)
    alive = [p for p in workers if Path(f"/proc/{p}/stat").exists()]
    assert not alive, f"workers left running: {alive}"
    assert main(["run", str(path), "--out", str(out), "-q"]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out / "runs.parquet"), whole)
