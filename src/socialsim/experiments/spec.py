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

Everything is validated before anything runs: errors name the full field path and the value
and raise :class:`ExperimentError` (a :class:`socialsim.ConfigError`).
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import itertools
import json
import math
import os
import re
import tomllib
import types
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import Config, ConfigError, _format_errors, load_config, read_toml, resolve_paths
from ..graphs import read_edge_list
from ..strategies import make_strategy

#: Keys an experiment file adds to a model config.
EXPERIMENT_KEYS = ("name", "description", "replications", "crn", "scenarios", "sweep")
METHODS = ("grid", "lhs", "sobol", "morris")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ExperimentError(ConfigError):
    """An experiment file or value is invalid; the message names the field and the value."""


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


class Scenario(BaseModel):
    """A named variant of the base config (the overrides are the extra keys)."""

    model_config = ConfigDict(extra="allow")
    name: str
    description: str = ""
    set: dict[str, Any] = Field(default_factory=dict, description="key path -> value")


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
            },
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def filename(self) -> str:
        """The run's file name in ``runs/``: readable key plus config digest."""
        return f"{self.run_id.replace('/', '__')}-{self.digest}.parquet"


@functools.lru_cache(maxsize=64)
def _file_digest_cached(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def _file_digest(path: str) -> str | None:
    """Content hash of a graph file (so an edited file reruns its runs); None if unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _file_digest_cached(path, st.st_mtime_ns, st.st_size)


def _strategy_digest(name: str) -> str | None:
    """Fingerprint of a custom (non-socialsim) strategy's code, so editing it reruns its runs.

    Built from the bytecode, constants and names of the class's methods and its
    ``defaults`` (and those of custom base classes), which works where the source is not
    available (a class defined in a notebook cell).
    """
    from ..strategies import STRATEGIES

    cls = STRATEGIES.get(name)
    if cls is None or cls.__module__.startswith("socialsim."):
        return None  # built-in: covered by the package version
    parts = []
    for klass in cls.__mro__:
        if klass is object or klass.__module__.startswith("socialsim."):
            continue
        for attr, value in sorted(vars(klass).items()):
            if isinstance(value, types.FunctionType):
                parts.append((attr, _code_fingerprint(value.__code__), repr(value.__defaults__)))
            elif attr in ("name", "defaults"):
                parts.append((attr, repr(value)))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _code_fingerprint(code: types.CodeType) -> tuple[Any, ...]:
    consts = tuple(
        _code_fingerprint(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts
    )
    return (code.co_code.hex(), consts, code.co_names)


def strategy_modules(config: dict[str, Any]) -> tuple[str, ...]:
    """Modules that define the config's custom strategies (not socialsim's, not
    ``__main__``): a worker process imports them so that the strategies are registered."""
    from ..strategies import STRATEGIES

    modules = {
        STRATEGIES[b["strategy"]].__module__
        for b in config.get("brands", [])
        if b.get("strategy") in STRATEGIES
    }
    return tuple(sorted(m for m in modules if m != "__main__" and not m.startswith("socialsim")))


def unimportable_strategies(exp: Experiment) -> list[str]:
    """Strategies defined in ``__main__`` (a notebook or script): worker processes cannot
    import them, so such experiments must run serially."""
    from ..strategies import STRATEGIES

    names = {b["strategy"] for _, cfg in exp.scenarios for b in cfg["brands"]}
    return sorted(n for n in names if n in STRATEGIES and STRATEGIES[n].__module__ == "__main__")


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

    def runs(self) -> list[RunSpec]:
        """Every (scenario, sweep point, replication) in a fixed order, with derived seeds."""
        specs = []
        for scen, cfg in self.scenarios:
            for p, values in enumerate(self.points):
                point_cfg = copy.deepcopy(cfg)
                for path, value in values.items():
                    set_path(point_cfg, path, value)
                for r in range(self.replications):
                    seed = run_seed(self.seed, r, scen, p, crn=self.crn)
                    specs.append(
                        RunSpec(
                            run_id=f"{scen}/p{p:04d}/r{r:03d}",
                            scenario=scen,
                            point=p,
                            replication=r,
                            seed=seed,
                            params=dict(values),
                            config={**point_cfg, "seed": seed},
                            imports=strategy_modules(point_cfg),
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


# ----------------------------------------------------------------------------- key paths
_TOKEN = re.compile(r'"([^"]+)"|([^.\[\]"]+)|\[(\d+)\]')


def parse_path(path: str) -> list[str | int]:
    """Split ``brands[0].sell_share`` (or ``brands.0.sell_share``) into ``['brands', 0, ...]``;
    a double-quoted part is one key (``parameters."rules.price"``)."""
    parts: list[str | int] = []
    pos = 0
    text = path.strip()
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExperimentError(f"'{path}' is not a valid key path (e.g. brands[0].sell_share)")
        quoted, name, index = m.groups()
        if quoted is not None:  # "rules.engage_pitch": one key that contains dots
            parts.append(quoted)
        else:
            parts.append(
                int(index) if index is not None else (int(name) if name.isdigit() else name)
            )
        pos = m.end()
    if not parts or not isinstance(parts[0], str):
        raise ExperimentError(f"'{path}' is not a valid key path (e.g. brands[0].sell_share)")
    return parts


def format_path(parts: list[str | int]) -> str:
    """The canonical spelling of a key path: ``brands[0].sell_share``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at the key path in nested dicts/lists, creating tables as needed."""
    parts = parse_path(path)
    node: Any = data
    for here, nxt in itertools.pairwise(parts):
        if isinstance(here, int):
            if not isinstance(node, list):
                raise ExperimentError(f"'{path}': {format_path(parts[:1])} is not a list")
            while len(node) <= here:
                node.append({})
            if not isinstance(node[here], dict):
                node[here] = {}
            node = node[here]
        else:
            if not isinstance(node, dict):
                raise ExperimentError(f"'{path}': cannot set a key inside a value")
            default: Any = [] if isinstance(nxt, int) else {}
            if not isinstance(node.get(here), list | dict):
                node[here] = default
            node = node[here]
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list):
            raise ExperimentError(f"'{path}': not a list")
        while len(node) <= last:
            node.append({})
        node[last] = value
    else:
        if not isinstance(node, dict):
            raise ExperimentError(f"'{path}': cannot set a key inside a value")
        node[last] = value


def get_path(data: dict[str, Any], path: str) -> Any:
    """The value at a key path, or raise KeyError."""
    node: Any = data
    for part in parse_path(path):
        node = node[part]
    return node


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base``: tables merge, lists of tables merge
    element-wise (extra elements are appended), other values replace."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        old = out.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            out[key] = merge(old, value)
        elif (
            isinstance(value, list)
            and isinstance(old, list)
            and all(isinstance(v, dict) for v in value)
            and all(isinstance(v, dict) for v in old)
        ):
            merged = [merge(o, v) for o, v in zip(old, value, strict=False)]
            out[key] = merged + copy.deepcopy(value[len(old) :]) + old[len(value) :]
        else:
            out[key] = copy.deepcopy(value)
    return out


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``key.path=value`` (value as a TOML value; bare words are strings)."""
    if "=" not in text:
        raise ExperimentError(f"--set {text!r}: expected key.path=value")
    key, raw = (s.strip() for s in text.split("=", 1))
    parse_path(key)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key, value


