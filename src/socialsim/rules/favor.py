"""The favour bank (reciprocity), per user x brand.

Serving deposits, a pitch withdraws ``pitch_withdrawal * withdrawal_skepticism * scepticism``
(sceptics recognise the ask and feel it more: persuasion knowledge), and the balance decays
with a memory of ``favor_memory_days`` (default 3 days: ~10% left after a week, after Burger 1997).
A positive balance raises the response to a pitch by up to ``1 + reciprocity_gain``
(Regan 1971: a prior favour about doubled compliance). A pitch that leaves the balance
overdrawn costs trust and irritation with interest: ``pitches * depth * (1 + interest * depth)``.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State
from .day import Day, Plans, serve_weighted


def deposits(state: State, day: Day, plans: Plans, rules: RulesConfig) -> np.ndarray:
    """Favour deposited today by attended serve content, scaled by relevance (compact)."""
    value = np.array([rules.deposit_support, rules.deposit_useful, rules.deposit_deal])
    return serve_weighted(day, plans, value) * state.relevance[day.rows]


def withdrawal(state: State, rules: RulesConfig, rows: np.ndarray | None = None) -> np.ndarray:
    """Favour one pitch withdraws from each user (column): sceptics feel a bigger ask."""
    s = state.skepticism if rows is None else state.skepticism[rows]
    return (rules.pitch_withdrawal * rules.withdrawal_skepticism * s)[:, None]


def update_favor(state: State, day: Day, plans: Plans, rules: RulesConfig) -> None:
    """Decay, deposit, then withdraw for today's pitches; record reciprocity and overdraft."""
    state.favor *= np.exp(-1.0 / rules.favor_memory_days)
    rows = day.rows
    balance = state.favor[rows] + deposits(state, day, plans, rules)
    credit = np.maximum(balance, 0.0)
    ratio = (credit / rules.favor_half) ** rules.reciprocity_hill
    day.reciprocity = 1.0 + rules.reciprocity_gain * ratio / (1.0 + ratio)
    if day.pitch_norm is None:
        balance -= day.pitch_dose * withdrawal(state, rules, rows)
    else:  # several platforms: a pitch where selling is expected asks for less
        balance -= day.pitch_dose * withdrawal(state, rules, rows) * day.pitch_norm
    depth = np.maximum(-balance, 0.0)
    day.overdraft_cost = day.pitch_dose * depth * (1.0 + rules.overdraft_interest * depth)
    state.favor[rows] = balance


def deposit_answers(state: State, day: Day, rules: RulesConfig) -> None:
    """Answered support requests deposit favour."""
    favor = state.favor.reshape(-1)
    favor[day.where("answered")] += rules.deposit_answer
