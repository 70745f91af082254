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
import re
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
    skepticism_drift: float = Field(
        0.002,
        ge=0.0,
        le=1.0,
        description="Daily rise of scepticism towards 1 per unit commercialization.",
        json_schema_extra={
            "source": "assumption: closes 13.6% of the gap to 1 in 365 days at the default ad load."
        },
    )


class MechanismsConfig(_Section):
    """Switches for the model's mechanisms (all on by default)."""

    trust: bool = Field(
        True,
        description="Switch: trust updates and the trust factor in purchases, positive WOM and "
        "follows.",
        json_schema_extra={
            "source": "technical: model structure (ablation); see odd.md section 3."
        },
    )
    favor: bool = Field(
        True,
        description="Switch: the favour bank (deposits, reciprocity, overdraft).",
        json_schema_extra={"source": "technical: model structure; `false` is the control of P4."},
    )
    attention: bool = Field(
        True,
        description="Switch: spare-attention limit (off: every delivered item is attended).",
        json_schema_extra={"source": "technical: model structure (ablation)."},
    )
    backlash: bool = Field(
        True,
        description="Switch: irritation and unfollows.",
        json_schema_extra={"source": "technical: model structure (ablation)."},
    )
    wom: bool = Field(
        True,
        description="Switch: word of mouth (messages, WOM awareness, WOM signal, WOM trust).",
        json_schema_extra={"source": "technical: model structure (ablation)."},
    )


class BassConfig(_Section):
    """Bass diffusion limit: when p and q are set they are mapped onto the normal rules."""

    p: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Bass coefficient of innovation; with `q`, switches on the Bass mapping "
        "(odd.md 7.11).",
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


