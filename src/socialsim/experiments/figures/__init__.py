"""The experiment's figures (matplotlib, drawn without pyplot).

Each public ``*_figure`` function returns a matplotlib ``Figure`` for the report, the demo,
notebooks and the classroom page to draw or save; :func:`make_figures` writes the report's
PNG files. Labels and units come from :mod:`socialsim.labels`; count bands are clipped at
zero, shares drawn from zero (trust on 0-1), and single runs show no interval.

- :func:`timeseries_figure` and :func:`daily_figure` (:mod:`.daily`): outcomes by day;
- :func:`final_vs_figure` and :func:`sensitivity_figure` (:mod:`.sweeps`): outcomes against
  swept parameters, Sobol and Morris indices;
- :func:`differences_figure` and :func:`bass_figure` (:mod:`.compare`): paired differences
  per scenario and sweep point, and the Bass-limit check;
- :func:`subplots`, :func:`series_styles`, :func:`band`, :func:`metric_axis` (:mod:`.base`):
  the building blocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..outcomes import SENSITIVITY_METRICS, _check, _params, _scenarios, run_outcomes
from ..sensitivity import sensitivity
from ..stats import _aggregate, _paired_differences, _point_values, summarize
from .base import _replications as _replications  # used by .robustness
from .base import _safe, _save, band, metric_axis, series_styles, subplots
from .compare import bass_figure, differences_figure
from .daily import daily_figure, timeseries_figure
from .sweeps import final_vs_figure, sensitivity_figure

__all__ = [
    "band",
    "bass_figure",
    "daily_figure",
    "differences_figure",
    "final_vs_figure",
    "make_figures",
    "metric_axis",
    "sensitivity_figure",
    "series_styles",
    "subplots",
    "timeseries_figure",
]


def _differences(outcomes: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    """:func:`compare`'s table for the drawn metrics, from outcomes already computed."""
    params = _params(manifest)
    long = _paired_differences(outcomes, manifest, list(SENSITIVITY_METRICS))
    out = _aggregate(long, ["scenario", "reference", "point", "brand", "metric"])
    out = out.rename(columns={"mean": "mean_diff"})
    if params:
        out = out.merge(_point_values(outcomes, params), on=["scenario", "point"], how="left")
    return out


def _figures(
    runs: pd.DataFrame,
    manifest: dict[str, Any],
    figdir: Path,
    summary: pd.DataFrame,
    sens: pd.DataFrame | None,
) -> list[Path]:
    figdir = Path(figdir)
    figdir.mkdir(parents=True, exist_ok=True)
    outcomes = run_outcomes(runs)
    paths = [_save(timeseries_figure(runs, manifest, outcomes), figdir / "timeseries.png")]
    for param in _params(manifest):
        fig = final_vs_figure(summary, manifest, param)
        paths.append(_save(fig, figdir / f"final_vs_{_safe(param)}.png"))
    if sens is not None and not sens.empty:
        paths.append(_save(sensitivity_figure(sens, manifest), figdir / "sensitivity.png"))
    if len(_scenarios(manifest)) >= 2 and outcomes["scenario"].nunique() >= 2:
        fig = differences_figure(_differences(outcomes, manifest), manifest)
        paths.append(_save(fig, figdir / "differences.png"))
    return sorted(paths)


def make_figures(runs: pd.DataFrame, manifest: dict[str, Any], figdir: str | Path) -> list[Path]:
    """Draw the experiment's figures as PNG files.

    Writes ``timeseries.png`` (conversions, backlash and trust by day, mean and 95% CI per
    scenario and brand, and per sweep point: all of them in small sweeps, else those at the
    lowest, middle and highest value of each parameter), ``final_vs_<param>.png`` per swept
    parameter (one line per value of the other swept parameters, or a heatmap),
    ``sensitivity.png`` for Sobol or Morris sweeps and ``differences.png`` (paired
    differences to the reference per scenario and sweep point) when there are two or more
    scenarios. Each file is written to a temporary file and moved into place.

    Parameters
    ----------
    runs : pandas.DataFrame
        The tidy runs table.
    manifest : dict
        The experiment manifest.
    figdir : str or pathlib.Path
        Output directory, created if missing.

    Returns
    -------
    list of pathlib.Path
        The files written, sorted.
    """
    _check(runs, manifest)
    return _figures(
        runs, manifest, Path(figdir), summarize(runs, manifest), sensitivity(runs, manifest)
    )


def _fig_bass(check: pd.DataFrame, path: Path) -> Path:
    return _save(bass_figure(check), path)
