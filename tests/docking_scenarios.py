"""The docking scenarios (tests/test_docking.py): one configuration per scenario, each run
with the vectorized model and the loop-based reference (tests/reference.py) on the same
small graph. Kept apart so that the module with the test and its statistics stays short."""

from __future__ import annotations

import copy
from typing import Any

N_USERS, STEPS = 300, 90
BASE: dict[str, Any] = {
    "steps": STEPS,
    "graph": {"kind": "barabasi_albert", "n": N_USERS, "m": 3},
}

SCENARIOS: dict[str, dict[str, Any]] = {
    "default": {"brands": [{"name": "brand"}]},
    "covert_hard_sell": {
        "brands": [{"name": "covert", "sell_share": 0.9, "disclosed": False}],
    },
    # two brands competing for the same segment; the seller adapts its sell share to its
    # own complaints (the strategy reads the brand's history: tests its bookkeeping)
    "two_competing_brands": {
        "brands": [
            {"name": "server", "sell_share": 0.1, "posts_per_day": 3.0},
            {
                "name": "seller",
                "strategy": "adaptive",
                "sell_share": 0.7,
                "paid_reach": 60.0,
                "targeting": 0.8,
            },
        ],
    },
    "favor_and_trust_off": {
        "mechanisms": {"favor": False, "trust": False},
        "brands": [{"name": "brand", "sell_share": 0.5}],
    },
    # the other three switches, with a heavy ad load (scepticism drift, throttled reach)
    "attention_backlash_wom_off": {
        "mechanisms": {"attention": False, "backlash": False, "wom": False},
        "platform": {"commercialization": 0.6},
        "brands": [{"name": "brand", "sell_share": 0.5, "posts_per_day": 4.0}],
    },
    # customers lapse (off by default): a lapse rate that rises 5 times as fast as the
    # default's with days without value (and 4 times its distrust term), frequent needs and
    # support below demand, so that lapses, win-backs and unanswered problems all happen on
    # 300 users in 90 days
    "lapse_on": {
        "mechanisms": {"lapse": True},
        "rules": {"lapse_recency": 0.001, "lapse_distrust": 0.004, "lapse_unanswered": 1.0},
        "users": {"need_rate": 0.2},
        "brands": [{"name": "brand", "sell_share": 0.5, "support_capacity": 0.5}],
    },
    # budgets (on by default, acting on brands with a budget): a split sets the first brand's
    # paid reach, posts and support capacity (120, 1.8, 6); the second brand's adaptive plan
    # (4 posts, 60 paid impressions, support 20: cost 14.6) is capped at 12 a day: support
    # first (10), posts and paid reach scaled by 2 / 4.6
    "budget": {
        "brands": [
            {
                "name": "split",
                "budget": {"money": 6.0, "paid": 0.2, "content": 0.3, "support": 0.5},
            },
            {
                "name": "capped",
                "strategy": "adaptive",
                "posts_per_day": 4.0,
                "paid_reach": 60.0,
                "budget": {"money": 12.0},
            },
        ],
    },
    # public replies (off by default): two brands with support below demand that draw
    # complaints, one replying respectfully and one defensively, at a capacity (1.5 a day)
    # below the complaints of most days, so that capacity, rounding and both tones act
    "replies_on": {
        "mechanisms": {"replies": True},
        "brands": [
            {
                "name": tone,
                "sell_share": 0.6,
                "support_capacity": 0.5,
                "reply_capacity": 1.5,
                "reply_tone": tone,
            }
            for tone in ("respectful", "defensive")
        ],
    },
    # brand community (off by default), with lapse: joining 20 times as fast as the default,
    # a critical mass of 5 members and talk 3 times the default, frequent needs and support
    # below demand, so that members, peer answers, member talk and loyalty all act on 300
    # users in 90 days
    "community_on": {
        "mechanisms": {"lapse": True, "community": True},
        "rules": {"community_join": 1.0, "community_critical_mass": 5.0, "community_talk": 1.0},
        "users": {"need_rate": 0.2, "initial_awareness": 0.15},
        "brands": [{"name": "brand", "support_capacity": 0.5, "community_effort": 0.4}],
    },
    # shares (off by default): share rates 10 times the defaults (25 times for pitches), so
    # that shares of every type, re-shares and follows from shared items happen on 300 users
    # in 90 days
    "shares_on": {
        "mechanisms": {"shares": True},
        "rules": {
            "share_useful": 0.2,
            "share_deal": 0.1,
            "share_support": 0.05,
            "share_pitch": 0.05,
        },
        "brands": [{"name": "brand", "sell_share": 0.5}],
    },
    # the platform reacts (off by default): two brands buy a paid impression a day for every
    # user between them, the platform sells up to its cap (15 ads an hour), users respond
    # 2.5 times as strongly and 3 times as fast as the calibrated defaults, and those whose
    # time falls below 0.7 of their baseline leave, all within 90 days
    "reacts_on": {
        "mechanisms": {"platform_reacts": True},
        "rules": {
            "ad_supply": 0.5,
            "time_sensitivity": 0.04,
            "time_adjust": 0.05,
            "leave_threshold": 0.7,
        },
        "brands": [
            {"name": "a", "paid_reach": 150.0, "sell_share": 0.5},
            {"name": "b", "paid_reach": 150.0, "posts_per_day": 3.0},
        ],
    },
    # several platforms ([[platforms]], default: none): a friends' network and a business
    # network with different norms, ad loads, reach and friend-post volumes, overlapping
    # audiences, one brand on both with a plan on each (and an adaptive strategy, so the
    # per-platform plans are scaled), the other only on the business network
    "platforms_on": {
        "platforms": [
            {"name": "friends", "sell_tolerance": 0.0, "friend_posts": 0.8},
            {
                "name": "business",
                "sell_tolerance": 0.9,
                "commercialization": 0.4,
                "organic_reach": 0.6,
                "friend_posts": 0.2,
            },
        ],
        "users": {"audiences": {"friends": 0.5, "business": 0.2, "friends+business": 0.3}},
        "brands": [
            {
                "name": "both",
                "strategy": "adaptive",
                "platforms": {
                    "friends": {"sell_share": 0.2},
                    "business": {"posts_per_day": 3.0, "sell_share": 0.7},
                },
            },
            {"name": "business_only", "sell_share": 0.6, "platforms": {"business": {}}},
        ],
    },
    # budgets with several platforms: a split buys the first brand's posts over both
    # platforms by its weights there (1 : 3 of N = 6 * 0.3 / 1 = 1.8) and its paid reach;
    # the second brand's adaptive plan (1 + 3 posts on its platforms, 60 paid impressions,
    # support 4: cost 6.6) is capped at 4 a day, every platform's posts alike
    "platforms_budget": {
        "platforms": [
            {"name": "friends", "sell_tolerance": 0.0, "friend_posts": 0.8},
            {"name": "business", "sell_tolerance": 0.9, "commercialization": 0.4},
        ],
        "users": {"audiences": {"friends": 0.4, "business": 0.3, "friends+business": 0.3}},
        "brands": [
            {
                "name": "split",
                "budget": {"money": 6.0, "paid": 0.2, "content": 0.3, "support": 0.5},
                "platforms": {
                    "friends": {"posts_per_day": 1.0, "sell_share": 0.2},
                    "business": {"posts_per_day": 3.0, "sell_share": 0.6},
                },
            },
            {
                "name": "capped",
                "strategy": "adaptive",
                "posts_per_day": 1.0,
                "paid_reach": 60.0,
                "support_capacity": 4.0,
                "budget": {"money": 4.0},
                "platforms": {"friends": {}, "business": {"posts_per_day": 3.0}},
            },
        ],
    },
    # a brand community with several platforms: the community apart from the platforms
    # (a share of each platform's posts goes there), parameters of community_on, one brand
    # on both platforms, one on the business network only, both with a community
    "platforms_community": {
        "mechanisms": {"lapse": True, "community": True},
        "rules": {"community_join": 1.0, "community_critical_mass": 5.0, "community_talk": 1.0},
        "platforms": [
            {"name": "friends", "sell_tolerance": 0.0, "friend_posts": 0.8},
            {"name": "business", "sell_tolerance": 0.9, "commercialization": 0.4},
        ],
        "users": {
            "need_rate": 0.2,
            "initial_awareness": 0.15,
            "audiences": {"friends": 0.5, "business": 0.2, "friends+business": 0.3},
        },
        "brands": [
            {
                "name": "both",
                "support_capacity": 0.5,
                "community_effort": 0.4,
                "platforms": {
                    "friends": {"sell_share": 0.1},
                    "business": {"posts_per_day": 3.0, "sell_share": 0.6},
                },
            },
            {
                "name": "business_only",
                "sell_share": 0.5,
                "support_capacity": 0.5,
                "community_effort": 0.2,
                "platforms": {"business": {}},
            },
        ],
    },
    # the reacting platform on several platforms: a friends' network at a low ad load and a
    # business network; one brand buys 150 paid impressions a day on the business network
    # only, the other posts on both and buys a few; users respond as in reacts_on, so the
    # business network's ad load rises, its users' time falls and some leave it, while the
    # friends' network's load stays below the reference (users present on both keep it)
    "platforms_reacting": {
        "platforms": [
            {"name": "friends", "commercialization": 0.1, "friend_posts": 0.8},
            {
                "name": "business",
                "sell_tolerance": 0.9,
                "commercialization": 0.3,
                "organic_reach": 0.6,
                "friend_posts": 0.2,
            },
        ],
        "users": {"audiences": {"friends": 0.4, "business": 0.2, "friends+business": 0.4}},
        "mechanisms": {"platform_reacts": True},
        "rules": {
            "ad_supply": 0.5,
            "time_sensitivity": 0.04,
            "time_adjust": 0.05,
            "leave_threshold": 0.7,
        },
        "brands": [
            {
                "name": "both",
                "paid_reach": 20.0,
                "platforms": {
                    "friends": {"sell_share": 0.2},
                    "business": {"posts_per_day": 2.0, "sell_share": 0.6},
                },
            },
            {
                "name": "business_paid",
                "paid_reach": 150.0,
                "sell_share": 0.5,
                "platforms": {"business": {}},
            },
        ],
    },
    # shares with several platforms: share rates of shares_on; a share goes on one of the
    # sharer's platforms (by the brand's posts there) and reaches the friends there only;
    # shared pitches grate under that platform's norm
    "platforms_shares": {
        "mechanisms": {"shares": True},
        "rules": {
            "share_useful": 0.2,
            "share_deal": 0.1,
            "share_support": 0.05,
            "share_pitch": 0.05,
        },
        "platforms": [
            {"name": "friends", "sell_tolerance": 0.0, "friend_posts": 0.8},
            {"name": "business", "sell_tolerance": 0.9, "commercialization": 0.4},
        ],
        "users": {"audiences": {"friends": 0.5, "business": 0.2, "friends+business": 0.3}},
        "brands": [
            {
                "name": "both",
                "platforms": {
                    "friends": {"sell_share": 0.2},
                    "business": {"posts_per_day": 3.0, "sell_share": 0.8},
                },
            },
            {"name": "business_only", "sell_share": 0.6, "platforms": {"business": {}}},
        ],
    },
}


def _all_on_platforms() -> dict[str, Any]:
    """platforms_reacting with shares (platforms_shares' rates) and, for its first brand, a
    community (platforms_community's rules, with lapse): every mechanism that acts per
    platform at once, so shares are seen as often as friends are on their platform."""
    cfg = copy.deepcopy(SCENARIOS["platforms_reacting"])
    cfg["mechanisms"].update(shares=True, community=True, lapse=True)
    cfg["rules"].update(SCENARIOS["platforms_shares"]["rules"])
    cfg["rules"].update(SCENARIOS["platforms_community"]["rules"])
    cfg["brands"][0]["community_effort"] = 0.4
    return cfg


SCENARIOS["platforms_all"] = _all_on_platforms()


def _config(name: str, seed: int) -> dict[str, Any]:
    cfg = copy.deepcopy(BASE)
    cfg.update(copy.deepcopy(SCENARIOS[name]))
    cfg["seed"] = seed
    return cfg
