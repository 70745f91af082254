"""Budgets and team (rules/budget.py, config/budget.py): allocation, the daily cap, checks."""

from __future__ import annotations

import numpy as np
import pytest

import socialsim
from socialsim import ConfigError, load_config
from socialsim.config import BudgetConfig, RulesConfig
from socialsim.rules import Plans
from socialsim.rules.budget import daily_cost, spend_within

PRICES = {"price": 40.0, "cost_per_post": 50.0, "cost_per_paid": 0.008, "cost_per_agent": 5.0}


def _plans(posts, paid, capacity) -> Plans:
    B = len(posts)
    return Plans(
        posts_per_day=np.array(posts, float),
        sell_share=np.full(B, 0.3),
        serve_mix=np.tile([0.2, 0.5, 0.3], (B, 1)),
        paid_reach=np.array(paid, float),
        paid_posts=np.array(paid, float) / 100.0,
        targeting=np.full(B, 0.5),
        support_capacity=np.array(capacity, float),
        disclosed=np.ones(B, bool),
    )


def test_split_sets_paid_reach_posts_and_capacity():
    rules = RulesConfig(**PRICES)
    plan = BudgetConfig(money=100.0, paid=0.2, content=0.5, support=0.3).allocate(rules)
    assert plan == pytest.approx(
        {"paid_reach": 20.0 / 0.008, "posts_per_day": 1.0, "support_capacity": 6.0}
    )
    assert BudgetConfig(money=100.0).allocate(rules) == {}  # no split: only a cap
    zero = BudgetConfig(money=100.0, paid=0.0, content=1.0, support=0.0).allocate(rules)
    assert zero["paid_reach"] == 0.0 and zero["support_capacity"] == 0.0


def test_model_uses_the_split_and_spends_it():
    cfg = {
        "steps": 20,
        "seed": 4,
        "graph": {"n": 300, "m": 3},
        "rules": PRICES,
        "brands": [{"budget": {"money": 100.0, "paid": 0.01, "content": 0.5, "support": 0.49}}],
    }
    df = socialsim.simulate(cfg)
    assert np.allclose(df["posts"], 1.0)
    # paid impressions are drawn around 125 a day: the day's cost is near the budget
    assert abs(df["cost"].mean() - 100.0) < 3.0, df["cost"].describe()
    off = socialsim.simulate({**cfg, "mechanisms": {"budget": False}})
    assert np.allclose(off["posts"], 2.0)  # the brand's own posts_per_day


def test_cap_scales_posts_and_paid_after_support():
    rules = RulesConfig(cost_per_post=1.0, cost_per_paid=0.01, cost_per_agent=0.5)
    plans = _plans([4.0, 4.0, 1.0], [100.0, 100.0, 0.0], [10.0, 10.0, 1.0])
    capacity = plans.support_capacity
    money = np.array([7.0, 4.0, np.inf])  # brand 1: support alone costs more than the money
    spend_within(plans, money, rules)
    # brand 0: support 5, left 2 of the flexible 5 -> scale 0.4; brand 1: team shrinks to 8
    assert plans.posts_per_day == pytest.approx([1.6, 0.0, 1.0])
    assert plans.paid_reach == pytest.approx([40.0, 0.0, 0.0])
    assert plans.support_capacity == pytest.approx([10.0, 8.0, 1.0])
    assert daily_cost(plans, rules) == pytest.approx([7.0, 4.0, 1.5])
    assert capacity == pytest.approx([10.0, 10.0, 1.0])  # the model's own array is untouched


def test_cap_leaves_plans_within_budget_alone():
    rules = RulesConfig()
    plans = _plans([2.0], [40.0], [20.0])
    spend_within(plans, np.array([12.4]), rules)  # costs exactly 12.4
    assert plans.posts_per_day[0] == 2.0 and plans.paid_reach[0] == 40.0


