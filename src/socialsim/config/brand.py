"""The ``[[brands]]`` section: one brand and its strategy."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, model_validator

from .budget import BudgetConfig
from .platforms import BrandPlatformPlan
from .sections import _Section, _unknown_message


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
    reply_capacity: float = Field(
        0.3,
        ge=0.0,
        description="Public replies to complaints per day (fractional part rounded "
        "stochastically; `[mechanisms] replies` only).",
        json_schema_extra={
            "source": "assumption: 1 in 10 of the 3-4 complaints a day of a hard seller (sell "
            "share 0.9, 2,000 users), as brands answer about 1 message in 10 (Sprout Social "
            "2016)."
        },
    )
    reply_tone: Literal["none", "respectful", "defensive"] = Field(
        "respectful",
        description="Tone of the brand's public replies: `respectful` (calms the complainer "
        "and their friends), `defensive` (fuels both) or `none` (no replies; "
        "`[mechanisms] replies` only).",
        json_schema_extra={
            "source": "assumption: brands are advised to take the high road; `none` and "
            "`defensive` are the controls of experiments/replies.toml (Lee & Song 2010 for "
            "the tones)."
        },
    )
    community_effort: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Share of the brand's posts that go to its community (serve content for "
        "members) instead of its followers' feeds; 0: no community. Acts only with "
        "`[mechanisms] community`.",
        json_schema_extra={
            "source": "assumption: 0 (no community) by default; experiments/community.toml "
            "compares 0, 0.2 and 0.4."
        },
    )
    disclosed: bool = Field(
        True,
        description="Pitches are disclosed as promotion (`false`: covert).",
        json_schema_extra={"source": "technical: model structure; `false` for P8."},
    )
    budget: BudgetConfig | None = Field(
        None,
        description="Money per day and, optionally, its split over paid reach, content and "
        "support (`{ money = ..., paid = ..., content = ..., support = ... }`, odd.md 7.14); "
        "acts only with `mechanisms.budget`. With `[[platforms]]` it caps the spending summed "
        "over the brand's platforms and a split's posts are spread over them by the brand's "
        "per-platform `posts_per_day` (odd.md 7.16). Unset: no budget, the plan as given.",
        json_schema_extra={"source": "technical: input (the brand's budget); unset by default."},
    )
    platforms: dict[str, BrandPlatformPlan] | None = Field(
        None,
        description="With `[[platforms]]`: where the brand is present and its plan there, "
        "`{ <platform> = { posts_per_day = ..., sell_share = ... } }` (omitted platform: not "
        "present; omitted field: the brand's own value, scaled each day by the ratio of the "
        "strategy's plan to it; with a budget split, the posts act as weights that spread the "
        "posts the split buys, odd.md 7.14). Unset: present on every platform with its own "
        "plan.",
        json_schema_extra={"source": "technical: input (the brand's presence and plans)."},
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
