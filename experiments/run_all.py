"""Regenerate every canonical experiment's results in results/<name>/.

    python experiments/run_all.py                  # all, serially
    python experiments/run_all.py --workers 2      # on a local Dask cluster
    python experiments/run_all.py reciprocity      # only the named ones

Each is the same as ``socialsim run experiments/<name>.toml``. An experiment whose graph file
is absent (the real graph in ../shared) is skipped with a message, not an error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socialsim import ConfigError, run_experiment
from socialsim.experiments import load_experiment

HERE = Path(__file__).resolve().parent
CANONICAL = [
    "relationship_myth",
    "reciprocity",
    "platform_backlash",
    "skepticism",
    "support_capacity",
    "transparency",
    "bass_validation",
    "competing_brands",
    "facebook",
    "facebook_brand_sell_share",  # needs results/calibrate_facebook_brand (socialsim calibrate)
    "churn",
    "budget",
    "replies",
    "replies_hard_sell",
    "community",
    "shares",
    "commons",
    "platforms",
    "platform_choice",
    "platform_shares",
    "robustness",  # 30,000 runs: about 2.5 h with --workers 2
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="experiments to run (default: all)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--fresh", action="store_true", help="discard saved runs")
    args = parser.parse_args(argv)
    for name in args.names or CANONICAL:
        path = HERE / f"{name}.toml"
        try:
            load_experiment(path)
        except ConfigError as exc:
            if "graph.path" in str(exc) and "not found" in str(exc):
                print(f"skipping {name}: {exc}", file=sys.stderr)
                continue
            raise
        out = HERE.parent / "results" / name
        res = run_experiment(path, out=out, workers=args.workers, fresh=args.fresh)
        print(f"{name}: {res.manifest['runs']} runs -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
