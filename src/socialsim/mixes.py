"""The three content mixes of the relationship myth, and honest words for comparing them.

One definition serves the demo, the classroom page, the notebooks and the experiment files:
:data:`MIXES` maps a label to a brand's ``sell_share``. *Balanced* is the schema's default
``sell_share`` (0.3, three posts in ten pitch), the mix the model's defaults describe; it is
not the best mix of any one run. The best share is a result, reported with its interval.

:func:`verdict` turns paired replications (common random numbers: the same seeds for both
mixes) into "ahead", "behind" or "no clear difference" from the 95% t-interval of the
paired difference, so no caption claims a lead that the intervals do not support.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

__all__ = [
    "BALANCED",
    "HARD_SELL",
    "MIXES",
    "SERVE_ONLY",
    "interval_verdict",
    "paired_interval",
    "verdict",
]

#: Sell share of each mix (label -> share of posts that pitch).
SERVE_ONLY, BALANCED, HARD_SELL = 0.0, 0.3, 0.9
MIXES: dict[str, float] = {"serve only": SERVE_ONLY, "balanced": BALANCED, "hard sell": HARD_SELL}

#: The three words of :func:`verdict`.
AHEAD, BEHIND, UNCLEAR = "ahead", "behind", "no clear difference"


def paired_interval(
    a: Sequence[float], b: Sequence[float], level: float = 0.95
) -> tuple[float, float, float]:
    """Mean of ``a - b`` over paired replications and its t-interval at ``level``.

    ``a[i]`` and ``b[i]`` must come from the same seed. With fewer than two pairs the
    interval is ``(nan, nan)``: one run says nothing about noise.
    """
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if d.ndim != 1 or d.size == 0:
        raise ValueError(f"paired_interval needs two equal-length 1-D samples, got {d.shape}")
    mean = float(d.mean())
    if d.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size))
    return mean, mean - half, mean + half


def verdict(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> str:
    """``"ahead"`` if ``a`` beats ``b`` (the paired interval lies above 0), ``"behind"`` if
    it lies below 0, else ``"no clear difference"`` (also with fewer than two pairs)."""
    _, low, high = paired_interval(a, b, level)
    return interval_verdict(low, high)


def interval_verdict(low: float, high: float) -> str:
    """The rule of :func:`verdict` for an interval of a difference: ``"ahead"`` above 0,
    ``"behind"`` below 0, else (also NaN: a single run) ``"no clear difference"``."""
    if low > 0:
        return AHEAD
    if high < 0:
        return BEHIND
    return UNCLEAR
