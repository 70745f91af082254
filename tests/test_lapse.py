"""Customers lapse (odd.md 7.10): the lapse equation user by user, win-backs, and the
purchase rule of lapsed customers."""

from __future__ import annotations

import numpy as np
import pytest

from socialsim.rules import lapse, purchase
from test_rules import Uniforms, empty_day, make_state


def test_lapse_follows_its_equation_and_purchases_win_customers_back():
    """Users 0-4 are customers: 0 got value today (a relevant serve item), 1 had a problem
    answered, 2 bought again while lapsed (won back), 3 heard nothing for 40 days and had a
    problem unanswered, 4 is lapsed and stays so; user 5 buys for the first time."""
    cfg, s = make_state(n=6)
    r = cfg.rules.model_copy(update={"lapse_recency": 0.01, "lapse_distrust": 0.1})
    s.purchases[:5, 0] = 1
    s.lapsed[[2, 4], 0] = True
    s.active = np.array([0, 1, 3])
    s.trust[:, 0] = [0.9, 0.5, 0.4, 0.2, 0.3, 0.6]
    s.last_value[:, 0] = 60
    s.relevance[:] = 1.0
    shape = s.trust.shape
    serve = np.zeros(shape)
    serve[0, 0], serve[3, 0] = 0.6, 0.4  # user 3 gets less than lapse_value_dose (0.5)
    flags = {k: np.zeros(shape, dtype=bool) for k in ("answered", "unanswered", "new", "rep")}
    flags["answered"][1], flags["unanswered"][3], flags["rep"][2], flags["new"][5] = 1, 1, 1, 1
    day = empty_day(shape, serve_dose=serve, answered=flags["answered"])
    day.unanswered, day.bought_new, day.bought_repeat = (
        flags["unanswered"],
        flags["new"],
        flags["rep"],
    )
    s.purchases[5, 0] += 1  # buy() counts the purchase before the lapse rule runs
    lapse.update(s, day, r, 100, Uniforms([0.99, 0.99, 0.0, 0.99, 0.99]))
    assert list(day.winbacks) == [2] and list(day.lapses) == [2]  # won back, then lapsed
    assert list(s.active) == [0, 1, 3, 5] and list(np.flatnonzero(s.lapsed)) == [2, 4]
    assert list(s.last_value[:, 0]) == [100, 100, 100, 60, 60, 100]
    # h = sat(base + recency * days since value + unanswered + distrust * (1 - T))
    expected = [r.lapse_base + 0.1 * (1 - t) for t in (0.9, 0.5, 0.4)]
    expected.insert(3, r.lapse_base + 0.01 * 40 + r.lapse_unanswered + 0.1 * 0.8)
    expected.append(r.lapse_base + 0.1 * 0.4)
    active = np.array([0, 1, 2, 3, 5])
    h = lapse.lapse_probability(s, day, r, 100, active)
    assert h == pytest.approx([x / (1 + x) for x in expected])


def test_lapsed_customers_buy_only_when_persuaded():
    cfg, s = make_state(n=3)
    s.aware[:] = True
    s.purchases[:, 0] = [0, 1, 1]
    s.lapsed[2, 0] = True  # users: aware non-customer, active customer, lapsed customer
    r = cfg.rules
    pi = purchase.purchase_probability(s, r, trust_on=False, lapse_on=True)[:, 0]
    assert pi[0] == pytest.approx(r.base_conversion)
    assert pi[1] == pytest.approx(r.base_conversion * (1 + r.repeat_bonus)) and pi[2] == 0.0
    s.intent[:] = 1.0
    pi = purchase.purchase_probability(s, r, trust_on=False, lapse_on=True)[:, 0]
    assert pi[2] == pytest.approx(r.pitch_conversion)  # persuasion alone, no repeat bonus
    off = purchase.purchase_probability(s, r, trust_on=False)[:, 0]
    assert off[2] == off[1]  # with lapse off the flag is ignored
