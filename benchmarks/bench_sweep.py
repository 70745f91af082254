"""Sweep throughput benchmark (a script, not a test): runs per minute with 1 and 2 workers.

    python benchmarks/bench_sweep.py            # 200 runs x 5,000 users x 365 days
    python benchmarks/bench_sweep.py --quick    # 20 runs x 1,000 users x 100 days

The sweep is a grid of 20 sell shares x 10 replications of one brand on a Barabasi-Albert
graph (m = 5). It runs serially, then on a local Dask cluster of 2 workers, and with 2 local
processes; it checks that all three give identical runs and writes
benchmarks/sweep_results.json (runs per minute, speed-up, machine facts).
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

import pandas as pd

from socialsim import __version__, run_experiment

ROOT = Path(__file__).resolve().parents[1]


def experiment(n: int, days: int, shares: int, reps: int) -> dict[str, Any]:
    return {
        "name": "bench_sweep",
        "steps": days,
        "seed": 1,
        "replications": reps,
        "graph": {"kind": "barabasi_albert", "n": n, "m": 5},
        "sweep": {
            "method": "grid",
            "parameters": {"brands[0].sell_share": {"low": 0.0, "high": 1.0, "num": shares}},
        },
    }


def timed_run(exp: dict[str, Any], out: Path, **kwargs: Any) -> tuple[float, pd.DataFrame]:
    t0 = time.perf_counter()
    res = run_experiment(exp, out=out, fresh=True, progress=False, **kwargs)
    return time.perf_counter() - t0, res.runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run (prints only)")
    args = parser.parse_args(argv)
    n, days, shares, reps = (1_000, 100, 10, 2) if args.quick else (5_000, 365, 20, 10)
    exp = experiment(n, days, shares, reps)
    n_runs = shares * reps
    tmp = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    results: dict[str, Any] = {}
    try:
        frames = {}
        for label, kwargs in (
            ("serial", {"workers": 1}),
            ("dask_2_workers", {"workers": 2}),
            ("processes_2_workers", {"workers": 2, "executor": "processes"}),
        ):
            seconds, frames[label] = timed_run(exp, tmp / label, **kwargs)
            results[label] = {
                "seconds": round(seconds, 2),
                "runs_per_minute": round(60 * n_runs / seconds, 1),
            }
            print(f"{label:>20}: {seconds:7.1f} s, {60 * n_runs / seconds:6.1f} runs/min")
        identical = all(frames["serial"].equals(f) for f in frames.values())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    speedup = results["serial"]["seconds"] / results["dask_2_workers"]["seconds"]
    print(f"speed-up with 2 Dask workers: {speedup:.2f}x; identical results: {identical}")
    report = {
        "mode": "quick" if args.quick else "full",
        "runs": n_runs,
        "users": n,
        "days": days,
        "results": results,
        "speedup_dask_2": round(speedup, 2),
        "speedup_processes_2": round(
            results["serial"]["seconds"] / results["processes_2_workers"]["seconds"], 2
        ),
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
        path = ROOT / "benchmarks" / "sweep_results.json"
        path.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {path}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
