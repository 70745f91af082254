"""Several platforms ([[platforms]], odd.md 7.16): exact rule checks, the default path and
the classroom page's platform choice."""

from __future__ import annotations

import numpy as np
import pytest

from socialsim import SocialModel, load_config
from socialsim.rules import Day, attention, platforms
from socialsim.rules.platform_speed import of_brand, poisson_table
from socialsim.rules.platforms import draw_presence, network

TWO = [
    {"name": "friends", "sell_tolerance": 0.0, "friend_posts": 0.6},
    {"name": "business", "sell_tolerance": 0.75, "commercialization": 0.4, "friend_posts": 0.2},
]


def _cfg(**extra):
    base = {"steps": 5, "seed": 3, "graph": {"n": 400, "m": 3}, "platforms": TWO}
    base.update(extra)
    return base


def test_presence_follows_the_audience_table():
    cfg = load_config(
        _cfg(users={"audiences": {"friends": 0.5, "business": 0.2, "friends+business": 0.3}})
    )
    present = draw_presence(cfg, 200_000, np.random.default_rng(1))
    friends, business = present[:, 0], present[:, 1]
    assert present.any(axis=1).all()
    assert abs((friends & ~business).mean() - 0.5) < 0.005
    assert abs((business & ~friends).mean() - 0.2) < 0.005
    assert abs((friends & business).mean() - 0.3) < 0.005
    everyone = draw_presence(load_config(_cfg()), 10, np.random.default_rng(1))
    assert everyone.all()  # no table: every user on every platform


def test_brand_plans_per_platform_and_strategy_scaling():
    cfg = load_config(
        _cfg(
            brands=[
                {
                    "posts_per_day": 2.0,
                    "sell_share": 0.3,
                    "platforms": {"friends": {}, "business": {"posts_per_day": 1.0}},
                },
                {"name": "b2", "sell_share": 0.5, "platforms": {"business": {"sell_share": 0.8}}},
            ]
        )
    )
    net = network(cfg)
    assert net.on.tolist() == [[True, True], [False, True]]
    assert net.posts.tolist() == [[2.0, 1.0], [0.0, 2.0]]
    assert net.sell.tolist() == [[0.3, 0.3], [0.0, 0.8]]
    g = net.norm(cfg.rules)
    assert np.allclose(g, [1.0, 1.0 - 0.8 * 0.75])

    class P:  # a strategy that doubles posts and raises the sell share by 0.4
        posts_per_day = np.array([4.0, 4.0])
        sell_share = np.array([0.7, 0.9])

    posts, sell = net.today(P)
    assert np.allclose(posts, [[4.0, 2.0], [0.0, 4.0]])
    assert np.allclose(sell, [[0.7, 0.7], [0.4, 1.0]])  # shifted, clipped at 1


def test_one_platform_spare_attention_is_the_single_platform_rule():
    model = SocialModel(_cfg(platforms=[{"name": "only", "commercialization": 0.3}]))
    s, r = model.state, model.params.rules
    rows = np.arange(s.n_users)
    many = platforms.spare_attention(s, model._network, r, rows)
    one = attention.spare_attention(s, 0.5, 1.0 - r.ad_attention_cost * 0.3, rows)
    assert np.allclose(many, one)


def test_spare_attention_sums_over_the_users_platforms():
    model = SocialModel(_cfg(users={"audiences": {"friends+business": 1.0}}))
    s, r, net = model.state, model.params.rules, model._network
    i = np.array([7])
    half = s.attention[7] / 2
    expected = 0.0
    for k in range(2):
        friends = min(half * s.friend_motive[7], net.friend_posts[k] * s.degree[7])
        expected += (half - friends) * (1 - r.ad_attention_cost * net.commercialization[k])
    assert platforms.spare_attention(s, net, r, i)[0] == pytest.approx(expected)


