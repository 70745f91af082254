"""The one parameter schema: defaults, types, ranges and docs for every model parameter.

A configuration is a nested structure (a dict, a TOML file or a :class:`Config`)::

    steps = 365
    seed = 1
    [graph]       kind, n and generator parameters, or path for kind = "file"
    [users]       scepticism, attention, needs, interests
    [platform]    commercialization (ad load) and organic reach
    [mechanisms]  switches: trust, favor, attention, backlash, wom
    [bass]        optional p, q: maps the model onto the Bass diffusion limit
    [rules]       coefficients of the agent rules (see docs/parameters.md)
    [[brands]]    name, strategy, posts_per_day, sell_share, paid_reach, ...

Invalid input raises :class:`ConfigError` whose message names the field path and value.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Fraction = Field(ge=0.0, le=1.0)


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the field and the value."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class GraphConfig(_Section):
    """The social graph: a NetworkX generator or an edge-list file."""

    kind: Literal[
        "barabasi_albert", "watts_strogatz", "erdos_renyi", "communities", "complete", "file"
    ] = Field("barabasi_albert", description="Graph generator, or 'file' for an edge list.")
    n: int = Field(2000, ge=2, le=10_000_000, description="Number of users (ignored for 'file').")
    m: int = Field(5, ge=1, description="Barabasi-Albert: edges attached from each new node.")
    k: int = Field(10, ge=2, description="Watts-Strogatz: each node's ring neighbours (even).")
    p: float = Field(
        0.05, ge=0.0, le=1.0, description="Watts-Strogatz rewiring / Erdos-Renyi edge probability."
    )
    communities: int = Field(4, ge=1, description="'communities': number of equal-sized blocks.")
    p_in: float = Field(0.02, ge=0.0, le=1.0, description="'communities': within-block edge prob.")
    p_out: float = Field(
        0.001, ge=0.0, le=1.0, description="'communities': between-block edge probability."
    )
    path: str | None = Field(None, description="'file': path of a whitespace edge list.")

    @model_validator(mode="after")
    def _check(self) -> GraphConfig:
        if self.kind == "file" and not self.path:
            raise ValueError("graph.path is required when graph.kind = 'file'")
        if self.kind == "barabasi_albert" and self.m >= self.n:
            raise ValueError(f"graph.m = {self.m} must be smaller than graph.n = {self.n}")
        if self.kind == "watts_strogatz" and self.k % 2:
            raise ValueError(f"graph.k = {self.k} must be even (k/2 neighbours on each side)")
        if self.kind == "watts_strogatz" and self.k >= self.n:
            raise ValueError(f"graph.k = {self.k} must be smaller than graph.n = {self.n}")
        return self


class UsersConfig(_Section):
    """The audience: scepticism, attention, friendship motive, interests and needs."""

    skepticism: float = Field(
        0.4, ge=0.0, le=1.0, description="Audience mean scepticism (Beta-distributed)."
    )
    skepticism_concentration: float = Field(
        6.0, gt=0.0, description="Beta concentration a+b: higher means a more uniform audience."
    )
    segments: int = Field(4, ge=1, le=64, description="Number of interest segments.")
    segment_skepticism: list[float] | None = Field(
        None, description="Optional mean scepticism per segment (overrides 'skepticism')."
    )
    attention: float = Field(12.0, gt=0.0, description="Mean items a user attends to per day.")
    attention_shape: float = Field(3.0, gt=0.0, description="Gamma shape of attention budgets.")
    friend_motive: float = Field(
        0.8, ge=0.0, le=1.0, description="Mean share of attention reserved for friends."
    )
    friend_posts: float = Field(
        0.5, ge=0.0, description="Items per day each friend contributes to a user's feed."
    )
    need_rate: float = Field(
        0.05, ge=0.0, description="Poisson rate of purchase needs per user per day."
    )
    initial_awareness: float = Field(
        0.05, ge=0.0, le=1.0, description="Share of users aware of each brand at day 0."
    )
    initial_follow: float = Field(
        0.4, ge=0.0, le=1.0, description="Share of initially aware users who follow the brand."
    )
    initial_trust: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Prior trust of a non-sceptical user.",
    )

    @model_validator(mode="after")
    def _check(self) -> UsersConfig:
        seg = self.segment_skepticism
        if seg is not None:
            if len(seg) != self.segments:
                raise ValueError(
                    f"users.segment_skepticism has {len(seg)} values but users.segments = "
                    f"{self.segments}"
                )
            for i, v in enumerate(seg):
                if not 0.0 <= v <= 1.0:
                    raise ValueError(f"users.segment_skepticism[{i}] = {v} is not in [0, 1]")
        return self


class PlatformConfig(_Section):
    """The platform: commercialization (ad load) and organic reach."""

    commercialization: float = Field(
        0.2, ge=0.0, le=1.0, description="Ad load: share of the feed given to ads."
    )
    organic_reach: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Share of a brand's posts a follower is shown, before the "
        "(1 - commercialization) throttle.",
    )
    skepticism_drift: float = Field(
        0.002, ge=0.0, le=1.0, description="Daily rise of scepticism per unit commercialization."
    )


class MechanismsConfig(_Section):
    """Switches for the model's mechanisms (all on by default)."""

    trust: bool = True
    favor: bool = True
    attention: bool = True
    backlash: bool = True
    wom: bool = True


