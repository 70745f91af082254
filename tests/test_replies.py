"""Public replies to complaints (``[mechanisms] replies``, rules/replies.py, odd.md 7.11):
exact rule tests on hand-set states, and the switch."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from socialsim import load_config, simulate
from socialsim.graphs import adjacency
from socialsim.rules import Day, Plans, replies
from socialsim.state import REASONS, init_state

from conftest import small


def setup(tone: str, capacity: float, complainers: list[int], n: int = 8):
    """A star (user 0 and its friends 1..n-1) plus a friend-of-friend edge 1-2; one brand;
    ``complainers`` sent negative WOM today (messages counted as wom.spread does)."""
    cfg = load_config({"brands": [{"name": "b"}], "mechanisms": {"replies": True}})
    G = nx.star_graph(n - 1)
    G.add_edge(1, 2)
    A = adjacency(G)
    state = init_state(cfg, A, np.random.default_rng(0))
    state.irritation[:] = 2.0
    state.irritation_by_reason[:, :, REASONS.index("service")] = 2.0
    state.trust[:] = 0.5
    neg = np.zeros((n, 1), dtype=bool)
    neg[complainers, 0] = True
    received = (A @ neg[:, 0].astype(float))[:, None]
    day = Day()
    day.record("neg_sender", neg, np.flatnonzero(neg))
    day.wom_neg = received
    plans = Plans(
        posts_per_day=np.ones(1),
        sell_share=np.zeros(1),
        serve_mix=np.array([[0.2, 0.5, 0.3]]),
        paid_reach=np.zeros(1),
        paid_posts=np.zeros(1),
        targeting=np.ones(1),
        support_capacity=np.ones(1),
        disclosed=np.ones(1, dtype=bool),
        reply_capacity=np.array([capacity]),
        reply_tone=replies.tone_codes([tone]),
    )
    return cfg.rules, state, day, plans, received.copy(), A


def test_respectful_reply_calms_the_complainer_and_the_friends_who_saw_it():
    rules, s, day, plans, received, _ = setup("respectful", 5.0, [1, 3])
    replies.reply(s, day, plans, rules, True, True, np.random.default_rng(1))
    assert day.replied.tolist() == [1, 3]  # capacity above demand: every complainer
    keep = 1.0 - rules.reply_relief
    assert s.irritation[[1, 3], 0] == pytest.approx(2.0 * keep)
    assert s.irritation_by_reason[1, 0, REASONS.index("service")] == pytest.approx(2.0 * keep)
    assert s.irritation[[0, 2, 4], 0] == pytest.approx(2.0)  # others unchanged
    assert s.trust[[1, 3], 0] == pytest.approx(0.5 + rules.reply_trust_recovery * 0.5)
    assert s.trust[0, 0] == 0.5
    # user 0 heard both complaints, user 2 heard user 1's: each weighs 1 - calm
    w = 1.0 - rules.reply_calm
    assert day.wom_neg[0, 0] == pytest.approx(2 * w)
    assert day.wom_neg[2, 0] == pytest.approx(w)
    assert day.wom_neg[4, 0] == 0.0
    assert np.array_equal(day.wom_neg_messages, received)  # the message counts are kept


def test_defensive_reply_provokes_the_complainer_and_fuels_the_complaint():
    rules, s, day, plans, _, _ = setup("defensive", 5.0, [1])
    replies.reply(s, day, plans, rules, True, True, np.random.default_rng(1))
    assert s.irritation[1, 0] == pytest.approx(2.0 + rules.reply_defensive_irritation)
    assert s.trust[1, 0] == 0.5  # no recovery
    assert day.wom_neg[[0, 2], 0] == pytest.approx(1.0 + rules.reply_fuel)
    # with backlash off, irritation is left alone
    rules, s, day, plans, _, _ = setup("defensive", 5.0, [1])
    replies.reply(s, day, plans, rules, True, False, np.random.default_rng(1))
    assert s.irritation[1, 0] == 2.0


def test_replies_are_capped_at_capacity_and_none_replies_to_nobody():
    complainers = [1, 2, 3, 4, 5]
    rules, s, day, plans, received, _ = setup("respectful", 2.0, complainers)
    replies.reply(s, day, plans, rules, True, True, np.random.default_rng(2))
    assert day.replied.size == 2 and set(day.replied) <= set(complainers)
    # a fractional capacity is rounded stochastically: 2.5 gives 2 or 3, 3 half the time
    sizes = []
    for seed in range(400):
        rules, s, day, plans, _, _ = setup("respectful", 2.5, complainers)
        replies.reply(s, day, plans, rules, True, True, np.random.default_rng(seed))
        sizes.append(day.replied.size)
    assert set(sizes) == {2, 3} and 0.42 < np.mean(np.array(sizes) == 3) < 0.58
    rules, s, day, plans, received, _ = setup("none", 5.0, complainers)
    replies.reply(s, day, plans, rules, True, True, np.random.default_rng(2))
    assert day.replied.size == 0 and np.array_equal(day.wom_neg, received)
    assert (s.irritation == 2.0).all() and (s.trust == 0.5).all()


def test_replies_switch_off_or_tone_none_changes_nothing():
    """The switch off ignores the reply plan; the switch on with tone 'none' draws nothing
    and gives the same results as the switch off (plus zero replies)."""
    base = small(steps=40, seed=3)
    base["brands"] = [{"support_capacity": 0.5, "sell_share": 0.6}]
    off = simulate(base)
    plan = {**base, "brands": [{**base["brands"][0], "reply_tone": "defensive"}]}
    assert off.equals(simulate(plan))  # switch off: the reply plan does nothing
    none = simulate(
        {
            **base,
            "mechanisms": {"replies": True},
            "brands": [{**base["brands"][0], "reply_tone": "none"}],
        }
    )
    pd.testing.assert_frame_equal(off, none)
    assert (off["replies"] == 0).all() and (
        off["negative_wom_weighted"] == off["negative_wom"]
    ).all()
    on = simulate(
        {
            **base,
            "mechanisms": {"replies": True},
            "brands": [{**base["brands"][0], "reply_capacity": 3.0}],
        }
    )
    assert on["replies"].sum() > 0
    assert (on["replies"] <= on["complaints"]).all() and (on["replies"] <= 3).all()
