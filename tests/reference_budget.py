"""Reference budgets (docking spec of ``rules/budget.py``): one brand at a time, in scalars.

A split ``(paid, content, support)`` of money ``M`` sets the brand's paid reach, posts and
support capacity to ``M * share / price``; each day a plan that costs more than ``M`` has
its posts and paid reach scaled to what is left after the support team (which itself
shrinks to ``M / cost_per_agent`` when it alone costs more).
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


def spend_within(config: Any, plan: Plan, rules: Any, on: bool) -> tuple[Plan, float]:
    """Today's plan and support capacity, scaled down to the brand's money if need be."""
    capacity = config.support_capacity
    if not on or config.budget is None:
        return plan, capacity
    money = config.budget.money
    cost = (
        plan.posts_per_day * rules.cost_per_post
        + plan.paid_reach * rules.cost_per_paid
        + capacity * rules.cost_per_agent
    )
    if cost <= money * (1.0 + 1e-12):
        return plan, capacity
    if rules.cost_per_agent > 0:
        capacity = min(capacity, money / rules.cost_per_agent)
    flexible = plan.posts_per_day * rules.cost_per_post + plan.paid_reach * rules.cost_per_paid
    scale = min(1.0, max(0.0, money - capacity * rules.cost_per_agent) / max(flexible, 1e-300))
    if math.isclose(scale, 1.0):
        return plan, capacity
    return (
        dataclasses.replace(
            plan,
            posts_per_day=plan.posts_per_day * scale,
            paid_reach=plan.paid_reach * scale,
            paid_posts=plan.paid_posts * scale,
        ),
        capacity,
    )
