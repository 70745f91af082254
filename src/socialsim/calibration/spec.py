"""Calibration files: the schema, validation and the observed targets.

A calibration file (TOML) holds::

    name = "calibrate_facebook_brand"      # default: the file's stem
    seed = 1                                # master seed (replications use common random numbers)

    [model]                                 # the base model config (socialsim.config schema)
    graph = { kind = "barabasi_albert", n = 10000, m = 5 }

    [data]
    posts = "facebook_brand_posts.csv"      # a post-level export (relative to this file) ...
    # daily = "page_daily.csv"              # ... or a daily table of observable metrics
    mapping = { sep = ";" }                 # PostMapping: which column is what
    calendar = true                         # replay the posts as brands[0]'s monthly calendar

    scale = "auto"                          # real users per model user, or "auto"

    [parameters]                            # free parameters: key path -> prior range
    "platform.organic_reach" = { low = 0.02, high = 0.6, log = true }

    [targets]
    kinds = ["followers", "reach_organic"]  # default: every kind the data allow
    reach_statistic = "median"              # per-post reach within a month: median | mean
    weights = { followers = 2.0 }           # per kind (default 1); rows of a kind share it

    [windows]
    fit = [1, 8]                            # periods (months) fitted, inclusive
    validate = [9, 12]                      # periods held out

    [method]
    name = "apmc"                           # abc (rejection) | apmc (ABC-SMC) | tpe (Optuna)
    trials = 1000                           # budget
    replications = 2                        # runs per trial (common random numbers)
    accept = 0.25                           # abc/tpe: share of trials kept; apmc: alpha
    population = 200                        # apmc: particles per generation
    min_acceptance = 0.05                   # apmc: stop when few new particles are kept
    batch = 16                              # abc/tpe: trials evaluated between updates

Everything is validated before anything runs; errors name the field and the value.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..config import Config, ConfigError, _format_errors, load_config, read_toml, resolve_paths
from ..experiments.spec import _check_name, get_path, parse_path, set_path
from .data import PostMapping, monthly_posts, read_daily, read_posts
from .errors import CalibrationError
from .targets import (
    POST_KINDS,
    TargetPlan,
    annotate,
    month_ends,
    observed_from_daily,
    observed_from_posts,
    stylized_targets,
)

#: File name of the calendar built from a post export (in the output folder).
CALENDAR = "calendar.csv"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Prior(_Strict):
    """A free parameter's prior: uniform on [low, high], or log-uniform with ``log``."""

    low: float
    high: float
    log: bool = False

    @model_validator(mode="after")
    def _check(self) -> Prior:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"need finite low < high, got low = {self.low}, high = {self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"log = true needs low > 0, got low = {self.low}")
        return self

    def unit(self, value: float) -> float:
        """The prior's distribution function at ``value`` (inverse of :meth:`draw`)."""
        if self.log:
            return math.log(value / self.low) / math.log(self.high / self.low)
        return (value - self.low) / (self.high - self.low)

    def draw(self, u: float) -> float:
        """The prior's quantile at ``u`` in [0, 1)."""
        if self.log:
            return float(math.exp(math.log(self.low) + u * math.log(self.high / self.low)))
        return float(self.low + u * (self.high - self.low))


class DataSpec(_Strict):
    posts: str | None = None
    daily: str | None = None
    mapping: PostMapping = Field(default_factory=PostMapping)
    calendar: bool = True
    period_days: int = Field(30, ge=1, le=366, description="daily data: days per period")

    @model_validator(mode="after")
    def _check(self) -> DataSpec:
        if (self.posts is None) == (self.daily is None):
            raise ValueError("give exactly one of data.posts (post export) or data.daily")
        return self


class TargetsSpec(_Strict):
    kinds: list[str] | None = None
    reach_statistic: Literal["median", "mean"] = "median"
    weights: dict[str, float] = Field(default_factory=dict)
    unfollow_reasons: dict[str, float] | None = Field(
        None, description="Stylized fact: survey shares of unfollow reasons (normalised)."
    )
    fit_unfollow_reasons: bool = Field(
        False, description="Fit the unfollow reasons (else they are an out-of-sample check)."
    )


class Windows(_Strict):
    fit: tuple[int, int] | None = None
    validate_: tuple[int, int] | None = Field(None, alias="validate")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class MethodSpec(_Strict):
    name: Literal["abc", "apmc", "tpe"] = "abc"
    trials: int = Field(200, ge=2, le=1_000_000, description="trial budget")
    replications: int = Field(2, ge=1, le=1000, description="runs per trial (CRN seeds)")
    accept: float = Field(
        0.1, gt=0.0, le=1.0, description="abc/tpe: share of trials kept; apmc: alpha"
    )
    batch: int = Field(16, ge=1, le=10_000, description="abc/tpe: trials per batch")
    population: int = Field(200, ge=4, le=100_000, description="apmc: particles N")
    min_acceptance: float = Field(
        0.05, ge=0.0, le=1.0, description="apmc: stop when new particles are accepted less"
    )

    @model_validator(mode="after")
    def _check(self) -> MethodSpec:
        if self.name == "apmc" and round(self.population * self.accept) < 2:
            raise ValueError(
                f"population * accept = {self.population * self.accept:g}: apmc keeps at "
                "least 2 particles"
            )
        return self


