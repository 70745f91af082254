"""Brand community ([mechanisms] community, rules/community.py): exact rule tests on small
hand-set states, and the switch-off and zero-effort identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialsim import SocialModel, simulate
from socialsim.rules import Day, attention, community, platforms, purchase, support
from test_rules import Uniforms, empty_day, make_state, plans

from conftest import small


def community_state(n=6, brands=1):
    cfg, s = make_state(n=n, brands=brands)
    s.member = np.zeros(s.trust.shape, dtype=bool)
    return cfg, s


def community_plans(effort, B=1, capacity=10.0):
    p = plans(B=B)
    p.community_effort = np.full(B, effort)
    p.support_capacity = np.full(B, capacity)
    return p


class Poissons:
    """A stand-in stream: ``poisson(lam)`` returns ``lam`` rounded (and records it)."""

    def __init__(self):
        self.lam = None

    def poisson(self, lam, size=None):
        self.lam = np.broadcast_to(np.asarray(lam, dtype=float), size or np.shape(lam))
        return np.round(self.lam).astype(np.int64)


def test_peer_answers_follow_the_critical_mass_curve_and_only_members_are_helped():
    cfg, s = community_state(n=6)
    r = cfg.rules.model_copy(update={"community_peer_help": 0.6, "community_critical_mass": 2})
    s.member[[0, 1, 2, 3], 0] = True  # m = 4: p = 0.6 * 4 / 6 = 0.4
    problems = np.array([1, 2, 3, 5])  # user 5 is not a member
    helped = community.peer_answers(s, problems, r, Uniforms([0.39, 0.41, 0.0]))
    assert list(helped) == [1, 3]


def test_peer_answers_use_no_capacity_and_count_as_answered():
    """Capacity 0: only members' problems are answered, by peers; the rest stay unanswered."""
    cfg, s = community_state(n=6)
    r = cfg.rules.model_copy(
        update={
            "community_peer_help": 1.0,
            "community_critical_mass": 1e-9,
            "problem_rate_aware": 1.0,
            "problem_rate_customer": 1.0,
        }
    )
    s.aware[:] = True
    s.member[[0, 2, 4], 0] = True
    day = empty_day(s.trust.shape)
    rng = np.random.default_rng(1)
    support.raise_and_answer(s, day, community_plans(0.3, capacity=0.0), r, rng, rng)
    assert list(day.where("problems")) == list(range(6))
    assert list(day.peer_answered) == [0, 2, 4]
    assert list(day.where("answered")) == [0, 2, 4]
    assert list(day.where("unanswered")) == [1, 3, 5]


def test_members_buy_again_more_often():
    cfg, s = community_state(n=3)
    s.aware[:] = True
    s.purchases[:, 0] = [1, 1, 0]
    s.member[[0, 2], 0] = True  # a member customer, a customer, a member who never bought
    r = cfg.rules
    pi = purchase.purchase_probability(s, r, trust_on=False)[:, 0]
    repeat = r.base_conversion * (1 + r.repeat_bonus)
    assert pi[0] == pytest.approx(repeat * (1 + r.community_loyalty))
    assert pi[1] == pytest.approx(repeat) and pi[2] == pytest.approx(r.base_conversion)
    s.lapsed[0, 0] = True  # a lapsed member has neither bonus (lapse on)
    pi = purchase.purchase_probability(s, r, trust_on=False, lapse_on=True)[:, 0]
    assert pi[0] == 0.0


def test_community_posts_reach_members_only_and_are_serve_items():
    """Effort 0.5, 2 posts: followers get Poisson(2 * 0.5 * reach), members Poisson(2 * 0.5 *
    community_reach) items, all attended as serve items (attention off)."""
    cfg, s = community_state(n=4)
    r = cfg.rules.model_copy(update={"community_reach": 1.0})
    s.following[:] = False
    s.following[[0, 1], 0] = True
    s.member[[1, 2], 0] = True
    p = community_plans(0.5)
    p.sell_share[:] = 1.0  # every feed post pitches
    items = community.deliver(s, p, r, Poissons())
    assert list(items[0]) == [1, 2] and list(items[1]) == [1.0, 1.0]
    day = empty_day(s.trust.shape)
    rng = Poissons()
    attention.expose(s, day, p, 1.0, rng, community=items)
    assert rng.lam.tolist() == [1.0, 1.0]  # followers: posts * (1 - effort) * reach
    assert list(day.rows) == [0, 1, 2]
    assert day.items[:, 0].tolist() == [1.0, 2.0, 1.0]
    assert day.community_items[:, 0].tolist() == [0.0, 1.0, 1.0]
    attention.attend(s, day, p, None)
    assert day.pitch_dose[:, 0].tolist() == [1.0, 1.0, 0.0]  # feed items pitch
    assert day.serve_dose[:, 0].tolist() == [0.0, 1.0, 1.0]  # community items serve


