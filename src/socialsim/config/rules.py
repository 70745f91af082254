"""The ``[rules]`` section: coefficients of the agent rules, with their meanings and sources."""

from __future__ import annotations

from pydantic import Field

from .community import CommunityRules
from .influence import InfluenceRules
from .lapse import LapseRules
from .platforms import PlatformRules
from .reacting import ReactingRules
from .replies import RepliesRules
from .shares import SharesRules


class CoreRules(InfluenceRules):
    """Coefficients of the submodels that are on by default (odd.md 7.1-7.9)."""

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
        description="Cost of one post in money units (the team's hours for one post times "
        "their wage): the metric `cost`, and what a brand's budget pays per post.",
        json_schema_extra={
            "source": "technical: accounting unit (1 = the revenue of one purchase at the "
            "default price); experiments/budget.toml uses 50 (about 1.5 team hours at 33 an "
            "hour) with a margin of 40 a purchase."
        },
    )
    cost_per_paid: float = Field(
        0.01,
        ge=0.0,
        description="Cost of one paid impression in money units: the metric `cost`, and what "
        "a brand's budget pays per paid impression.",
        json_schema_extra={
            "source": "assumption: accounting value relative to one post; "
            "experiments/budget.toml uses 0.008 (a cost per thousand impressions of 8)."
        },
    )
    cost_per_agent: float = Field(
        0.5,
        ge=0.0,
        description="Daily cost per unit of support capacity (one problem answered a day) in "
        "money units: the metric `cost`, and what a brand's budget pays per unit.",
        json_schema_extra={
            "source": "assumption: accounting value relative to one post; "
            "experiments/budget.toml uses 5 (about 10 minutes of an agent's time at 30 an "
            "hour)."
        },
    )


class RulesConfig(
    PlatformRules, ReactingRules, SharesRules, CommunityRules, RepliesRules, LapseRules, CoreRules
):
    """Coefficients of the agent rules (odd.md section 7): :class:`CoreRules`, then the
    lapse coefficients of :class:`~socialsim.config.lapse.LapseRules`, the reply
    coefficients of :class:`~socialsim.config.replies.RepliesRules`, the community
    coefficients of :class:`~socialsim.config.community.CommunityRules`, the share
    coefficients of :class:`~socialsim.config.shares.SharesRules`, the reacting
    platform's of :class:`~socialsim.config.reacting.ReactingRules` and the platform norms'
    of :class:`~socialsim.config.platforms.PlatformRules` (in this field order).

    Each field's ``description`` gives its meaning and ``json_schema_extra["source"]`` its
    source or rationale; docs/parameters.md is generated from them (``python -m
    socialsim.paramdoc``).
    """
