"""The ``[rules]`` coefficients of customer lapse (``[mechanisms] lapse``, odd.md 7.10).

They are fields of :class:`~socialsim.config.RulesConfig` (a mixin, so that the oversized
``config/rules.py`` does not grow); they act only when ``mechanisms.lapse`` is true, which
it is not by default.
"""

from __future__ import annotations

from pydantic import Field

from .sections import _Section


class LapseRules(_Section):
    """Coefficients of the daily lapse hazard of an active customer (``rules/lapse.py``)."""

    lapse_base: float = Field(
        0.0002,
        ge=0.0,
        le=1.0,
        description="Daily lapse rate of an active customer who fully trusts the brand and got "
        "value from it today: the floor of the rate `x` whose `sat(x)` is the daily lapse "
        "probability.",
        json_schema_extra={
            "source": "assumption for the value (7% a year); with `lapse_distrust` it spans "
            "the 10-30% of customers a typical company loses a year (Reichheld 1996, p. 4; "
            "'half their customers in five years', p. 1, is 13% a year)."
        },
    )
    lapse_distrust: float = Field(
        0.001,
        ge=0.0,
        le=1.0,
        description="Daily lapse rate per unit distrust `1 - T` (adds to `x`).",
        json_schema_extra={
            "source": "assumption for the value: with `lapse_base`, 14% a year at trust 0.8, "
            "24% at 0.45, 31% at 0.2 (Reichheld 1996: 10-30% a year); trust and commitment "
            "lower the propensity to leave (Morgan & Hunt 1994) for the direction."
        },
    )
    lapse_recency: float = Field(
        0.0002,
        ge=0.0,
        le=1.0,
        description="Rise of the daily lapse rate per day since the brand last gave the "
        "customer value (adds `lapse_recency * days` to `x`).",
        json_schema_extra={
            "source": "assumption for the value: by this term alone, a customer who gets "
            "nothing from the brand for t days has lapsed with probability 1 - exp(-0.0001 "
            "t^2): 9% after 30 days, 30% after 60, 56% after 90. The probability that a "
            "customer is still 'alive' falls with the time since the last transaction "
            "(Schmittlein, Morrison & Colombo 1987) for the form."
        },
    )
    lapse_value_dose: float = Field(
        0.5,
        gt=0.0,
        le=100.0,
        description="Relevance-weighted serve items `S * r` a customer must attend in a day "
        "for the day to count as one on which the brand gave value (an answered problem "
        "or a purchase always counts).",
        json_schema_extra={
            "source": "assumption: about half a relevant serve post, so one attended item of "
            "a balanced brand (sell share 0.3) is value to an in-segment customer and one "
            "of a hard seller (0.9) is not."
        },
    )
    lapse_unanswered: float = Field(
        0.3,
        ge=0.0,
        le=100.0,
        description="Lapse rate added on a day the customer's problem goes unanswered (adds to "
        "`x`: alone, a daily lapse probability of sat(0.3) = 23%).",
        json_schema_extra={
            "source": "assumption for the value; failed responses to service failures are one "
            "of the eight categories of reasons customers give for switching (Keaveney "
            "1995)."
        },
    )
