"""The ``[rules]`` coefficients of public replies to complaints (``[mechanisms] replies``,
odd.md 7.11).

They are fields of :class:`~socialsim.config.RulesConfig` (a mixin, so that the oversized
``config/rules.py`` does not grow); they act only when ``mechanisms.replies`` is true, which
it is not by default. A brand's reply capacity and tone are part of its plan
(``brands[].reply_capacity``, ``brands[].reply_tone``).
"""

from __future__ import annotations

from pydantic import Field

from .sections import _Section


class RepliesRules(_Section):
    """Effects of a brand's public reply to a complaint, by tone (``rules/replies.py``)."""

    reply_relief: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Share of the complainer's irritation with the brand that a respectful "
        "public reply removes.",
        json_schema_extra={
            "source": "assumption for the value (half); a recovery effort after a failure "
            "raises the complainer's satisfaction (Smith, Bolton & Wagner 1999; McCollough, "
            "Berry & Yadav 2000) for the direction."
        },
    )
    reply_trust_recovery: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="Share of the gap to full trust that a respectful public reply closes for "
        "the complainer (service recovery).",
        json_schema_extra={
            "source": "assumption: as much as an answered problem (`answer_trust_gain`); "
            "service recovery restores satisfaction and trust (Smith, Bolton & Wagner 1999) "
            "for the direction."
        },
    )
    reply_calm: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="How much less a complaint weighs at the friends who received it when "
        "the brand answered it respectfully (the complaint counts `1 - reply_calm` of a "
        "message in the WOM trust loss).",
        json_schema_extra={
            "source": "assumption for the value (half); accommodative public responses to "
            "negative online reviews make observers' evaluations of the company less negative "
            "(Lee & Song 2010), and reactive webcare improves brand evaluations of those who "
            "read it (van Noort & Willemsen 2012) for the direction."
        },
    )
    reply_fuel: float = Field(
        0.5,
        ge=0.0,
        le=10.0,
        description="How much more a complaint weighs at the friends who received it when "
        "the brand answered it defensively (the complaint counts `1 + reply_fuel` messages "
        "in the WOM trust loss).",
        json_schema_extra={
            "source": "assumption for the value (half again); defensive responses to online "
            "complaints make observers' evaluations of the company more negative than "
            "accommodative ones (Lee & Song 2010) for the direction."
        },
    )
    reply_defensive_irritation: float = Field(
        0.5,
        ge=0.0,
        le=100.0,
        description="Irritation a defensive public reply adds to the complainer's irritation "
        "with the brand.",
        json_schema_extra={
            "source": "assumption: as much as an unanswered problem (`unanswered_irritation`); "
            "a defensive response escalates rather than settles the conflict (Lee & Song "
            "2010) for the direction."
        },
    )
    cost_per_reply: float = Field(
        0.25,
        ge=0.0,
        description="Daily cost per unit of reply capacity (one public reply a day) in money "
        "units, for brands whose tone is not `none`: the metric `cost`, and what a brand's "
        "budget pays for its reply team (odd.md 7.14).",
        json_schema_extra={
            "source": "assumption: half the cost of a unit of support capacity "
            "(`cost_per_agent`): a public reply takes less of the team's time than solving a "
            "problem."
        },
    )
