"""The ``[mechanisms]`` section: one switch per mechanism (odd.md section 3, "Mechanism
switches")."""

from __future__ import annotations

from pydantic import Field

from .sections import _Section


class MechanismsConfig(_Section):
    """Switches for the model's mechanisms (on by default, except ``lapse``, ``replies``,
    ``community``, ``shares`` and ``platform_reacts``, which change the default results)."""

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
    lapse: bool = Field(
        False,
        description="Switch: customers lapse (a daily hazard that rises with days since the "
        "brand last gave value, unanswered problems and distrust); lapsed customers buy "
        "again only when persuaded (odd.md 7.10). Off by default.",
        json_schema_extra={
            "source": "technical: model structure; off by default because it changes the "
            "default results (repeat purchases), `true` in experiments/churn.toml."
        },
    )
    budget: bool = Field(
        True,
        description="Switch: brands with a `budget` spend within it (a split sets their paid "
        "reach, posts and support capacity; otherwise the day's plan is scaled down to the "
        "money, odd.md 7.14). On by default: no brand has a budget by default, so it changes "
        "nothing then.",
        json_schema_extra={"source": "technical: model structure (ablation)."},
    )
    replies: bool = Field(
        False,
        description="Switch: brands reply publicly to complaints, up to `brands[].reply_capacity` "
        "a day, in the tone `brands[].reply_tone`; a respectful reply calms the complainer and "
        "the friends who saw the complaint, a defensive one fuels both (odd.md 7.11). Off by "
        "default.",
        json_schema_extra={
            "source": "technical: model structure; off by default because it changes the "
            "default results (complaints get replies), `true` in experiments/replies.toml."
        },
    )
    community: bool = Field(
        False,
        description="Switch: brand communities (odd.md 7.12): brands with `community_effort > "
        "0` post part of their content to a community that followers and customers join; "
        "members answer each other's problems, talk about the brand and buy again more "
        "often. Off by default.",
        json_schema_extra={
            "source": "technical: model structure; off by default because it changes the "
            "default results, `true` in experiments/community.toml."
        },
    )
    shares: bool = Field(
        False,
        description="Switch: users share brand items they attend, with a probability by "
        "content type, relevance and trust; friends see the shared item (and its type) the "
        "next day in their feed, followers or not, and can share it on (odd.md 7.13). Off by "
        "default.",
        json_schema_extra={
            "source": "technical: model structure; off by default because it changes the "
            "default results (reach beyond followers), `true` in experiments/shares.toml."
        },
    )
    platform_reacts: bool = Field(
        False,
        description="Switch: the platform reacts (its ad load follows the brands' demand for "
        "paid reach; users spend less time on the platform as the ad load rises, or leave "
        "it) (odd.md 7.15). Off by default.",
        json_schema_extra={
            "source": "technical: model structure; off by default because it changes the "
            "default results, `true` in experiments/commons.toml."
        },
    )
