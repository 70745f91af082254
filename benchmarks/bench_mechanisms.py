"""Speed of each mechanism against the model-speed target (a script, not a test).

    python benchmarks/bench_mechanisms.py               # writes benchmarks/mechanisms_results.json
    python benchmarks/bench_mechanisms.py --repeat 1    # one round (about 1 minute)

Case a of ``bench.py`` (10,000 users, Barabasi-Albert m=5, 365 days, one day's cost in
scipy CSR neighbour passes measured in the same process; target <= 15) with nothing on,
then with each mechanism that is off by default switched on alone (``bench_cases.config``:
``community`` with a brand that posts to its community, ``platforms`` with two
platforms), then with every mechanism at once. Each configuration runs ``--repeat`` times
in fresh processes, the configurations interleaved round by round so that a slow spell
of a shared machine hits them alike. Reported per configuration: the fastest run's
passes per day (the headline, as in ``bench.py``) and the median; the per-pass yardstick
itself varies by about a third between runs on a shared machine, so compare medians too.
Because the rounds are interleaved, each mechanism's added cost is also given paired with
the ``none`` run of the same round (median over rounds of the difference in passes per day
and in milliseconds per day), which a slow spell that hits a whole round cancels out of.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from bench import FULL, TARGETS, machine_info
from bench_cases import spawn_case

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "benchmarks" / "mechanisms_results.json"
SINGLE = ("lapse", "replies", "budget", "community", "shares", "platforms", "platform_reacts")
CONFIGS: dict[str, tuple[str, ...]] = {
    "none": (),
    **{name: (name,) for name in SINGLE},
    "all": SINGLE,
}


def summarise(runs: list[dict[str, Any]], base: list[dict[str, Any]]) -> dict[str, Any]:
    """Fastest and median passes per day, the cost added over ``base`` (the runs with
    nothing on, paired round by round), run seconds and the target check of one config."""
    passes = [r["passes_per_day"] for r in runs]
    best = min(runs, key=lambda r: r["run_s"])
    added = [r["passes_per_day"] - b["passes_per_day"] for r, b in zip(runs, base, strict=True)]
    added_ms = [r["per_step_ms"] - b["per_step_ms"] for r, b in zip(runs, base, strict=True)]
    return {
        "passes_per_day_best": round(best["passes_per_day"], 2),
        "passes_per_day_median": round(statistics.median(passes), 2),
        "added_passes_median": round(statistics.median(added), 2),
        "added_ms_per_day_median": round(statistics.median(added_ms), 3),
        "run_s_best": round(best["run_s"], 3),
        "csr_pass_ms_best": round(best["csr_pass_ms"], 4),
        "target_passes": TARGETS["a_passes_per_day"],
        "met": best["passes_per_day"] <= TARGETS["a_passes_per_day"],
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    size = FULL["a"]
    info = machine_info()
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in CONFIGS}
    for k in range(args.repeat):
        print(f"round {k + 1} of {args.repeat} ...", flush=True)
        for name, on in CONFIGS.items():
            runs[name].append(spawn_case("a", size["n"], size["days"], on))
    results = {name: summarise(r, runs["none"]) for name, r in runs.items()}
    head = f"{'mechanisms on':<16} {'passes/day best':>16} {'median':>8} {'added':>7} {'run s':>7}"
    print(f"\n{head}  target")
    for name, res in results.items():
        verdict = "met" if res["met"] else "NOT met"
        print(
            f"{name:<16} {res['passes_per_day_best']:>16.2f} {res['passes_per_day_median']:>8.2f}"
            f" {res['added_passes_median']:>+7.2f} {res['run_s_best']:>7.3f}"
            f"  <= {res['target_passes']:g} {verdict}"
        )
    payload = {"machine": info, "size": size, "repeat": args.repeat, "configs": results}
    args.output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