def test_items_carry_their_platforms_sell_share_and_norm():
    """One brand on both platforms with different sell shares; users on the business
    network only see business items (its sell share, its norm)."""
    cfg = _cfg(
        graph={"n": 4000, "m": 3},
        users={"audiences": {"friends": 0.5, "business": 0.5}, "initial_awareness": 1.0},
        brands=[
            {
                "paid_reach": 0.0,
                "platforms": {"friends": {"sell_share": 0.1}, "business": {"sell_share": 0.9}},
            }
        ],
    )
    model = SocialModel(cfg)
    s, net, r = model.state, model._network, model.params.rules
    s.following[:] = True
    day = Day()
    plans = model._plans()
    platforms.expose(s, day, plans, net, r, 0, 0.0, np.random.default_rng(0))
    got = day.items[:, 0] > 0
    on_business = s.present[day.rows, 1]
    assert np.allclose(day.pitch_share[got & on_business, 0], 0.9)
    assert np.allclose(day.pitch_share[got & ~on_business, 0], 0.1)
    g = 1.0 - r.platform_norm_effect * 0.75
    assert np.allclose(day.pitch_norm[got & on_business, 0], g)
    assert np.allclose(day.pitch_norm[got & ~on_business, 0], 1.0)
    # organic means: posts * reach * (1 - c) on each platform
    for k, present in ((0, ~on_business), (1, on_business)):
        lam = 2.0 * net.reach[k] * (1 - net.commercialization[k])
        n_users = int(s.present[:, k].sum())
        assert day.items[present].sum() / n_users == pytest.approx(lam, rel=0.12)


def test_brand_absent_from_a_platform_reaches_nobody_there():
    cfg = _cfg(
        steps=30,
        users={"audiences": {"friends": 0.5, "business": 0.5}},
        brands=[{"paid_reach": 100.0, "platforms": {"business": {}}}],
    )
    model = SocialModel(cfg)
    for _ in range(30):
        model.step()
        only_friends = ~model.state.present[model.day.rows, 1]
        assert not np.any(model.day.items[only_friends] > 0)


def test_no_platforms_is_the_default_path():
    a = SocialModel({"steps": 20, "graph": {"n": 300}}).run()
    b = SocialModel({"steps": 20, "graph": {"n": 300}, "platforms": []}).run()
    assert a.equals(b)
    assert SocialModel({"steps": 1}).state.present is None


def test_one_open_platform_matches_the_single_platform_model():
    """One platform with [platform]'s norms (tolerance 0, everyone present) restates the
    single-platform model: the same conversions up to random draws (6 seeds, 10%)."""
    on, off = [], []
    for seed in range(6):
        base = {"steps": 120, "seed": seed, "graph": {"n": 600}}
        off.append(SocialModel(base).run()["conversions_total"].iloc[-1])
        base["platforms"] = [{"name": "one"}]
        on.append(SocialModel(base).run()["conversions_total"].iloc[-1])
    assert abs(np.mean(on) - np.mean(off)) <= 0.1 * np.mean(off), (on, off)


def test_tolerant_platform_grates_less():
    """The same brand and plan on a selling-tolerant platform irritates less and sells more
    than on a friends' network (same audience), paired by seed."""
    diffs = []
    for seed in range(3):
        out = {}
        for name in ("friends", "business"):
            cfg = _cfg(
                steps=120,
                seed=seed,
                graph={"n": 600},
                platforms=[{"name": "friends"}, {"name": "business", "sell_tolerance": 1.0}],
                brands=[{"sell_share": 0.7, "platforms": {name: {}}}],
            )
            df = SocialModel(cfg).run()
            out[name] = (df["unfollows"].sum(), df["conversions_total"].iloc[-1])
        diffs.append(
            (out["friends"][0] - out["business"][0], out["business"][1] - out["friends"][1])
        )
    assert all(d[0] > 0 for d in diffs) and np.mean([d[1] for d in diffs]) > 0, diffs


