"""Part of ``[rules]``: the coefficients of what a brand's items do to a user (odd.md 7.3,
7.4, 7.6): content and relevance, the favour bank, persuasion and purchases. Their fields
come first in :class:`~socialsim.config.rules.CoreRules`."""

from __future__ import annotations

from pydantic import Field

from .sections import _Section


class InfluenceRules(_Section):
    """Coefficients of content and relevance, the favour bank, persuasion and purchases."""

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
        description="Revenue per purchase in money units (the margin of a sale).",
        json_schema_extra={
            "source": "technical: normalisation (revenue in purchase units); "
            "experiments/budget.toml uses a margin of 40."
        },
    )
