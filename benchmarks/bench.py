"""Speed benchmark of socialsim (a script, not a test).

    python benchmarks/bench.py            # full benchmark, writes benchmarks/results.json
    python benchmarks/bench.py --quick    # small sizes, a smoke check (prints only)
    python benchmarks/bench.py --big      # cases d and e only (minutes; 10M users need ~24 GB)
    python benchmarks/bench.py --on lapse # with a mechanism that is off by default (prints only)

Cases (each in a fresh Python process, ``bench_cases.py``, so peak memory is per case):

a. vectorized model, 10k users, Barabasi-Albert m=5, 1 brand, 365 days: graph build, model
   construction and the 365-day run timed separately (target: run <= 1 s); one day's cost
   as a number of scipy CSR neighbour passes (float32) on the same graph (target <= 15);
b. the loop-based reference (tests/reference.py) on the same configuration for a few days,
   scaled to 365 days; speed ratio reference / vectorized per day (target >= 100x);
c. vectorized model, 100k users, Barabasi-Albert m=5, 365 days, total including the graph
   build (target <= 15 s);
d. (``--big``) 1,000,000 users x 365 days, total including the graph build (target <= 60 s)
   and peak memory (target < 3 GB);
e. (``--big``) 10,000,000 users x 30 days: runs on a 24 GB machine; peak memory and times.

The graph is built as the model builds it (``graphs.build_friendships``: a Barabasi-Albert
graph goes from its edge list straight to the CSR adjacency; NetworkX graph, Mesa space and
user agents are created only on access, which these cases never make).

Each case runs ``--repeat`` times (default 3) and the fastest run is reported (timings on
shared machines are noisy); every run is kept in the JSON file. Peak memory is the process's
peak resident set size (VmHWM on Linux, else ``resource.getrusage``), which includes the
interpreter and the imported libraries (reported separately as "baseline").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_cases import spawn_case

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results.json"
BIG_OUTPUT = ROOT / "benchmarks" / "results_big.json"

FULL = {
    "a": {"n": 10_000, "days": 365},
    "b": {"n": 10_000, "days": 10},
    "c": {"n": 100_000, "days": 365},
}
QUICK = {
    "a": {"n": 2_000, "days": 60},
    "b": {"n": 2_000, "days": 3},
    "c": {"n": 20_000, "days": 60},
}
BIG = {"d": {"n": 1_000_000, "days": 365}, "e": {"n": 10_000_000, "days": 30}}
TARGETS = {"a_run_s": 1.0, "b_speedup": 100.0, "c_total_s": 15.0, "a_passes_per_day": 15.0}
BIG_TARGETS = {"d_total_s": 60.0, "d_peak_gb": 3.0, "e_peak_gb": 24.0}
#: The figure that picks the fastest of repeated runs of a case.
HEADLINE = {"a": "run_s", "b": "per_step_ms", "c": "total_s", "d": "total_s", "e": "total_s"}
RATIO_NOTE = (
    "the reference is timed on the first days only; its days get slower as awareness "
    "spreads (about 1.5x by day 100 on 2,000 users), so the ratio is a lower bound"
)


# ---------------------------------------------------------------------- report (parent)
def calibration() -> dict[str, float]:
    """Seconds for a fixed pure-Python loop and a fixed NumPy workload: a yardstick for the
    machine's speed at the time (shared machines vary), measured before and after the cases."""
    import numpy as np

    t0 = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i
    t1 = time.perf_counter()
    x = np.random.default_rng(0).random((2_000_000, 2))
    for _ in range(20):
        x = np.sqrt(x * x + 1e-3) / (1.0 + x)
    t2 = time.perf_counter()
    return {"python_loop_s": round(t1 - t0, 4), "numpy_s": round(t2 - t1, 4)}


