"""The robustness map: its parameter ranges and the report of a pattern experiment.

:func:`plausible_ranges` gives the documented sampling ranges of the model's coefficients
(half to one and a half times the default, within the schema's bounds): the ranges of
``experiments/robustness.toml``. The coefficients of mechanisms that are off by default
(:data:`OFF_BY_DEFAULT`, e.g. ``rules.lapse_*`` of ``[mechanisms] lapse``, ``rules.reply_*``
of ``[mechanisms] replies``) are not sampled:
at the defaults they change nothing, so the map's 75 ranges stay as they were.
:func:`write_robustness` writes the report of an experiment with ``patterns = true``:
``patterns.csv`` (one row per sample point: parameters, P1-P8, the numbers behind them),
``summary.csv`` (per pattern: points where it holds, share and 95% Wilson interval),
``discovery.csv`` (PRIM boxes where each pattern fails, when it fails at enough points),
``figures/robustness.png`` and ``figures/discovery.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config.community import CommunityRules
from ..config.lapse import LapseRules
from ..config.platforms import PlatformRules
from ..config.reacting import ReactingRules
from ..config.replies import RepliesRules
from ..config.shares import SharesRules
from ..labels import title
from .discover import discover
from .figures import _replications, _save, subplots
from .figures.boxes import fig_boxes
from .files import _write_csv
from .patterns import PATTERNS, pattern_table, robustness

#: Coefficients that only price outcomes (money units), not behaviour: not sampled.
ACCOUNTING = ("rules.price", "rules.cost_per_post", "rules.cost_per_paid", "rules.cost_per_agent")
#: Coefficients of mechanisms off by default (``[mechanisms] lapse``, ``replies``,
#: ``community``, ``shares``, ``platform_reacts``; ``[[platforms]]``): they have no effect
#: on the patterns at the defaults, so they are not sampled.
OFF_BY_DEFAULT = tuple(
    f"rules.{name}"
    for mixin in (
        LapseRules,
        RepliesRules,
        CommunityRules,
        SharesRules,
        ReactingRules,
        PlatformRules,
    )
    for name in mixin.model_fields
)
#: The main population and platform parameters sampled with every ``[rules]`` coefficient.
MAIN = (
    "users.skepticism",
    "users.skepticism_concentration",
    "users.attention",
    "users.attention_shape",
    "users.friend_motive",
    "users.friend_motive_concentration",
    "users.friend_posts",
    "users.need_rate",
    "users.initial_awareness",
    "users.initial_follow",
    "users.initial_trust",
    "users.initial_trust_skepticism",
    "platform.commercialization",
    "platform.organic_reach",
    "platform.skepticism_drift",
)
#: Parameters off (0) by default, sampled over the range the calibration found plausible
#: (results/calibrate_facebook_brand: engager_exposure 0.21, organic_reach_trend -0.88).
EXTRA = {"platform.engager_exposure": (0.0, 0.3), "platform.organic_reach_trend": (-1.0, 0.0)}


def plausible_ranges(scale: tuple[float, float] = (0.5, 1.5)) -> dict[str, tuple[float, float]]:
    """Sampling range of every ``[rules]`` coefficient (but :data:`ACCOUNTING` and
    :data:`OFF_BY_DEFAULT`) and of the :data:`MAIN` parameters: ``scale`` times the default,
    clipped to the schema's bounds; then :data:`EXTRA`. Keys are config paths, in schema
    order."""
    from annotated_types import Ge, Gt, Le, Lt

    from ..config import Config

    cfg = Config()
    out: dict[str, tuple[float, float]] = {}
    for section in ("rules", "users", "platform"):
        model = getattr(cfg, section)
        for name, field in type(model).model_fields.items():
            path = f"{section}.{name}"
            skip = path in ACCOUNTING or path in OFF_BY_DEFAULT
            if skip or (section != "rules" and path not in MAIN):
                continue
            default = getattr(model, name)
            lo, hi = default * scale[0], default * scale[1]
            for bound in field.metadata:
                if isinstance(bound, Ge | Gt):
                    lo = max(lo, float(getattr(bound, "ge", getattr(bound, "gt", lo))))
                if isinstance(bound, Le | Lt):
                    hi = min(hi, float(getattr(bound, "le", getattr(bound, "lt", hi))))
            out[path] = (lo, hi)
    out.update(EXTRA)
    return out


#: A pattern's failures are explained by PRIM when they number at least this many.
MIN_FAILURES = 10


def write_robustness(outdir: Path, runs: pd.DataFrame, manifest: dict[str, Any]) -> dict[str, Path]:
    """Write the robustness tables and figures; returns the paths keyed by relative name."""
    table = pattern_table(runs, manifest)
    shares = robustness(table)
    written = {
        "summary.csv": _write_csv(shares, outdir / "summary.csv"),
        "patterns.csv": _write_csv(table, outdir / "patterns.csv"),
    }
    figdir = outdir / "figures"
    figdir.mkdir(exist_ok=True)
    written["figures/robustness.png"] = _fig_shares(shares, manifest, figdir / "robustness.png")
    boxes = failure_boxes(table, manifest)
    if boxes is not None:
        written["discovery.csv"] = _write_csv(boxes, outdir / "discovery.csv")
        rows = boxes.dropna(subset=["parameter"])
        written["figures/discovery.png"] = fig_boxes(
            rows,
            rows["pattern"] + ": " + rows["parameter"].map(lambda p: f"{title(p)} ({p})"),
            "Where patterns fail: the PRIM box of each pattern",
            figdir / "discovery.png",
        )
    return written


def failure_boxes(table: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame | None:
    """PRIM boxes of the parameter space where each pattern fails (None without a sweep or
    without a pattern that fails at :data:`MIN_FAILURES` points or more)."""
    params = (manifest.get("sweep") or {}).get("parameters") or []
    frames = []
    for name in PATTERNS:
        fails = int((~table[name]).sum())
        if not params or fails < MIN_FAILURES or fails == len(table):
            continue
        found = discover(table, f"not {name}", parameters=params, boxes=1)
        if not found.boxes.empty:
            frames.append(found.boxes.assign(pattern=name, failures=fails))
    if not frames:
        return None
    out = pd.concat(frames, ignore_index=True)
    lead = ["pattern", "failures"]
    return out[[*lead, *(c for c in out.columns if c not in lead)]]


def _fig_shares(shares: pd.DataFrame, manifest: dict[str, Any], path: Path) -> Path:
    fig, ax = subplots(figsize=(8, 4.2), layout="constrained")
    y = np.arange(len(shares))[::-1]
    ax.barh(y, shares["share"], color="#4c78a8", height=0.6)
    err = np.vstack([shares["share"] - shares["ci_low"], shares["ci_high"] - shares["share"]])
    ax.errorbar(shares["share"], y, xerr=err, fmt="none", color="black", capsize=3, lw=1)
    ax.set_yticks(y, [f"{p}" for p in shares["pattern"]])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the parameter space where the pattern holds (95% interval)")
    n = int(shares["samples"].iloc[0])
    reps = _replications(shares, manifest)
    ax.set_title(f"Robustness of patterns P1-P8: {n} parameter samples, {reps} each", fontsize=10)
    for yi, s, hi in zip(y, shares["share"], shares["ci_high"], strict=True):
        ax.text(min(hi + 0.015, 0.93), yi + 0.32, f"{s:.0%}", va="center", fontsize=8)
    return _save(fig, path)
