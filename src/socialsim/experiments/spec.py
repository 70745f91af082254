"""Experiment files: the schema, validation and the plan of runs.

An experiment file is a model config (the schema of :mod:`socialsim.config`) plus::

    name = "relationship_myth"      # default: the file's stem
    description = "..."
    replications = 10               # runs per (scenario, sweep point)
    crn = true                      # common random numbers across scenarios and points

    [[scenarios]]                   # each overrides parts of the base config
    name = "hard_sell"
    brands = [{ sell_share = 0.9 }] # tables in a list merge element-wise into the base
    set = { "users.skepticism" = 0.6 }  # or key paths, as with ``--set``

    [sweep]
    method = "grid"                 # grid | lhs | sobol | morris
    samples = 64                    # lhs / sobol / morris sample size
    [sweep.parameters]
    "brands[0].sell_share" = [0.0, 0.5, 1.0]            # grid: values
    "users.skepticism" = { low = 0.1, high = 0.9 }      # lhs / sobol / morris: a range

    ensemble = "calib/ensemble.parquet"   # parameter sets from ``socialsim calibrate``: each
    ensemble_parameters = ["rules.engage_pitch"]  # replication draws one (default: all columns)

    patterns = true   # the scenarios are the pattern battery P1-P8 (:mod:`.patterns`)

Everything is validated before anything runs: errors name the full field path and the value
and raise :class:`ExperimentError` (a :class:`socialsim.ConfigError`).

The parts live in their own modules and are re-exported here: key paths and merging
(:mod:`.paths`), the sweep design (:mod:`.sweep`), ensembles (:mod:`.ensemble`), run
digests and strategy modules (:mod:`.digest`) and :class:`ExperimentError` (:mod:`.errors`).
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Config, read_toml, resolve_paths
from ..config.load import EXPERIMENT_ONLY
from .digest import _file_digest, _strategy_digest, strategy_modules
from .digest import unimportable_strategies as unimportable_strategies
from .ensemble import ENSEMBLE_META as ENSEMBLE_META
from .ensemble import ENSEMBLE_SPAWN as ENSEMBLE_SPAWN
from .ensemble import Ensemble, _check_ensemble_values, _load_ensemble
from .ensemble import ensemble_member as ensemble_member
from .errors import ExperimentError
from .output import OutputSpec, load_output
from .paths import format_path as format_path
from .paths import get_path as get_path
from .paths import parse_assignment, set_path
from .paths import parse_path as parse_path
from .scenarios import _check_graph_files, _check_name, _safe_name, _scenarios, _validate_config
from .sweep import METHODS as METHODS
from .sweep import Range as Range
from .sweep import Sweep, _bounds, _check_sweep_values, _points, _sweep

#: Keys an experiment file adds to a model config (the schema refuses them in a model).
EXPERIMENT_KEYS = EXPERIMENT_ONLY


@dataclass(frozen=True)
class RunSpec:
    """One run: its key, the fully resolved model config and where it sits in the design."""

    run_id: str
    scenario: str
    point: int
    replication: int
    seed: int
    params: dict[str, float]
    config: dict[str, Any]
    imports: tuple[str, ...] = ()  # modules of custom strategies, imported by the worker
    member: int | None = None  # row of the ensemble whose parameter values the run uses
    output: OutputSpec | None = None  # reduction of the run's daily table (None: keep all)

    @functools.cached_property
    def digest(self) -> str:
        """Hash of what determines the run's result: its config, the package version, the
        graph file's contents and custom strategies' code (computed once per run spec)."""
        from .. import __version__

        graph = self.config.get("graph", {})
        content = _file_digest(graph["path"]) if graph.get("kind") == "file" else None
        brands = self.config.get("brands", [])
        custom = [_strategy_digest(b.get("strategy", "")) for b in brands]
        calendars = [_file_digest(b["calendar"]) if b.get("calendar") else None for b in brands]
        text = json.dumps(
            {
                "config": self.config,
                "version": __version__,
                "graph_file": content,
                "custom_strategies": custom,
                "calendars": calendars,
                **({"output": self.output.model_dump()} if self.output else {}),
            },
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def filename(self) -> str:
        """The run's file name in ``runs/``: readable key plus config digest."""
        return f"{self.run_id.replace('/', '__')}-{self.digest}.parquet"


