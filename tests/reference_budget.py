"""Reference budgets (docking spec of ``rules/budget.py``): one brand at a time, in scalars.

A split ``(paid, content, support)`` of money ``M`` sets the brand's paid reach, posts and
support capacity to ``M * share / price``; each day a plan that costs more than ``M`` has
its posts and paid reach scaled to what is left after the team (support capacity and, with
public replies on, reply capacity; both shrink in proportion when the team alone costs
more).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from socialsim.strategies import Plan

SPLIT = (("paid_reach", "paid", "cost_per_paid"), ("posts_per_day", "content", "cost_per_post"))


def budget_config(config: Any, rules: Any, on: bool) -> Any:
    """The brand config with the plan values its budget split sets (unchanged without)."""
    budget = config.budget
    if not on or budget is None or budget.paid is None:
        return config
    update = {}
    for field, use, price in (*SPLIT, ("support_capacity", "support", "cost_per_agent")):
        money = budget.money * getattr(budget, use)
        update[field] = 0.0 if money == 0 else money / getattr(rules, price)
    return config.model_copy(update=update)


def reply_team(config: Any, replies_on: bool) -> float:
    """The brand's reply capacity that costs money: with replies on and a tone but none."""
    return config.reply_capacity if replies_on and config.reply_tone != "none" else 0.0


def spend_within(
    config: Any, plan: Plan, rules: Any, on: bool, replies_on: bool = False
) -> tuple[Plan, float, float]:
    """Today's plan, support capacity and reply capacity, scaled down to the brand's money
    if need be: the team (support, replies) first, shrinking in proportion only when it
    alone costs more than the money; then posts and paid reach."""
    capacity, replies = config.support_capacity, config.reply_capacity
    if not on or config.budget is None:
        return plan, capacity, replies
    money = config.budget.money
    paid_replies = reply_team(config, replies_on)
    team = capacity * rules.cost_per_agent + paid_replies * rules.cost_per_reply
    flexible = plan.posts_per_day * rules.cost_per_post + plan.paid_reach * rules.cost_per_paid
    if team + flexible <= money * (1.0 + 1e-12):
        return plan, capacity, replies
    if team > money:
        capacity, replies = capacity * money / team, replies * money / team
        team = money
    scale = min(1.0, max(0.0, money - team) / max(flexible, 1e-300))
    if math.isclose(scale, 1.0):
        return plan, capacity, replies
    return (
        dataclasses.replace(
            plan,
            posts_per_day=plan.posts_per_day * scale,
            paid_reach=plan.paid_reach * scale,
            paid_posts=plan.paid_posts * scale,
        ),
        capacity,
        replies,
    )
