"""Support: users raise problems; each brand answers up to its daily capacity.

Customers raise problems at ``problem_rate_customer`` a day, other aware users at
``problem_rate_aware``. When more problems arrive than a brand can answer, a random subset
of ``support_capacity`` is answered. Answered problems raise trust and deposit favour;
unanswered ones lower trust, irritate and lead to complaints.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State
from .day import Day, Plans


def raise_and_answer(
    state: State, day: Day, plans: Plans, rules: RulesConfig, rng: np.random.Generator
) -> None:
    """Draw today's problems and answer them up to capacity (capacity is rounded stochastically)."""
    customer = state.purchases > 0
    rate = np.where(customer, rules.problem_rate_customer, rules.problem_rate_aware * state.aware)
    problems = rng.random(rate.shape) < rate
    answered = np.zeros_like(problems)
    for b in range(problems.shape[1]):
        idx = np.flatnonzero(problems[:, b])
        cap = plans.support_capacity[b]
        cap = int(cap) + int(rng.random() < cap - int(cap))
        if idx.size > cap:
            idx = rng.choice(idx, size=cap, replace=False)
        answered[idx, b] = True
    day.problems = problems
    day.answered = answered
    day.unanswered = problems & ~answered