class RulesConfig(_Section):
    """Coefficients of the agent rules (odd.md section 7).

    Each field's ``description`` gives its meaning and ``json_schema_extra["source"]`` its
    source or rationale; docs/parameters.md is generated from them (``python -m
    socialsim.paramdoc``).
    """

    # content and relevance
    base_relevance: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Relevance of content to users outside the brand's segment; in-segment "
        "relevance is `base + (1 - base)(u + (1 - u) * targeting)`, `u = "
        "untargeted_relevance`.",
        json_schema_extra={
            "source": "assumption: in-segment relevance 0.85 at default targeting. Irrelevance "
            "irritates (Sprout Social 2016: 41% unfollow for irrelevant content)."
        },
    )
    engage_useful: float = Field(
        0.08,
        ge=0.0,
        le=1.0,
        description="Expected engagements per attended useful item (times relevance and "
        "`engage_trust_offset + trust`).",
        json_schema_extra={
            "source": "assumption: highest of the content types (Lee, Hosanagar & Nair: "
            "personality/emotional content raises engagement)."
        },
    )
    engage_support: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Expected engagements per attended support item.",
        json_schema_extra={"source": "assumption: between useful content and pitches."},
    )
    engage_deal: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Expected engagements per attended deal item.",
        json_schema_extra={
            "source": "assumption: below useful content (Lee, Hosanagar & Nair: deal content "
            "lowers engagement)."
        },
    )
    engage_pitch: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Expected engagements per attended pitch.",
        json_schema_extra={"source": "assumption: lowest of the content types."},
    )
    engage_trust_offset: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Offset of the trust factor of engagement: engagements scale with "
        "`engage_trust_offset + trust`, so they rise with trust but are not zero at "
        "trust 0.",
        json_schema_extra={
            "source": "assumption: a former constant of the rule (the 0.5 in `0.5 + trust`), "
            "kept at its value so that results are unchanged; freed for calibration."
        },
    )
    untargeted_relevance: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share `u` of the relevance gap closed for in-segment users by an untargeted "
        "brand (targeting 0): in-segment relevance is `base + (1 - base)(u + (1 - u) "
        "* targeting)`.",
        json_schema_extra={
            "source": "assumption: a former constant of the rule (the 0.5 of `0.5 + 0.5 * "
            "targeting`), kept at its value so that results are unchanged; freed for "
            "calibration."
        },
    )
    # favour bank
    favor_memory_days: float = Field(
        3.0,
        gt=0.0,
        description="Memory of the favour bank: daily retention e^(-1/days).",
        json_schema_extra={
            "source": "Burger 1997 (reciprocity mostly gone after a week): e^(-7/3) = 0.097 "
            "left after 7 days."
        },
    )
    deposit_useful: float = Field(
        1.0,
        ge=0.0,
        description="Favour deposited per attended useful item (times relevance): the unit of "
        "favour.",
        json_schema_extra={"source": "assumption: unit."},
    )
    deposit_support: float = Field(
        1.0,
        ge=0.0,
        description="Favour deposited per attended support item.",
        json_schema_extra={"source": "assumption: same as useful content."},
    )
    deposit_deal: float = Field(
        1.5,
        ge=0.0,
        description="Favour deposited per attended deal item.",
        json_schema_extra={
            "source": "assumption: a deal is a tangible favour, worth more than content."
        },
    )
    deposit_answer: float = Field(
        3.0,
        ge=0.0,
        description="Favour deposited per answered problem.",
        json_schema_extra={"source": "assumption: personal help is worth more than a post."},
    )
    pitch_withdrawal: float = Field(
        1.0,
        ge=0.0,
        description="Favour withdrawn per attended pitch is `pitch_withdrawal * "
        "withdrawal_skepticism * s`.",
        json_schema_extra={
            "source": "assumption: 1 favour unit(s) per pitch for a user of scepticism 0.5 (0.8 "
            "at the default mean); sceptics feel the ask more (Friestad & Wright "
            "1994)."
        },
    )
    reciprocity_gain: float = Field(
        1.0,
        ge=0.0,
        description="Maximum relative rise of a pitch's persuasion from a positive balance: "
        "multiplier `1 + gain * x^h/(1 + x^h)`, `x = balance / favor_half`, `h = "
        "reciprocity_hill`.",
        json_schema_extra={
            "source": "Regan 1971: a prior favour about doubled compliance, so gain = 1 "
            "(multiplier up to 2)."
        },
    )
    reciprocity_hill: float = Field(
        2.0,
        gt=0.0,
        le=10.0,
        description="Hill exponent `h` of reciprocity, `x^h/(1 + x^h)`: above 1, reciprocity "
        "rises slowly at small balances and saturates at large ones.",
        json_schema_extra={
            "source": "assumption: a former constant of the rule (the exponent 2 of the Hill "
            "function), kept at its value so that results are unchanged; freed for "
            "calibration."
        },
    )
    withdrawal_skepticism: float = Field(
        2.0,
        ge=0.0,
        description="Scepticism multiplier of the favour a pitch withdraws: `pitch_withdrawal * "
        "withdrawal_skepticism * s` per attended pitch.",
        json_schema_extra={
            "source": "assumption: a former constant of the rule (the 2 in `pitch_withdrawal * "
            "2 * s`), kept at its value so that results are unchanged; freed for "
            "calibration. With it a user of scepticism 0.5 withdraws "
            "`pitch_withdrawal` per pitch."
        },
    )
    favor_half: float = Field(
        1.0,
        gt=0.0,
        description="Balance at which half the reciprocity gain is reached.",
        json_schema_extra={"source": "assumption: about one relevant serve post in credit."},
    )
    overdraft_interest: float = Field(
        0.5,
        ge=0.0,
        description="Convexity of the overdraft cost `pitches * depth * (1 + interest * depth)`.",
        json_schema_extra={
            "source": "assumption: repeated asking irritates more and more (wear-out, Cacioppo "
            "& Petty 1979)."
        },
    )
    overdraft_trust_loss: float = Field(
        0.002,
        ge=0.0,
        description="Trust-loss rate per unit of overdraft cost (adds to `L`).",
        json_schema_extra={"source": "assumption: calibrated with P3/P4."},
    )
    overdraft_irritation: float = Field(
        0.02,
        ge=0.0,
        description="Irritation per unit of overdraft cost.",
        json_schema_extra={"source": "assumption: wear-out (Cacioppo & Petty 1979)."},
    )
    # persuasion and purchases
    persuasion_discount: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Share of a recognised pitch's persuasion lost per unit scepticism: kept "
        "factor `1 - discount * s`.",
        json_schema_extra={
            "source": "assumption for the value; Friestad & Wright 1994 (persuasion knowledge) "
            "for the mechanism."
        },
    )
    intent_memory_days: float = Field(
        3.0,
        gt=0.0,
        description="Memory of purchase intent: daily retention e^(-1/days).",
        json_schema_extra={"source": "assumption: persuasion is short-lived (0.717 kept per day)."},
    )
    deal_persuasion: float = Field(
        0.25,
        ge=0.0,
        description="Intent added per attended deal item (times the deal share of the serve mix "
        "and relevance).",
        json_schema_extra={
            "source": "assumption for the value; Lee, Hosanagar & Nair (deal content raises "
            "click-through) for the mechanism."
        },
    )
    pitch_conversion: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description="Purchase probability per unit intent, given a need.",
        json_schema_extra={
            "source": "assumption: calibration for P1/P2. Plays p in the Bass limit."
        },
    )
    base_conversion: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Purchase probability of an aware user with a need, without persuasion or WOM.",
        json_schema_extra={"source": "assumption: awareness alone rarely sells; calibration."},
    )
    wom_conversion: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="Purchase probability per unit WOM signal (share of friends recommending).",
        json_schema_extra={"source": "assumption: calibration. Plays q in the Bass limit."},
    )
    repeat_bonus: float = Field(
        0.5,
        ge=0.0,
        description="Relative rise of the purchase probability for existing customers.",
        json_schema_extra={"source": "assumption: customers buy again more readily."},
    )
    irritation_scale: float = Field(
        2.0,
        gt=0.0,
        description="Purchase probabilities are divided by `1 + irritation / scale`.",
        json_schema_extra={
            "source": "assumption: at the irritation tolerance (1) purchases fall to 0.667 of "
            "their value."
        },
    )
    price: float = Field(
        1.0,
        ge=0.0,
        description="Revenue per purchase.",
        json_schema_extra={"source": "technical: normalisation (revenue in purchase units)."},
    )
    # trust
    trust_gain: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Trust-gain rate per relevance-weighted serve item: closes `sat(trust_gain * "
        "dose)` of the gap to 1.",
        json_schema_extra={"source": "assumption: trust is slow to build."},
    )
    trust_loss_irritation: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Trust-loss rate per unit irritation (previous day's); losses add to a rate "
        "`L`, trust loses `sat(L * (1 + skeptic_loss_multiplier * s))` of itself.",
        json_schema_extra={"source": "assumption: slow erosion from annoyance."},
    )
    skeptic_loss_multiplier: float = Field(
        1.0,
        ge=0.0,
        description="Trust losses are amplified by `1 + multiplier * s`.",
        json_schema_extra={
            "source": "assumption: sceptics lose trust faster (Friestad & Wright 1994)."
        },
    )
    social_influence: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Daily weight towards the mean trust of aware friends, times `1 - s`.",
        json_schema_extra={
            "source": "assumption for the value; DeGroot averaging with stubbornness after "
            "Friedkin-Johnsen for the form."
        },
    )
    # irritation and follow / unfollow
    irritation_memory_days: float = Field(
        10.0,
        gt=0.0,
        description="Memory of irritation: daily retention e^(-1/days).",
        json_schema_extra={"source": "assumption: half-life 6.93 days."},
    )
    excess_irritation: float = Field(
        0.15,
        ge=0.0,
        description="Irritation per delivered item beyond spare attention.",
        json_schema_extra={
            "source": "assumption for the value; Sprout Social 2016 (about 35% unfollow for "
            "posting too often) and BuzzStream 2015 (19% unfollow at more than 6 "
            "posts a day)."
        },
    )
    irrelevance_irritation: float = Field(
        0.03,
        ge=0.0,
        description="Irritation per attended item times (1 - relevance).",
        json_schema_extra={
            "source": "assumption for the value; Sprout Social 2016 (41% unfollow for "
            "irrelevant content)."
        },
    )
    pitch_irritation: float = Field(
        0.05,
        ge=0.0,
        description="Irritation per recognised attended pitch, times scepticism.",
        json_schema_extra={
            "source": "assumption for the value; Sprout Social 2016 (46% unfollow for too many "
            "promotions), Sprout Social 2020 (too many ads, 45%)."
        },
    )
    paid_irritation: float = Field(
        0.1,
        ge=0.0,
        description="Irritation per paid impression, times (1 - trust).",
        json_schema_extra={
            "source": "assumption for the value; Sprout Social 2020 (too many ads, 45%)."
        },
    )
    irritation_tolerance: float = Field(
        1.0,
        ge=0.0,
        description="Irritation above which users may unfollow, complain (`irritated_complaint` "
        "times `complain_rate`) and count as hostile.",
        json_schema_extra={"source": "assumption: sets the irritation scale."},
    )
    hostile_trust: float = Field(
        0.25,
        ge=0.0,
        le=1.0,
        description="Trust below which an aware user counts as hostile (metric `backlash` only).",
        json_schema_extra={"source": "assumption: observation threshold, no effect on dynamics."},
    )
    follow_rate: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Follow probability per day of contact, times trust and relevance.",
        json_schema_extra={
            "source": "assumption. Following is the main route to organic exposure; Sprout "
            "Social 2020 (89% buy from brands they follow) motivates that, not the "
            "value."
        },
    )
    unfollow_rate: float = Field(
        0.15,
        ge=0.0,
        description="Unfollow rate per unit irritation above tolerance; daily probability "
        "`sat(unfollow_rate * (irritation - tolerance))`.",
        json_schema_extra={
            "source": "assumption for the value; meant to be consistent with Performics 2012 "
            "(32% have un-liked a brand) in that unfollowing is common but not the "
            "rule."
        },
    )
    # word of mouth
    share_positive: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="Probability (times trust) of telling friends after a good experience today "
        "(purchase, answered problem).",
        json_schema_extra={
            "source": "assumption: a good experience is told sometimes, not usually."
        },
    )
    advocacy_rate: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Daily probability (times trust) that a customer recommends the brand.",
        json_schema_extra={
            "source": "assumption: unprompted recommendation is rare (about once in 50 days at "
            "full trust)."
        },
    )
    complain_rate: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="Probability of complaining to friends per bad experience (unanswered "
        "problem, detected covert pitch); `irritated_complaint` times it when "
        "irritation is above tolerance.",
        json_schema_extra={
            "source": "assumption for the value; Sprout Social 2020 (poor service, 49%, as an "
            "unfollow reason)."
        },
    )
    irritated_complaint: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Bad-experience weight of being irritated (irritation above tolerance): "
        "irritated users complain with probability `irritated_complaint * "
        "complain_rate` a day.",
        json_schema_extra={
            "source": "assumption: a former constant of the rule (the 0.1: irritated users "
            "complain at a tenth of `complain_rate`), kept at its value so that "
            "results are unchanged; freed for calibration."
        },
    )
    overdraft_complaint: float = Field(
        0.05,
        ge=0.0,
        description="Bad-experience weight per unit of overdraft cost.",
        json_schema_extra={
            "source": "assumption: overdrafts mostly irritate silently; complaints need deep or "
            "repeated overdrafts."
        },
    )
    wom_awareness: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Probability `w` that one received message makes an unaware user aware; `h` "
        "messages: `h w / (1 + (h - 1) w)`.",
        json_schema_extra={
            "source": "assumption: one mention rarely makes a brand known; repeated mentions do."
        },
    )
    wom_trust: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Trust rate per received message: `n` positive messages close `sat(wom_trust "
        "* n)` of the gap to 1, negative ones take `sat(wom_trust * negativity_bias * "
        "n)` of trust.",
        json_schema_extra={
            "source": "assumption: one positive message closes about 1.96% of the gap; friends "
            "matter through many messages."
        },
    )
    negativity_bias: float = Field(
        2.5,
        ge=1.0,
        description="Weight of a negative message relative to a positive one in trust.",
        json_schema_extra={"source": "assumption: negative word of mouth weighs more."},
    )
    # support
    problem_rate_customer: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Daily probability that a customer raises a problem.",
        json_schema_extra={
            "source": "assumption: a question or problem about once in 50 days per customer."
        },
    )
    problem_rate_aware: float = Field(
        0.002,
        ge=0.0,
        le=1.0,
        description="Daily probability that an aware non-customer raises a question or problem.",
        json_schema_extra={
            "source": "assumption: 10 times rarer than for customers (pre-sale questions)."
        },
    )
    answer_trust_gain: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Share of the gap to full trust closed by an answered problem.",
        json_schema_extra={
            "source": "assumption: a personal answer is a strong trust signal (compare "
            "`unanswered_trust_loss`)."
        },
    )
    unanswered_trust_loss: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Trust-loss rate of an unanswered problem (adds to `L`).",
        json_schema_extra={"source": "assumption; Sprout Social 2020 (poor service 49%)."},
    )
    unanswered_irritation: float = Field(
        0.5,
        ge=0.0,
        description="Irritation per unanswered problem.",
        json_schema_extra={"source": "assumption; Sprout Social 2020 (poor service 49%)."},
    )
    # covert promotion
    detection_rate: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Detection rate of covert pitches per attended pitch, times scepticism; "
        "probability `sat(rate * s * pitches)`.",
        json_schema_extra={
            "source": "assumption for the value (3.85% a day for one covert pitch at the "
            "default mean scepticism); Friestad & Wright 1994 for the mechanism."
        },
    )
    deception_trust_loss: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Trust-loss rate when covert promotion is detected, once per user x brand "
        "(adds to `L`).",
        json_schema_extra={
            "source": "assumption; detected covert promotion costs more trust than overt "
            "(Friestad & Wright 1994), pattern P8."
        },
    )
    deception_irritation: float = Field(
        1.0,
        ge=0.0,
        description="Irritation when covert promotion is detected.",
        json_schema_extra={
            "source": "assumption: one detection adds 1 times the irritation tolerance."
        },
    )
    # platform
    ad_attention_cost: float = Field(
        1.0,
        ge=0.0,
        le=1.0,
        description="Share of spare attention each unit of ad load takes.",
        json_schema_extra={"source": "assumption: ads replace brand items one for one."},
    )
    # costs
    cost_per_post: float = Field(
        1.0,
        ge=0.0,
        description="Cost of one post.",
        json_schema_extra={"source": "technical: accounting unit (metric `cost` only)."},
    )
    cost_per_paid: float = Field(
        0.01,
        ge=0.0,
        description="Cost of one paid impression.",
        json_schema_extra={
            "source": "assumption: accounting value relative to one post (metric `cost` only)."
        },
    )
    cost_per_agent: float = Field(
        0.5,
        ge=0.0,
        description="Daily cost per unit of support capacity.",
        json_schema_extra={
            "source": "assumption: accounting value relative to one post (metric `cost` only)."
        },
    )


