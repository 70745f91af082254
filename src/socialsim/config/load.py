"""The whole configuration (:class:`Config`), its loading and validation errors, and the
mapping of the Bass limit onto the normal rules.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, model_validator

from .brand import BrandConfig
from .budget import PRICED
from .mechanisms import MechanismsConfig
from .platforms import PlatformSpec, check_platforms
from .rules import RulesConfig
from .sections import (
    BassConfig,
    GraphConfig,
    PlatformConfig,
    UsersConfig,
    _Section,
    _unknown_message,
)


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the field and the value."""


class Config(_Section):
    """A complete model configuration."""

    steps: int = Field(
        365,
        ge=1,
        le=100_000,
        description="Days to simulate; one step is one day.",
        json_schema_extra={
            "source": "assumption: one year, long enough for the 30- vs 365-day contrast of P2."
        },
    )
    seed: int = Field(
        1,
        ge=0,
        description="Master seed; every random stream is derived from it. Same config + seed "
        "= same output.",
        json_schema_extra={"source": "technical"},
    )
    graph: GraphConfig = Field(
        default_factory=GraphConfig,
        description="The social graph (section `[graph]`).",
        json_schema_extra={"source": "technical: a section; see its own fields."},
    )
    users: UsersConfig = Field(
        default_factory=UsersConfig,
        description="The audience (section `[users]`).",
        json_schema_extra={"source": "technical: a section; see its own fields."},
    )
    platform: PlatformConfig = Field(
        default_factory=PlatformConfig,
        description="The platform (section `[platform]`).",
        json_schema_extra={"source": "technical: a section; see its own fields."},
    )
    platforms: list[PlatformSpec] = Field(
        default_factory=list,
        description="List of `[[platforms]]` sections (odd.md 7.16): several platforms with "
        "their own norms. Empty (default): one platform, the `[platform]` section.",
        json_schema_extra={"source": "technical: a list of sections; see their own fields."},
    )
    mechanisms: MechanismsConfig = Field(
        default_factory=MechanismsConfig,
        description="Mechanism switches (section `[mechanisms]`).",
        json_schema_extra={"source": "technical: a section; see its own fields."},
    )
    bass: BassConfig = Field(
        default_factory=BassConfig,
        description="The Bass diffusion limit (section `[bass]`).",
        json_schema_extra={"source": "technical: a section; see its own fields."},
    )
    rules: RulesConfig = Field(
        default_factory=RulesConfig,
        description="Coefficients of the agent rules (section `[rules]`).",
        json_schema_extra={"source": "technical: a section; see its own fields."},
    )
    brands: list[BrandConfig] = Field(
        default_factory=lambda: [BrandConfig()],
        min_length=1,
        description="List of `[[brands]]` sections (see below); names must be unique.",
        json_schema_extra={
            "source": "assumption: one brand by default; add brands for competition."
        },
    )

    @model_validator(mode="after")
    def _check(self) -> Config:
        if self.bass.enabled and len(self.brands) != 1:
            raise ValueError(
                f"bass: the Bass limit takes exactly one brand, not {len(self.brands)}"
            )
        names = [b.name for b in self.brands]
        if len(set(names)) != len(names):
            raise ValueError(f"brands: names must be unique, got {names}")
        for i, b in enumerate(self.brands):
            if b.budget is not None:
                _check_budget(i, b, self.rules)
            if b.segment >= self.users.segments:
                raise ValueError(
                    f"brands[{i}].segment = {b.segment} must be < users.segments = "
                    f"{self.users.segments}"
                )
        check_platforms(self)
        return self