@dataclass
class Experiment:
    """A validated experiment: base config, scenarios, sweep design and replications."""

    name: str
    description: str
    base: Config
    replications: int
    crn: bool
    scenarios: list[tuple[str, dict[str, Any]]]  # (name, resolved model config dict)
    sweep: Sweep | None
    points: list[dict[str, float]] = field(default_factory=lambda: [{}])
    source: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    ensemble: Ensemble | None = None
    output: OutputSpec | None = None
    patterns: bool = False
    pins: dict[str, dict[str, Any]] = field(default_factory=dict)  # set after the point

    @property
    def seed(self) -> int:
        return self.base.seed

    @property
    def steps(self) -> int:
        return self.base.steps

    @property
    def n_runs(self) -> int:
        return len(self.scenarios) * len(self.points) * self.replications

    def sweep_info(self) -> dict[str, Any] | None:
        """The sweep as recorded in the manifest (and read by the report)."""
        if self.sweep is None:
            return None
        names = list(self.sweep.parameters)
        bounds = [_bounds(self.sweep.parameters[k]) for k in names]
        return {
            "method": self.sweep.method,
            "parameters": names,
            "bounds": bounds,
            "samples": self.sweep.samples,
            "points": len(self.points),
            "second_order": False,
            "num_levels": self.sweep.num_levels,
            "optimize": self.sweep.optimize,
            "objective": self.sweep.objective,
        }

    def members(self) -> list[int] | None:
        """The ensemble row of each replication (None without an ensemble)."""
        if self.ensemble is None:
            return None
        return [self.ensemble.draw(self.seed, r) for r in range(self.replications)]

    def ensemble_info(self) -> dict[str, Any] | None:
        """The ensemble as recorded in the manifest (None without one)."""
        members = self.members()
        if self.ensemble is None or members is None:
            return None
        return self.ensemble.info(members)

    def runs(self) -> list[RunSpec]:
        """Every (scenario, sweep point, replication) in a fixed order, with derived seeds.

        With an ensemble, replication r takes the parameter values of ensemble row
        ``members()[r]`` (the same row in every scenario and point): they are set after the
        scenario's overrides and before the sweep point's values, so a swept parameter wins.
        A scenario's pinned values (the pattern battery's) are set last of all.
        """
        specs = []
        members = self.members()
        for scen, cfg in self.scenarios:
            for p, values in enumerate(self.points):
                pins = self.pins.get(scen, {})
                point_cfg = copy.deepcopy(cfg)
                for path, value in (*values.items(), *pins.items()):
                    set_path(point_cfg, path, value)
                for r in range(self.replications):
                    seed = run_seed(self.seed, r, scen, p, crn=self.crn)
                    params: dict[str, Any] = dict(values)
                    run_cfg = point_cfg
                    member = None
                    if self.ensemble is not None and members is not None:
                        member = members[r]
                        drawn = self.ensemble.values(member)
                        run_cfg = copy.deepcopy(cfg)
                        for path, value in drawn.items():
                            set_path(run_cfg, path, value)
                        for path, value in (*values.items(), *pins.items()):
                            set_path(run_cfg, path, value)
                        params.update({k: v for k, v in drawn.items() if k not in values})
                    specs.append(
                        RunSpec(
                            run_id=f"{scen}/p{p:04d}/r{r:03d}",
                            scenario=scen,
                            point=p,
                            replication=r,
                            seed=seed,
                            params=params,
                            config={**run_cfg, "seed": seed},
                            imports=strategy_modules(run_cfg),
                            member=member,
                            output=self.output,
                        )
                    )
        return specs

    def to_dict(self) -> dict[str, Any]:
        """The validated experiment as plain data (for the manifest)."""
        return {
            "name": self.name,
            "description": self.description,
            "replications": self.replications,
            "crn": self.crn,
            "seed": self.seed,
            "steps": self.steps,
            "base": self.base.model_dump(mode="json"),
            "scenarios": {name: cfg for name, cfg in self.scenarios},
            "sweep": self.sweep.model_dump(mode="json") if self.sweep else None,
            "points": self.points,
            "source": self.source,
            "ensemble": self.ensemble_info(),
            "output": self.output.model_dump() if self.output else None,
            "patterns": self.patterns,
        }