def test_adaptive_strategy_never_plans_beyond_its_money(monkeypatch):
    import socialsim.model as model_mod

    costs = []

    def spy(plans, money, rules, replies_on=False):
        spend_within(plans, money, rules, replies_on)
        costs.append(daily_cost(plans, rules, replies_on))

    monkeypatch.setattr(model_mod.budget, "spend_within", spy)
    cfg = {
        "steps": 60,
        "seed": 2,
        "graph": {"n": 300, "m": 3},
        "brands": [
            {"strategy": "adaptive", "posts_per_day": 4.0, "paid_reach": 60.0},
            {"name": "b", "strategy": "adaptive", "posts_per_day": 4.0, "budget": {"money": 12.0}},
        ],
    }
    df = socialsim.simulate(cfg)
    costs = np.array(costs)
    assert costs.shape == (60, 2)
    assert (costs[:, 1] <= 12.0 + 1e-9).all() and costs[:, 1].max() > 11.9  # spends it all
    assert (costs[:, 0] > 12.0).all()  # the brand without a budget is not capped
    assert (df[df["brand"] == "b"]["posts"] < 2.0).all()


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ({"money": -1.0}, "brands[0].budget.money = -1.0"),
        ({"money": float("nan")}, "brands[0].budget.money = nan"),
        ({"money": 10.0, "paid": 0.5}, "brands[0].budget: give all three shares"),
        (
            {"money": 10.0, "paid": 0.5, "content": 0.5, "support": 0.5},
            "brands[0].budget: paid + content + support = 1.5 must be 1",
        ),
        ({"money": 10.0, "spend": 1.0}, "unknown key 'brands[0].budget.spend'"),
        (
            {"money": 1000.0, "paid": 0.0, "content": 1.0, "support": 0.0},
            "brands[0].budget: money * content / rules.cost_per_post = 1000 * 1 / 1 sets "
            "posts_per_day = 1000, above its maximum 100",
        ),
    ],
)
def test_bad_budget_names_field_and_value(budget, message):
    with pytest.raises(ConfigError) as err:
        load_config({"brands": [{"budget": budget}]})
    assert message in str(err.value)


def test_free_resource_with_money_is_refused():
    with pytest.raises(ConfigError, match="sets paid_reach = inf, not finite"):
        load_config(
            {
                "rules": {"cost_per_paid": 0.0},
                "brands": [{"budget": {"money": 5.0, "paid": 1.0, "content": 0.0, "support": 0.0}}],
            }
        )


def test_reply_team_is_paid_from_the_budget_and_counted_in_cost():
    rules = RulesConfig(cost_per_post=1.0, cost_per_paid=0.01, cost_per_agent=0.5)
    plans = _plans([2.0, 2.0], [0.0, 0.0], [4.0, 4.0])
    plans.reply_capacity, plans.reply_tone = np.array([4.0, 4.0]), np.array([1, 0])  # 0: none
    # with replies on, brand 0's reply team (4 x 0.25) counts; brand 1 (tone none) does not
    assert daily_cost(plans, rules, replies_on=True) == pytest.approx([5.0, 4.0])
    assert daily_cost(plans, rules) == pytest.approx([4.0, 4.0])
    spend_within(plans, np.array([2.4, 2.4]), rules, replies_on=True)
    # brand 0: team 3 > 2.4 -> support and replies shrink by 0.8, no posts; brand 1: team 2,
    # posts get 0.4 of the money
    assert plans.support_capacity == pytest.approx([3.2, 4.0])
    assert plans.reply_capacity == pytest.approx([3.2, 4.0])
    assert plans.posts_per_day == pytest.approx([0.0, 0.4])
    cfg = {"steps": 5, "seed": 1, "graph": {"n": 200, "m": 3}, "mechanisms": {"replies": True}}
    on = socialsim.simulate({**cfg, "brands": [{"reply_capacity": 4.0}]})
    none = socialsim.simulate({**cfg, "brands": [{"reply_capacity": 4.0, "reply_tone": "none"}]})
    assert np.allclose(on["cost"] - none["cost"], 4.0 * 0.25)


# ---------------------------------------------------------------- budgets with [[platforms]]
TWO_PLATFORMS = [{"name": "friends"}, {"name": "business", "commercialization": 0.4}]


def _platform_model(brands, **extra):
    from socialsim import SocialModel

    cfg = {"steps": 3, "seed": 5, "graph": {"n": 300, "m": 3}, "platforms": TWO_PLATFORMS}
    cfg.update(brands=brands, **extra)
    return SocialModel(cfg)


