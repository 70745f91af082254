"""Dose response of time on the platform to the ad load: the Pandora check (odd.md 7.15).

    python experiments/ad_load_response.py            # writes results/ad_load_response/
    python experiments/ad_load_response.py --quick    # fewer users and seeds (prints only)

With ``[mechanisms] platform_reacts`` on and the ad load held fixed (``rules.ad_supply =
0``), the platform's ad load is set so that users see 3, 6, 9 and 12 ads an hour (the arms
of the Pandora experiment: Huang, Reiley & Riabov 2018; Goli et al. 2025), with users'
baseline time taken at 3 ads an hour (``rules.ads_reference = 3``, the lightest arm, as the
experiment's comparisons are between arms). The mean time on the platform of each arm
relative to the 3-ads arm is read at day 30 (one month) and day 640 (about 21 months):

* the decline per additional ad an hour: the slope of a straight-line fit over 3-12 ads an
  hour (Pandora: about 2% in the long run, hours listened);
* linearity: the largest residual of that fit;
* long run / one month: the ratio of the two slopes (Pandora: about 3).

The time response is deterministic given the population (it reads the ad load and each
user's scepticism, which drifts with the ad load), so a few seeds suffice; they only vary
the population.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from socialsim import simulate

ADS_PER_HOUR = (3.0, 6.0, 9.0, 12.0)
DAYS = (30, 640)
OUT = Path(__file__).resolve().parents[1] / "results" / "ad_load_response"


def config(ads: float, seed: int, n: int, days: int, **rules: float) -> dict:
    """A run with the reacting platform on, its ad load fixed at ``ads`` ads an hour."""
    feed = 30.0  # rules.feed_items_per_hour, the default
    return {
        "steps": days,
        "seed": seed,
        "graph": {"kind": "barabasi_albert", "n": n, "m": 3},
        "mechanisms": {"platform_reacts": True},
        "platform": {"commercialization": ads / feed},
        "rules": {"ad_supply": 0.0, "ads_reference": ADS_PER_HOUR[0], **rules},
        "brands": [{"name": "brand"}],
    }


def measure(seeds=(1, 2), n: int = 300, **rules: float) -> pd.DataFrame:
    """Mean time on the platform per arm and day of :data:`DAYS`, relative to the 3-ads arm
    (one row per arm: ``ads_per_hour``, ``time_<day>``, ``decline_<day>``)."""
    days = max(DAYS)
    rows = []
    for ads in ADS_PER_HOUR:
        times = {d: [] for d in DAYS}
        for seed in seeds:
            df = simulate(config(ads, seed, n, days, **rules))
            for d in DAYS:
                times[d].append(float(df.loc[df["step"] == d, "time_on_platform"].iloc[0]))
        rows.append({"ads_per_hour": ads, **{f"time_{d}": np.mean(times[d]) for d in DAYS}})
    table = pd.DataFrame(rows)
    for d in DAYS:
        table[f"decline_{d}"] = 1.0 - table[f"time_{d}"] / table[f"time_{d}"].iloc[0]
    return table


def fit(table: pd.DataFrame) -> dict[str, float]:
    """Slopes (decline per ad an hour) at each day, the long-run fit's largest residual and
    R^2, and the long-run / one-month ratio."""
    x = table["ads_per_hour"].to_numpy()
    out: dict[str, float] = {}
    for d in DAYS:
        y = table[f"decline_{d}"].to_numpy()
        slope, intercept = np.polyfit(x, y, 1)
        residual = y - (slope * x + intercept)
        out[f"slope_{d}"] = float(slope)
        out[f"max_residual_{d}"] = float(np.abs(residual).max())
        out[f"r2_{d}"] = float(1.0 - residual.var() / y.var())
    out["ratio"] = out[f"slope_{DAYS[1]}"] / out[f"slope_{DAYS[0]}"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 users, one seed; no files")
    args = parser.parse_args(argv)
    seeds, n = ((1,), 300) if args.quick else ((1, 2, 3, 4), 2000)
    table = measure(seeds, n)
    summary = fit(table)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    print({k: round(v, 4) for k, v in summary.items()})
    if not args.quick:
        OUT.mkdir(parents=True, exist_ok=True)
        table.to_csv(OUT / "dose_response.csv", index=False, float_format="%.6f")
        pd.DataFrame([summary]).to_csv(OUT / "fit.csv", index=False, float_format="%.6f")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
