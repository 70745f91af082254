"""The embedded demo: the relationship-myth experiment at classroom size, and its slide figure.

``socialsim demo`` sweeps one brand's ``sell_share`` from 0 (pure serve) to 1 (pure sell) on
2,000 users for 365 days with 8 replications (88 runs, about a minute on 2 cores), then
draws one figure: cumulative conversions, trust and backlash over time for the three mixes
of :data:`socialsim.mixes.MIXES` (serve only 0.0, balanced 0.3, hard sell 0.9). The caption
says whether balanced is ahead, behind or not clearly different from each other mix by day
30 and by the last day, from paired intervals over replications (the sweep's points share
their seeds), and gives the best sell share of the sweep with its bootstrap interval
(``best.csv``). ``report.html`` in the output folder shows all of it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..labels import label
from ..mixes import MIXES
from .answers import fmt, interval, mix_claims
from .files import atomic_write
from .paired import mix_changes, mix_comparison
from .runner import ExperimentResult, run_experiment
from .stats import best_values

#: The demo experiment (the same structure as an experiment TOML file).
SELL = "brands[0].sell_share"
DEMO: dict[str, Any] = {
    "name": "demo",
    "description": "Relationship myth: conversions, trust and backlash against sell share.",
    "steps": 365,
    "seed": 2026,
    "replications": 8,
    "graph": {"kind": "barabasi_albert", "n": 2000, "m": 5},
    "brands": [{"name": "brand", "strategy": "static", "posts_per_day": 2.0}],
    "sweep": {
        "method": "grid",
        "parameters": {SELL: {"low": 0.0, "high": 1.0, "num": 11}},
        "optimize": SELL,
        "objective": "conversions_total",
    },
}
COLORS = {"serve only": "#2b8cbe", "balanced": "#31a354", "hard sell": "#de2d26"}


def run_demo(
    out: str | Path = "results/demo", *, workers: int = 1, fresh: bool = False
) -> tuple[Path, str]:
    """Run the demo experiment into ``out``, draw ``out/figures/demo.png`` and write
    ``out/report.html`` with it. Returns the figure's path and its caption."""
    from .html import write_experiment_html

    result = run_experiment(DEMO, out=out, workers=workers, fresh=fresh)
    path, caption = demo_figure(result, Path(out) / "figures" / "demo.png")
    write_experiment_html(out, result.runs, result.manifest)
    return path, caption


def _best(runs: pd.DataFrame) -> pd.Series | None:
    """The sweep's best sell share (as ``best.csv``: the same bootstrap and seed)."""
    manifest = {
        "scenarios": list(pd.unique(runs["scenario"])),
        "sweep": {"parameters": [SELL], "optimize": SELL, "objective": "conversions_total"},
    }
    best = best_values(runs, manifest)
    return None if best is None or best.empty else best.iloc[0]


def demo_caption(runs: pd.DataFrame) -> str:
    """Balanced against serve only and hard sell by day 30 and by the last day ("ahead",
    "behind" or "no clear difference" from paired 95% intervals over replications), then
    the best sell share with its bootstrap interval."""
    table = mix_comparison(runs, SELL)
    parts = [f"{c.lead}: {c.text}." for c in mix_claims(table, mix_changes(runs, SELL))]
    best = _best(runs)
    if best is not None:
        parts.append(
            f"Best sell share for {label('conversions_total')} by day {int(runs['step'].max())}: "
            f"{fmt(best['best'])} ({interval(best['best_ci_low'], best['best_ci_high'])})."
        )
    reps = runs["replication"].nunique()
    parts.append(
        f"Means of {reps} runs per sell share, paired by replication (the same seeds)."
        if reps > 1
        else "A single run per sell share: no interval, so no clear difference."
    )
    return " ".join(parts)


def demo_figure(result: ExperimentResult | pd.DataFrame, path: str | Path) -> tuple[Path, str]:
    """Draw the slide figure (three panels over time) and return its path and caption."""
    from .figures import daily_figure

    runs = result.runs if isinstance(result, ExperimentResult) else result
    caption = demo_caption(runs)
    shares = runs[SELL].astype(float)
    mix = pd.Series(pd.NA, index=runs.index, dtype=object)
    for name, share in MIXES.items():
        mix[np.isclose(shares, share)] = name
    lines = runs.assign(mix=mix).dropna(subset=["mix"])
    fig = daily_figure(
        lines,
        by="mix",
        colors=COLORS,
        names={name: f"{name} (sell share {share:g})" for name, share in MIXES.items()},
        heading="Serve only, balanced and hard sell over a year "
        "(means and 95% intervals; dotted: day 30)",
    )
    for ax in fig.axes:
        if ax.get_xlabel() == "day":
            ax.axvline(30, color="grey", ls=":", lw=1)
    fig.text(0.5, -0.02, "\n".join(textwrap.wrap(caption, 170)), ha="center", va="top", fontsize=9)
    path = atomic_write(
        path,
        lambda tmp: fig.savefig(
            tmp, format="png", dpi=120, bbox_inches="tight", metadata={"Software": None}
        ),
    )
    return path, caption