class BrandConfig(_Section):
    """One brand and its strategy."""

    name: str = Field(
        "brand",
        min_length=1,
        description="Brand name (unique).",
        json_schema_extra={"source": "technical: a label."},
    )
    strategy: str = Field(
        "static",
        description="Strategy name: `static`, `earn_then_ask`, `pitch_first`, `adaptive` or a "
        "registered subclass (see socialsim.strategies).",
        json_schema_extra={"source": "technical: model structure."},
    )
    posts_per_day: float = Field(
        2.0,
        ge=0.0,
        le=100.0,
        description="Posts per day.",
        json_schema_extra={
            "source": "assumption: well below the 6 a day at which BuzzStream 2015 found 19% "
            "unfollow."
        },
    )
    sell_share: float = Field(
        0.3,
        ge=0.0,
        le=1.0,
        description="Share of posts that pitch; the rest serve.",
        json_schema_extra={"source": "assumption: P1-P3 sweep it."},
    )
    serve_mix: dict[str, float] = Field(
        default_factory=lambda: {"support": 0.2, "useful": 0.5, "deal": 0.3},
        description="Shares of serve posts: `support`, `useful`, `deal` (normalised; other keys "
        "rejected).",
        json_schema_extra={
            "source": "assumption: mostly useful content, some deals and support posts."
        },
    )
    paid_reach: float = Field(
        40.0,
        ge=0.0,
        description="Expected paid impressions (users reached) per day.",
        json_schema_extra={
            "source": "assumption: 2% of the default 2000 users a day, a small campaign that "
            "seeds awareness."
        },
    )
    targeting: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Audience research, 0 to 1: aims paid impressions at the segment and raises "
        "in-segment relevance (see `rules.untargeted_relevance`).",
        json_schema_extra={"source": "assumption: half-way between untargeted and fully targeted."},
    )
    segment: int = Field(
        0,
        ge=0,
        description="Interest segment the brand sells to (< `users.segments`).",
        json_schema_extra={"source": "technical: a label."},
    )
    support_capacity: float = Field(
        20.0,
        ge=0.0,
        description="Problems answered per day (fractional part rounded stochastically).",
        json_schema_extra={
            "source": "assumption: above demand at the defaults (default run, seed 1: 5.65 "
            "problems a day, 100% answered). Sprout Social 2016 (brands answer about 1 message "
            "in 10) is the under-capacity case of P7, not the default."
        },
    )
    disclosed: bool = Field(
        True,
        description="Pitches are disclosed as promotion (`false`: covert).",
        json_schema_extra={"source": "technical: model structure; `false` for P8."},
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Strategy parameters (table below); unknown keys or negative values are "
        "errors.",
        json_schema_extra={
            "source": "technical: per strategy; defaults and sources in the strategy table."
        },
    )
    calendar: str | None = Field(
        None,
        description="`calendar` strategy: path of a content-calendar CSV (posts, content mix "
        "and paid posts per period) that the brand replays.",
        json_schema_extra={
            "source": "technical: input data (a brand's own content calendar) for the "
            "`calendar` strategy; unset for other strategies."
        },
    )

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


def _format_errors(err: ValidationError, root: type[BaseModel] | None = None) -> str:
    lines = []
    for e in err.errors():
        loc = e.get("loc", ())
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        if e["type"] == "extra_forbidden":
            holder = _model_at(loc, root)
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


def resolve_paths(data: dict[str, Any], folder: Path) -> None:
    """Make relative file paths in a config or experiment read from a file (``graph.path``,
    ``brands[].calendar``, also in ``[[scenarios]]``) relative to the file's ``folder``."""

    def resolve(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        path = Path(value).expanduser()
        return value if path.is_absolute() else str((folder / path).resolve())

    scenarios = [s for s in data.get("scenarios") or [] if isinstance(s, dict)]
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
