"""Several platforms (``[[platforms]]``, odd.md 7.16): their norms, who is on which, and
where each brand is present with what plan.

With no ``[[platforms]]`` (the default) the model has one implicit platform, the
``[platform]`` section, and nothing here acts. With ``[[platforms]]``, each platform has its
own tolerance of selling, commercialization, organic reach and friend-post volume
(replacing ``platform.commercialization``, ``platform.organic_reach`` and
``users.friend_posts``); ``[users] audiences`` gives the shares of users present on exactly
each combination of platforms; a brand's ``platforms`` table says where it is present and
with what plan (``rules/platforms.py``). Brand communities and shares work with platforms
(``rules/platform_items.py``): a community is the brand's own space apart from them, a
share goes on one of the sharer's platforms and reaches the friends there. With
``[mechanisms] platform_reacts`` each platform's ad load starts at its ``commercialization``
and follows the paid impressions bought on it, and each user has a time on each of their
platforms (``rules/platform_reacting.py``, odd.md 7.15).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import Field

from .sections import _Section

if TYPE_CHECKING:
    from .load import Config


class PlatformSpec(_Section):
    """One platform (``[[platforms]]``) and its norms."""

    name: str = Field(
        min_length=1,
        description="Platform name (unique; brands and `users.audiences` refer to it).",
        json_schema_extra={"source": "technical: a label."},
    )
    sell_tolerance: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="How expected selling is on the platform: 0 a friends' barbecue (pitches "
        "grate fully), 1 a business network (pitches are expected). Scales the grating part of "
        "a pitch (irritation, favour withdrawal, scepticism discount) by `1 - "
        "rules.platform_norm_effect * sell_tolerance`.",
        json_schema_extra={
            "source": "assumption for the values; direction: people go to LinkedIn for "
            "professional networking and to Facebook to keep up with friends and family (Pew "
            "Research Center 2018/2021 platform-use surveys), and in a commercial context a "
            "persuasion attempt is expected and coped with less harshly (persuasion knowledge, "
            "Friestad & Wright 1994)."
        },
    )
    commercialization: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="The platform's ad load `c_k`: throttles its organic reach by `1 - c_k`, "
        "takes `rules.ad_attention_cost * c_k` of the attention its users give it, drives "
        "scepticism drift (as `platform.commercialization` does for the single platform); with "
        "`mechanisms.platform_reacts` its starting ad load `c0_k`, which then follows the paid "
        "impressions bought on the platform (odd.md 7.15).",
        json_schema_extra={
            "source": "assumption: the default of `platform.commercialization` (0.2)."
        },
    )
    organic_reach: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        description="Share of a brand's posts on the platform shown to a follower present "
        "there, before commercialization throttles it.",
        json_schema_extra={"source": "assumption: the default of `platform.organic_reach`."},
    )
    friend_posts: float = Field(
        0.5,
        ge=0.0,
        description="Feed items per day each friend contributes on this platform (friend-post "
        "volume; replaces `users.friend_posts`).",
        json_schema_extra={
            "source": "assumption: the default of `users.friend_posts` (0.5); a friends' "
            "network carries more friends' posts than a business network."
        },
    )


class BrandPlatformPlan(_Section):
    """A brand's plan on one platform; an omitted field takes the brand's own value."""

    posts_per_day: float | None = Field(
        None,
        ge=0.0,
        le=100.0,
        description="Posts per day on this platform (unset: the brand's `posts_per_day`).",
        json_schema_extra={"source": "technical: input (the brand's plan)."},
    )
    sell_share: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Share of this platform's posts that pitch (unset: the brand's `sell_share`).",
        json_schema_extra={"source": "technical: input (the brand's plan)."},
    )


class PlatformRules(_Section):
    """The ``[rules]`` coefficient of platform norms (acts only with ``[[platforms]]``)."""

    platform_norm_effect: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Share of a pitch's grating (pitch irritation, favour withdrawal and the "
        "scepticism discount of persuasion) that a fully selling-tolerant platform removes: "
        "a pitch seen on platform k grates `1 - platform_norm_effect * sell_tolerance_k` as "
        "much as on a friends' network.",
        json_schema_extra={
            "source": "assumption: most but not all of the grating goes where pitches are "
            "expected (persuasion knowledge still recognises them, Friestad & Wright 1994)."
        },
    )


def combination(key: str) -> list[str]:
    """Platform names of an ``audiences`` key, e.g. ``"friends+business"``."""
    return [part.strip() for part in key.split("+")]


def check_platforms(cfg: Config) -> None:
    """Cross-field checks of ``[[platforms]]``, ``users.audiences`` and brands' ``platforms``;
    raises ValueError naming the field and value."""
    names = [p.name for p in cfg.platforms]
    audiences = cfg.users.audiences
    if not names:
        if audiences is not None:
            raise ValueError(f"users.audiences = {audiences}: needs [[platforms]]")
        for i, b in enumerate(cfg.brands):
            if b.platforms is not None:
                raise ValueError(f"brands[{i}].platforms = {b.platforms}: needs [[platforms]]")
        return
    if len(set(names)) != len(names):
        raise ValueError(f"platforms: names must be unique, got {names}")
    if cfg.bass.enabled:
        raise ValueError("bass: the Bass limit takes one platform: remove [[platforms]]")
    if audiences is not None:
        seen: set[frozenset[str]] = set()
        for key, share in audiences.items():
            parts = combination(key)
            unknown = [p for p in parts if p not in names]
            if unknown:
                raise ValueError(
                    f"users.audiences.{key!r}: unknown platform {unknown[0]!r}; declared "
                    f"platforms: {', '.join(names)}"
                )
            if frozenset(parts) in seen or len(set(parts)) != len(parts):
                raise ValueError(f"users.audiences.{key!r}: combination given twice")
            seen.add(frozenset(parts))
            if not (math.isfinite(share) and share >= 0.0):
                raise ValueError(f"users.audiences.{key!r} = {share}: must be >= 0")
        total = sum(audiences.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"users.audiences: shares sum to {total:g}, not 1")
    for i, b in enumerate(cfg.brands):
        for name in b.platforms or {}:
            if name not in names:
                raise ValueError(
                    f"brands[{i}].platforms.{name}: unknown platform {name!r}; declared "
                    f"platforms: {', '.join(names)}"
                )
        if b.platforms is not None and not b.platforms:
            raise ValueError(f"brands[{i}].platforms = {{}}: a brand must be on a platform")
