"""The benchmark cases of ``bench.py``, each timed in a fresh Python process (so that peak
memory is per case): the scenario (:func:`config`), one case's run (:func:`run_case`), the
CSR yardstick (:func:`csr_pass_ms`) and the parent's call (:func:`spawn_case`).

    python benchmarks/bench_cases.py a --n 10000 --days 365 [--on lapse]   # one JSON line
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def config(n: int, days: int, seed: int = 1, on: tuple[str, ...] = ()) -> dict[str, Any]:
    """The benchmark scenario: default parameters, one default brand, BA graph m=5; the
    mechanisms ``on`` (off by default, e.g. ``lapse``) switched on; with ``community`` the
    brand sends 20% of its posts to its community; ``platforms`` (not a switch) adds two
    platforms with overlapping audiences (odd.md 7.16), the brand on both with a plan on
    each."""
    cfg: dict[str, Any] = {
        "steps": days,
        "seed": seed,
        "graph": {"kind": "barabasi_albert", "n": n, "m": 5},
        "brands": [{"name": "brand"}],
    }
    switches = [name for name in on if name != "platforms"]
    if switches:
        cfg["mechanisms"] = dict.fromkeys(switches, True)
    if "platforms" in on:
        cfg["platforms"] = [
            {"name": "friends", "friend_posts": 0.6},
            {"name": "business", "sell_tolerance": 0.8, "friend_posts": 0.3},
        ]
        cfg["users"] = {"audiences": {"friends": 0.5, "business": 0.2, "friends+business": 0.3}}
        cfg["brands"][0]["platforms"] = {"friends": {}, "business": {"sell_share": 0.6}}
    if "community" in on:  # a community needs a brand that posts to it (effort 0: none)
        cfg["brands"][0]["community_effort"] = 0.2
    return cfg


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    On Linux this is VmHWM from /proc/self/status: ``ru_maxrss`` would inherit the parent's
    peak across fork + exec. Elsewhere ``resource.getrusage`` (bytes on macOS, KB otherwise).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024**2 if sys.platform == "darwin" else peak / 1024


# ---------------------------------------------------------------------- one case (child)
def run_case(case: str, n: int, days: int, on: tuple[str, ...] = ()) -> dict[str, Any]:
    """Time one case in this process and return its figures."""
    import socialsim
    from socialsim.config import load_config
    from socialsim.graphs import build_friendships
    from socialsim.state import random_streams

    sys.path.insert(0, str(ROOT / "tests"))
    from reference import RefModel

    baseline = peak_rss_mb()
    cfg = config(n, days, on=on)
    out: dict[str, Any] = {"case": case, "n": n, "days": days, "baseline_rss_mb": baseline}
    if on:
        out["mechanisms_on"] = list(on)
    if case in ("a", "c", "d", "e"):
        t0 = time.perf_counter()
        params = load_config(cfg)
        friends = build_friendships(params.graph, random_streams(params.seed)["graph"])
        t1 = time.perf_counter()
        out["graph_rss_mb"] = peak_rss_mb()
        model = socialsim.SocialModel(cfg, graph=friends)
        t2 = time.perf_counter()
        df = model.run(days)
        t3 = time.perf_counter()
        out.update(
            edges=friends.adjacency.nnz // 2,
            graph_s=t1 - t0,
            construct_s=t2 - t1,
            run_s=t3 - t2,
            per_step_ms=1000 * (t3 - t2) / days,
            total_s=t3 - t0,
            final_conversions=int(df["conversions_total"].iloc[-1]),
        )
        if case == "a":  # one day's cost in scipy CSR neighbour passes on the same graph
            out["csr_pass_ms"] = csr_pass_ms(model.state.adjacency)
            out["passes_per_day"] = out["per_step_ms"] / out["csr_pass_ms"]
    elif case == "b":
        t0 = time.perf_counter()
        ref = RefModel(cfg)
        t1 = time.perf_counter()
        df = ref.run(days)
        t2 = time.perf_counter()
        out.update(
            edges=ref.graph.number_of_edges(),
            construct_s=t1 - t0,
            run_s=t2 - t1,
            per_step_ms=1000 * (t2 - t1) / days,
            run_365_s=(t2 - t1) / days * 365,
            final_conversions=int(df["conversions_total"].iloc[-1]),
        )
    else:
        raise ValueError(f"unknown case {case!r}")
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def csr_pass_ms(A: Any, repeat: int = 300) -> float:
    """Median milliseconds of one ``A @ x`` with a float32 vector (the yardstick of a day's
    cost: a vectorized day is a handful of such passes over the graph)."""
    import numpy as np

    x = np.random.default_rng(0).random(A.shape[0]).astype(np.float32)
    A = A.astype(np.float32)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        A @ x
        times.append(time.perf_counter() - t0)
    return 1000 * float(np.median(times))


def spawn_case(case: str, n: int, days: int, on: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run one case in a fresh interpreter and parse its JSON line."""
    cmd = [sys.executable, str(Path(__file__).resolve()), case]
    cmd += ["--n", str(n), "--days", str(days)]
    for name in on:
        cmd += ["--on", name]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"case {case} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Child process: run one case and print its figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", choices=list("abcde"))
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--on", action="append", default=[], metavar="MECHANISM")
    args = parser.parse_args(argv)
    print(json.dumps(run_case(args.case, args.n, args.days, tuple(args.on))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