def test_denormal_sell_share_keeps_the_norm_in_bounds():
    """A denormal sell share on a fully tolerant platform: the grated and the pitch counts
    underflow differently, and the norm must stay the neutral 1, not drop to 0 (found by
    the property test)."""
    cfg = {
        "steps": 5,
        "seed": 1,
        "graph": {"n": 200, "m": 3},
        "platforms": [{"name": "a", "sell_tolerance": 1.0}, {"name": "b", "sell_tolerance": 0.0}],
        "brands": [{"sell_share": 5e-324, "platforms": {"a": {}}}],
    }
    model = SocialModel(cfg)
    for _ in range(5):
        model.step()
        assert np.all(model.day.pitch_norm == 1.0)


def test_speed_helpers_equal_their_plain_expressions():
    """platform_speed's helpers give exactly (bit for bit) the expressions they replace."""
    from types import SimpleNamespace

    from socialsim.rules import platform_speed as ps

    rng = np.random.default_rng(5)
    present = rng.random((300, 2)) < 0.6
    present[:5] = [[True, True], [True, False], [False, True], [True, True], [False, True]]
    present[~present.any(axis=1), 0] = True  # everyone on some platform
    combos, code = ps.combinations(present)
    assert (combos[code] == present).all() and len({tuple(r) for r in combos}) == len(combos)
    state = SimpleNamespace(present=present, cache={})
    load = np.array([0.1, 0.7 / 3])
    plain = 0.04 * ((present @ load) / present.sum(axis=1))
    assert np.array_equal(ps.mean_load(state, load, 0.04), plain)
    h, m = rng.random((300, 2)), rng.random(300) * 2
    slope = np.array([0.3, 0.0])
    expect = h + 0.1 * (np.maximum(0.0, 1.0 - slope[None, :] * m[:, None]) - h)
    ps.move_time(h, slope, m, 0.1)
    assert np.array_equal(h, expect)
    dead = rng.random((300, 2)) < 0.3
    expect = h.copy()
    expect[dead] = 0.0
    ps.zero_where(h, dead)
    assert np.array_equal(h, expect) and not np.signbit(h).any()
    rows = np.sort(rng.choice(300, 120, replace=False))
    assert np.array_equal(ps.take_rows(h, rows), h[rows])
    assert np.array_equal(ps.mask_rows(h, dead[:, 0]), h[dead[:, 0]])
    signed = np.array([[x, y] for x in (0.0, -0.0, 0.3, -0.3) for y in (0.0, -0.0, 0.1, -0.1)])
    for table in (signed, h, rng.integers(0, 4, (50, 2)), rng.random((40, 3))):
        same = ps.row_sums(table) == table.sum(axis=1)
        assert (
            same.all() and (np.signbit(ps.row_sums(table)) == np.signbit(table.sum(axis=1))).all()
        )


@pytest.mark.parametrize(
    "table",
    [[[0.8, 0.8]], [[0.8, 0.0]], [[0.3, 0.8]], [[0.0, 0.0]], [[0.5, 0.5], [0.0, 0.5]]],
)
@pytest.mark.parametrize("times", [False, True])
def test_poisson_table_draws_as_numpy(table, times):
    """Only the non-zero means are drawn (one scalar mean where they share one value): the
    same draws, in the same order, as ``rng.poisson`` of the whole table of means."""
    table = np.array(table)
    B, K = table.shape
    gen = np.random.default_rng(5)
    brand = None if B == 1 else gen.integers(0, B, 300)
    on = gen.random((300, K)) < 0.6
    if times:
        on = on * gen.random((300, K))
    a, b = np.random.default_rng(9), np.random.default_rng(9)
    got = poisson_table(a, table, brand, on)
    want = b.poisson(of_brand(table, brand) * on)
    assert got.dtype == want.dtype and np.array_equal(got, want)
    assert a.random() == b.random()  # the streams stay in step
