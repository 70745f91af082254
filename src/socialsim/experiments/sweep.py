"""Sweeps: the ``[sweep]`` table of an experiment file and the points of its design.

:class:`Sweep` is the validated table (grid values or :class:`Range` s); :func:`_points`
draws the design (a full grid, or SALib's lhs / sobol / morris samples from the master
seed) and :func:`_check_sweep_values` checks every value in every scenario.
"""

from __future__ import annotations

import copy
import difflib
import math
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import ConfigError, _format_errors, load_config
from .errors import ExperimentError
from .paths import format_path, get_path, parse_path, set_path

METHODS = ("grid", "lhs", "sobol", "morris")


class Range(BaseModel):
    """A continuous range for lhs / sobol / morris (or a grid of ``num`` evenly spaced values)."""

    model_config = ConfigDict(extra="forbid")
    low: float
    high: float
    num: int | None = Field(None, ge=2, le=10_000, description="grid: number of values.")


class Sweep(BaseModel):
    """Parameters to vary and the sampling design."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: int = Field(16, ge=1, le=1_000_000, description="lhs/sobol/morris sample size.")
    num_levels: int = Field(4, ge=2, le=100, description="morris: levels of the grid.")
    parameters: dict[str, list[Any] | Range] = Field(min_length=1)
    optimize: str | None = Field(
        None, description="grid: report the value of this parameter that maximizes objective."
    )
    objective: str = Field(
        "conversions_total", description="Outcome to maximize (a column of summary.csv)."
    )


def _sweep(raw: Any) -> Sweep | None:
    if raw is None:
        return None
    try:
        sweep = Sweep.model_validate(raw)
    except ValidationError as exc:
        msg = _format_errors(exc, Sweep, prefix="sweep.")
        raise ExperimentError(msg.replace("invalid configuration", "invalid experiment")) from None
    params = {}
    for path, spec in sweep.parameters.items():
        canon = format_path(parse_path(path))
        where = f"sweep.parameters.'{canon}'"
        if canon in params:
            raise ExperimentError(f"{where} is given twice")
        if canon in ("seed", "steps"):
            raise ExperimentError(f"{where}: use replications and steps, not a sweep over {canon}")
        if isinstance(spec, Range):
            if not (math.isfinite(spec.low) and math.isfinite(spec.high) and spec.low < spec.high):
                raise ExperimentError(
                    f"{where} = {{low = {spec.low}, high = {spec.high}}}: need low < high"
                )
            if sweep.method == "grid" and spec.num is None:
                raise ExperimentError(f"{where}: a grid range needs num (number of values)")
        else:
            if not spec:
                raise ExperimentError(f"{where} = []: give at least one value")
            for v in spec:
                if not isinstance(v, int | float) or not math.isfinite(v):
                    raise ExperimentError(
                        f"{where} = {spec!r}: sweep values must be numbers or booleans, not "
                        f"{v!r}; use [[scenarios]] for named variants (e.g. strategies)"
                    )
            if sweep.method != "grid":
                raise ExperimentError(
                    f"{where} = {spec!r}: method '{sweep.method}' needs a range "
                    "{ low = ..., high = ... }, not a list of values"
                )
        params[canon] = spec
    if sweep.optimize is not None:
        canon = format_path(parse_path(sweep.optimize))
        if canon not in params:
            raise ExperimentError(
                f"sweep.optimize = '{sweep.optimize}': not one of the swept parameters "
                f"({', '.join(params)})"
            )
        if sweep.method != "grid":
            raise ExperimentError(f"sweep.optimize needs method 'grid', not '{sweep.method}'")
        sweep.optimize = canon
    from .report import OUTCOMES

    if sweep.objective not in OUTCOMES:
        close = difflib.get_close_matches(sweep.objective, OUTCOMES, n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else f"; valid: {', '.join(OUTCOMES)}"
        raise ExperimentError(f"sweep.objective = '{sweep.objective}' is not an outcome{hint}")
    if sweep.method == "sobol" and sweep.samples & (sweep.samples - 1):
        raise ExperimentError(
            f"sweep.samples = {sweep.samples}: sobol needs a power of 2 (e.g. 64, 128, 256)"
        )
    if sweep.method in ("sobol", "morris") and len(params) < 2:
        raise ExperimentError(
            f"sweep.parameters: method '{sweep.method}' needs at least 2 parameters"
        )
    sweep.parameters = params
    return sweep


def _bounds(spec: list[Any] | Range) -> list[float]:
    if isinstance(spec, Range):
        return [spec.low, spec.high]
    nums = [float(v) for v in spec]  # grid values are numbers or booleans (0/1)
    return [min(nums), max(nums)]


def _points(sweep: Sweep, master_seed: int) -> list[dict[str, float]]:
    """The design's points, in the sampler's order (SALib's for lhs / sobol / morris)."""
    names = list(sweep.parameters)
    if sweep.method == "grid":
        axes = []
        for name in names:
            spec = sweep.parameters[name]
            if isinstance(spec, Range):
                values = np.linspace(spec.low, spec.high, spec.num)
                axes.append([round(float(v), 12) for v in values])
            else:
                axes.append(list(spec))
        grid = np.array(np.meshgrid(*[np.arange(len(a)) for a in axes], indexing="ij"))
        idx = grid.reshape(len(names), -1).T
        return [
            {n: axes[j][i] for j, (n, i) in enumerate(zip(names, row, strict=True))} for row in idx
        ]
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [_bounds(sweep.parameters[n]) for n in names],
    }
    sample_seed = int(
        np.random.SeedSequence(entropy=master_seed, spawn_key=(2**31,)).generate_state(1)[0]
    )
    if sweep.method == "lhs":
        from SALib.sample import latin

        X = latin.sample(problem, sweep.samples, seed=sample_seed)
    elif sweep.method == "sobol":
        from SALib.sample import sobol

        X = sobol.sample(problem, sweep.samples, calc_second_order=False, seed=sample_seed)
    else:
        from SALib.sample import morris

        X = morris.sample(problem, sweep.samples, num_levels=sweep.num_levels, seed=sample_seed)
    return [{n: float(x) for n, x in zip(names, row, strict=True)} for row in X]


