"""The embedded demo: the relationship-myth experiment at classroom size, and its slide figure.

``socialsim demo`` sweeps one brand's ``sell_share`` from 0 (pure serve) to 1 (pure sell) on
2,000 users for 365 days with 4 replications (44 runs, well under a minute on 2 cores), then
draws one figure: cumulative conversions, trust and backlash over time for serve-only, the
best balanced mix found by the sweep, and hard sell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .report import atomic_write, subplots
from .runner import ExperimentResult, run_experiment

#: The demo experiment (the same structure as an experiment TOML file).
DEMO: dict[str, Any] = {
    "name": "demo",
    "description": "Relationship myth: conversions, trust and backlash against sell share.",
    "steps": 365,
    "seed": 2026,
    "replications": 4,
    "graph": {"kind": "barabasi_albert", "n": 2000, "m": 5},
    "brands": [{"name": "brand", "strategy": "static", "posts_per_day": 2.0}],
    "sweep": {
        "method": "grid",
        "parameters": {"brands[0].sell_share": {"low": 0.0, "high": 1.0, "num": 11}},
    },
}
SELL = "brands[0].sell_share"
HARD_SELL = 0.9


def run_demo(
    out: str | Path = "results/demo", *, workers: int = 1, fresh: bool = False
) -> tuple[Path, str]:
    """Run the demo experiment into ``out`` and draw ``out/figures/demo.png``.

    Returns the figure's path and its one-sentence caption.
    """
    result = run_experiment(DEMO, out=out, workers=workers, fresh=fresh)
    return demo_figure(result, Path(out) / "figures" / "demo.png")


def _lines(runs: pd.DataFrame) -> dict[str, tuple[float, pd.DataFrame]]:
    """Serve-only, best balanced and hard-sell: label -> (sell share, runs of that share)."""
    final = runs[runs["step"] == runs["step"].max()]
    by_share = final.groupby(SELL)["conversions_total"].mean()
    interior = by_share[(by_share.index > 0.0) & (by_share.index < HARD_SELL - 1e-9)]
    best = float(interior.idxmax()) if len(interior) else 0.5
    shares = {"serve only": 0.0, "balanced (best mix)": best, "hard sell": HARD_SELL}
    return {label: (share, runs[np.isclose(runs[SELL], share)]) for label, share in shares.items()}


def demo_caption(runs: pd.DataFrame) -> str:
    """One sentence that says who wins by day 30 and by the last day (computed from runs)."""
    lines = _lines(runs)
    last = int(runs["step"].max())

    def conv(label: str, day: int) -> float:
        df = lines[label][1]
        return float(df.loc[df["step"] == min(day, last), "conversions_total"].mean())

    early = max(lines, key=lambda k: conv(k, 30))
    late = max(lines, key=lambda k: conv(k, last))
    share = lines["balanced (best mix)"][0]
    tail = (
        f"{conv(late, last):.0f} conversions vs {conv('hard sell', last):.0f} for hard sell "
        f"and {conv('serve only', last):.0f} for serve only; balanced = sell share "
        f"{share:.1f}; mean of {runs['replication'].nunique()} runs"
    )
    if early == late:
        return f"{early.capitalize()} leads by day 30 and still wins by day {last} ({tail})."
    return (
        f"By day 30 {early} leads ({conv(early, 30):.0f} conversions), but by day {last} "
        f"{late} wins ({tail})."
    )


def demo_figure(result: ExperimentResult | pd.DataFrame, path: str | Path) -> tuple[Path, str]:
    """Draw the slide figure (three panels over time) and return its path and caption."""
    from scipy.stats import t

    runs = result.runs if isinstance(result, ExperimentResult) else result
    lines = _lines(runs)
    caption = demo_caption(runs)
    panels = [
        ("conversions_total", "cumulative conversions (purchases)", "Sales"),
        ("mean_trust", "mean trust in the brand (0-1)", "Trust"),
        ("backlash", "backlash (share of aware users hostile)", "Backlash"),
    ]
    colors = {"serve only": "#2b8cbe", "balanced (best mix)": "#31a354", "hard sell": "#de2d26"}
    fig, axes = subplots(1, 3, figsize=(14, 4.6), constrained_layout=True)
    for ax, (metric, ylabel, title) in zip(axes, panels, strict=True):
        for label, (share, df) in lines.items():
            g = df.groupby("step")[metric]
            mean, sd, n = g.mean(), g.std().fillna(0.0), g.count()
            half = t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
            ax.plot(
                mean.index,
                mean,
                color=colors[label],
                lw=2,
                label=f"{label} (sell share {share:.1f})",
            )
            ax.fill_between(mean.index, mean - half, mean + half, color=colors[label], alpha=0.2)
        ax.axvline(30, color="grey", ls=":", lw=1)
        ax.set_title(title, fontsize=13)
        ax.set_xlabel("day")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper left", fontsize=9)
    fig.suptitle("The relationship myth: serve first, but you still have to ask", fontsize=14)
    fig.text(0.5, -0.04, caption, ha="center", va="top", fontsize=9, wrap=True)
    path = atomic_write(
        path,
        lambda tmp: fig.savefig(
            tmp, format="png", dpi=120, bbox_inches="tight", metadata={"Software": None}
        ),
    )
    return path, caption