def test_members_hear_members_and_it_counts_as_word_of_mouth():
    """3 members, 2 of them active customers with trust 0.5 and 1: a = 1.5 / 3 = 0.5."""
    cfg, s = community_state(n=5)
    r = cfg.rules.model_copy(update={"community_talk": 4.0})
    s.member[[0, 1, 2], 0] = True
    s.purchases[[0, 1, 4], 0] = 1
    s.trust[:, 0] = [0.5, 1.0, 0.9, 0.9, 0.9]
    day = empty_day(s.trust.shape)
    day.wom_neg = day.wom_pos  # as wom.silence leaves them: one zeros array
    day.heard = np.array([], dtype=np.int64)
    rng = Poissons()
    community.talk(s, day, r, True, rng)
    assert rng.lam.tolist() == [2.0, 2.0, 2.0]  # community_talk * a
    assert list(day.community_heard) == [0, 1, 2]
    community.add_talk(day)
    assert day.wom_pos[:, 0].tolist() == [2.0, 2.0, 2.0, 0.0, 0.0]
    assert not day.wom_neg.any()  # the shared zeros array is not changed
    assert list(day.heard) == [0, 1, 2] and list(day.where("wom_pos")) == [0, 1, 2]


def test_followers_and_customers_join_hostile_members_leave():
    cfg, s = community_state(n=6)
    r = cfg.rules.model_copy(update={"community_join": 1.0, "community_leave": 0.5})
    s.following[:] = False
    s.following[[0, 1], 0] = True
    s.purchases[2, 0] = 1
    s.member[[3, 4, 5], 0] = True
    s.trust[:, 0] = [1.0, 0.5, 1.0, 0.1, 0.1, 0.9]  # members 3 and 4 distrust: hostile
    p = community_plans(0.5)  # join probability sat(0.5 * T): 1/3, 0.2, 1/3
    day = empty_day(s.trust.shape)
    community.join_leave(s, day, p, r, True, Uniforms([0.3, 0.3, 0.34, 0.49, 0.51, 0.0]))
    assert list(day.joined) == [0] and list(day.left) == [3]
    assert list(np.flatnonzero(s.member[:, 0])) == [0, 4, 5]


def test_community_switch_off_ignores_effort():
    """With the switch off, community_effort changes nothing; the new metrics are neutral."""
    base = small(steps=40, mechanisms={"lapse": True})
    a = simulate(base)
    b = simulate({**base, "brands": [{"name": "brand", "community_effort": 0.4}]})
    pd.testing.assert_frame_equal(a, b)
    assert (a["members"] == 0).all() and (a["peer_answers"] == 0).all()
    assert (a["support_load"] == a["problems"]).all()
    assert SocialModel(base).state.member is None  # not allocated


def test_community_on_without_effort_changes_nothing():
    """Switch on, effort 0: nobody joins, so every result is that of the switch off."""
    base = small(steps=40, mechanisms={"lapse": True})
    off = simulate(base)
    on = simulate({**base, "mechanisms": {"lapse": True, "community": True}})
    pd.testing.assert_frame_equal(off, on)


def test_community_grows_and_takes_load():
    base = small(steps=120, mechanisms={"community": True})
    base["rules"] = {**base.get("rules", {}), "community_critical_mass": 5.0}  # help early
    df = simulate({**base, "brands": [{"name": "brand", "community_effort": 0.5}]})
    assert df["members"].iloc[-1] > 0 and df["peer_answers"].sum() > 0
    assert (df["support_load"] == df["problems"] - df["peer_answers"]).all()
    assert (df["answered"] <= df["problems"]).all()


# --- with several platforms ([[platforms]], odd.md 7.12 and 7.16) ----------------------
TWO = [
    {"name": "friends", "sell_tolerance": 0.0},
    {"name": "business", "sell_tolerance": 0.75, "commercialization": 0.4},
]