class BassConfig(_Section):
    """Bass diffusion limit: when p and q are set they are mapped onto the normal rules."""

    p: float | None = Field(None, ge=0.0, le=1.0, description="Coefficient of innovation.")
    q: float | None = Field(None, ge=0.0, le=10.0, description="Coefficient of imitation.")
    steps_per_period: int = Field(
        1, ge=1, le=365, description="Model days per Bass period (use > 1 for large q)."
    )

    @model_validator(mode="after")
    def _check(self) -> BassConfig:
        if (self.p is None) != (self.q is None):
            raise ValueError("bass.p and bass.q must be set together")
        if self.p is not None and (self.p + self.q) / self.steps_per_period > 0.99:
            raise ValueError(
                f"bass.p + bass.q = {self.p + self.q} per period is too large for one step; "
                "raise bass.steps_per_period"
            )
        return self

    @property
    def enabled(self) -> bool:
        return self.p is not None


class RulesConfig(_Section):
    """Coefficients of the agent rules. Sources and rationale: docs/parameters.md."""

    # content and relevance
    base_relevance: float = Field(0.4, ge=0.0, le=1.0)
    engage_useful: float = Field(0.08, ge=0.0, le=1.0)
    engage_support: float = Field(0.05, ge=0.0, le=1.0)
    engage_deal: float = Field(0.05, ge=0.0, le=1.0)
    engage_pitch: float = Field(0.02, ge=0.0, le=1.0)
    # favour bank
    favor_memory_days: float = Field(3.0, gt=0.0)
    deposit_useful: float = Field(1.0, ge=0.0)
    deposit_support: float = Field(1.0, ge=0.0)
    deposit_deal: float = Field(1.5, ge=0.0)
    deposit_answer: float = Field(3.0, ge=0.0)
    pitch_withdrawal: float = Field(1.0, ge=0.0)
    reciprocity_gain: float = Field(1.0, ge=0.0)
    favor_half: float = Field(1.0, gt=0.0)
    overdraft_interest: float = Field(0.5, ge=0.0)
    overdraft_trust_loss: float = Field(0.002, ge=0.0)
    overdraft_irritation: float = Field(0.02, ge=0.0)
    # persuasion and purchases
    persuasion_discount: float = Field(0.8, ge=0.0, le=1.0)
    intent_memory_days: float = Field(3.0, gt=0.0)
    deal_persuasion: float = Field(0.25, ge=0.0)
    pitch_conversion: float = Field(0.25, ge=0.0, le=1.0)
    base_conversion: float = Field(0.01, ge=0.0, le=1.0)
    wom_conversion: float = Field(0.3, ge=0.0, le=1.0)
    repeat_bonus: float = Field(0.5, ge=0.0)
    irritation_scale: float = Field(2.0, gt=0.0)
    price: float = Field(1.0, ge=0.0)
    # trust
    trust_gain: float = Field(0.01, ge=0.0, le=1.0)
    trust_loss_irritation: float = Field(0.01, ge=0.0, le=1.0)
    skeptic_loss_multiplier: float = Field(1.0, ge=0.0)
    social_influence: float = Field(0.05, ge=0.0, le=1.0)
    # irritation and follow / unfollow
    irritation_memory_days: float = Field(10.0, gt=0.0)
    excess_irritation: float = Field(0.15, ge=0.0)
    irrelevance_irritation: float = Field(0.03, ge=0.0)
    pitch_irritation: float = Field(0.05, ge=0.0)
    paid_irritation: float = Field(0.1, ge=0.0)
    irritation_tolerance: float = Field(1.0, ge=0.0)
    hostile_trust: float = Field(0.25, ge=0.0, le=1.0)
    follow_rate: float = Field(0.1, ge=0.0, le=1.0)
    unfollow_rate: float = Field(0.15, ge=0.0)
    # word of mouth
    share_positive: float = Field(0.2, ge=0.0, le=1.0)
    advocacy_rate: float = Field(0.02, ge=0.0, le=1.0)
    complain_rate: float = Field(0.3, ge=0.0, le=1.0)
    overdraft_complaint: float = Field(0.05, ge=0.0)
    wom_awareness: float = Field(0.05, ge=0.0, le=1.0)
    wom_trust: float = Field(0.02, ge=0.0, le=1.0)
    negativity_bias: float = Field(2.5, ge=1.0)
    # support
    problem_rate_customer: float = Field(0.02, ge=0.0, le=1.0)
    problem_rate_aware: float = Field(0.002, ge=0.0, le=1.0)
    answer_trust_gain: float = Field(0.1, ge=0.0, le=1.0)
    unanswered_trust_loss: float = Field(0.1, ge=0.0, le=1.0)
    unanswered_irritation: float = Field(0.5, ge=0.0)
    # covert promotion
    detection_rate: float = Field(0.1, ge=0.0, le=1.0)
    deception_trust_loss: float = Field(0.4, ge=0.0, le=1.0)
    deception_irritation: float = Field(1.0, ge=0.0)
    # platform
    ad_attention_cost: float = Field(1.0, ge=0.0, le=1.0)
    # costs
    cost_per_post: float = Field(1.0, ge=0.0)
    cost_per_paid: float = Field(0.01, ge=0.0)
    cost_per_agent: float = Field(0.5, ge=0.0)