def git_version() -> str | None:
    """``git describe --always --dirty`` of the repository (None outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return None
    return out or None


def machine_info() -> dict[str, Any]:
    import mesa
    import networkx
    import numpy
    import pandas
    import scipy

    import socialsim

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    commit = git_version()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "socialsim": socialsim.__version__,
        "git": commit or None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "memory_gb": mem_gb,
        "load_average_at_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "libraries": {
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "networkx": networkx.__version__,
            "mesa": mesa.__version__,
            "pandas": pandas.__version__,
        },
    }


def _fmt(value: float | None, unit: str = "", digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}{unit}"


def report(results: dict[str, dict[str, Any]], quick: bool) -> tuple[str, dict[str, Any]]:
    a, b, c = results["a"], results["b"], results["c"]
    speedup = b["per_step_ms"] / a["per_step_ms"]
    checks = {
        "a_run_s": {"value": a["run_s"], "target": f"<= {TARGETS['a_run_s']}"},
        "b_speedup": {"value": speedup, "target": f">= {TARGETS['b_speedup']}"},
        "c_total_s": {"value": c["total_s"], "target": f"<= {TARGETS['c_total_s']}"},
        "a_passes_per_day": {
            "value": a["passes_per_day"],
            "target": f"<= {TARGETS['a_passes_per_day']}",
        },
    }
    checks["a_run_s"]["met"] = a["run_s"] <= TARGETS["a_run_s"]
    checks["b_speedup"]["met"] = speedup >= TARGETS["b_speedup"]
    checks["c_total_s"]["met"] = c["total_s"] <= TARGETS["c_total_s"]
    checks["a_passes_per_day"]["met"] = a["passes_per_day"] <= TARGETS["a_passes_per_day"]

    header = (
        f"{'case':<40} {'graph s':>8} {'build s':>8} {'run s':>9} {'ms/step':>9} "
        f"{'total s':>8} {'peak MB':>8}"
    )
    lines = [header, "-" * len(header)]
    label = {k: f"{r['n']:,} users, {r['days']} days" for k, r in results.items()}
    lines.append(
        f"{'a  vectorized ' + label['a']:<40} "
        f"{_fmt(a['graph_s']):>8} {_fmt(a['construct_s']):>8} {_fmt(a['run_s'], digits=3):>9} "
        f"{_fmt(a['per_step_ms']):>9} {_fmt(a['total_s']):>8} {_fmt(a['peak_rss_mb'], digits=0):>8}"
    )
    lines.append(
        f"{'b  reference  ' + label['b']:<40} "
        f"{'-':>8} {_fmt(b['construct_s']):>8} {_fmt(b['run_s']):>9} "
        f"{_fmt(b['per_step_ms'], digits=0):>9} {'-':>8} {_fmt(b['peak_rss_mb'], digits=0):>8}"
    )
    lines.append(
        f"{'   reference scaled to 365 days':<40} {'':>8} {'':>8} "
        f"{_fmt(b['run_365_s'], digits=0):>9}"
    )
    lines.append(
        f"{'c  vectorized ' + label['c']:<40} "
        f"{_fmt(c['graph_s']):>8} {_fmt(c['construct_s']):>8} {_fmt(c['run_s'], digits=3):>9} "
        f"{_fmt(c['per_step_ms']):>9} {_fmt(c['total_s']):>8} {_fmt(c['peak_rss_mb'], digits=0):>8}"
    )
    lines.append("")
    lines.append(f"speed ratio reference / vectorized per day ({a['n']:,} users): {speedup:,.0f}x")
    lines.append(f"  ({RATIO_NOTE})")
    lines.append(
        f"one day ({a['n']:,} users) = {a['passes_per_day']:.1f} scipy CSR neighbour passes "
        f"({_fmt(a['csr_pass_ms'], digits=3)} ms each)"
    )
    lines.append(
        f"baseline RSS after imports: {_fmt(a['baseline_rss_mb'], digits=0)} MB (in peak MB)"
    )
    lines.append("")
    lines.append(
        "targets (they apply to the full sizes; --quick only checks that everything runs):"
        if quick
        else "targets:"
    )
    for key, chk in checks.items():
        verdict = "met" if chk["met"] else "NOT met"
        lines.append(f"  {key:<10} {chk['value']:>10,.2f}  target {chk['target']:<8} {verdict}")
    summary = {"speedup_ref_over_vec": speedup, "speedup_note": RATIO_NOTE, "targets": checks}
    return "\n".join(lines), summary


def report_big(results: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The table and target checks of cases d and e (those that ran)."""
    header = (
        f"{'case':<40} {'graph s':>8} {'build s':>8} {'run s':>9} {'ms/step':>9} "
        f"{'total s':>8} {'peak GB':>8}"
    )
    lines, checks = [header, "-" * len(header)], {}
    for case, r in results.items():
        label = f"{case}  vectorized {r['n']:,} users, {r['days']} days"
        lines.append(
            f"{label:<40} {_fmt(r['graph_s']):>8} {_fmt(r['construct_s']):>8} "
            f"{_fmt(r['run_s']):>9} {_fmt(r['per_step_ms'], digits=1):>9} "
            f"{_fmt(r['total_s']):>8} {_fmt(r['peak_rss_mb'] / 1024):>8}"
        )
    if "d" in results:
        d = results["d"]
        checks["d_total_s"] = {"value": d["total_s"], "target": f"<= {BIG_TARGETS['d_total_s']}"}
        checks["d_peak_gb"] = {
            "value": d["peak_rss_mb"] / 1024,
            "target": f"< {BIG_TARGETS['d_peak_gb']}",
        }
    if "e" in results:
        checks["e_peak_gb"] = {
            "value": results["e"]["peak_rss_mb"] / 1024,
            "target": f"< {BIG_TARGETS['e_peak_gb']}",
        }
    for key, chk in checks.items():
        limit = BIG_TARGETS[key]
        chk["met"] = chk["value"] <= limit if key.endswith("_s") else chk["value"] < limit
    lines += ["", "targets:"]
    for key, chk in checks.items():
        verdict = "met" if chk["met"] else "NOT met"
        lines.append(f"  {key:<10} {chk['value']:>10,.2f}  target {chk['target']:<8} {verdict}")
    return "\n".join(lines), {"targets": checks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke check")
    parser.add_argument(
        "--big",
        action="store_true",
        help=f"cases d (1M users) and e (10M users) only, written to "
        f"{BIG_OUTPUT.relative_to(ROOT)} (default 1 run each)",
    )
    parser.add_argument(
        "--cases", default=None, help="with --big: the cases to run, e.g. 'd' (default 'de')"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help=f"JSON results file (default: {DEFAULT_OUTPUT.relative_to(ROOT)} for the full "
        "benchmark, none with --quick)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="runs per case, each in a fresh process; the fastest is reported "
        "(default: 3, 1 with --quick)",
    )
    parser.add_argument(
        "--on",
        action="append",
        default=[],
        metavar="MECHANISM",
        help="switch on a mechanism that is off by default (e.g. lapse) in every case; "
        "repeatable; results are printed, written only with --output",
    )
    args = parser.parse_args(argv)

    sizes = BIG if args.big else QUICK if args.quick else FULL
    cases = sorted(args.cases or "de") if args.big else ["a", "b", "c"]
    info = machine_info()
    print(
        f"socialsim {info['socialsim']} ({info['git']}), Python {info['python']}, "
        f"{info['cpu']} x{info['cpu_count']}, load {info['load_average_at_start']}"
    )
    repeat = args.repeat or (1 if args.quick or args.big else 3)
    yardstick = {"before": calibration()}
    results, all_runs = {}, {}
    for case in cases:
        size = sizes[case]
        print(
            f"  running case {case}: {size['n']:,} users, {size['days']} days, {repeat} run(s) ...",
            flush=True,
        )
        runs = [spawn_case(case, size["n"], size["days"], tuple(args.on)) for _ in range(repeat)]
        all_runs[case] = runs
        results[case] = min(runs, key=lambda r: r[HEADLINE[case]])
    yardstick["after"] = calibration()
    git_after = git_version()
    if git_after != info["git"]:
        info["git_at_end"] = git_after
        print(f"WARNING: the source changed during the benchmark ({info['git']} -> {git_after})")
    info["load_average_at_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    table, summary = report_big(results) if args.big else report(results, args.quick)
    print()
    print(table)
    print(
        f"machine yardstick (python loop s, numpy s): before "
        f"{yardstick['before']['python_loop_s']}, {yardstick['before']['numpy_s']}; after "
        f"{yardstick['after']['python_loop_s']}, {yardstick['after']['numpy_s']}"
    )

    default = None if args.quick or args.on else BIG_OUTPUT if args.big else DEFAULT_OUTPUT
    output = args.output or default
    if output is not None:
        payload = {
            "mode": "big" if args.big else "quick" if args.quick else "full",
            "machine": info,
            "yardstick": yardstick,
            "repeat": repeat,
            "mechanisms_on": args.on,
            "cases": results,
            "all_runs": all_runs,
            **summary,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"\nwrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