def run_seed(master: int, replication: int, scenario: str, point: int, *, crn: bool) -> int:
    """The model seed of one run, derived from the master seed with ``SeedSequence``.

    With common random numbers (``crn``, the default) the seed depends on the replication
    only: every scenario and sweep point of a replication sees the same graph, the same user
    draws and the same random streams, so differences come from the strategies. Without
    CRN the whole run key (replication, scenario, point) enters the seed.
    """
    key = (replication,) if crn else (replication, zlib.crc32(scenario.encode()), point)
    ss = np.random.SeedSequence(entropy=master, spawn_key=key)
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def load_experiment(
    source: str | Path | dict[str, Any] | Experiment,
    *,
    replications: int | None = None,
    seed: int | None = None,
    steps: int | None = None,
    assignments: list[str] | dict[str, Any] | None = None,
    ensemble: str | Path | None = None,
) -> Experiment:
    """Validate an experiment from a TOML path or a dict; command-line style overrides apply.

    ``assignments`` are ``key.path=value`` strings (or a dict of path -> value) applied to
    the file's data before validation, e.g. ``["brands[0].sell_share=0.5", "replications=3"]``.
    ``ensemble`` (a parquet path, relative to the current directory) replaces the file's
    ``ensemble`` key: each replication then draws one of its parameter sets.
    Raises :class:`ExperimentError` naming the field path and value.
    """
    if isinstance(source, Experiment):
        return source
    source_name: str | None = None
    if isinstance(source, dict):
        data = copy.deepcopy(source)
    elif isinstance(source, str | Path):
        data = read_toml(source, "experiment")
        source_name = str(source)
        resolve_paths(data, Path(source).parent)
        if isinstance(data.get("ensemble"), str):  # relative to the experiment file
            ens_path = Path(data["ensemble"]).expanduser()
            if not ens_path.is_absolute():
                data["ensemble"] = str((Path(source).parent / ens_path).resolve())
    else:
        raise ExperimentError(
            f"an experiment is a TOML path or a dict, not {type(source).__name__}"
        )
    pairs = (
        list(assignments.items())
        if isinstance(assignments, dict)
        else [parse_assignment(a) for a in assignments or []]
    )
    for key, value in pairs:
        set_path(data, key, value)
    for key, value in (("replications", replications), ("seed", seed), ("steps", steps)):
        if value is not None:
            data[key] = value
    if ensemble is not None:
        data["ensemble"] = str(Path(ensemble).expanduser().resolve())
    raw = copy.deepcopy(data)

    valid = list(Config.model_fields) + list(EXPERIMENT_KEYS)
    for key in data:
        if key not in valid:
            close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(valid)}"
            raise ExperimentError(f"unknown key '{key}'{hint}")
    default_name = _safe_name(Path(source_name).stem) if source_name else "experiment"
    name = _check_name("name", data.pop("name", default_name))
    raw.setdefault("name", name)
    description = data.pop("description", "")
    if not isinstance(description, str):
        raise ExperimentError(f"description = {description!r}: must be a string")
    reps = data.pop("replications", 1)
    if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= 100_000:
        raise ExperimentError(f"replications = {reps!r}: must be a whole number in [1, 100000]")
    crn = data.pop("crn", True)
    if not isinstance(crn, bool):
        raise ExperimentError(f"crn = {crn!r}: must be true or false")
    output = load_output(data.pop("output", None))
    patterns = data.pop("patterns", False)
    if not isinstance(patterns, bool):
        raise ExperimentError(f"patterns = {patterns!r}: must be true or false")
    scenarios_raw = data.pop("scenarios", None)
    sweep_raw = data.pop("sweep", None)
    ensemble_raw = data.pop("ensemble", None)
    ensemble_names = data.pop("ensemble_parameters", None)
    if ensemble_names is not None and ensemble_raw is None:
        raise ExperimentError(
            "ensemble_parameters is given but ensemble is not: name the ensemble file "
            '(ensemble = "ensemble.parquet" or --ensemble PATH)'
        )
    ens = _load_ensemble(ensemble_raw, ensemble_names) if ensemble_raw is not None else None

    base = _validate_config(data, "")
    base_dict = base.model_dump(mode="json")
    pins: dict[str, dict[str, Any]] = {}
    if patterns:
        scenarios_raw, output = _pattern_battery(base, scenarios_raw, output)
        pins = {s["name"]: s["set"] for s in scenarios_raw}
    scenarios = _scenarios(scenarios_raw, base_dict)
    sweep = _sweep(sweep_raw)
    points = _points(sweep, base.seed) if sweep else [{}]
    if sweep:
        _check_sweep_values(sweep, points, scenarios)
    _check_graph_files(scenarios)
    if ens is not None:
        ens = _check_ensemble_values(ens, scenarios)
    return Experiment(
        name=name,
        description=description,
        base=base,
        replications=reps,
        crn=crn,
        scenarios=scenarios,
        sweep=sweep,
        points=points,
        source=source_name,
        raw=raw,
        ensemble=ens,
        output=output,
        patterns=patterns,
        pins=pins,
    )


def _pattern_battery(
    base: Config, scenarios_raw: Any, output: OutputSpec | None
) -> tuple[list[dict[str, Any]], OutputSpec]:
    """The pattern battery's scenarios and the runs' default output (``patterns = true``)."""
    from . import patterns

    if scenarios_raw is not None:
        raise ExperimentError(
            "patterns = true runs its own scenarios (the pattern battery P1-P8): remove "
            "[[scenarios]] from the file"
        )
    patterns.check_output(output)
    if output is None:
        output = OutputSpec(metrics=list(patterns.METRICS), every=patterns.EVERY)
    return patterns.battery(base), output