class BrandConfig(_Section):
    """One brand and its strategy."""

    name: str = Field("brand", min_length=1)
    strategy: str = Field("static", description="Strategy name (see socialsim.strategies).")
    posts_per_day: float = Field(2.0, ge=0.0, le=100.0)
    sell_share: float = Field(0.3, ge=0.0, le=1.0, description="Share of posts that pitch.")
    serve_mix: dict[str, float] = Field(
        default_factory=lambda: {"support": 0.2, "useful": 0.5, "deal": 0.3},
        description="Shares of the serve posts: support, useful, deal (normalised).",
    )
    paid_reach: float = Field(40.0, ge=0.0, description="Paid impressions (users) per day.")
    targeting: float = Field(0.5, ge=0.0, le=1.0, description="Audience research: 0 to 1.")
    segment: int = Field(0, ge=0, description="Interest segment the brand sells to.")
    support_capacity: float = Field(20.0, ge=0.0, description="Problems answered per day.")
    disclosed: bool = Field(True, description="Pitches are disclosed as promotion.")
    params: dict[str, Any] = Field(default_factory=dict, description="Strategy parameters.")

    @model_validator(mode="after")
    def _check_mix(self) -> BrandConfig:
        allowed = ("support", "useful", "deal")
        for key, value in self.serve_mix.items():
            if key not in allowed:
                raise ValueError(_unknown_message(f"serve_mix.{key}", key, allowed))
            if not (value >= 0.0 and math.isfinite(value)):
                raise ValueError(f"serve_mix.{key} = {value} must be >= 0")
        if sum(self.serve_mix.values()) <= 0:
            raise ValueError(f"serve_mix = {self.serve_mix} must have a positive share")
        return self


class Config(_Section):
    """A complete model configuration."""

    steps: int = Field(365, ge=1, le=100_000, description="Days to simulate.")
    seed: int = Field(1, ge=0, description="Master seed: same config + seed = same result.")
    graph: GraphConfig = Field(default_factory=GraphConfig)
    users: UsersConfig = Field(default_factory=UsersConfig)
    platform: PlatformConfig = Field(default_factory=PlatformConfig)
    mechanisms: MechanismsConfig = Field(default_factory=MechanismsConfig)
    bass: BassConfig = Field(default_factory=BassConfig)
    rules: RulesConfig = Field(default_factory=RulesConfig)
    brands: list[BrandConfig] = Field(default_factory=lambda: [BrandConfig()], min_length=1)

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
            if b.segment >= self.users.segments:
                raise ValueError(
                    f"brands[{i}].segment = {b.segment} must be < users.segments = "
                    f"{self.users.segments}"
                )
        return self


def _unknown_message(path: str, key: str, allowed: Any) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(allowed)}"
    return f"unknown key '{path}'{hint}"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class that holds the field at ``loc`` (for suggestions)."""
    model: type[BaseModel] = Config
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


def _format_errors(err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        loc = e.get("loc", ())
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        if e["type"] == "extra_forbidden":
            holder = _model_at(loc)
            allowed = list(holder.model_fields) if holder else []
            lines.append(_unknown_message(path, str(loc[-1]), allowed))
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
    except OSError as exc:
        raise ConfigError(f"cannot read {kind} file {path}: {exc.strerror}") from None


def load_config(
    source: Config | dict[str, Any] | str | Path | None = None, **overrides: Any
) -> Config:
    """Build a validated :class:`Config` from a Config, a dict, a TOML path or ``None`` (defaults).

    Keyword ``overrides`` replace top-level keys (e.g. ``steps=30``).
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
    else:
        raise ConfigError(f"config must be a dict, a TOML path or a Config, not {type(source)}")
    data.update(overrides)
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
    is the Bass hazard p/k + (q/k) F per day. Trust, favour, attention and backlash are
    switched off. On a complete graph the share of adopters follows the discrete Bass
    recursion F(t+1) = F(t) + (p/k + q/k F(t)) (1 - F(t)).
    """
    if not cfg.bass.enabled:
        return cfg
    k = cfg.bass.steps_per_period
    need = 1.0 - math.exp(-BASS_NEED_RATE)
    data = cfg.model_dump()
    data["mechanisms"].update(trust=False, favor=False, attention=False, backlash=False, wom=True)
    data["users"].update(
        skepticism=0.0,
        segment_skepticism=None,
        need_rate=BASS_NEED_RATE,
        initial_awareness=1.0,
        initial_follow=1.0,
    )
    data["platform"].update(commercialization=0.0, organic_reach=1.0)
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
