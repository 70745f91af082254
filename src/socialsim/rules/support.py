"""Support: users raise problems; each brand answers up to its daily capacity.

Customers raise problems at ``problem_rate_customer`` a day, other aware users at
``problem_rate_aware``. When more problems arrive than a brand can answer, a random subset
of ``support_capacity`` is answered. Answered problems raise trust and deposit favour;
unanswered ones lower trust, irritate and lead to complaints.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State, flat_view
from . import community
from .day import Day, Plans, full_bool, up_to_capacity
from .indices import remove_sorted


def raise_and_answer(
    state: State,
    day: Day,
    plans: Plans,
    rules: RulesConfig,
    rng: np.random.Generator,
    peer_rng: np.random.Generator | None = None,
) -> None:
    """Draw today's problems and answer them up to capacity (capacity is rounded stochastically).

    Each customer raises a problem with probability ``problem_rate_customer``, each other
    aware user with ``problem_rate_aware``. With ``peer_rng`` (brand communities on), other
    members first answer some of the members' problems (:func:`community.peer_answers`,
    ``day.peer_answered``): those count as answered and do not reach the brand's queue.
    """
    n, B = state.purchases.shape
    u = rng.random(n * B)  # one uniform per (user, brand), as if all drew: aligned streams
    problems = raised(state, u, rules)
    queue, helped = problems, []
    if peer_rng is not None:
        day.peer_answered = community.peer_answers(state, problems, rules, peer_rng)
        queue, helped = remove_sorted(problems, day.peer_answered), [day.peer_answered]
    answered, unanswered = answer(problems, queue, helped, plans.support_capacity, rng)
    day.record("problems", full_bool((n, B), problems), problems)
    day.record("answered", full_bool((n, B), answered), answered)
    day.record("unanswered", full_bool((n, B), unanswered), unanswered)


def answer(
    problems: np.ndarray,
    queue: np.ndarray,
    helped: list[np.ndarray],
    capacity: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Each brand b answers up to ``capacity[b]`` of its problems in ``queue`` (the
    ``problems`` not already answered, ``helped``; sorted flat indices, B brands): returns
    the answered and the unanswered problems, sorted flat indices, i.e.
    ``answered = np.sort(np.concatenate(helped + [each brand's answers]))`` and
    ``remove_sorted(problems, answered)``. When every brand answers its whole queue
    (capacity above demand) these are ``problems`` (a copy) and none, without the sort."""
    B = capacity.size
    answered = list(helped)
    if B == 1:  # the queue's flat indices are the users
        idx = up_to_capacity(queue, capacity[0], rng)
        whole = idx is queue
        answered.append(idx)
    else:
        rows, cols = queue // B, queue % B
        whole = True
        for b in range(B):
            mine = rows[cols == b]
            idx = up_to_capacity(mine, capacity[b], rng)
            whole = whole and idx is mine
            answered.append(idx * B + b)
    if whole:
        return problems.copy(), problems[:0].copy()
    answered = np.sort(np.concatenate(answered))
    return answered, remove_sorted(problems, answered)


def raised(state: State, u: np.ndarray, rules: RulesConfig) -> np.ndarray:
    """Flat indices (sorted) of today's problems, given one uniform ``u`` per (user, brand):
    ``flatnonzero(aware & (u < rate))`` with ``rate`` = ``problem_rate_customer`` for customers
    (who are aware: only aware users buy), else ``problem_rate_aware``. Only the uniforms
    below the larger rate can raise one: the others are never looked at."""
    rate_customer, rate_aware = rules.problem_rate_customer, rules.problem_rate_aware
    at = np.flatnonzero(u < max(rate_customer, rate_aware))
    at = at[flat_view(state.aware)[at]]
    customer = flat_view(state.purchases)[at] > 0
    return at[u[at] < np.where(customer, rate_customer, rate_aware)]