class CalibrationFile(_Strict):
    name: str | None = None
    description: str = ""
    seed: int = Field(1, ge=0)
    model: dict[str, Any] = Field(default_factory=dict)
    data: DataSpec
    scale: Annotated[float, Field(gt=0.0, allow_inf_nan=False)] | Literal["auto"] = "auto"
    parameters: dict[str, Prior] = Field(min_length=1)
    targets: TargetsSpec = Field(default_factory=TargetsSpec)
    windows: Windows = Field(default_factory=Windows)
    method: MethodSpec = Field(default_factory=MethodSpec)


@dataclass
class Calibration:
    """A validated calibration: base config, priors, observed targets and the method."""

    name: str
    description: str
    seed: int
    base: dict[str, Any]  # the model config (validated), including a calendar if built
    priors: dict[str, Prior]
    observed: pd.DataFrame  # kind, period, window, observed, weight, eps
    plan: TargetPlan
    method: MethodSpec
    source: str | None
    raw: dict[str, Any]
    data_files: list[str]
    calendar: pd.DataFrame | None = None  # the calendar built from posts, if any
    fit: tuple[int, int] = (1, 1)
    validate: tuple[int, int] | None = None
    warnings: list[str] = field(default_factory=list)  # notes on the data (missing values)

    def place_calendar(self, folder: Path) -> None:
        """Point brands[0] at ``folder/calendar.csv``, where the caller writes the calendar
        built from the posts (no-op without one)."""
        if self.calendar is not None:
            self.base["brands"][0]["calendar"] = str(Path(folder) / CALENDAR)

    def config_for(self, params: dict[str, float], seed: int) -> dict[str, Any]:
        """The model config of one run: base config with ``params`` set and ``seed``."""
        cfg = copy.deepcopy(self.base)
        for path, value in params.items():
            set_path(cfg, path, value)
        cfg["seed"] = seed
        return cfg


