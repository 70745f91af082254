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
exceeds ``M``, the team is paid first (support capacity at ``cost_per_agent`` and, with
public replies on, reply capacity at ``cost_per_reply``; both shrink in proportion only when
the team alone costs more than ``M``), and posts and paid reach are scaled by
``max(0, M - team cost) / (posts cost + paid cost)``. With ``[[platforms]]`` the posts are
the brand's posts summed over its platforms (``platforms.plan_day``, run before the cap) and
the same factor scales its posts on every platform (and its paid reach, which is spread over
its platforms by its posts there). Revenue is ``price`` per purchase;
the metrics ``revenue`` and ``cost`` and the outcome ``roi`` are in the same money units.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from .day import Plans


def reply_team(plans: Plans, replies_on: bool) -> np.ndarray:
    """Each brand's reply capacity that costs money today (B,): its ``reply_capacity`` when
    public replies are on and its tone is not ``none``, else 0."""
    if not replies_on or plans.reply_capacity is None:
        return np.zeros(plans.posts_per_day.shape)
    return np.where(plans.reply_tone != 0, plans.reply_capacity, 0.0)


def daily_cost(plans: Plans, rules: RulesConfig, replies_on: bool = False) -> np.ndarray:
    """Planned cost of each brand's day (B,): posts, paid impressions, support capacity and
    (with public replies on) reply capacity."""
    cost = (
        plans.posts_per_day * rules.cost_per_post
        + plans.paid_reach * rules.cost_per_paid
        + plans.support_capacity * rules.cost_per_agent
    )
    if replies_on:
        cost = cost + reply_team(plans, True) * rules.cost_per_reply
    return cost


def spend_within(
    plans: Plans, money: np.ndarray, rules: RulesConfig, replies_on: bool = False
) -> None:
    """Scale each brand's posts and paid reach down so that its day costs at most ``money``
    (B,; ``inf`` for brands without a budget); the team (support and, with replies on,
    reply capacity) is paid first, and shrinks in proportion only when it alone costs more."""
    over = daily_cost(plans, rules, replies_on) > money * (1.0 + 1e-12)
    if not over.any():
        return
    replies = reply_team(plans, replies_on)
    team = plans.support_capacity * rules.cost_per_agent + replies * rules.cost_per_reply
    shrink = np.where(team > money, money / np.maximum(team, 1e-300), 1.0)
    if (shrink < 1.0).any():  # new arrays: the capacities are the model's own
        plans.support_capacity = plans.support_capacity * shrink
        if replies_on:
            plans.reply_capacity = plans.reply_capacity * shrink
        team = team * shrink
    flexible = plans.posts_per_day * rules.cost_per_post + plans.paid_reach * rules.cost_per_paid
    scale = np.where(over, np.maximum(money - team, 0.0) / np.maximum(flexible, 1e-300), 1.0).clip(
        0.0, 1.0
    )
    plans.posts_per_day = plans.posts_per_day * scale
    plans.paid_reach = plans.paid_reach * scale
    plans.paid_posts = plans.paid_posts * scale
    if plans.platform_posts is not None:  # [[platforms]]: every platform by the same factor
        plans.platform_posts = plans.platform_posts * scale[:, None]
