"""The ``[rules]`` coefficients of the brand community (``[mechanisms] community``, odd.md
7.12).

They are fields of :class:`~socialsim.config.RulesConfig` (a mixin, so that the oversized
``config/rules.py`` does not grow); they act only when ``mechanisms.community`` is true,
which it is not by default, and only for brands with ``community_effort > 0``.
"""

from __future__ import annotations

from pydantic import Field

from .sections import _Section


class CommunityRules(_Section):
    """Coefficients of joining, community posts, peer support, member talk and loyalty
    (``rules/community.py``)."""

    community_join: float = Field(
        0.05,
        ge=0.0,
        le=100.0,
        description="Daily joining rate of a follower or customer who is not a member, per "
        "unit of the brand's `community_effort` and of trust: joins with probability "
        "`sat(community_join * effort * T)`.",
        json_schema_extra={
            "source": "assumption for the value (at effort 0.2 and trust 0.5, 0.5% of the "
            "followers and customers a day, 40% within a year if nothing else changes); "
            "identification with the brand and its users draws people into a brand "
            "community (Algesheimer, Dholakia & Herrmann 2005; Bagozzi & Dholakia 2006) for "
            "the direction."
        },
    )
    community_leave: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Daily probability that a hostile member (irritation above tolerance or "
        "trust below `hostile_trust`) leaves the community.",
        json_schema_extra={
            "source": "assumption: a hostile member leaves within about 20 days; members "
            "leave when the relationship sours (Algesheimer, Dholakia & Herrmann 2005: "
            "community pressure and reactance) for the direction."
        },
    )
    community_reach: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="Share of the brand's community posts a member is shown (community posts "
        "are not throttled by the platform's ad load).",
        json_schema_extra={
            "source": "assumption: members chose to be there, so they see most community "
            "posts, against `organic_reach * (1 - commercialization)` = 0.32 for followers."
        },
    )
    community_peer_help: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="Largest share of members' problems answered by other members: a member's "
        "problem is answered by peers with probability `community_peer_help * m / (m + "
        "community_critical_mass)`, m the brand's members.",
        json_schema_extra={
            "source": "assumption for the value; members answer each other's questions and "
            "solve each other's problems in online communities (Mathwick, Wiertz & de "
            "Ruyter 2008; Wiertz & de Ruyter 2007) for the direction."
        },
    )
    community_critical_mass: float = Field(
        50.0,
        gt=0.0,
        le=1e6,
        description="Members at which peer help reaches half its largest share (the community "
        "needs members before it helps).",
        json_schema_extra={
            "source": "assumption: 50 members (2.5% of the default 2,000 users); a community "
            "is useful only once enough members take part (Wiertz & de Ruyter 2007) for the "
            "direction."
        },
    )
    community_talk: float = Field(
        0.3,
        ge=0.0,
        le=100.0,
        description="Positive messages a member hears a day from other members when every "
        "member is a customer who fully trusts the brand: Poisson(`community_talk * a`), "
        "`a` the mean over members of trust times [active customer] (their advocacy "
        "propensity).",
        json_schema_extra={
            "source": "assumption for the value (a message every few days); members share "
            "their experiences and recommend the brand to each other (Muniz & O'Guinn 2001; "
            "Algesheimer, Dholakia & Herrmann 2005) for the direction."
        },
    )
    community_loyalty: float = Field(
        0.5,
        ge=0.0,
        le=100.0,
        description="Extra repeat-purchase probability of a member who is an active customer: "
        "the purchase probability is multiplied by `1 + community_loyalty` (on top of the "
        "repeat bonus).",
        json_schema_extra={
            "source": "assumption for the value; community identification raises membership "
            "continuance and repurchase intentions (Algesheimer, Dholakia & Herrmann 2005; "
            "Bagozzi & Dholakia 2006) for the direction."
        },
    )
