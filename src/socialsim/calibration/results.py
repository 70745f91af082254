"""What a calibration gives back: the ensemble, the fit table, the figure, the calibrated config.

- The ensemble: the accepted trials (the share ``method.accept`` closest to the data), one
  row per parameter set with its distance.
- The fit table: per target (kind, period), the observed value and the simulated median and
  90% band over every run of every accepted parameter set (so the band holds parameter
  uncertainty and the model's own noise), with the window (fit / validate) and whether
  the observation falls inside the band.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..experiments.spec import set_path
from .spec import CALENDAR, Calibration

LABELS = {
    "followers": "followers (end of month)",
    "reach_organic": "reach per organic post",
    "reach_paid": "reach per paid post",
    "engaged_rate_pitch": "engaged per reached, product (pitch) posts",
    "engaged_rate_useful": "engaged per reached, inspiration (useful) posts",
    "engaged_rate_deal": "engaged per reached, action (deal) posts",
    "engaged_rate_support": "engaged per reached, support posts",
}


def trials_table(study: Any, cal: Calibration) -> pd.DataFrame:
    """Every complete trial: number, distance and parameter values, by trial number."""
    from optuna.trial import TrialState

    rows = [
        {"trial": t.number, "distance": t.value, **t.params}
        for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    ]
    cols = ["trial", "distance", *cal.priors]
    return pd.DataFrame(rows, columns=cols).sort_values("trial").reset_index(drop=True)


def accepted(trials: pd.DataFrame, accept: float) -> pd.DataFrame:
    """The ensemble of ``abc`` / ``tpe``: the ``accept`` share of trials with the smallest
    distance (at least 2), best first (ties by trial number), equal weights."""
    k = max(2, math.ceil(accept * len(trials)))
    out = trials.sort_values(["distance", "trial"]).head(k).reset_index(drop=True)
    out.insert(2, "weight", 1.0 / len(out))
    return out


def weighted_population(trials: pd.DataFrame, numbers: np.ndarray, weights: np.ndarray):
    """The ensemble of ``apmc``: the kept particles with normalised weights, best first."""
    out = trials.set_index("trial").loc[numbers].reset_index()
    out.insert(2, "weight", weights / weights.sum())
    return out.sort_values(["distance", "trial"]).reset_index(drop=True)


def ensemble_sims(study: Any, numbers: list[int]) -> np.ndarray:
    """Simulated targets of the given trials: (trials, replications, targets)."""
    by_number = {t.number: t for t in study.get_trials(deepcopy=False)}
    out = [np.array(by_number[n].user_attrs["sims"], dtype=float) for n in numbers]
    return np.stack(out)


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: list[float]) -> np.ndarray:
    """Quantiles ``qs`` of each column of ``x`` (rows weighted by ``w``), NaNs ignored."""
    out = np.full((len(qs), x.shape[1]), np.nan)
    for j in range(x.shape[1]):
        ok = np.isfinite(x[:, j])
        if not ok.any():
            continue
        order = np.argsort(x[ok, j])
        v, cw = x[ok, j][order], np.cumsum(w[ok][order])
        cw /= cw[-1]
        out[:, j] = [v[min(np.searchsorted(cw, q), len(v) - 1)] for q in qs]
    return out


def fit_table(cal: Calibration, sims: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    """Observed vs simulated median, 5% and 95% quantiles per target, over every run of
    every ensemble member (member ``i`` weighted ``weights[i]``, shared by its runs)."""
    flat = sims.reshape(-1, sims.shape[-1])
    w = np.repeat(weights / sims.shape[1], sims.shape[1])
    q = weighted_quantiles(flat, w, [0.05, 0.5, 0.95])
    obs = cal.observed
    table = pd.DataFrame(
        {
            "kind": obs.kind,
            "period": obs.period,
            "window": obs.window,
            "observed": obs.observed,
            "sim_median": q[1],
            "sim_low": q[0],
            "sim_high": q[2],
        }
    )
    inside = (table.observed >= table.sim_low) & (table.observed <= table.sim_high)
    table["inside"] = inside.astype("boolean").mask(table.observed.isna())
    return table


def coverage(fit: pd.DataFrame) -> dict[str, float]:
    """Share of targets inside the 90% band, per window."""
    out = {}
    for window, rows in fit.groupby("window"):
        rows = rows[rows.observed.notna()]
        if len(rows):
            out[str(window)] = float(rows.inside.astype(bool).mean())  # no NA left here
    return out


def calibrated_config(cal: Calibration, best: dict[str, float], out: Path) -> dict[str, Any]:
    """The base model config with the best parameter set; the calendar path is written
    relative to ``out`` (where the config file goes) when the calendar lives there."""
    cfg = copy.deepcopy(cal.base)
    for path, value in best.items():
        set_path(cfg, path, float(value))
    for brand in cfg.get("brands", []):
        cal_path = brand.get("calendar")
        if cal_path and Path(cal_path).resolve() == (out / CALENDAR).resolve():
            brand["calendar"] = CALENDAR
    return cfg


def plot_fit(fit: pd.DataFrame, cal: Calibration, path: Path) -> None:
    """Observed vs simulated 90% bands, one panel per target kind, windows shaded."""
    from matplotlib.figure import Figure

    stylized = fit[fit.period == 0]
    fit = fit[fit.period > 0]
    kinds = list(dict.fromkeys(fit.kind))
    panels = len(kinds) + (not stylized.empty)
    cols = 2 if panels > 1 else 1
    rows = math.ceil(panels / cols)
    fig = Figure(figsize=(6.0 * cols, 3.0 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, kind in zip(axes, kinds, strict=False):
        t = fit[fit.kind == kind]
        ax.fill_between(t.period, t.sim_low, t.sim_high, alpha=0.3, label="simulated 90% band")
        ax.plot(t.period, t.sim_median, label="simulated median")
        ax.plot(t.period, t.observed, "o", color="black", label="observed")
        if cal.validate is not None:
            ax.axvspan(cal.validate[0] - 0.5, cal.validate[1] + 0.5, color="0.9", zorder=0)
        ax.set_title(LABELS.get(kind, kind), fontsize=10)
        ax.set_xlabel("month" if cal.calendar is not None else "period")
        ax.set_ylim(bottom=0)
    if not stylized.empty:
        ax = axes[len(kinds)]
        x = np.arange(len(stylized))
        mid = stylized.sim_median.to_numpy()
        err = [mid - stylized.sim_low.to_numpy(), stylized.sim_high.to_numpy() - mid]
        ax.errorbar(x, mid, yerr=err, fmt="s", capsize=4, label="simulated, 90% band")
        ax.plot(x, stylized.observed, "o", color="black", label="survey (normalised)")
        ax.set_xticks(x, [k.removeprefix("unfollow_share_") for k in stylized.kind])
        how = "fitted" if (stylized.window == "fit").any() else "not fitted: a check"
        ax.set_title(f"share of unfollows by dominant reason ({how})", fontsize=10)
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
    for ax in axes[panels:]:
        ax.set_visible(False)
    axes[0].legend(fontsize=8)
    window = f"fit: periods {cal.fit[0]}-{cal.fit[1]}"
    if cal.validate is not None:
        window += f"; validation (grey): {cal.validate[0]}-{cal.validate[1]}"
    fig.suptitle(f"{cal.name}: observed vs calibrated model ({window})", fontsize=11)
    fig.savefig(path, dpi=110)
