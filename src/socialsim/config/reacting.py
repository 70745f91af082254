"""The ``[rules]`` coefficients of the reacting platform (``[mechanisms] platform_reacts``,
odd.md 7.15).

They are fields of :class:`~socialsim.config.RulesConfig` (a mixin, so that the oversized
``config/rules.py`` and ``config/sections.py`` do not grow). Two groups: the platform's
supply of ad slots (``ad_*``: how the ad load follows the brands' demand for paid reach)
and the users' response to the ad load (``time_*``, ``skeptic_time``, ``leave_threshold``:
time on the platform, calibrated on the Pandora ad-load field experiment). They act only
when ``mechanisms.platform_reacts`` is true, which it is not by default.
"""

from __future__ import annotations

from pydantic import Field

from .sections import _Section

PANDORA = (
    "Huang, Reiley & Riabov (2018) and Goli, Huang, Reiley & Riabov (2025): a 21-month field "
    "experiment on about 35M Pandora listeners randomised to 3-12 ads an hour"
)


class ReactingRules(_Section):
    """The platform's ad supply and the users' time on the platform (``rules/reacting.py``)."""

    ad_supply: float = Field(
        0.1,
        ge=0.0,
        le=10.0,
        description="Ad load the platform adds per paid impression the brands buy per active "
        "user and day: its target load is `c* = max(c0, min(ad_load_max, c0 + ad_supply * "
        "D / A))`, `c0 = platform.commercialization`, `D` today's planned paid impressions "
        "of all brands, `A` the users' summed time on the platform.",
        json_schema_extra={
            "source": "assumption: one paid impression per user and day adds 0.1 to the ad "
            "load, about one slot of a user's 12-item daily budget (`users.attention`): the "
            "platform sells about one extra ad slot per impression demanded (supply follows "
            "demand one for one). 0 holds the ad load at `c0`."
        },
    )
    ad_adjust: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="Share of the gap to its target load `c*` the platform closes each day: "
        "`c <- c + ad_adjust * (c* - c)`.",
        json_schema_extra={
            "source": "assumption: a time constant of 20 days (the platform changes its ad "
            "load within a month of a change in demand)."
        },
    )
    ad_load_max: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="Largest ad load the platform sells in response to demand (a cap on "
        "`c*`; it never sells less than `c0`).",
        json_schema_extra={
            "source": "assumption: at most half the feed (15 ads an hour at "
            "`feed_items_per_hour` = 30), above the 12 an hour of the Pandora experiment's "
            "heaviest arm."
        },
    )
    feed_items_per_hour: float = Field(
        30.0,
        gt=0.0,
        le=1000.0,
        description="Feed items a user sees per hour on the platform: the ad load `c` means "
        "`a = c * feed_items_per_hour` ads an hour, the unit of the users' response.",
        json_schema_extra={
            "source": "assumption: maps the default ad load 0.2 to 6 ads an hour, and the "
            "3-12 ads an hour of the Pandora experiment to ad loads 0.1-0.4 (an audio ad "
            "and a feed ad are taken as equal interruptions)."
        },
    )
    ads_reference: float = Field(
        6.0,
        ge=0.0,
        le=1000.0,
        description="Ads an hour at which users keep their baseline time (`h* = 1`); time "
        "falls with the ads an hour above it and does not rise below it.",
        json_schema_extra={
            "source": "assumption: the default ad load (0.2 x 30 = 6 ads an hour), at which "
            "the attention budgets (`users.attention`) are taken to be observed."
        },
    )
    time_sensitivity: float = Field(
        0.0163,
        ge=0.0,
        le=1.0,
        description="Long-run fall in a user's time on the platform per additional ad an "
        "hour at average sensitivity: `h* = max(0, 1 - time_sensitivity * m * max(0, a - "
        "ads_reference))`, `m = max(0, 1 + skeptic_time * (s - s0))`.",
        json_schema_extra={
            "source": f"calibrated: {PANDORA}, found hours listened falling about 2% per "
            "additional ad an hour (active days 1.9%), linearly over 3-12 ads an hour, "
            "measured after 21 months. 0.0163 gives that 2% as the model's decline at day "
            "640, once scepticism has drifted up with the ad load "
            "(`platform.skepticism_drift`) and made users more sensitive "
            "(experiments/ad_load_response.py; results/README.md)."
        },
    )
    time_adjust: float = Field(
        0.017,
        ge=0.0,
        le=1.0,
        description="Share of the gap to the long-run time `h*` a user closes each day: `h "
        "<- h + time_adjust * (h* - h)`.",
        json_schema_extra={
            "source": f"calibrated: {PANDORA}, found the long-run effect about 3 times the "
            "one-month effect. Alone, exponential adjustment at 0.0134 a day gives that "
            "ratio (1 - 0.9866^30 = 1/3); 0.017 (a time constant of 58 days) gives it with "
            "the drift of scepticism, which adds about a fifth to the long-run effect "
            "(experiments/ad_load_response.py; results/README.md)."
        },
    )
    skeptic_time: float = Field(
        1.0,
        ge=0.0,
        le=10.0,
        description="Extra sensitivity of sceptical users: a user's sensitivity is "
        "`time_sensitivity * max(0, 1 + skeptic_time * (s - s0))`, `s` today's scepticism, "
        "`s0` the population's mean scepticism at day 0.",
        json_schema_extra={
            "source": "assumption for the value (a user of scepticism 0.9 is 1.5 times as "
            "sensitive as the average one at 0.4); the direction from persuasion knowledge "
            "(Friestad & Wright 1994): users who recognise and resent persuasion avoid it."
        },
    )
    leave_threshold: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A user whose time on the platform falls below this share of the "
        "baseline leaves it for good (time 0: no brand items, no spare attention).",
        json_schema_extra={
            "source": "assumption: a user who would spend less than half their former time "
            "gives up the platform; 0 means nobody leaves. Pandora's active days fell about "
            "as much as hours (1.9% vs 2% per ad an hour), so much of the response is in "
            "whether users come at all."
        },
    )
