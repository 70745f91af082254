"""Command line: ``socialsim run [CONFIG]`` runs one simulation and saves its metrics.

Exit codes: 0 success, 2 bad input (message on stderr, nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

import pandas as pd

from . import __version__
from .config import ConfigError, load_config
from .model import SocialModel

EXAMPLE = """example:
  socialsim run                          # the embedded default config
  socialsim run experiments/default.toml --out results/default --seed 7
"""


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_command(args: argparse.Namespace) -> int:
    """Validate, run with a progress bar, then write metrics.csv and run.json atomically."""
    overrides = {k: v for k, v in (("seed", args.seed), ("steps", args.steps)) if v is not None}
    cfg = load_config(args.config, **overrides)
    name = Path(args.config).stem if args.config else "default"
    out = Path(args.out) if args.out else Path("results") / name
    started = dt.datetime.now(dt.UTC)
    model = SocialModel(cfg)
    try:
        from tqdm import tqdm

        days = tqdm(
            range(cfg.steps),
            desc=f"simulating {name}",
            unit="day",
            disable=not sys.stderr.isatty(),
            leave=False,
        )
    except ImportError:  # pragma: no cover
        days = range(cfg.steps)
    for _ in days:
        model.step()
    df = model.metrics()
    meta = {
        "config": cfg.model_dump(mode="json"),
        "seed": cfg.seed,
        "socialsim_version": __version__,
        "python": platform.python_version(),
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "users": model.state.n_users,
    }
    _write_atomic(out / "metrics.csv", df.to_csv(index=False))
    _write_atomic(out / "run.json", json.dumps(meta, indent=2))
    print(_summary(df, model.state.n_users))
    print(f"\nwrote {out / 'metrics.csv'} and {out / 'run.json'}")
    return 0


def _summary(df: pd.DataFrame, n_users: int) -> str:
    cols = ["brand", "followers", "mean_trust", "backlash", "conversions_total", "customers"]
    at = sorted({30, 90, 180, int(df["step"].max())} & set(df["step"]))
    table = df[df["step"].isin(at)].set_index("step")[cols]
    return f"{n_users} users; metrics on selected days:\n{table.to_string(float_format='%.3f')}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socialsim",
        description="Agent-based simulation of brands on social media.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"socialsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run",
        help="run one simulation and save its metrics",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("config", nargs="?", help="TOML config (default: the embedded default)")
    run.add_argument("--out", help="output directory (default: results/<config name>)")
    run.add_argument("--seed", type=int, help="override the config's seed")
    run.add_argument("--steps", type=int, help="override the number of days")
    run.set_defaults(func=run_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``socialsim`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"socialsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("socialsim: interrupted; nothing written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
