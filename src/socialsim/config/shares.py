"""The ``[rules]`` coefficients of shares (``[mechanisms] shares``, odd.md 7.13).

They are fields of :class:`~socialsim.config.RulesConfig` (a mixin, so that the oversized
``config/rules.py`` does not grow); they act only when ``mechanisms.shares`` is true, which
it is not by default.
"""

from __future__ import annotations

from pydantic import Field

from .sections import _Section


class SharesRules(_Section):
    """Share rates per attended item by content type and the visibility of a share in a
    friend's feed (``rules/shares.py``)."""

    share_useful: float = Field(
        0.02,
        ge=0.0,
        le=1.0,
        description="Share rate per attended useful/entertaining item (times relevance and "
        "`engage_trust_offset + trust`; the daily share probability is `sat` of the sum over "
        "content types).",
        json_schema_extra={
            "source": "literature for the direction, assumption for the value (a quarter of "
            "`engage_useful`: shares are a minority of engagements): practically useful and "
            "high-arousal content is shared more (Berger & Milkman 2012); emotional and "
            "personality content raises engagement (Lee, Hosanagar & Nair 2018)."
        },
    )
    share_support: float = Field(
        0.005,
        ge=0.0,
        le=1.0,
        description="Share rate per attended support item (answers, how-tos for customers).",
        json_schema_extra={
            "source": "assumption: a tenth of `engage_support`; service content concerns the "
            "customer who asked and is seldom passed on."
        },
    )
    share_deal: float = Field(
        0.01,
        ge=0.0,
        le=1.0,
        description="Share rate per attended deal item.",
        json_schema_extra={
            "source": "assumption for the value, between useful content and pitches: a deal is "
            "practically useful to friends (Berger & Milkman 2012) but deal content draws "
            "less engagement than emotional content (Lee, Hosanagar & Nair 2018)."
        },
    )
    share_pitch: float = Field(
        0.002,
        ge=0.0,
        le=1.0,
        description="Share rate per attended pitch.",
        json_schema_extra={
            "source": "assumption: a tenth of `share_useful`, the lowest of the content types "
            "(Lee, Hosanagar & Nair 2018: directly informative, product-pushing content "
            "lowers engagement; persuasion knowledge, Friestad & Wright 1994)."
        },
    )
    share_visibility: float = Field(
        0.35,
        ge=0.0,
        le=1.0,
        description="Probability that a friend of a sharer sees the shared item in their feed "
        "the next day (whether or not they follow the brand).",
        json_schema_extra={
            "source": "data for the value: a Facebook post reaches about 35% of the poster's "
            "friends (Bernstein, Bakshy, Burke & Karrer 2013, 'Quantifying the invisible "
            "audience')."
        },
    )
