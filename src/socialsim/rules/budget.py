"""Budgets and team: a brand spends its money per day on paid reach, posts and support.

Prices (``[rules]``, in money units): ``cost_per_paid`` per paid impression,
``cost_per_post`` per post (the team's hours for one post times their wage) and
``cost_per_agent`` per problem the team can answer a day. A brand with budget ``M`` and a
split ``(a_paid, a_content, a_support)`` (shares summing to 1) plans

    paid_reach = M a_paid / cost_per_paid,   posts_per_day = M a_content / cost_per_post,
    support_capacity = M a_support / cost_per_agent

(``BudgetConfig.allocate``, applied when the model is built). Every day, whatever its
strategy plans, a brand with a budget spends within it: when the day's planned cost
``C = posts cost_per_post + paid_reach cost_per_paid + support_capacity cost_per_agent``
exceeds ``M``, the support team is paid first (and shrinks to ``M / cost_per_agent`` only
when it alone costs more), and posts and paid reach are scaled by
``max(0, M - support cost) / (posts cost + paid cost)``. Revenue is ``price`` per purchase;
the metrics ``revenue`` and ``cost`` and the outcome ``roi`` are in the same money units.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from .day import Plans


def daily_cost(plans: Plans, rules: RulesConfig) -> np.ndarray:
    """Planned cost of each brand's day (B,): posts, paid impressions and support capacity."""
    return (
        plans.posts_per_day * rules.cost_per_post
        + plans.paid_reach * rules.cost_per_paid
        + plans.support_capacity * rules.cost_per_agent
    )


def spend_within(plans: Plans, money: np.ndarray, rules: RulesConfig) -> None:
    """Scale each brand's posts and paid reach down so that its day costs at most ``money``
    (B,; ``inf`` for brands without a budget); support capacity is paid first."""
    over = daily_cost(plans, rules) > money * (1.0 + 1e-12)
    if not over.any():
        return
    if rules.cost_per_agent > 0:  # a team larger than the money shrinks too (a new array:
        # plans.support_capacity is the model's own)
        plans.support_capacity = np.minimum(plans.support_capacity, money / rules.cost_per_agent)
    support = plans.support_capacity * rules.cost_per_agent
    flexible = plans.posts_per_day * rules.cost_per_post + plans.paid_reach * rules.cost_per_paid
    scale = np.where(
        over, np.maximum(money - support, 0.0) / np.maximum(flexible, 1e-300), 1.0
    ).clip(0.0, 1.0)
    plans.posts_per_day = plans.posts_per_day * scale
    plans.paid_reach = plans.paid_reach * scale
    plans.paid_posts = plans.paid_posts * scale
