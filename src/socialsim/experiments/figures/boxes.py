"""The boxes of scenario discovery (PRIM) as a figure: each restricted parameter a bar
over its sampled range."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .base import _save, subplots


def fig_boxes(rows: pd.DataFrame, labels: pd.Series, title: str, path: Path) -> Path:
    """Restricted parameters of boxes as bars on their sampled range (0 = low, 1 = high)."""
    fig, ax = subplots(figsize=(9, 0.35 * max(len(rows), 4) + 1.4), layout="constrained")
    y = np.arange(len(rows))[::-1]
    span = (rows["high"] - rows["low"]).replace(0, np.nan)
    lo = ((rows["min"] - rows["low"]) / span).to_numpy()
    hi = ((rows["max"] - rows["low"]) / span).to_numpy()
    ax.barh(y, hi - lo, left=lo, color="#e45756", height=0.5)
    ax.set_yticks(y, list(labels), fontsize=8)
    ax.set_xlim(0, 1.25)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.axvline(1, color="grey", lw=0.5)
    ax.set_xlabel("position of the box in the sampled range (0 = low end, 1 = high end)")
    ax.set_title(title, fontsize=10)
    for yi, (_, r) in zip(y, rows.iterrows(), strict=True):
        ax.text(1.02, yi, f"{r['min']:.3g} to {r['max']:.3g}", va="center", fontsize=7)
    if rows.empty:
        ax.text(0.5, 0.5, "no box found", ha="center", va="center", transform=ax.transAxes)
    return _save(fig, path)
