"""Global sensitivity indices (Sobol or Morris) of a sweep, computed with SALib."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from .outcomes import (
    SENSITIVITY_METRICS,
    ReportError,
    _brands,
    _check,
    _scenarios,
    _sweep,
    run_outcomes,
)

__all__ = ["SENSITIVITY_SEED", "sensitivity"]

#: Seed of the bootstrap confidence intervals of the sensitivity indices (deterministic).
SENSITIVITY_SEED = 20240101


def _point_means(outcomes: pd.DataFrame, metric: str) -> pd.Series:
    return outcomes.groupby("point")[metric].mean().sort_index()


def sensitivity(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame | None:
    """Global sensitivity indices of the sweep (Sobol or Morris designs only).

    The model output of a point is the mean over replications of an outcome (final
    conversions_total, backlash, mean_trust); indices are computed per scenario and brand with
    SALib and a fixed bootstrap seed (:data:`SENSITIVITY_SEED`), so they are deterministic.

    Parameters
    ----------
    runs : pandas.DataFrame
        The tidy runs table; its points must be the complete SALib design in row order.
    manifest : dict
        The experiment manifest; ``sweep`` gives method, parameters, bounds and num_levels.

    Returns
    -------
    pandas.DataFrame or None
        None unless the sweep method is ``sobol`` or ``morris``. Sobol: columns ``scenario``,
        ``brand``, ``metric``, ``parameter``, ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        (first-order and total indices, 95% bootstrap half-widths). Morris: ``scenario``,
        ``brand``, ``metric``, ``parameter``, ``mu_star``, ``mu_star_conf``, ``sigma``.
    """
    sweep = _sweep(manifest)
    method = sweep.get("method") if sweep else None
    if method not in ("sobol", "morris"):
        return None
    _check(runs, manifest)
    from SALib.analyze import morris as salib_morris
    from SALib.analyze import sobol as salib_sobol

    params = list(sweep["parameters"])
    bounds = [list(map(float, b)) for b in sweep["bounds"]]
    if len(bounds) != len(params):
        raise ReportError(f"sweep has {len(params)} parameters but {len(bounds)} bounds")
    problem = {"num_vars": len(params), "names": params, "bounds": bounds}
    outcomes = run_outcomes(runs)
    d = len(params)
    rows: list[dict[str, Any]] = []
    for scenario in _scenarios(manifest):
        sc = outcomes[outcomes["scenario"] == scenario]
        if sc.empty:
            continue
        points = np.sort(sc["point"].unique())
        npts = len(points)
        if not np.array_equal(points, np.arange(npts)):
            raise ReportError(
                f"scenario '{scenario}': points must be 0..P-1 without gaps for {method}"
            )
        group = d + 2 if method == "sobol" else d + 1
        if npts % group:
            raise ReportError(
                f"scenario '{scenario}': {npts} points is not a complete {method} design "
                f"(a multiple of {group} for {d} parameters)"
            )
        X = sc.groupby("point")[params].first().sort_index().to_numpy(dtype=float)
        for brand in _brands(sc):
            sb = sc[sc["brand"] == brand]
            for metric in SENSITIVITY_METRICS:
                Y = _point_means(sb, metric).reindex(points).to_numpy(dtype=float)
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore", RuntimeWarning)
                    if method == "sobol":
                        res = salib_sobol.analyze(
                            problem,
                            Y,
                            calc_second_order=False,
                            seed=SENSITIVITY_SEED,
                            print_to_console=False,
                        )
                        cols = ("S1", "S1_conf", "ST", "ST_conf")
                    else:
                        res = salib_morris.analyze(
                            problem,
                            X,
                            Y,
                            num_levels=int(sweep.get("num_levels", 4)),
                            seed=SENSITIVITY_SEED,
                            print_to_console=False,
                        )
                        cols = ("mu_star", "mu_star_conf", "sigma")
                for i, param in enumerate(params):
                    row: dict[str, Any] = {
                        "scenario": scenario,
                        "brand": brand,
                        "metric": metric,
                        "parameter": param,
                    }
                    row.update({c: float(np.asarray(res[c], dtype=float)[i]) for c in cols})
                    rows.append(row)
    cols_all = (
        ["S1", "S1_conf", "ST", "ST_conf"]
        if method == "sobol"
        else ["mu_star", "mu_star_conf", "sigma"]
    )
    return pd.DataFrame(rows, columns=["scenario", "brand", "metric", "parameter", *cols_all])
