"""Exact tests of the shares rule (``[mechanisms] shares``, odd.md 7.13) on hand-set states."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from socialsim import SocialModel, simulate
from socialsim.graphs import adjacency
from socialsim.metric_parts import share_metrics
from socialsim.rules import Day, attention, content, platform_items, platforms, shares
from socialsim.rules.day import CONTENT_TYPES
from test_rules import empty_day, make_state, plans

PITCH, USEFUL, DEAL, SUPPORT = range(4)


class Draws:
    """A stand-in random stream returning the given uniforms, one array per call."""

    def __init__(self, *arrays):
        self.arrays = [np.asarray(a, dtype=float) for a in arrays]

    def random(self, size):
        out = self.arrays.pop(0)
        assert out.size == np.prod(size), (out.size, size)
        return out.reshape(size)


def star_state():
    """User 0 with friends 1, 2, 3; user 4 is alone (a star plus an isolate)."""
    cfg, s = make_state(n=5)
    G = nx.star_graph(3)
    G.add_node(4)
    s.adjacency = adjacency(G)
    s.degree = np.array([3, 1, 1, 1, 0])
    return cfg, s


def test_share_probability_follows_its_equation_and_the_type_follows_the_doses():
    cfg, s = star_state()
    r = cfg.rules
    s.relevance[:, 0] = [0.8, 1.0, 1.0, 1.0, 0.5]
    s.trust[:, 0] = [0.6, 0.5, 0.5, 0.5, 0.2]
    dose = np.zeros((5, 1, 4))
    dose[0, 0] = [1.0, 2.0, 0.5, 0.0]  # user 0: a pitch, two useful items, half a deal
    dose[4, 0, PITCH] = 3.0
    day = empty_day(s.trust.shape, dose_by_type=dose)
    p = shares.share_probability(s, day, r)[:, 0]
    x0 = 0.8 * (r.engage_trust_offset + 0.6) * (r.share_pitch + 2 * r.share_useful)
    x0 += 0.8 * (r.engage_trust_offset + 0.6) * 0.5 * r.share_deal
    x4 = 0.5 * (r.engage_trust_offset + 0.2) * 3 * r.share_pitch
    assert p == pytest.approx([x0 / (1 + x0), 0, 0, 0, x4 / (1 + x4)])
    # user 0 shares (u = 0 < p); the type draw lands in the useful band: weights pitch
    # 0.002, useful 0.04, deal 0.005, so u * total = 0.5 * 0.047 falls in (0.002, 0.042]
    visible = [0.1, 0.9, 0.2]  # friends 1 and 3 see it (share_visibility 0.35)
    shares.share(s, day, r, Draws([0.0, 0.5, 0.5, 0.5, 0.99], [0.5], visible))
    assert list(s.share_flat) == [1, 3] and list(s.share_kind) == [USEFUL, USEFUL]
    assert day.shares_by_type[:, 0].tolist() == [0, 1, 0, 0]


def test_a_friend_sees_a_share_as_often_as_they_are_on_the_reacting_platform():
    """With the reacting platform a friend sees a share with probability share_visibility
    times their time on the platform: never once they have left it."""
    cfg, s = star_state()
    r = cfg.rules
    dose = np.zeros((5, 1, 4))
    dose[0, 0, USEFUL] = 1.0
    day = empty_day(s.trust.shape, dose_by_type=dose)
    time = np.array([1.0, 1.0, 0.5, 0.0, 1.0])  # friend 2 half the time, friend 3 left
    v = r.share_visibility
    visible = [0.9 * v, 0.6 * v, 0.0]  # each below share_visibility
    shares.share(s, day, r, Draws([0.0, 1, 1, 1, 1], [0.5], visible), time=time)
    assert list(s.share_flat) == [1]  # friend 2: 0.6 v > 0.5 v; friend 3: h = 0
    # several platforms: the time on the platform the item was shared on
    day = empty_day(s.trust.shape, dose_by_type=dose)
    s.present = np.ones((5, 2), dtype=bool)
    times = np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [1.0, 1.0]])
    on, posts = np.array([[True, False]]), np.array([[1.0, 0.0]])  # the brand on p0 only
    draws = Draws([0.0, 1, 1, 1, 1], [0.5], [0.0, 0.0, 0.0])
    shares.share(s, day, r, draws, (on, posts), times)
    assert list(s.share_flat) == [2, 3]  # friend 1 has left p0
    assert list(s.share_platform) == [0, 0]


def test_sharers_of_several_brands_reach_each_friend_with_the_brand_and_type():
    cfg, s = make_state(n=4, brands=2)
    s.adjacency = adjacency(nx.path_graph(4))  # 0-1-2-3
    dose = np.zeros((4, 2, 4))
    dose[1, 1, PITCH] = 1.0  # user 1 shares a pitch of brand 1
    dose[2, 0, SUPPORT] = 1.0  # user 2 shares a support item of brand 0
    day = empty_day(s.trust.shape, dose_by_type=dose)
    u = np.ones((4, 2))
    u[1, 1] = u[2, 0] = 0.0
    shares.share(s, day, cfg.rules, Draws(u, [0.5, 0.5], [0.0, 0.0, 0.0, 0.0]))
    # friends of 1 (0 and 2) get brand 1's pitch; friends of 2 (1 and 3) brand 0's support
    assert list(s.share_flat) == [0 * 2 + 1, 2 * 2 + 1, 1 * 2 + 0, 3 * 2 + 0]
    assert list(s.share_kind) == [PITCH, PITCH, SUPPORT, SUPPORT]
    assert day.shares_by_type[PITCH].tolist() == [0, 1]
    assert day.shares_by_type[SUPPORT].tolist() == [1, 0]


def test_shared_items_keep_their_type_and_reach_non_followers():
    """Shared items arrive as items of their own type next to the brand's own posts: a
    shared useful item is a useful dose even for a hard seller's follower, and a shared pitch
    a pitch dose; both count as organic reach beyond followers when the user does not follow."""
    cfg, s = make_state(n=4)
    s.following[:, 0] = [True, False, False, False]
    s.share_flat = np.array([1, 2, 2], dtype=np.int64)
    s.share_kind = np.array([USEFUL, PITCH, USEFUL], dtype=np.int8)
    pl = plans(sell=0.9)
    pl.paid_reach[:] = 0.0
    day = empty_day(s.trust.shape)
    attention.expose(s, day, pl, reach=0.0, rng=np.random.default_rng(0), shares_on=True)
    assert list(day.rows) == [1, 2] and s.share_flat.size == 0  # the queue is consumed
    assert day.shared_items[:, 0].tolist() == [[0, 1, 0, 0], [1, 1, 0, 0]]
    attention.attend(s, day, pl, spare=None)
    assert day.pitch_dose[:, 0].tolist() == [0.0, 1.0]
    assert day.serve_dose[:, 0].tolist() == [1.0, 1.0]
    assert day.dose_by_type[1, 0].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert s.aware[[1, 2], 0].all()  # attended shared items make the friends aware
    # engagement reads the typed doses
    content.engagements(s, day, pl, cfg.rules, np.random.default_rng(0), np.random.default_rng(1))
    factor = s.relevance[[1, 2], 0] * (cfg.rules.engage_trust_offset + s.trust[[1, 2], 0])
    r = cfg.rules
    expected = factor * np.array([r.engage_useful, r.engage_pitch + r.engage_useful])
    assert day.engage_rate[:, 0] == pytest.approx(expected)
    day.shares_by_type = np.zeros((4, 1), dtype=np.int64)
    out = share_metrics(day)
    assert out["share_reach"].tolist() == [2] and out["reach_nonfollowers"].tolist() == [2]


def test_attention_limit_scales_shared_and_own_items_alike():
    _, s = make_state(n=2)
    day = empty_day(s.trust.shape, items=np.array([[4.0], [0.0]]))
    day.shared_items = np.zeros((2, 1, 4))
    day.shared_items[0, 0, USEFUL] = 2.0  # 2 of user 0's 4 items are shared useful items
    attention.attend(s, day, plans(sell=1.0), spare=np.array([2.0, 5.0]))
    assert day.dose_by_type[0, 0].tolist() == pytest.approx([1.0, 1.0, 0.0, 0.0])
    assert day.excess[0, 0] == pytest.approx(2.0)


def _run(on=None, **rules):
    cfg = {
        "steps": 120,
        "seed": 5,
        "graph": {"kind": "barabasi_albert", "n": 600, "m": 4},
        "brands": [{"name": "b", "sell_share": 0.3}],
        "rules": rules,
    }
    if on is not None:
        cfg["mechanisms"] = {"shares": on}
    return simulate(cfg)


def test_switch_off_changes_nothing_and_zero_rates_share_nothing():
    """Off (the default): no shares and no reach beyond followers without engager exposure.
    On with every share rate 0: nothing is shared and the run matches the switch-off run (up
    to rounding in the typed doses)."""
    off = _run(False)
    assert off.equals(_run())  # off is the default
    assert (off[["shares", "share_reach", "reach_nonfollowers"]] == 0).all().all()
    zero = {f"share_{t}": 0.0 for t in CONTENT_TYPES}
    on = _run(True, **zero)
    assert (on["shares"] == 0).all() and (on["share_reach"] == 0).all()
    numeric = off.columns.drop("brand")
    assert np.allclose(on[numeric].astype(float), off[numeric].astype(float), equal_nan=True)
    spread = _run(True)
    assert spread["shares"].sum() > 0 and spread["reach_nonfollowers"].sum() > 0


# --- with several platforms ([[platforms]], odd.md 7.13 and 7.16) ----------------------
TWO = [
    {"name": "friends", "sell_tolerance": 0.0},
    {"name": "business", "sell_tolerance": 0.75, "commercialization": 0.4},
]


def _platform_model(graph, brands):
    cfg = {"steps": 1, "platforms": TWO, "mechanisms": {"shares": True}, "brands": brands}
    return SocialModel(cfg, graph=graph)


def test_the_platform_follows_the_brands_posts_among_the_sharers_platforms():
    """Brand 0 on both platforms (posts 1 and 3), brand 1 on friends only. Users 0 and 1 are
    on both: one uniform each (u * 4 = 0.8 -> friends, 1.2 -> business); user 2 is on
    business only and shares brand 1 (seen through a friend): its own platform, no draw;
    user 3 is on friends only: no draw."""
    model = _platform_model(nx.path_graph(4), [{"name": "a"}, {"name": "b"}])
    s = model.state
    s.present[:] = [[True, True], [True, True], [False, True], [True, False]]
    on = np.array([[True, True], [True, False]])
    posts = np.array([[1.0, 3.0], [2.0, 0.0]])
    sharers, brands = np.array([0, 1, 2, 3, 0]), np.array([0, 0, 1, 0, 1])
    where = platform_items.share_platforms(s, sharers, brands, on, posts, Draws([0.2, 0.3]))
    assert where.tolist() == [0, 1, 1, 0, 0]  # user 0 shares brand 1 on friends: no draw
    # a brand posting nothing on the candidates: equally among them (u = 0.6 -> business)
    zero = np.zeros((2, 2))
    where = platform_items.share_platforms(s, sharers[:1], brands[:1], on, zero, Draws([0.6]))
    assert where.tolist() == [1]


def test_shares_reach_friends_on_the_sharers_platform_under_its_norm():
    """User 0 (on both platforms) shares a pitch of a brand posting 1 and 3 there; the
    platform draw lands on business (u * 4 = 3.6); friend 1 is on friends only, 2 on
    business only, 3 on both: 2 and 3 see it, as a pitch grating g_business."""
    model = _platform_model(nx.star_graph(3), [{"name": "a", "paid_reach": 0.0}])
    s, net, r = model.state, model._network, model.params.rules
    s.present[:] = [[True, True], [True, False], [False, True], [True, True]]
    s.following[:] = False
    p = model._plans()
    p.platform_posts = np.array([[1.0, 3.0]])
    dose = np.zeros((4, 1, 4))
    dose[0, 0, PITCH] = 1.0
    day = empty_day(s.trust.shape, dose_by_type=dose)
    u = np.array([[0.0], [0.99], [0.99], [0.99]])
    shares.share(s, day, r, Draws(u, [0.5], [0.9], [0.0, 0.0, 0.0]), (net.on, p.platform_posts))
    assert s.share_flat.tolist() == [2, 3] and s.share_platform.tolist() == [1, 1]
    day = Day()
    platforms.expose(s, day, p, net, r, 0, 0.0, np.random.default_rng(0), shares_on=True)
    assert list(day.rows) == [2, 3] and s.share_platform.size == 0
    assert day.shared_items[:, 0].tolist() == [[1, 0, 0, 0], [1, 0, 0, 0]]
    g = 1.0 - r.platform_norm_effect * 0.75
    assert day.pitch_share[:, 0].tolist() == [1.0, 1.0]
    assert day.pitch_norm[:, 0].tolist() == pytest.approx([g, g])
    assert day.beyond.tolist() == [2]
    attention.attend(s, day, p, None)
    assert day.dose_by_type[:, 0].tolist() == [[1.0, 0.0, 0.0, 0.0]] * 2


def test_typed_doses_on_platforms_split_own_items_by_their_pitch_share():
    """4 own items (3 pitches under their platforms' sell shares), 2 shared useful items and
    2 community items, spare attention 4 (scale 1/2): own 2 -> pitch 1.5 and serve 0.5 by
    the serve mix (support 0.2, useful 0.5, deal 0.3); shared and community items halved."""
    _, s = make_state(n=1)
    day = empty_day(s.trust.shape, items=np.array([[8.0]]))
    day.shared_items = np.zeros((1, 1, 4))
    day.shared_items[0, 0, USEFUL] = 2.0
    day.community_items = np.array([[2.0]])
    day.own_pitches = np.array([[3.0]])
    day.pitch_share = np.array([[3.0 / 8.0]])
    attention.attend(s, day, plans(), spare=np.array([4.0]))
    expected = [1.5, 0.25 + 1.0 + 0.5, 0.15 + 0.3, 0.1 + 0.2]  # pitch, useful, deal, support
    assert day.dose_by_type[0, 0].tolist() == pytest.approx(expected)
    assert day.pitch_dose[0, 0] == pytest.approx(1.5)
    assert day.serve_dose[0, 0] == pytest.approx(2.5)


def test_one_open_platform_shares_are_the_single_platform_shares():
    """One platform on which everyone is present: no platform draw, the same results."""
    rates = {"share_useful": 0.2, "share_pitch": 0.05}
    base = {
        "steps": 60,
        "seed": 4,
        "graph": {"kind": "barabasi_albert", "n": 400, "m": 3},
        "mechanisms": {"shares": True},
        "rules": rates,
        "brands": [{"name": "b", "sell_share": 0.5}, {"name": "c", "paid_reach": 40.0}],
    }
    one = simulate(base)
    many = simulate({**base, "platforms": [{"name": "one"}]})
    assert one["shares"].sum() > 0 and one["reach_nonfollowers"].sum() > 0
    numeric = one.columns.drop("brand")
    assert np.allclose(one[numeric].astype(float), many[numeric].astype(float), equal_nan=True)


def test_sum_types_is_numpys_sum_bit_for_bit():
    """items_speed.sum_types is ``a.sum(axis=-1)`` exactly (NumPy's summation order below 8
    terms)."""
    from socialsim.rules.items_speed import sum_types

    rng = np.random.default_rng(3)
    for shape in [(7, 1, 4), (500, 3, 4), (0, 2, 4)]:
        a = rng.random(shape) * rng.integers(0, 3, shape) * 1e3 ** rng.integers(-3, 3, shape)
        assert np.array_equal(sum_types(a), a.sum(axis=-1))
        assert np.array_equal(sum_types(a[..., 1:]), a[..., 1:].sum(axis=-1))


def test_typed_doses_are_their_plain_expressions_bit_for_bit():
    """items_speed.typed_doses (type-major) equals the plain (rows, B, K) expressions of its
    docstring, with and without the attention scale and community items."""
    from socialsim.rules.items_speed import sum_types, typed_doses

    rng = np.random.default_rng(4)
    for rows, B in [(9, 1), (300, 3), (0, 2)]:
        shared = rng.integers(0, 3, (rows, B, 4)) * (rng.random((rows, B, 4)) < 0.2)
        shared = shared.astype(float)
        attended = rng.random((rows, B)) * 4
        scale = rng.random(rows)
        ts = rng.dirichlet(np.ones(4), size=B).T  # (K, B)
        mix = rng.dirichlet(np.ones(3), size=B)  # (B, 3)
        community = rng.random((rows, B)) * (rng.random((rows, B)) < 0.3)
        for s, com in [(scale, None), (None, None), (scale, community), (None, community)]:
            Y = shared if s is None else shared * s[:, None, None]
            own = attended - sum_types(Y)
            if com is not None:
                own = own - com
            own = np.maximum(own, 0.0)
            dose = own[:, :, None] * ts.T[None, :, :] + Y
            if com is not None:
                dose[:, :, 1:] += com[:, :, None] * mix[None, :, [1, 2, 0]]
            got = typed_doses(attended, shared, s, ts, com, mix if com is not None else None)
            want = dose, dose[:, :, 0], sum_types(dose[:, :, 1:])
            for g, w in zip(got, want, strict=True):
                assert np.array_equal(g, w) and np.array_equal(np.signbit(g), np.signbit(w))
            assert got[0].flags.c_contiguous and got[1].flags.c_contiguous


def test_friends_and_degree_are_the_gathers():
    """shares_speed.friends_and_degree: the friends of each row in order and the degrees."""
    from socialsim.graphs import adjacency, friends_of
    from socialsim.rules.shares_speed import friends_and_degree

    A = adjacency(nx.barabasi_albert_graph(200, 3, seed=1))
    for rows in [np.array([5, 0, 5, 199]), np.arange(40), np.array([], dtype=np.int64)]:
        friends, degree = friends_and_degree(A, rows)
        assert friends.dtype == np.int64
        assert np.array_equal(friends, friends_of(A, rows))
        assert np.array_equal(degree, A.indptr[rows + 1] - A.indptr[rows])


def test_type_draws_are_the_cumulative_draw_bit_for_bit():
    """shares_speed.type_draws (Python floats for a few sharers) equals the array draw."""
    from socialsim.rules.shares_speed import type_draws

    rates = np.array([0.002, 0.02, 0.01, 0.005])
    for n in [1, 5, 16, 17, 400]:
        gen = np.random.default_rng(n)
        doses = gen.random((n, 4)) * gen.integers(0, 3, (n, 4))
        doses[0] = [0.0, 0.0, 0.0, 1e-300]  # only the last type (u * total can reach it)
        cum = (doses * rates).cumsum(axis=1)
        u = np.random.default_rng(9).random(n) * cum[:, -1]
        want = np.minimum((u[:, None] >= cum).sum(axis=1), 3).astype(np.int8)
        got = type_draws(doses, rates, np.random.default_rng(9))
        assert got.dtype == np.int8 and np.array_equal(got, want)
