"""The sections of the schema: ``[graph]``, ``[users]``, ``[platform]`` and ``[bass]``
(``[mechanisms]``, ``[rules]``, ``[[brands]]`` and ``[[platforms]]`` have their own modules),
and their common base.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .audiences import AUDIENCES

Fraction = Field(ge=0.0, le=1.0)


class _Section(BaseModel):
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False, strict=True
    )


def _unknown_message(path: str, key: str, allowed: Any) -> str:
    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(allowed)}"
    return f"unknown key '{path}'{hint}"


class GraphConfig(_Section):
    """The social graph: a NetworkX generator or an edge-list file."""

    kind: Literal[
        "barabasi_albert", "watts_strogatz", "erdos_renyi", "communities", "complete", "file"
    ] = Field(
        "barabasi_albert",
        description="Graph generator, or `file` for an edge list.",
        json_schema_extra={
            "source": "assumption: Barabasi-Albert gives the heavy-tailed degrees of online "
            "social networks; realism checks use the SNAP ego-Facebook graph "
            '(`kind = "file"`).'
        },
    )
    n: int = Field(
        2000,
        ge=2,
        le=10_000_000,
        description="Number of users (ignored for `file`).",
        json_schema_extra={
            "source": "assumption: the scale at which the patterns are calibrated; a 365-day "
            "run takes seconds."
        },
    )
    m: int = Field(
        5,
        ge=1,
        description="Barabasi-Albert: edges attached from each new node (mean degree about 2m).",
        json_schema_extra={"source": "assumption: mean degree about 10."},
    )
    k: int = Field(
        10,
        ge=2,
        description="Watts-Strogatz: ring neighbours per node (NetworkX uses k // 2 on each "
        "side, so use an even k).",
        json_schema_extra={
            "source": "assumption: same mean degree (10) as the default Barabasi-Albert graph."
        },
    )
    p: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Watts-Strogatz rewiring probability; Erdos-Renyi edge probability.",
        json_schema_extra={
            "source": "assumption: small-world rewiring. For `erdos_renyi` set it to about "
            "(mean degree)/n."
        },
    )
    communities: int = Field(
        4,
        ge=1,
        description="`communities`: number of equal-sized blocks (stochastic block model).",
        json_schema_extra={"source": "assumption: blocks are not tied to interest segments."},
    )
    p_in: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="`communities`: within-block edge probability.",
        json_schema_extra={
            "source": "assumption: with n = 2000 and 4 blocks, about 10 friends inside the block."
        },
    )
    p_out: float = Field(
        0.001,
        ge=0.0,
        le=1.0,
        description="`communities`: between-block edge probability.",
        json_schema_extra={
            "source": "assumption: about 1.5 friends outside the block at n = 2000."
        },
    )
    path: str | None = Field(
        None,
        description="`file`: path of a whitespace edge list (`#` comments).",
        json_schema_extra={
            "source": "data: SNAP ego-Facebook (`facebook_combined.txt`, 4,039 users, 88,234 "
            "edges) is the reference real graph."
        },
    )

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
        0.4,
        ge=0.0,
        le=1.0,
        description="Audience mean scepticism `s` (Beta-distributed across users).",
        json_schema_extra={
            "source": "assumption: mid-range; P6 sweeps it. Its effects follow persuasion "
            "knowledge (Friestad & Wright 1994)."
        },
    )
    skepticism_concentration: float = Field(
        6.0,
        gt=0.0,
        description="Beta concentration a + b of scepticism: higher means a more uniform audience.",
        json_schema_extra={"source": "assumption: standard deviation 0.185 at the default mean."},
    )
    segments: int = Field(
        4,
        ge=1,
        le=64,
        description="Number of interest segments (uniform at random).",
        json_schema_extra={
            "source": "assumption: a few segments, so most users (75%) are outside a brand's "
            "target segment."
        },
    )
    segment_skepticism: list[float] | None = Field(
        None,
        description="Optional mean scepticism per segment; overrides `skepticism`; length "
        "must equal `segments`.",
        json_schema_extra={
            "source": "technical: optional; not reset by the Bass mapping, leave unset there."
        },
    )
    attention: float = Field(
        12.0,
        gt=0.0,
        description="Mean daily attention budget, in feed items (Gamma-distributed).",
        json_schema_extra={
            "source": "assumption: at the mean budget, spare attention is 5.6 items for a user "
            "with 10 friends and 1.92 once friends fill the reserve, so heavy posting or "
            "several brands overflow it."
        },
    )
    attention_shape: float = Field(
        3.0,
        gt=0.0,
        description="Gamma shape of attention budgets.",
        json_schema_extra={"source": "assumption: coefficient of variation 0.577."},
    )
    friend_motive: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Mean share `phi` of the budget reserved for friends' posts (Beta across "
        "users, concentration `friend_motive_concentration`).",
        json_schema_extra={
            "source": "assumption: friendship-first premise (people are there for friends); in "
            "line with HBR 2012 (only 23% of consumers say they have a relationship with a "
            "brand)."
        },
    )
    friend_posts: float = Field(
        0.5,
        ge=0.0,
        description="Feed items per day each friend contributes.",
        json_schema_extra={
            "source": "assumption: at the mean budget 10 friends fill 5 of the 9.6 reserved "
            "items; more than 19.2 friends fill the reserve."
        },
    )
    need_rate: float = Field(
        0.05,
        ge=0.0,
        description="Rate of purchase needs per user per day; a need occurs with probability "
        "1 - e^(-need_rate).",
        json_schema_extra={"source": "assumption: a need about every 20.5 days (4.88% a day)."},
    )
    initial_awareness: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Share of users aware of each brand at day 0.",
        json_schema_extra={
            "source": "assumption: a brand at the start of its social-media presence."
        },
    )
    initial_follow: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Share of initially aware users who follow the brand.",
        json_schema_extra={"source": "assumption: most aware users do not follow a brand."},
    )
    initial_trust: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Prior trust of a non-sceptical user; initial trust is "
        "`initial_trust * (1 - initial_trust_skepticism * s)`.",
        json_schema_extra={
            "source": "assumption: neutral prior; mean initial trust 0.4 at the default scepticism."
        },
    )
    initial_trust_skepticism: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of the prior trust lost per unit scepticism: initial trust is "
        "`initial_trust * (1 - initial_trust_skepticism * s)`.",
        json_schema_extra={
            "source": "assumption: a former constant of the rule (the 0.5 in "
            "`initial_trust * (1 - 0.5 * s)`), kept at its value so that results are "
            "unchanged; freed for calibration. Sceptics start with at most half less trust."
        },
    )
    friend_motive_concentration: float = Field(
        8.0,
        gt=0.0,
        description="Beta concentration a + b of the friendship motive `phi` across users: "
        "higher means a more uniform audience.",
        json_schema_extra={
            "source": "assumption: a former constant of the rule (Beta concentration 8 in "
            "`state.py`), kept at its value so that results are unchanged; freed for "
            "calibration. Standard deviation 0.133 at the default mean."
        },
    )

    audiences: dict[str, float] | None = AUDIENCES

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
        0.2,
        ge=0.0,
        le=1.0,
        description="Ad load `c`: share of the feed given to ads. Multiplies spare attention by "
        "`1 - ad_attention_cost * c`, organic reach by `1 - c`, and drives scepticism drift.",
        json_schema_extra={
            "source": "assumption for the value; P5 sweeps it. Direction: Sprout Social 2020 "
            "(too many ads, 45%, as an unfollow reason)."
        },
    )
    organic_reach: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Share of a brand's posts a follower is shown before commercialization "
        "throttles it (by `1 - c`).",
        json_schema_extra={
            "source": "assumption: effective reach 0.32 at the default ad load, i.e. 0.64 items "
            "per follower per day at 2 posts."
        },
    )
    organic_reach_trend: float = Field(
        0.0,
        ge=-5.0,
        le=5.0,
        description="Yearly log-change of organic reach: on day t a follower is shown a post "
        "with probability organic_reach * (1 - commercialization) * exp(trend * t / 365) "
        "(negative: the platform throttles brand pages more and more).",
        json_schema_extra={
            "source": "data and literature for the direction, assumption for the value (0: "
            "constant reach, today's default results): the Moro et al. (2016) page's reach "
            "among followers per follower fell from about 3.8% in January to 1.2-2% in "
            "October-December 2014 (median organic post), the year Facebook cut brand pages' "
            "organic reach (Ogilvy 2014, 'Facebook Zero'); calibrated in "
            "experiments/calibrate_facebook_brand.toml."
        },
    )
    engager_exposure: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of an engaging user's friends whose feed shows the brand's item the "
        "next day ('a friend liked this'): organic reach beyond followers, and the route by "
        "which a page's posts reach friends of fans.",
        json_schema_extra={
            "source": "data and literature for the mechanism, assumption for the value (0: "
            "off, today's default results): about 31% of a median organic post's reach in the "
            "Moro et al. (2016) page came from non-followers; passive notifications of a "
            "friend's action raised adoption by friends 246% (Aral & Walker 2011); calibrated "
            "in experiments/calibrate_facebook_brand.toml."
        },
    )
    skepticism_drift: float = Field(
        0.002,
        ge=0.0,
        le=1.0,
        description="Daily rise of scepticism towards 1 per unit commercialization.",
        json_schema_extra={
            "source": "assumption: closes 13.6% of the gap to 1 in 365 days at the default ad load."
        },
    )


class BassConfig(_Section):
    """Bass diffusion limit: when p and q are set they are mapped onto the normal rules."""

    p: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Bass coefficient of innovation; with `q`, switches on the Bass mapping "
        "(odd.md 7.18).",
        json_schema_extra={
            "source": "Bass 1969; test value p = 0.03, the meta-analytic mean of Sultan, Farley "
            "& Lehmann 1990. Off by default."
        },
    )
    q: float | None = Field(
        None,
        ge=0.0,
        le=10.0,
        description="Bass coefficient of imitation.",
        json_schema_extra={
            "source": "Bass 1969; test value q = 0.38 (Sultan, Farley & Lehmann 1990; peak at "
            "t* = ln(q/p)/(p+q) = 6.19 periods)."
        },
    )
    steps_per_period: int = Field(
        1,
        ge=1,
        le=365,
        description="Model days per Bass period `k`; the per-day hazard is (p + q F)/k. The "
        "schema requires (p + q)/k <= 0.99.",
        json_schema_extra={
            "source": "technical: needed when p + q > 0.99, e.g. the literature pair for "
            "cellular phones (p = 0.004, q = 1.76) needs at least 2."
        },
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
