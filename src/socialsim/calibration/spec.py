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
    name = "abc"                            # abc (rejection over the prior) | tpe (Optuna)
    trials = 300
    replications = 2
    accept = 0.1                            # share of trials kept as the ensemble
    batch = 16                              # trials evaluated in parallel between updates

Everything is validated before anything runs; errors name the field and the value.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..config import Config, ConfigError, _format_errors, load_config, read_toml
from ..experiments.spec import _check_name, get_path, parse_path, set_path
from .data import PostMapping, monthly_posts, read_daily, read_posts
from .targets import POST_KINDS, TargetPlan, is_scaled, observed_from_daily, observed_from_posts

#: File name of the calendar built from a post export (in the output folder).
CALENDAR = "calendar.csv"


class CalibrationError(ConfigError):
    """A calibration file or value is invalid; the message names the field and the value."""


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


class Windows(_Strict):
    fit: tuple[int, int] | None = None
    validate_: tuple[int, int] | None = Field(None, alias="validate")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class MethodSpec(_Strict):
    name: Literal["abc", "tpe"] = "abc"
    trials: int = Field(200, ge=2, le=1_000_000)
    replications: int = Field(2, ge=1, le=1000)
    accept: float = Field(0.1, gt=0.0, le=1.0)
    batch: int = Field(16, ge=1, le=10_000)


class CalibrationFile(_Strict):
    name: str | None = None
    description: str = ""
    seed: int = Field(1, ge=0)
    model: dict[str, Any] = Field(default_factory=dict)
    data: DataSpec
    scale: float | Literal["auto"] = "auto"
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
    calendar_dir: Path | None = None,
) -> Calibration:
    """Validate a calibration file (TOML path or dict), read its data and build the targets.

    ``assignments`` (key path -> value) change the file before validation (``--set``);
    ``fit`` / ``validate`` / ``trials`` override the windows and the budget. When the data
    is a post export and ``data.calendar`` is true, the brand's calendar is written to
    ``calendar_dir/calendar.csv`` (default: beside nothing; kept in memory until written).
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
    graph = model.get("graph")
    if isinstance(graph, dict) and graph.get("path"):
        graph["path"] = resolve(graph["path"])
    calendar = None
    files: list[str] = []
    if spec.data.posts:
        files.append(resolve(spec.data.posts))
        posts = read_posts(files[0], spec.data.mapping)
        monthly = monthly_posts(posts)
        ends = _month_ends(monthly.index, int(posts.attrs.get("year", spec.data.mapping.year)))
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
            where = Path(calendar_dir) if calendar_dir is not None else Path(".")
            brands[0] = {**brands[0], "strategy": "calendar", "calendar": str(where / CALENDAR)}
    else:
        files.append(resolve(spec.data.daily))
        daily = read_daily(files[0])
        steps = int(daily["day"].max())
        lengths = [spec.data.period_days] * (steps // spec.data.period_days)
        if steps % spec.data.period_days:
            lengths.append(steps % spec.data.period_days)
        ends = tuple(int(x) for x in np.cumsum(lengths))
        observed = observed_from_daily(daily, ends)
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
    observed = _annotate(observed, fit_w, val_w, spec.targets.weights)
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
    )


def _available(monthly: pd.DataFrame, kind: str) -> bool:
    col = {"followers": "followers_last"}.get(kind, kind)
    col = f"{kind}_median" if kind.startswith("reach_") else col
    return col in monthly and monthly[col].notna().sum() >= 2


def _month_ends(months: pd.Index, year: int) -> tuple[int, ...]:
    import calendar as _cal

    lengths = [_cal.monthrange(year, m)[1] for m in range(int(months.min()), int(months.max()) + 1)]
    return tuple(int(x) for x in np.cumsum(lengths))


def _annotate(
    observed: pd.DataFrame, fit: tuple[int, int], val: tuple[int, int] | None, weights: dict
) -> pd.DataFrame:
    """Add window, weight (kind weight shared by the kind's fitted rows) and eps columns."""
    out = observed.copy()
    out["window"] = "none"
    out.loc[out.period.between(*fit), "window"] = "fit"
    if val is not None:
        out.loc[out.period.between(*val), "window"] = "validate"
    for kind in weights:
        if kind not in set(out.kind):
            raise CalibrationError(
                f"targets.weights.{kind}: not a target ({', '.join(out.kind.unique())})"
            )
    out["weight"] = 0.0
    for kind, rows in out.groupby("kind"):
        fitted = rows.index[(rows.window == "fit") & rows.observed.notna()]
        if len(fitted):
            out.loc[fitted, "weight"] = weights.get(kind, 1.0) / len(fitted)
        scale = float(np.nanmean(np.abs(rows.observed))) if rows.observed.notna().any() else 1.0
        out.loc[rows.index, "eps"] = 0.01 * scale if scale > 0 else 1e-9
    out["scaled"] = [is_scaled(k) for k in out.kind]
    return out


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
