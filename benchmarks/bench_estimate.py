"""Accuracy of the time and memory estimates (a script, not a test).

    python benchmarks/bench_estimate.py            # measure, compare, write the JSON
    python benchmarks/bench_estimate.py --quick    # two small cases, print only

Each case runs one model (``socialsim.simulate``) in a fresh Python process and records its
CPU time (graph, construction and run; one BLAS thread, so this is the wall time of an
unloaded machine and is robust to other load) and peak resident memory (VmHWM), next to what
``socialsim.experiments.estimate.run_cost`` predicts for the same config. The ratios
estimate / measured are written to ``benchmarks/estimate_results.json``; the target is
within 30% (0.7 to 1.3). Refit the coefficients in ``estimate.py`` when the model's speed
changes, then rerun this script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "benchmarks" / "estimate_results.json"
SHARED = ROOT.parent / "shared" / "data" / "facebook_combined.txt"


def _ba(n: int, days: int, brands: int = 1, m: int = 5) -> dict:
    return {
        "steps": days,
        "graph": {"kind": "barabasi_albert", "n": n, "m": m},
        "brands": [{"name": f"b{i}"} for i in range(brands)],
    }


CASES = {
    "ba_2k_365": _ba(2_000, 365),
    "ba_10k_365": _ba(10_000, 365),
    "ba_10k_365_3brands": _ba(10_000, 365, brands=3),
    "ba_100k_365": _ba(100_000, 365),
    "ba_1m_30": _ba(1_000_000, 30),
    "ws_10k_365": {"steps": 365, "graph": {"kind": "watts_strogatz", "n": 10_000, "k": 10}},
    "er_10k_365": {"steps": 365, "graph": {"kind": "erdos_renyi", "n": 10_000, "p": 0.001}},
    "communities_10k_365": {
        "steps": 365,
        "graph": {"kind": "communities", "n": 10_000, "communities": 4, "p_in": 0.002},
    },
    "complete_2k_60": {"steps": 60, "graph": {"kind": "complete", "n": 2_000}},
    "facebook_365": {"steps": 365, "graph": {"kind": "file", "path": str(SHARED)}},
}
#: Cases the coefficients were not fitted to (a check out of sample).
HELD_OUT = {
    "ba_300k_100": _ba(300_000, 100),
    "ba_50k_120_3brands": _ba(50_000, 120, brands=3),
    "ws_100k_60": {"steps": 60, "graph": {"kind": "watts_strogatz", "n": 100_000, "k": 6}},
    "complete_4k_30": {"steps": 30, "graph": {"kind": "complete", "n": 4_000}},
}
CASES.update(HELD_OUT)
QUICK = ("ba_2k_365", "complete_2k_60")

CHILD = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import socialsim
cfg = json.loads(sys.argv[1])
t1, c1 = time.perf_counter(), time.process_time()
socialsim.simulate(cfg)
t2, c2 = time.perf_counter(), time.process_time()
peak = 0.0
for line in Path("/proc/self/status").read_text().splitlines():
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) * 1024
print(json.dumps({"seconds": c2 - c1, "wall_s": t2 - t1, "import_s": t1 - t0, "peak_bytes": peak}))
"""


def measure(cfg: dict) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(cfg)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    from socialsim.config import load_config
    from socialsim.experiments.estimate import FITTED, run_cost

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cases", nargs="*", help="only these cases")
    args = parser.parse_args(argv)
    names = args.cases or (QUICK if args.quick else list(CASES))
    rows = {}
    for name in names:
        cfg = CASES[name]
        if cfg["graph"]["kind"] == "file" and not Path(cfg["graph"]["path"]).is_file():
            print(f"{name}: skipped ({cfg['graph']['path']} absent)")
            continue
        full = load_config(cfg).model_dump(mode="json")
        seconds, nbytes, users, edges = run_cost(full)
        got = measure(cfg)
        rows[name] = {
            "held_out": name in HELD_OUT,
            "users": users,
            "edges": edges,
            "days": full["steps"],
            "brands": len(full["brands"]),
            "measured_s": round(got["seconds"], 3),
            "wall_s": round(got["wall_s"], 3),
            "estimated_s": round(seconds, 3),
            "time_ratio": round(seconds / got["seconds"], 3),
            "measured_mb": round(got["peak_bytes"] / 1e6, 1),
            "estimated_mb": round(nbytes / 1e6, 1),
            "memory_ratio": round(nbytes / got["peak_bytes"], 3),
        }
        r = rows[name]
        print(
            f"{name:22s} time {r['measured_s']:8.2f} s est {r['estimated_s']:8.2f} "
            f"({r['time_ratio']:.2f})  memory {r['measured_mb']:8.0f} MB est "
            f"{r['estimated_mb']:8.0f} ({r['memory_ratio']:.2f})"
        )
    if args.quick or args.cases:
        return 0
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "coefficients": FITTED,
        "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "target": "estimate / measured within 0.7-1.3",
        "cases": rows,
    }
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