def round_integers(
    names: list[str], rows: list[dict[str, Any]], scenarios: list[tuple[str, dict[str, Any]]]
) -> None:
    """Round, in place, the values in ``rows`` of every parameter that is an integer in some
    scenario's config (e.g. ``graph.n`` sampled by LHS or drawn from an ensemble)."""
    for name in names:
        for _, cfg in scenarios:
            try:
                current = get_path(cfg, name)
            except (KeyError, IndexError, TypeError):
                current = None
            if isinstance(current, int) and not isinstance(current, bool):
                for row in rows:
                    row[name] = round(row[name])


def _check_sweep_values(
    sweep: Sweep, points: list[dict[str, float]], scenarios: list[tuple[str, dict[str, Any]]]
) -> None:
    """Round integer parameters and check the values of every parameter in every scenario
    (the extremes of a numeric range: :func:`_extremes`)."""
    round_integers(list(sweep.parameters), points, scenarios)
    checks = _extremes(points)
    for scen, cfg in scenarios:
        for name, value in checks:
            trial = copy.deepcopy(cfg)
            set_path(trial, name, value)
            try:
                load_config(trial)
            except ConfigError as exc:
                msg = str(exc).removeprefix("invalid configuration: ")
                in_scen = f" in scenario '{scen}'" if len(scenarios) > 1 else ""
                raise ExperimentError(
                    f"invalid experiment: sweep.parameters.'{name}' value {value!r}{in_scen}: {msg}"
                ) from None


def _extremes(points: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """The values worth checking of each parameter: every distinct value of a boolean or a
    short list, else the smallest and largest (the schema's bounds are intervals)."""
    out = []
    for name in points[0] if points else []:
        values = list(dict.fromkeys(p[name] for p in points))
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
        if numbers and len(values) > 2:
            values = [min(values), max(values)]
        out += [(name, v) for v in values]
    return out