def _check_budget(i: int, brand: BrandConfig, rules: RulesConfig) -> None:
    """A budget split must give finite plan values within the brand fields' ranges."""
    for field, value in brand.budget.allocate(rules).items():
        upper = BrandConfig.model_fields[field].metadata
        limit = min((m.le for m in upper if getattr(m, "le", None) is not None), default=None)
        if not math.isfinite(value) or (limit is not None and value > limit):
            use, price = PRICED[field]
            raise ValueError(
                f"brands[{i}].budget: money * {use} / rules.{price} = "
                f"{brand.budget.money:g} * {getattr(brand.budget, use):g} / "
                f"{getattr(rules, price):g} sets {field} = {value:g}, "
                + (f"above its maximum {limit:g}" if math.isfinite(value) else "not finite")
            )


def _model_at(loc: tuple[Any, ...], root: type[BaseModel] | None = None) -> type[BaseModel] | None:
    """The pydantic model class that holds the field at ``loc`` (for suggestions)."""
    model: type[BaseModel] = root or Config
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        ann = field.annotation
        inner = getattr(ann, "__args__", (ann,))
        nxt = next((a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if nxt is None:
            return None
        model = nxt
    return model


def _format_errors(
    err: ValidationError, root: type[BaseModel] | None = None, prefix: str = ""
) -> str:
    """One line naming each error's field path (after ``prefix``, e.g. ``"sweep."`` for a
    section validated on its own) and value; unknown keys get the closest valid one."""
    lines = []
    for e in err.errors():
        loc = e.get("loc", ())
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        path = prefix + path if path else prefix.rstrip(".")
        if e["type"] == "extra_forbidden":
            holder = _model_at(loc, root)
            allowed = list(holder.model_fields) if holder else []
            lines.append(_unknown_message(path, str(loc[-1]), allowed))
        elif e["type"] in ("model_type", "dict_type", "model_attributes_type"):
            value = e.get("input")
            lines.append(f"{path} = {value!r}: expected a table of settings ({path} = {{...}})")
        elif e["type"] == "missing":
            lines.append(f"{path}: required field is missing")
        elif e["type"] == "value_error":
            msg = str(e.get("ctx", {}).get("error", e["msg"]))
            lines.append(msg if not path else f"{path}: {msg}")
        else:
            lines.append(f"{path} = {e.get('input')!r}: {e['msg'].lower()}")
    return "invalid configuration: " + "; ".join(lines)


def read_toml(path: str | Path, kind: str = "config") -> dict[str, Any]:
    """Read a TOML file; a missing, unreadable or malformed file raises :class:`ConfigError`
    naming the path (``kind`` names the file in the message, e.g. "experiment")."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{kind} file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{kind} file {path} is a directory") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{kind} file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{kind} file {path} is not a text (UTF-8 TOML) file: byte {exc.start} is "
            f"{exc.object[exc.start : exc.start + 1]!r}"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {kind} file {path}: {exc.strerror}") from None


def resolve_paths(data: dict[str, Any], folder: Path) -> None:
    """Make relative file paths in a config or experiment read from a file (``graph.path``,
    ``brands[].calendar``, also in ``[[scenarios]]``) relative to the file's ``folder``."""

    def resolve(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        path = Path(value).expanduser()
        return value if path.is_absolute() else str((folder / path).resolve())

    listed = data.get("scenarios")
    scenarios = [s for s in listed if isinstance(s, dict)] if isinstance(listed, list) else []
    for table in [data, *scenarios]:
        graph = table.get("graph")
        if isinstance(graph, dict) and "path" in graph:
            graph["path"] = resolve(graph["path"])
        for brand in table.get("brands") or []:
            if isinstance(brand, dict) and "calendar" in brand:
                brand["calendar"] = resolve(brand["calendar"])
    for scen in scenarios:
        changes = scen.get("set")
        if isinstance(changes, dict):
            for key in changes:
                if key == "graph.path" or re.fullmatch(r"brands\[\d+\]\.calendar", key):
                    changes[key] = resolve(changes[key])


#: Keys of an experiment file that are not model settings (``experiments.spec`` reads them).
EXPERIMENT_ONLY = (
    "name",
    "description",
    "replications",
    "crn",
    "scenarios",
    "sweep",
    "ensemble",
    "ensemble_parameters",
    "output",
    "patterns",
)


def load_config(
    source: Config | dict[str, Any] | str | Path | None = None, **overrides: Any
) -> Config:
    """Build a validated :class:`Config` from a Config, a dict, a TOML path or ``None`` (defaults).

    Keyword ``overrides`` replace top-level keys (e.g. ``steps=30``). Relative file paths in
    a TOML file (``graph.path``, ``brands[].calendar``) are relative to the file's folder.
    Raises :class:`ConfigError` naming the offending field and value.
    """
    if isinstance(source, Config):
        data = source.model_dump()
    elif source is None:
        data = {}
    elif isinstance(source, dict):
        data = dict(source)
    elif isinstance(source, str | Path):
        data = read_toml(source)
        resolve_paths(data, Path(source).parent)
    else:
        raise ConfigError(f"config must be a dict, a TOML path or a Config, not {type(source)}")
    data.update(overrides)
    misplaced = [k for k in data if k in EXPERIMENT_ONLY]
    if misplaced:
        raise ConfigError(
            f"invalid configuration: '{misplaced[0]}' is an experiment key, not a model "
            "setting: use socialsim.run_experiment (or 'socialsim run') for experiment files"
        )
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_format_errors(exc)) from None


#: Daily need rate used by the Bass mapping: a need almost every day (1 - e^-10).
BASS_NEED_RATE = 10.0


def bass_mapping(cfg: Config) -> Config:
    """Map ``[bass] p, q`` onto the normal rules (no separate code path).

    Every user is aware and follows the one brand, which posts one pitch a day with full
    organic reach (each user sees Poisson(1) pitches), relevance 1 and no scepticism
    discount; intent lasts one day; every customer recommends the brand to all friends every
    day; there are no problems. A non-adopter then buys with probability ``need *
    (pitch_conversion * pitches seen + wom_conversion * share of friends adopted)``, whose
    expectation is ``need * (pitch_conversion + wom_conversion * F)``; with
    ``pitch_conversion = p / (k * need)`` and ``wom_conversion = q / (k * need)``
    (k = ``steps_per_period``, need = 1 - e^-10) this
    is the Bass hazard p/k + (q/k) F per day. Trust, favour, attention, backlash, lapse,
    replies, community, shares, budgets and the reacting platform are switched off. On a
    complete graph the share of adopters follows the discrete Bass recursion
    F(t+1) = F(t) + (p/k + q/k F(t)) (1 - F(t)).
    """
    if not cfg.bass.enabled:
        return cfg
    k = cfg.bass.steps_per_period
    need = 1.0 - math.exp(-BASS_NEED_RATE)
    data = cfg.model_dump()
    data["mechanisms"].update(
        trust=False,
        favor=False,
        attention=False,
        backlash=False,
        wom=True,
        lapse=False,
        budget=False,
        replies=False,
        community=False,
        shares=False,
        platform_reacts=False,
    )
    data["users"].update(
        skepticism=0.0,
        segment_skepticism=None,
        need_rate=BASS_NEED_RATE,
        initial_awareness=1.0,
        initial_follow=1.0,
    )
    data["platform"].update(
        commercialization=0.0, organic_reach=1.0, organic_reach_trend=0.0, engager_exposure=0.0
    )
    data["rules"].update(
        base_relevance=1.0,
        base_conversion=0.0,
        intent_memory_days=1e-6,
        pitch_conversion=cfg.bass.p / (k * need),
        wom_conversion=cfg.bass.q / (k * need),
        advocacy_rate=1.0,
        share_positive=0.0,
        deal_persuasion=0.0,
        problem_rate_customer=0.0,
        problem_rate_aware=0.0,
    )
    data["brands"] = [
        dict(
            data["brands"][0],
            strategy="static",
            posts_per_day=1.0,
            sell_share=1.0,
            paid_reach=0.0,
            params={},
        )
    ]
    return Config.model_validate(data)
