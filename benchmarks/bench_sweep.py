"""Sweep throughput benchmark (a script, not a test): runs per minute by number of workers,
against the machine's own parallel ceiling measured in the same run.

    python benchmarks/bench_sweep.py                        # 200 runs x 5,000 users; 1, 2 workers
    python benchmarks/bench_sweep.py --workers 1,2,4,8,16    # on a bigger machine
    python benchmarks/bench_sweep.py --runs 1000 --users 10000 --workers 2 --label big
    python benchmarks/bench_sweep.py --quick                 # 20 runs x 1,000 users x 100 days

The sweep is a grid of sell shares x replications of one brand on a Barabasi-Albert graph
(m = 5), run with each executor and number of workers (workers write their own run files;
the main process receives only row counts). The *ceiling* is the speed-up of a pool of the
same kind and size on identical pure-NumPy tasks of about the same length as one run
(at most 40 per worker): what
the machine itself allows. Efficiency = speed-up / ceiling. All settings must give identical
runs. Figures go to benchmarks/sweep_results.json (one entry per --label).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from socialsim import __version__, run_experiment
from socialsim.experiments.pool import open_pool

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "sweep_results.json"


def experiment(n: int, days: int, runs: int) -> dict[str, Any]:
    shares = 20 if runs >= 20 else runs
    return {
        "name": "bench_sweep",
        "steps": days,
        "seed": 1,
        "replications": max(runs // shares, 1),
        "graph": {"kind": "barabasi_albert", "n": n, "m": 5},
        "sweep": {
            "method": "grid",
            "parameters": {"brands[0].sell_share": {"low": 0.0, "high": 1.0, "num": shares}},
        },
    }


def numpy_task(size: int) -> float:
    """A pure-NumPy task (the ceiling's unit of work): elementwise passes over a vector,
    single-threaded like the model's own array work (a matrix product would use several
    BLAS threads and understate what parallel workers can gain)."""
    x = np.random.default_rng(size).random(size)
    for _ in range(50):
        x = np.sqrt(x * 0.999 + 0.25)
        x = np.sort(x)
    return float(x.sum())


def task_size(seconds: float) -> int:
    """Vector size whose numpy_task takes about ``seconds`` on one core."""
    size = 4096
    while True:
        t0 = time.perf_counter()
        numpy_task(size)
        took = time.perf_counter() - t0
        if took >= seconds / 4 or size > 2**26:
            return max(1024, int(size * seconds / took))
        size *= 2


def ceiling(executor: str, workers: int, size: int, tasks: int) -> float:
    """Seconds for ``tasks`` numpy tasks on the pool (pool start-up included, as for runs)."""
    t0 = time.perf_counter()
    with open_pool(executor, workers) as pool:  # type: ignore[arg-type]
        for _ in pool(numpy_task, [size] * tasks, None):
            pass
    return time.perf_counter() - t0


def _num(x: float, digits: int = 2) -> float | None:
    """A JSON-safe rounded number (None without a serial baseline)."""
    return None if x != x else round(x, digits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run (prints only)")
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2,4,8,16")
    parser.add_argument("--executors", default="processes,dask", help="processes and/or dask")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--users", type=int, default=5_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--label", default="default", help="key of this entry in the JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.users, args.days = 20, 1_000, 100
    counts = [int(w) for w in args.workers.split(",")]
    executors = args.executors.split(",")
    exp = experiment(args.users, args.days, args.runs)
    n_runs = exp["replications"] * exp["sweep"]["parameters"]["brands[0].sell_share"]["num"]
    tmp = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    results: dict[str, Any] = {}
    frames = []
    try:
        t0 = time.perf_counter()
        run_experiment(
            {**exp, "replications": 1, "steps": args.days},
            out=tmp / "probe",
            progress=False,
            fresh=True,
        )
        per_run = (time.perf_counter() - t0) / exp["sweep"]["parameters"]["brands[0].sell_share"][
            "num"
        ]
        size = task_size(per_run)
        plan = [("serial", 1)] * (1 in counts) + [
            (e, w) for e in executors for w in counts if w > 1
        ]
        base = base_ceiling = None
        n_ceiling = min(n_runs, 40 * max(counts))  # the ratio needs no more tasks
        for executor, w in plan:
            t0 = time.perf_counter()
            res = run_experiment(
                exp,
                out=tmp / f"{executor}{w}",
                workers=w,
                executor=executor,
                fresh=True,
                progress=False,
            )
            seconds = time.perf_counter() - t0
            frames.append(res.runs)
            ceil_s = ceiling(executor, w, size, n_ceiling)
            if executor == "serial":
                base, base_ceiling = seconds, ceil_s
            speedup = base / seconds if base else float("nan")
            ceil_speedup = base_ceiling / ceil_s if base_ceiling else float("nan")
            key = f"{executor}_{w}"
            results[key] = {
                "executor": executor,
                "workers": w,
                "seconds": round(seconds, 2),
                "runs_per_minute": round(60 * n_runs / seconds, 1),
                "speedup_vs_serial": _num(speedup),
                "ceiling_speedup": _num(ceil_speedup),
                "efficiency_vs_ceiling": _num(speedup / ceil_speedup, 3),
            }
            print(
                f"{key:>14}: {seconds:7.1f} s, {60 * n_runs / seconds:6.1f} runs/min, "
                f"speed-up {speedup:.2f}x (ceiling {ceil_speedup:.2f}x)"
            )
        identical = all(frames[0].equals(f) for f in frames)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"identical results: {identical}")
    entry = {
        "runs": n_runs,
        "users": args.users,
        "days": args.days,
        "seconds_per_run_serial_probe": round(per_run, 3),
        "results": results,
        "identical_results": identical,
        "machine": {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "socialsim": __version__,
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "load_average_at_end": list(os.getloadavg()),
        },
    }
    if not args.quick:
        old = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
        old = old if "mode" not in old else {}  # the earlier single-entry format
        old[args.label] = entry
        RESULTS.write_text(json.dumps(old, indent=2) + "\n")
        print(f"wrote {RESULTS} [{args.label}]")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
