"""Unit tests of the rules, one submodel at a time, on small hand-set states."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from socialsim import SocialModel, load_config, simulate
from socialsim.graphs import adjacency
from socialsim.rules import Day, Plans, attention, favor, follow, purchase, trust, wom
from socialsim.state import init_state

from conftest import small


def make_state(n=6, brands=1, seed=0, **users):
    cfg = load_config({"users": users, "brands": [{"name": f"b{i}"} for i in range(brands)]})
    G = nx.path_graph(n)
    return cfg, init_state(cfg, adjacency(G), np.random.default_rng(seed))


def plans(sell=0.5, B=1, disclosed=True, mix=(0.2, 0.5, 0.3)):
    return Plans(
        posts_per_day=np.full(B, 2.0),
        sell_share=np.full(B, sell),
        serve_mix=np.tile(np.array(mix), (B, 1)),
        paid_reach=np.zeros(B),
        paid_posts=np.zeros(B),
        targeting=np.full(B, 0.5),
        support_capacity=np.full(B, 10.0),
        disclosed=np.full(B, disclosed),
    )


def empty_day(shape, **fields):
    zeros = np.zeros(shape)
    day = Day(
        rows=np.arange(shape[0]),
        items=zeros,
        paid_items=zeros,
        attended=zeros,
        excess=zeros,
        pitch_dose=zeros,
        serve_dose=zeros,
        detected_today=zeros.astype(bool),
        answered=zeros.astype(bool),
        unanswered=zeros.astype(bool),
        wom_pos=zeros,
        wom_neg=zeros,
    )
    for key, value in fields.items():
        setattr(day, key, value)
    return day


# --- attention -------------------------------------------------------------------------
def test_friends_come_first_and_excess_items_are_not_attended():
    _, s = make_state(attention=10.0)
    s.attention[:] = 10.0
    s.friend_motive[:] = 0.8
    s.degree[:] = [1, 2, 2, 2, 2, 100]  # the last user's friends fill the reserve
    spare = attention.spare_attention(s, friend_posts=1.0, ad_factor=1.0)
    assert spare[0] == pytest.approx(9.0)  # 8 reserved, 1 used by the one friend
    assert spare[5] == pytest.approx(2.0)  # only the unreserved share is left
    day = empty_day(s.trust.shape, items=np.full(s.trust.shape, 5.0))
    attention.attend(s, day, plans(), spare)
    assert day.attended[5, 0] == pytest.approx(2.0) and day.excess[5, 0] == pytest.approx(3.0)
    assert day.excess[0, 0] == 0.0
    assert day.pitch_dose[5, 0] == pytest.approx(1.0)  # half of the attended items pitch


def test_too_frequent_rises_with_posts_per_day():
    """Rule 1: the share of followers shown more brand items than they will attend to rises
    with posts per day (3 seeds per level; levels far apart relative to the seed noise)."""
    shares = []
    for ppd in (1, 4, 12):
        runs = [
            simulate(
                small(
                    steps=60,
                    seed=s,
                    graph={"kind": "barabasi_albert", "n": 1000},
                    brands=[{"posts_per_day": ppd}],
                )
            )["too_frequent"].mean()
            for s in range(3)
        ]
        shares.append(np.mean(runs))
    assert all(b > a for a, b in itertools.pairwise(shares)), shares
    assert shares[-1] > 2 * shares[0], shares


def test_commercialization_shrinks_spare_attention_and_reach():
    from socialsim.config import PlatformConfig, RulesConfig
    from socialsim.rules import platform

    low, high = PlatformConfig(commercialization=0.0), PlatformConfig(commercialization=0.5)
    rules = RulesConfig()
    assert platform.attention_factor(high, rules) < platform.attention_factor(low, rules)
    assert platform.organic_reach(high) < platform.organic_reach(low)
    _, s = make_state()
    before = s.skepticism.copy()
    platform.drift_skepticism(s, high)
    assert np.all(s.skepticism >= before) and np.any(s.skepticism > before)


# --- favour bank -----------------------------------------------------------------------
def test_favor_decays_mostly_within_a_week():
    cfg, s = make_state()
    s.favor[:] = 1.0
    day = empty_day(s.trust.shape)
    for _ in range(7):
        favor.update_favor(s, day, plans(), cfg.rules)
    assert np.all(s.favor < 0.15) and np.all(s.favor > 0)  # Burger 1997: mostly gone


def test_reciprocity_roughly_doubles_response_with_a_large_balance():
    cfg, s = make_state()
    s.favor[:, 0] = [0.0, 0.5, 1.0, 3.0, 10.0, 100.0]
    day = empty_day(s.trust.shape)
    favor.update_favor(s, day, plans(), cfg.rules)
    r = day.reciprocity[:, 0]
    assert r[0] == pytest.approx(1.0)
    assert np.all(np.diff(r) > 0) and r[-1] == pytest.approx(1 + cfg.rules.reciprocity_gain, 0.01)


def test_overdraft_costs_grow_faster_than_depth():
    cfg, s = make_state()
    s.skepticism[:] = 0.5
    s.favor[:, 0] = [0.0, -1.0, -2.0, -4.0, 2.0, 0.0]
    pitches = np.array([[1.0], [1.0], [1.0], [1.0], [1.0], [0.0]])
    day = empty_day(s.trust.shape, pitch_dose=pitches)
    favor.update_favor(s, day, plans(), cfg.rules)
    cost = day.overdraft_cost[:, 0]
    assert cost[4] == 0.0 and cost[5] == 0.0  # in credit, or no pitch: no cost
    depth_ratio = cost[3] / cost[1]
    assert cost[1] < cost[2] < cost[3] and depth_ratio > 2.5  # superlinear in the overdraft


def test_sceptics_feel_a_bigger_ask():
    cfg, s = make_state()
    s.skepticism[:] = np.linspace(0, 1, 6)
    w = favor.withdrawal(s, cfg.rules)[:, 0]
    assert np.all(np.diff(w) > 0)


# --- purchase ----------------------------------------------------------------------------
def test_purchase_probability_rises_with_trust_intent_and_falls_with_irritation():
    cfg, s = make_state()
    s.aware[:] = True
    s.intent[:] = 1.0
    base = purchase.purchase_probability(s, cfg.rules, trust_on=True)[:, 0]
    s.trust += 0.2
    assert np.all(purchase.purchase_probability(s, cfg.rules, True)[:, 0] > base)
    s.trust -= 0.2
    s.irritation[:] = 2.0
    assert np.all(purchase.purchase_probability(s, cfg.rules, True)[:, 0] < base)
    s.aware[:] = False
    assert np.all(purchase.purchase_probability(s, cfg.rules, True) == 0)


def test_brands_compete_for_the_same_need():
    """A user buys at most once per need: a rival with the same appeal takes sales."""
    n = 20000
    cfg, s = make_state(n=n, brands=2)
    s.aware[:] = True
    s.intent[:] = 2.0  # strong recent persuasion for both brands
    rules = cfg.rules
    p = purchase.purchase_probability(s, rules, trust_on=False)[:, 0].mean()
    alone_share = p
    rng = np.random.default_rng(3)
    day = empty_day((n, 2))
    purchase.buy(s, day, need_rate=50.0, rules=rules, trust_on=False, rng=rng)
    bought = day.bought_new.sum(axis=0) / n
    assert bought.sum() <= 1.0 and np.all(day.bought_new.sum(axis=1) <= 1)
    # each brand gets about half of 1 - (1 - p)^2, less than the p it would get alone
    expected = (1 - (1 - p) ** 2) / 2
    assert bought == pytest.approx([expected, expected], abs=0.015)
    assert np.all(bought < alone_share - 0.05)


def test_customers_buy_again():
    df = simulate(small(steps=150))
    assert df["conversions_repeat"].sum() > 0


class Uniforms:
    """A stand-in random stream returning the given uniforms."""

    def __init__(self, u):
        self.u = np.asarray(u, dtype=float)

    def random(self, size):
        return self.u[:size]


# --- word of mouth and trust -----------------------------------------------------------------
def test_negative_word_of_mouth_weighs_more():
    cfg, s = make_state()
    s.trust[:] = 0.5
    s.aware[:] = False  # no social influence, only messages
    day = empty_day(s.trust.shape, wom_pos=np.ones(s.trust.shape), wom_neg=np.ones(s.trust.shape))
    trust.update_trust(s, day, cfg.rules)
    assert np.all(s.trust < 0.5)


def test_trust_is_pulled_towards_friends_and_sceptics_resist():
    cfg, s = make_state(n=6)
    s.aware[:] = True
    s.aware_friends[:] = s.adjacency @ s.aware.astype(float)
    s.trust[:, 0] = [0.9, 0.1, 0.9, 0.1, 0.9, 0.1]
    s.skepticism[:] = [0.0, 0.0, 0.0, 0.9, 0.0, 0.0]
    before = s.trust.copy()
    trust.update_trust(s, empty_day(s.trust.shape), cfg.rules)
    moved = s.trust[:, 0] - before[:, 0]
    assert moved[1] > 0 and moved[2] < 0  # towards the friends' mean
    assert abs(moved[3]) < abs(moved[1])  # the sceptic is more stubborn


def test_wom_reaches_friends_and_makes_them_aware():
    cfg, s = make_state(n=6)
    s.aware[:] = False
    s.aware[0, 0] = True
    s.purchases[0, 0] = 1
    s.trust[:] = 1.0
    rules = cfg.rules.model_copy(update={"advocacy_rate": 1.0, "wom_awareness": 1.0})
    z = np.zeros(s.trust.shape, dtype=bool)
    day = empty_day(s.trust.shape, bought_new=z, bought_repeat=z, overdraft_cost=0.0)
    wom.spread(s, day, rules, True, np.random.default_rng(0))
    assert day.wom_pos[1, 0] == 1 and day.wom_pos[2, 0] == 0  # only the friend hears
    assert s.aware[1, 0] and not s.aware[2, 0]
    assert s.aware_friends[2, 0] == 1  # user 2 now has an aware friend (user 1)


# --- follow / unfollow -----------------------------------------------------------------------
def test_irritated_followers_unfollow_and_do_not_come_back():
    cfg, s = make_state(n=6000)
    s.aware[:] = s.following[:] = True
    levels = np.array([0.0, 0.5, 5.0, 20.0, 50.0, 100.0])
    s.irritation[:, 0] = np.repeat(levels, 1000)
    day = empty_day(s.trust.shape, attended=np.ones(s.trust.shape))
    rng = np.random.default_rng(1)
    follow.follow_unfollow(s, day, cfg.rules, True, True, rng)
    rate = s.unfollowed[:, 0].reshape(6, 1000).mean(axis=1)
    assert rate[0] == 0 and rate[1] == 0  # below tolerance: stay
    expected = [x / (1 + x) for x in cfg.rules.unfollow_rate * (levels[2:] - 1.0)]
    assert rate[2:] == pytest.approx(expected, abs=0.05)
    follow.follow_unfollow(s, day, cfg.rules, True, True, rng)
    assert not np.any(s.following & s.unfollowed)  # no come-back


def test_paid_impressions_irritate_those_who_distrust_the_brand():
    cfg, s = make_state()
    s.trust[:, 0] = [0.9, 0.1, 0.5, 0.5, 0.5, 0.5]
    paid = np.zeros(s.trust.shape)
    paid[:2] = 1.0
    day = empty_day(s.trust.shape, paid_items=paid, overdraft_cost=np.zeros(s.trust.shape))
    follow.update_irritation(s, day, plans(), cfg.rules)
    assert s.irritation[1, 0] > s.irritation[0, 0] > 0


# --- strategies --------------------------------------------------------------------------
def test_adaptive_cuts_sell_share_when_complaints_rise():
    from socialsim.strategies import History, make_strategy

    cfg = load_config({"brands": [{"strategy": "adaptive", "sell_share": 0.6}]})
    strategy = make_strategy(cfg.brands[0])
    history = History()
    for day in range(14):
        history.append({"complaints": 1.0})
        strategy.plan(day, history)
    calm = strategy.plan(14, history).sell_share
    for day in range(15, 22):
        history.append({"complaints": 10.0})
        last = strategy.plan(day, history).sell_share
    assert calm == pytest.approx(0.6) and last < 0.5 * calm


def test_earn_then_ask_serves_before_it_asks():
    df = simulate(small(steps=30, brands=[{"strategy": "earn_then_ask", "sell_share": 0.8}]))
    assert df["sell_share"].iloc[0] == 0.0 and df["sell_share"].max() == pytest.approx(0.8)


def test_segment_skepticism_sets_segment_means():
    model = SocialModel(
        small(
            users={"segments": 2, "segment_skepticism": [0.1, 0.8]},
            graph={"kind": "erdos_renyi", "n": 2000, "p": 0.005},
        )
    )
    s = model.state
    assert s.skepticism[s.segment == 0].mean() == pytest.approx(0.1, abs=0.03)
    assert s.skepticism[s.segment == 1].mean() == pytest.approx(0.8, abs=0.03)


def test_targeting_raises_relevance_for_the_brand_segment():
    model = SocialModel(
        small(brands=[{"name": "a", "targeting": 0.0}, {"name": "b", "targeting": 1.0}])
    )
    s = model.state
    assert np.all(s.relevance[:, 1] >= s.relevance[:, 0])
    assert np.all(s.relevance[s.match[:, 1], 1] > s.relevance[s.match[:, 1], 0])


@pytest.mark.parametrize("brands", [1, 3])
def test_aware_shares_count_the_same_over_aware_users_only(brands):
    """Few aware users: the shares are counted over them only, with the same result."""
    from socialsim.metric_parts import _count, _masked_mean
    from socialsim.metrics import aware_shares, hostile

    cfg, s = make_state(n=400, brands=brands, seed=5)
    rng = np.random.default_rng(1)
    s.aware[:] = rng.random(s.aware.shape) < 0.05
    s.irritation[:] = rng.random(s.aware.shape) * 2
    s.favor[:] = rng.normal(size=s.aware.shape)
    aware = _count(s.aware)
    shares = aware_shares(s, cfg.rules, aware)
    assert 8 * aware.sum() < s.aware.size  # the sparse path
    dense = {
        "backlash": _masked_mean(hostile(s, cfg.rules), s.aware, aware),
        "share_overdrawn": _masked_mean(s.favor < 0, s.aware, aware),
        "share_in_credit": _masked_mean(s.favor > 0, s.aware, aware),
    }
    for key, value in dense.items():
        np.testing.assert_array_equal(shares[key], value)


@pytest.mark.parametrize("brands", [1, 3])
def test_make_aware_counts_each_newly_aware_user_once_for_its_friends(brands):
    """aware_friends[j, b] = number of j's friends aware of b, whatever the call: a mask over
    all users, a mask over sorted rows, unsorted rows, or flat indices with repeats."""
    cfg = load_config(
        {"graph": {"n": 80, "m": 3}, "brands": [{"name": f"b{i}"} for i in range(brands)]}
    )
    A = adjacency(nx.barabasi_albert_graph(80, 3, seed=4))
    rng = np.random.default_rng(9)
    mask = rng.random((80, brands)) < 0.3
    rows = np.flatnonzero(mask.any(axis=1))
    shuffled = rng.permutation(rows)
    flat = np.flatnonzero(mask)
    calls = {
        "all users": lambda s: s.make_aware(mask),
        "sorted rows": lambda s: s.make_aware(mask[rows], rows),
        "unsorted rows": lambda s: s.make_aware(mask[shuffled], shuffled),
        "repeats": lambda s: s.make_aware_at(np.concatenate([flat, flat[::-1]])),
    }
    for name, call in calls.items():
        s = init_state(cfg, A, np.random.default_rng(1))
        expected_aware = s.aware | mask
        call(s)
        assert (s.aware == expected_aware).all(), name
        expected = A @ s.aware.astype(float)
        assert np.array_equal(s.aware_friends, expected), name