def test_split_buys_posts_over_the_platforms_by_their_weights():
    """Content money buys N = M a_content / cost_per_post posts in all, spread by the
    configured per-platform posts (1 : 3 here), equally when those are all 0; paid money
    buys M a_paid / cost_per_paid impressions, spread by posts as without a budget."""
    split = {"money": 8.0, "paid": 0.25, "content": 0.5, "support": 0.25}
    model = _platform_model(
        [
            {
                "budget": split,
                "platforms": {
                    "friends": {"posts_per_day": 1.0},
                    "business": {"posts_per_day": 3.0},
                },
            },
            {
                "name": "zero",
                "posts_per_day": 0.0,
                "budget": split,
                "platforms": {"friends": {}, "business": {}},
            },
            {"name": "one", "budget": split, "platforms": {"business": {}}},
        ]
    )
    net = model._network
    assert net.posts.tolist() == [[1.0, 3.0], [2.0, 2.0], [0.0, 4.0]]  # N = 8 * 0.5 / 1
    assert net.base_posts.tolist() == [4.0, 4.0, 4.0]
    plans = model._plans()
    assert plans.platform_posts.tolist() == [[1.0, 3.0], [2.0, 2.0], [0.0, 4.0]]
    assert plans.posts_per_day.tolist() == [4.0, 4.0, 4.0]
    assert plans.paid_reach.tolist() == pytest.approx([2.0 / 0.01] * 3)
    assert daily_cost(plans, model.params.rules) == pytest.approx([8.0] * 3)  # spent exactly


def test_cap_counts_posts_on_every_platform_and_scales_them_alike():
    """No split: the cap compares the posts summed over platforms (2 + 3 = 5 here, not the
    brand's posts_per_day 2) with the money, and one factor scales every platform."""
    rules = {"cost_per_post": 1.0, "cost_per_paid": 0.01, "cost_per_agent": 0.5}
    model = _platform_model(
        [
            {
                "posts_per_day": 2.0,
                "sell_share": 0.3,
                "paid_reach": 100.0,
                "support_capacity": 2.0,
                "budget": {"money": 4.0},
                "platforms": {"friends": {}, "business": {"posts_per_day": 3.0, "sell_share": 0.7}},
            },
            {
                "name": "free",
                "posts_per_day": 2.0,
                "paid_reach": 0.0,
                "platforms": {"business": {}},
            },
        ],
        rules=rules,
    )
    plans = model._plans()
    # brand 0: team 1, flexible 5 + 1 = 6, left 3 -> scale 0.5
    assert np.allclose(plans.platform_posts, [[1.0, 1.5], [0.0, 2.0]])
    assert plans.posts_per_day.tolist() == pytest.approx([2.5, 2.0])
    assert plans.paid_reach.tolist() == pytest.approx([50.0, 0.0])
    assert plans.sell_share[0] == pytest.approx((2 * 0.3 + 3 * 0.7) / 5)  # mix unchanged
    assert np.allclose(plans.platform_sell, [[0.3, 0.7], [0.0, 0.3]])
    assert daily_cost(plans, model.params.rules)[0] == pytest.approx(4.0)  # spent exactly


def test_budget_with_platforms_spends_within_its_money_each_day(monkeypatch):
    """A run with an adaptive strategy: each day the capped plan costs at most the money
    (posts summed over platforms), the platforms' posts add up to the reported total, and
    without the budget the brand posts more."""
    import socialsim.model as model_mod

    days = []

    def spy(plans, money, rules, replies_on=False):
        spend_within(plans, money, rules, replies_on)
        days.append(
            (daily_cost(plans, rules)[0], plans.platform_posts.sum(), plans.posts_per_day[0])
        )

    monkeypatch.setattr(model_mod.budget, "spend_within", spy)
    cfg = {
        "steps": 30,
        "seed": 2,
        "graph": {"n": 300, "m": 3},
        "platforms": TWO_PLATFORMS,
        "rules": {"cost_per_post": 1.0, "cost_per_paid": 0.02},
        "brands": [
            {
                "strategy": "adaptive",
                "posts_per_day": 3.0,
                "paid_reach": 50.0,
                "support_capacity": 0.0,
                "budget": {"money": 3.0},
                "platforms": {"friends": {"posts_per_day": 2.0}, "business": {}},
            }
        ],
    }
    df = socialsim.simulate(cfg)
    cost, summed, total = np.array(days).T
    assert (cost <= 3.0 + 1e-9).all() and cost.max() > 2.99  # spends it all
    assert np.allclose(summed, total) and np.allclose(df["posts"], total)
    assert (df["posts"] < 5.0).all() and df["posts"].min() > 0
    monkeypatch.undo()
    off = socialsim.simulate({**cfg, "mechanisms": {"budget": False}})
    assert off["posts"].iloc[0] == pytest.approx(5.0)  # 2 + 3 on the two platforms
