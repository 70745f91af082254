"""Bit-identity check for speed work (a script, not a test).

    python benchmarks/golden.py save DIR     # run the configs, write DIR/<name>.pkl
    python benchmarks/golden.py check DIR    # run again, compare exactly with DIR
    python benchmarks/golden.py save DIR --big   # also 200k users (paths taken on big graphs)

Optimisations must not change results: the same seed and config give bit-identical
metrics. ``check`` compares the columns saved in DIR (new metric columns added since are
listed, not compared: they did not exist then). The configs vary seeds, brands, strategies,
mechanisms, graph kinds and platform options; each run is 60-120 days on 500-3,000 users.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FACEBOOK = ROOT.parent / "shared" / "data" / "facebook_combined.txt"

BA = {"kind": "barabasi_albert", "n": 2000, "m": 5}
THREE = [
    {"name": "a", "strategy": "static", "sell_share": 0.2, "paid_reach": 30},
    {"name": "b", "strategy": "earn_then_ask", "segment": 1, "targeting": 0.9},
    {"name": "c", "strategy": "pitch_first", "disclosed": False, "paid_reach": 50},
]

CONFIGS: dict[str, dict[str, Any]] = {
    "default_ba": {"steps": 120, "seed": 1, "graph": BA, "brands": [{"name": "brand"}]},
    "seed7_hard_sell": {
        "steps": 90,
        "seed": 7,
        "graph": {**BA, "n": 3000},
        "brands": [{"name": "x", "sell_share": 0.9, "posts_per_day": 5, "paid_reach": 80}],
    },
    "three_brands": {"steps": 100, "seed": 2, "graph": BA, "brands": THREE},
    "adaptive_covert": {
        "steps": 120,
        "seed": 11,
        "graph": {"kind": "watts_strogatz", "n": 1500, "k": 8, "p": 0.1},
        "brands": [{"name": "ad", "strategy": "adaptive", "disclosed": False, "paid_reach": 40}],
    },
    "communities_3": {
        "steps": 80,
        "seed": 5,
        "graph": {"kind": "communities", "n": 1200, "communities": 4, "p_in": 0.02, "p_out": 0.001},
        "brands": THREE,
    },
    "complete_small": {
        "steps": 60,
        "seed": 3,
        "graph": {"kind": "complete", "n": 500},
        "brands": [{"name": "c", "sell_share": 0.5}],
    },
    "facebook_file": {
        "steps": 60,
        "seed": 4,
        "graph": {"kind": "file", "path": str(FACEBOOK)},
        "brands": [{"name": "f", "strategy": "earn_then_ask"}],
    },
    "platform_share_trend": {
        "steps": 120,
        "seed": 9,
        "graph": BA,
        "platform": {"engager_exposure": 0.3, "organic_reach_trend": -0.5},
        "brands": [{"name": "p", "paid_reach": 60}, {"name": "q", "strategy": "adaptive"}],
    },
    **{
        f"no_{mech}": {
            "steps": 90,
            "seed": 20 + i,
            "graph": {**BA, "n": 1000, "m": 3},
            "mechanisms": {mech: False},
            "platform": {"engager_exposure": 0.3},
            "brands": [
                {"name": "m", "sell_share": 0.6, "paid_reach": 40, "disclosed": False},
                {"name": "n", "strategy": "pitch_first", "segment": 1},
            ],
        }
        for i, mech in enumerate(("trust", "favor", "attention", "backlash", "wom"))
    },
}


BIG = {
    "ba_200k": {
        "steps": 60,
        "seed": 6,
        "graph": {"kind": "barabasi_albert", "n": 200_000, "m": 5},
        "brands": [{"name": "a", "paid_reach": 500}, {"name": "b", "strategy": "adaptive"}],
        "platform": {"engager_exposure": 0.3},
    },
    "ba_300k_one": {
        "steps": 40,
        "seed": 8,
        "graph": {"kind": "barabasi_albert", "n": 300_000, "m": 4},
        "brands": [{"name": "a", "paid_reach": 2000, "disclosed": False}],
    },
}


def run_all(big: bool = False) -> dict[str, pd.DataFrame]:
    from socialsim import simulate

    out = {}
    for name, cfg in (CONFIGS | BIG if big else CONFIGS).items():
        if "file" in name and not FACEBOOK.is_file():
            print(f"  skip {name}: {FACEBOOK} absent")
            continue
        t0 = time.perf_counter()
        out[name] = simulate(cfg)
        print(f"  {name:<22} {time.perf_counter() - t0:6.2f} s", flush=True)
    return out


def main(argv: list[str]) -> int:
    mode, folder = argv[0], Path(argv[1])
    frames = run_all(big="--big" in argv)
    if mode == "save":
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in frames.items():
            df.to_pickle(folder / f"{name}.pkl")
        print(f"saved {len(frames)} runs to {folder}")
        return 0
    bad, added = 0, set()
    for name, df in frames.items():
        saved = pd.read_pickle(folder / f"{name}.pkl")
        added |= set(df.columns) - set(saved.columns)
        try:
            missing = [c for c in saved.columns if c not in df.columns]
            assert not missing, f"columns {missing} are gone"
            pd.testing.assert_frame_equal(df[list(saved.columns)], saved, check_exact=True)
        except AssertionError as exc:
            bad += 1
            print(f"DIFFERS {name}: {str(exc)[:300]}")
    if added:
        print(f"new columns, not compared: {', '.join(sorted(added))}")
    print(f"{len(frames) - bad}/{len(frames)} identical")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