def load_calibration(
    source: str | Path | dict[str, Any],
    *,
    assignments: dict[str, Any] | None = None,
    fit: tuple[int, int] | None = None,
    validate: tuple[int, int] | None = None,
    trials: int | None = None,
) -> Calibration:
    """Validate a calibration file (TOML path or dict), read its data and build the targets.

    ``assignments`` (key path -> value) change the file before validation (``--set``);
    ``fit`` / ``validate`` / ``trials`` override the windows and the budget. When the data
    is a post export and ``data.calendar`` is true, brands[0] replays the calendar built
    from the posts (``Calibration.calendar``): the caller writes it to a folder and points
    the config at it with :meth:`Calibration.place_calendar`.
    Raises :class:`CalibrationError` (or a ``DataError``) naming the field or file.
    """
    folder = Path(".")
    source_name = None
    if isinstance(source, dict):
        data = copy.deepcopy(source)
    else:
        data = read_toml(source, "calibration")
        folder, source_name = Path(source).parent, str(source)
    for key, value in (assignments or {}).items():
        set_path(data, key, value)
    raw = copy.deepcopy(data)
    try:
        spec = CalibrationFile.model_validate(data)
    except ValidationError as exc:
        msg = _format_errors(exc, CalibrationFile).replace("invalid configuration: ", "")
        raise CalibrationError(f"invalid calibration: {msg}") from None
    name = _check_name("name", spec.name or (Path(source_name).stem if source_name else "calib"))
    method = spec.method.model_copy(update={"trials": trials} if trials else {})

    def resolve(p: str) -> str:
        path = Path(p).expanduser()
        return str(path if path.is_absolute() else (folder / path).resolve())

    model = copy.deepcopy(spec.model)
    model.setdefault("seed", spec.seed)
    resolve_paths(model, folder)  # graph and calendar files: relative to the file
    calendar = None
    files: list[str] = []
    notes: list[str] = []
    if spec.data.posts:
        files.append(resolve(spec.data.posts))
        posts = read_posts(files[0], spec.data.mapping)
        notes = list(posts.attrs.get("warnings", []))
        monthly = monthly_posts(posts)
        ends = month_ends(monthly.index, int(posts.attrs.get("year", spec.data.mapping.year)))
        kinds = spec.targets.kinds or [k for k in POST_KINDS if _available(monthly, k)]
        for k in kinds:
            if k not in POST_KINDS:
                raise CalibrationError(
                    f"targets.kinds: '{k}' is not a target of a post export "
                    f"(valid: {', '.join(POST_KINDS)})"
                )
        observed = observed_from_posts(monthly, kinds, spec.targets.reach_statistic)
        first = float(monthly["followers_first"].iloc[0])
        if spec.data.calendar:
            from ..calendar import calendar_from_posts

            calendar = calendar_from_posts(posts, int(posts.attrs.get("year", 2014)))
            brands = model.setdefault("brands", [{}])
            brands[0] = {**brands[0], "strategy": "calendar", "calendar": CALENDAR}
    else:
        files.append(resolve(spec.data.daily))
        daily = read_daily(files[0])
        steps = int(daily["day"].max())
        lengths = [spec.data.period_days] * (steps // spec.data.period_days)
        if steps % spec.data.period_days:
            lengths.append(steps % spec.data.period_days)
        ends = tuple(int(x) for x in np.cumsum(lengths))
        observed = observed_from_daily(daily, ends)
        for k in spec.targets.kinds or []:
            if k not in set(observed.kind):
                raise CalibrationError(
                    f"targets.kinds: '{k}' is not a column of {Path(files[0]).name} "
                    f"({', '.join(observed.kind.unique())})"
                )
        if spec.targets.kinds:
            observed = observed[observed.kind.isin(spec.targets.kinds)]
        fol = daily["followers"].dropna() if "followers" in daily else pd.Series(dtype=float)
        first = float(fol.iloc[0]) if len(fol) else float("nan")
    model["steps"] = ends[-1]
    if spec.scale == "auto" and not math.isfinite(first):
        raise CalibrationError(
            "scale = 'auto' needs followers in the data; give scale = <real users per model user>"
        )
    n_periods = len(ends)
    fit_w = fit or spec.windows.fit or (1, n_periods)
    val_w = validate or spec.windows.validate_
    for label, w in (("windows.fit", fit_w), ("windows.validate", val_w)):
        if w is not None and not 1 <= w[0] <= w[1] <= n_periods:
            raise CalibrationError(
                f"{label} = {list(w)}: periods run from 1 to {n_periods} (first <= last)"
            )
    stylized = stylized_targets(spec.targets.unfollow_reasons)
    if not stylized.empty:
        observed = pd.concat([observed, stylized], ignore_index=True)
    observed = observed.astype({"period": int, "observed": float})
    observed = annotate(observed, fit_w, val_w, spec.targets.weights)
    if spec.targets.unfollow_reasons and not spec.targets.fit_unfollow_reasons:
        stylized = observed.kind.str.startswith("unfollow_share_")
        observed.loc[stylized, ["window", "weight"]] = ["check", 0.0]
    try:
        dumped = load_config(model).model_dump(mode="json")
    except ConfigError as exc:
        msg = str(exc).removeprefix("invalid configuration: ")
        raise CalibrationError(f"invalid calibration: model: {msg}") from None
    _check_parameters(dumped, spec.parameters)
    plan = TargetPlan(
        ends=ends,
        rows=tuple(zip(observed.kind, observed.period, strict=True)),
        scale=None if spec.scale == "auto" else float(spec.scale),
        first_followers=first,
        source="posts" if spec.data.posts else "daily",
    )
    return Calibration(
        name=name,
        description=spec.description,
        seed=spec.seed,
        base=model,
        priors=spec.parameters,
        observed=observed.reset_index(drop=True),
        plan=plan,
        method=method,
        source=source_name,
        raw=raw,
        data_files=files,
        calendar=calendar,
        fit=fit_w,
        validate=val_w,
        warnings=notes,
    )


def _available(monthly: pd.DataFrame, kind: str) -> bool:
    col = {"followers": "followers_last"}.get(kind, kind)
    col = f"{kind}_median" if kind.startswith("reach_") else col
    return col in monthly and monthly[col].notna().sum() >= 2


def _check_parameters(dumped: dict, priors: dict[str, Prior]) -> None:
    """Each free parameter is a numeric model field whose prior range the schema allows."""
    for path, prior in priors.items():
        parse_path(path)
        where = f"parameters.'{path}'"
        if path in ("seed", "steps") or path.startswith("graph."):
            raise CalibrationError(f"{where}: the seed, steps and graph cannot be calibrated")
        if ".params." in path:
            continue  # strategy parameters are checked by the strategy when it is built
        try:
            current = get_path(dumped, path)
        except (KeyError, IndexError, TypeError):
            raise CalibrationError(f"{where}: not a parameter of the model") from None
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise CalibrationError(f"{where}: {current!r} is not a number")
        for value in (prior.low, prior.high):
            trial = copy.deepcopy(dumped)
            set_path(trial, path, value)
            try:
                Config.model_validate(trial)
            except ValidationError as exc:
                msg = _format_errors(exc).removeprefix("invalid configuration: ")
                raise CalibrationError(f"{where}: prior bound {value}: {msg}") from None