# ----------------------------------------------------------------------------- loading
def load_experiment(
    source: str | Path | dict[str, Any] | Experiment,
    *,
    replications: int | None = None,
    seed: int | None = None,
    steps: int | None = None,
    assignments: list[str] | dict[str, Any] | None = None,
) -> Experiment:
    """Validate an experiment from a TOML path or a dict; command-line style overrides apply.

    ``assignments`` are ``key.path=value`` strings (or a dict of path -> value) applied to
    the file's data before validation, e.g. ``["brands[0].sell_share=0.5", "replications=3"]``.
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
    raw = copy.deepcopy(data)

    valid = list(Config.model_fields) + list(EXPERIMENT_KEYS)
    for key in data:
        if key not in valid:
            close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(valid)}"
            raise ExperimentError(f"unknown key '{key}'{hint}")
    default_name = Path(source_name).stem if source_name else "experiment"
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
    scenarios_raw = data.pop("scenarios", None)
    sweep_raw = data.pop("sweep", None)

    base = _validate_config(data, "")
    base_dict = base.model_dump(mode="json")
    scenarios = _scenarios(scenarios_raw, base_dict)
    sweep = _sweep(sweep_raw)
    points = _points(sweep, base.seed) if sweep else [{}]
    if sweep:
        _check_sweep_values(sweep, points, scenarios)
    _check_graph_files(scenarios)
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
    )


def _check_name(field_name: str, value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value) or len(value) > 80:
        raise ExperimentError(
            f"{field_name} = {value!r}: use letters, digits, '_', '-' or '.' (at most 80)"
        )
    return value


def _validate_config(data: dict[str, Any], where: str) -> Config:
    """Validate a model config; ``where`` prefixes the message (e.g. a scenario)."""
    try:
        cfg = load_config(data)
        for brand in cfg.brands:
            make_strategy(brand)
    except ConfigError as exc:
        msg = str(exc).removeprefix("invalid configuration: ")
        raise ExperimentError(f"invalid experiment: {where}{msg}") from None
    return cfg


def _scenarios(raw: Any, base: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if raw is None:
        return [("base", base)]
    if not isinstance(raw, list) or not raw:
        raise ExperimentError(
            "scenarios: expected a non-empty array of tables ([[scenarios]] with a name)"
        )
    out: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(raw):
        try:
            scen = Scenario.model_validate(item)
        except ValidationError as exc:
            raise ExperimentError(
                _format_errors(exc).replace("invalid configuration: ", f"scenarios[{i}].")
            ) from None
        _check_name(f"scenarios[{i}].name", scen.name)
        if scen.name in [n for n, _ in out]:
            raise ExperimentError(f"scenarios[{i}].name = '{scen.name}' is used twice")
        overrides = dict(scen.model_extra or {})
        if "seed" in overrides:
            raise ExperimentError(
                f"scenarios[{i}].seed: a scenario cannot set its own seed; every run's seed "
                "derives from the master seed and its replication (common random numbers)"
            )
        valid = list(Config.model_fields)
        for key in overrides:
            if key not in valid:
                close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ExperimentError(f"unknown key 'scenarios[{i}].{key}'{hint}")
        cfg = merge(base, overrides)
        for path, value in _flatten(scen.set).items():
            set_path(cfg, path, value)
        where = f"scenarios[{i}] ('{scen.name}'): "
        out.append((scen.name, _validate_config(cfg, where).model_dump(mode="json")))
    return out


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{users = {skepticism = 0.6}}`` (TOML's unquoted dotted key) -> ``{"users.skepticism":
    0.6}``, so that ``set`` changes one value, not a whole table."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            out.update(_flatten(value, path))
        else:
            out[path] = value
    return out


def _sweep(raw: Any) -> Sweep | None:
    if raw is None:
        return None
    try:
        sweep = Sweep.model_validate(raw)
    except ValidationError as exc:
        msg = _format_errors(exc).replace("invalid configuration: ", "")
        msg = re.sub(r"(^|; )", r"\1sweep.", msg)
        raise ExperimentError(f"invalid experiment: {msg}") from None
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


def _check_sweep_values(
    sweep: Sweep, points: list[dict[str, float]], scenarios: list[tuple[str, dict[str, Any]]]
) -> None:
    """Round integer parameters and check every value of every parameter in every scenario."""
    for name in sweep.parameters:
        for _, cfg in scenarios:
            try:
                current = get_path(cfg, name)
            except (KeyError, IndexError, TypeError):
                current = None
            if isinstance(current, int) and not isinstance(current, bool):
                for point in points:
                    point[name] = round(point[name])
    for scen, cfg in scenarios:
        seen: set[tuple[str, Any]] = set()
        for point in points:
            for name, value in point.items():
                if (name, value) in seen:
                    continue
                seen.add((name, value))
                trial = copy.deepcopy(cfg)
                set_path(trial, name, value)
                try:
                    load_config(trial)
                except ConfigError as exc:
                    msg = str(exc).removeprefix("invalid configuration: ")
                    in_scen = f" in scenario '{scen}'" if len(scenarios) > 1 else ""
                    raise ExperimentError(
                        f"invalid experiment: sweep.parameters.'{name}' value {value!r}"
                        f"{in_scen}: {msg}"
                    ) from None


def _check_graph_files(scenarios: list[tuple[str, dict[str, Any]]]) -> None:
    """Edge-list graphs must be readable and have edges before anything runs."""
    paths = {cfg["graph"]["path"] for _, cfg in scenarios if cfg["graph"]["kind"] == "file"}
    for path in sorted(paths):
        read_edge_list(path)