def test_platform_feeds_carry_the_rest_and_community_items_serve_apart():
    """Effort 0.5 and 10 posts on each of two platforms: followers see Poisson(P_bk (1 -
    e_b) reach_k) feed items where they are present (all pitches); members get Poisson(P_b
    e_b community_reach) community items, P_b = 20, which carry no pitch and no norm."""
    cfg = {
        "steps": 1,
        "graph": {"n": 8, "m": 2},
        "platforms": TWO,
        "mechanisms": {"community": True},
        "rules": {"community_reach": 0.3},
        "brands": [
            {"posts_per_day": 10.0, "sell_share": 1.0, "paid_reach": 0.0, "community_effort": 0.5}
        ],
    }
    model = SocialModel(cfg)
    s, net, r = model.state, model._network, model.params.rules
    s.present[:] = [[True, False]] * 8
    s.present[1] = [False, True]
    s.present[2] = [True, True]
    s.following[:] = False
    s.following[[0, 1, 2], 0] = True
    s.member[[2, 5], 0] = True
    p = model._plans()
    assert p.posts_per_day.tolist() == [20.0]
    items = community.deliver(s, p, r, Poissons())  # lam = 20 * 0.5 * 0.3 = 3
    assert list(items[0]) == [2, 5] and list(items[1]) == [3.0, 3.0]
    day, rng = Day(), Poissons()
    platforms.expose(s, day, p, net, r, 0, 0.0, rng, community=items)
    # feed means 5 * 0.4 * (1 - c_k): 1.6 on friends, 1.2 on business (rounded: 2 and 1)
    assert np.allclose(rng.lam, [[1.6, 0.0], [0.0, 1.2], [1.6, 1.2]])
    assert list(day.rows) == [0, 1, 2, 5]
    assert day.items[:, 0].tolist() == [2.0, 1.0, 6.0, 3.0]
    assert day.community_items[:, 0].tolist() == [0.0, 0.0, 3.0, 3.0]
    assert day.pitch_share[:, 0].tolist() == pytest.approx([1.0, 1.0, 0.5, 0.0])
    g = 1.0 - r.platform_norm_effect * 0.75
    assert day.pitch_norm[:, 0].tolist() == pytest.approx([1.0, g, (2 + g) / 3, 1.0])
    assert day.beyond.tolist() == [1]  # member 5 does not follow
    attention.attend(s, day, p, None)
    assert day.pitch_dose[:, 0].tolist() == pytest.approx([2.0, 1.0, 3.0, 0.0])
    assert day.serve_dose[:, 0].tolist() == pytest.approx([0.0, 0.0, 3.0, 3.0])


def test_one_open_platform_community_is_the_single_platform_community():
    """One platform on which everyone is present: the same draws, the same results."""
    base = small(steps=60, mechanisms={"lapse": True, "community": True})
    base["rules"] = {"community_join": 1.0, "community_critical_mass": 5.0}
    base["brands"] = [{"name": "brand", "community_effort": 0.4, "paid_reach": 30.0}]
    one = simulate(base)
    many = simulate({**base, "platforms": [{"name": "one"}]})
    assert one["members"].iloc[-1] > 0 and one["peer_answers"].sum() > 0
    numeric = one.columns.drop("brand")
    assert np.allclose(one[numeric].astype(float), many[numeric].astype(float), equal_nan=True)


@pytest.mark.parametrize("B", [1, 3])
@pytest.mark.parametrize("capacity", [0.5, 2.3, 50.0])
def test_support_answer_is_the_sorted_union(B, capacity):
    """support.answer equals its plain expression (sort of the peer and brand answers, the
    rest unanswered) with the same draws, whether capacity cuts the queues or not."""
    from socialsim.rules.day import up_to_capacity
    from socialsim.rules.indices import remove_sorted

    for seed in range(5):
        pick = np.random.default_rng(seed)
        problems = np.flatnonzero(pick.random(40 * B) < 0.3)
        helped = problems[pick.random(problems.size) < 0.3] if seed % 2 else problems[:0]
        queue = remove_sorted(problems, helped)
        caps = np.full(B, capacity)
        rng_a, rng_b = np.random.default_rng(seed), np.random.default_rng(seed)
        answered, unanswered = support.answer(problems, queue, [helped], caps, rng_a)
        rows, cols = queue // B, queue % B
        parts = [helped] + [
            up_to_capacity(rows[cols == b], caps[b], rng_b) * B + b for b in range(B)
        ]
        expected = np.sort(np.concatenate(parts))
        assert np.array_equal(answered, expected) and answered.dtype == expected.dtype
        rest = remove_sorted(problems, expected)
        assert np.array_equal(unanswered, rest) and unanswered.dtype == rest.dtype
        assert rng_a.random() == rng_b.random()


@pytest.mark.parametrize("brands", [1, 3])
def test_beyond_followers_counts_distinct_non_followers(brands):
    """attention.beyond_followers equals its plain expression on the sorted path (few
    indices) and on the mask path (many), with repeats and empty parts."""
    _, s = community_state(n=2000, brands=brands)
    pick = np.random.default_rng(3)
    s.following[:] = pick.random(s.following.shape) < 0.3
    size = s.following.size
    for k in (0, 3, 20, 400):
        extra = [pick.integers(0, size, k), np.empty(0, dtype=np.int64), pick.integers(0, size, k)]
        flat = np.concatenate(extra)
        plain = np.bincount(
            np.unique(flat[~s.following.reshape(-1)[flat]]) % brands, minlength=brands
        )
        got = attention.beyond_followers(s, extra)
        assert np.array_equal(got, plain) and got.dtype == plain.dtype
