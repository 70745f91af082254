"""Property tests: invariants hold for any valid configuration (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialsim import SocialModel
from socialsim.rules.purchase import purchase_probability

fractions = st.floats(0.0, 1.0, allow_nan=False)


def _split(args) -> dict:
    money, weights = args
    total = sum(weights)
    paid, content = weights[0] / total, weights[1] / total
    return {"money": money, "paid": paid, "content": content, "support": 1.0 - paid - content}


#: A budget that sets the plan: money and a split (paid, content, support) summing to 1.
splits = st.tuples(
    st.floats(0.0, 20.0), st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3)
).map(_split)

brands = st.fixed_dictionaries(
    {
        "strategy": st.sampled_from(["static", "earn_then_ask", "adaptive", "pitch_first"]),
        "posts_per_day": st.floats(0.0, 12.0),
        "sell_share": fractions,
        "paid_reach": st.floats(0.0, 300.0),
        "targeting": fractions,
        "support_capacity": st.floats(0.0, 30.0),
        "disclosed": st.booleans(),
        "budget": st.one_of(
            st.none(), st.fixed_dictionaries({"money": st.floats(0.0, 20.0)}), splits
        ),
        "reply_capacity": st.floats(0.0, 10.0),
        "reply_tone": st.sampled_from(["none", "respectful", "defensive"]),
        "community_effort": fractions,
    }
)

MECHANISMS = (
    *("trust", "favor", "attention", "backlash", "wom"),
    *("lapse", "budget", "replies", "community", "shares", "platform_reacts"),
)

_configs = st.fixed_dictionaries(
    {
        "steps": st.integers(1, 25),
        "seed": st.integers(0, 2**31),
        "graph": st.fixed_dictionaries(
            {
                "kind": st.sampled_from(
                    ["barabasi_albert", "watts_strogatz", "erdos_renyi", "communities", "complete"]
                ),
                "n": st.integers(30, 150),
                "p": st.floats(0.05, 0.3),
                "p_in": st.floats(0.1, 0.5),
                "k": st.sampled_from([2, 4, 6]),
                "m": st.integers(1, 4),
            }
        ),
        "users": st.fixed_dictionaries(
            {
                "skepticism": fractions,
                "need_rate": st.floats(0.0, 2.0),
                "initial_awareness": fractions,
            }
        ),
        "platform": st.fixed_dictionaries({"commercialization": fractions}),
        "mechanisms": st.fixed_dictionaries({m: st.booleans() for m in MECHANISMS}),
        "brands": st.lists(brands, min_size=1, max_size=3).map(
            lambda bs: [{**b, "name": f"b{i}"} for i, b in enumerate(bs)]
        ),
    }
)


#: Several platforms ([[platforms]]): two or three with sampled norms, an audience table
#: over some of their combinations and each brand on a sampled subset with sampled plans.
platform_specs = st.lists(
    st.fixed_dictionaries(
        {
            "sell_tolerance": fractions,
            "commercialization": fractions,
            "organic_reach": fractions,
            "friend_posts": st.floats(0.0, 2.0),
        }
    ),
    min_size=2,
    max_size=3,
)
platform_draws = st.tuples(
    st.booleans(),
    platform_specs,
    st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4),
    st.lists(st.lists(st.booleans(), min_size=3, max_size=3), min_size=3, max_size=3),
    st.lists(st.tuples(st.floats(0.0, 6.0), fractions), min_size=3, max_size=3),
)


def _with_platforms(args) -> dict:
    """Add sampled platforms to a config (half of the examples); every mechanism the
    config switched on stays on with them (budgets, shares, communities, the reacting
    platform)."""
    cfg, (on, specs, weights, presence, plans) = args
    if not on:
        return cfg
    names = [f"p{k}" for k in range(len(specs))]
    cfg["platforms"] = [{**spec, "name": name} for spec, name in zip(specs, names, strict=False)]
    combos = ["+".join(names), names[0], names[-1], "+".join(names[:2])]
    shares = dict.fromkeys(combos, 0.0)
    for key, w in zip(combos, weights, strict=False):
        shares[key] += w
    total = sum(shares.values())
    cfg["users"]["audiences"] = {k: v / total for k, v in shares.items()}
    for b, brand in enumerate(cfg["brands"]):
        chosen = [n for n, x in zip(names, presence[b], strict=False) if x] or names[:1]
        posts, sell = plans[b]
        brand["platforms"] = {n: {"posts_per_day": posts, "sell_share": sell} for n in chosen}
        if b == 0:  # one brand keeps its own plan on one of its platforms
            brand["platforms"][chosen[0]] = {}
    return cfg


configs = st.tuples(_configs, platform_draws).map(_with_platforms)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configs)
def test_invariants(cfg):
    model = SocialModel(cfg)
    n = model.state.n_users
    for _ in range(cfg["steps"]):
        model.step()
        s = model.state
        assert np.all((s.trust >= 0) & (s.trust <= 1))
        assert np.all(s.irritation >= 0) and np.all(s.intent >= 0)
        assert np.all(np.isfinite(s.favor))
        on = model.params.mechanisms
        pi = purchase_probability(s, model.params.rules, on.trust, lapse_on=on.lapse)
        assert np.all((pi >= 0) & (pi <= 1))
        customers = s.purchases > 0
        assert not np.any(s.lapsed & ~customers)  # only customers lapse
        active = np.flatnonzero(customers & ~s.lapsed)
        assert np.array_equal(s.active, active if on.lapse else active[:0])
        assert not np.any(s.following & ~s.aware)  # followers are aware
        assert s.share_flat.size == s.share_kind.size and np.all(s.share_kind < 4)
        if on.shares:  # typed doses add up to the attended items
            day = model.day
            assert np.allclose(day.dose_by_type.sum(axis=2), day.attended)
            assert np.all(day.dose_by_type >= 0)
        else:
            assert s.share_flat.size == 0 and model.day.dose_by_type is None
        assert not np.any(s.following & s.unfollowed)
        if on.community:  # the member array is allocated only with the switch on
            assert s.member.shape == s.trust.shape and s.member.dtype == bool
        else:
            assert s.member is None
        c0 = model.params.platform.commercialization
        if model._network is not None and on.platform_reacts:  # per platform: c_k, h_ik
            c0 = model._network.commercialization
        if on.platform_reacts:  # time in [0, 1], leavers at 0; the ad load within its bounds
            assert np.all((s.time >= 0) & (s.time <= 1)) and np.all(s.time[s.left] == 0)
            hi = np.maximum(c0, model.params.rules.ad_load_max)
            assert np.all((c0 - 1e-12 <= s.ad_load) & (s.ad_load <= hi + 1e-12))
            if s.present is not None:  # nobody's time where absent; one leaves only where on
                assert np.all(s.time[~s.present] == 0) and not np.any(s.left & ~s.present)
        else:
            assert s.time is None and s.ad_load == c0
        net = model._network
        if net is None:  # no [[platforms]]: nothing of them exists
            assert s.present is None and model.day.pitch_norm is None
        else:  # several platforms: every user on one at least; items only where both are
            assert s.present.any(axis=1).all()
            day = model.day
            reachable = (s.present[day.rows][:, None, :] & net.on[None, :, :]).any(axis=2)
            own = day.items  # community and shared items reach beyond the brand's platforms
            if on.community:
                own = own - day.community_items
            if on.shares:  # a shared item waits for friends on the sharer's platform only
                own = own - day.shared_items.sum(axis=2)
                assert s.share_platform.size == s.share_flat.size
                assert np.all(s.present[s.share_flat // s.n_brands, s.share_platform])
            assert not np.any((own > 1e-9) & ~reachable)
            assert np.all((day.pitch_share >= 0) & (day.pitch_share <= 1 + 1e-12))
            low = 1.0 - model.params.rules.platform_norm_effect
            assert np.all((day.pitch_norm >= low - 1e-12) & (day.pitch_norm <= 1 + 1e-12))
            for b, brand in enumerate(cfg["brands"]):  # a split's posts, over its platforms
                split = brand["budget"] if on.budget else None
                if split is not None and split.get("paid") is not None:
                    bought = split["money"] * split["content"] / model.params.rules.cost_per_post
                    assert np.isclose(net.posts[b].sum(), bought)
                    assert np.all(net.posts[b][~net.on[b]] == 0)
    df = model.metrics()
    counts = [
        "reach",
        "engagements",
        "followers",
        "unfollows",
        "complaints",
        "conversions_new",
        "conversions_repeat",
        "conversions_total",
        "aware",
        "customers",
        "problems",
        "answered",
        "detections",
        "negative_wom",
        "positive_wom",
        "active_customers",
        "lapses",
        "winbacks",
        "replies",
        "negative_wom_weighted",
        "members",
        "peer_answers",
        "support_load",
        "shares",
        "share_reach",
        "reach_nonfollowers",
    ]
    assert (df[counts] >= 0).all().all()
    by_type = df[[f"shares_{t}" for t in ("pitch", "useful", "deal", "support")]].sum(axis=1)
    assert (by_type == df["shares"]).all()
    assert (df["shares"] <= df["reach"]).all()  # a sharer attended an item today
    assert (df["share_reach"] <= df["reach_organic"]).all()
    assert (df["reach_nonfollowers"] <= df["reach_organic"]).all()
    items = df[[f"items_{t}" for t in ("pitch", "useful", "deal", "support")]].sum(axis=1)
    assert np.allclose(items, df["items_organic"] + df["items_paid"])
    if not cfg["mechanisms"]["shares"]:
        assert (df[["shares", "share_reach"]] == 0).all().all()
    assert (df[["followers", "aware", "customers", "reach"]] <= n).all().all()
    assert (df["active_customers"] <= df["customers"]).all()
    if not cfg["mechanisms"]["lapse"]:  # switch off: nobody lapses, every customer is active
        assert (df["lapses"] == 0).all() and (df["winbacks"] == 0).all()
        assert (df["active_customers"] == df["customers"]).all()
    r = model.params.rules
    for i, b in enumerate(cfg["brands"]):  # a brand with a budget plans within its money
        if b["budget"] is not None and cfg["mechanisms"]["budget"]:
            posts = df.loc[df["brand"] == f"b{i}", "posts"]
            assert (posts * r.cost_per_post <= b["budget"]["money"] + 1e-9).all()
            team_extra = on.replies and b["reply_tone"] != "none" and b["reply_capacity"] > 0
            if b["budget"].get("paid") is not None and b["strategy"] == "static" and not team_extra:
                # a static plan from a split costs exactly the money: never cut, and its
                # posts (summed over platforms) are what the content money buys
                bought = b["budget"]["money"] * b["budget"]["content"] / r.cost_per_post
                assert np.allclose(posts, bought)
    # replies: to complainers only, up to capacity; a reply reweights its complaint by tone
    assert (df["replies"] <= df["complaints"]).all()
    if not cfg["mechanisms"]["replies"]:
        assert (df["replies"] == 0).all()
    for brand in cfg["brands"]:
        g = df[df["brand"] == brand["name"]]
        assert (g["replies"] <= np.ceil(brand["reply_capacity"])).all()
        weighted, messages = g["negative_wom_weighted"], g["negative_wom"]
        if not on.replies or brand["reply_tone"] == "none":
            assert (g["replies"] == 0).all() and (weighted == messages).all()
        elif brand["reply_tone"] == "respectful":
            assert (weighted <= messages + 1e-9).all()
        else:
            assert (weighted >= messages - 1e-9).all()
    assert (df["users_left"] >= 0).all() and (df["users_left"] <= n).all()
    if not cfg["mechanisms"]["platform_reacts"]:  # switch off: the platform metrics are neutral
        assert (df["time_on_platform"] == 1).all() and (df["users_left"] == 0).all()
    for column in (
        "backlash",
        "mean_trust",
        "adopter_share",
        "too_frequent",
        "retention",
        "ad_load",
        "time_on_platform",
        "time_skeptical",
    ):
        values = df[column].dropna()
        assert values.between(0, 1).all(), column
    for _, g in df.groupby("brand"):
        total = (g["conversions_new"] + g["conversions_repeat"]).cumsum()
        assert (g["conversions_total"].to_numpy() == total.to_numpy()).all()
        assert (g["customers"].diff().dropna() >= 0).all()  # adopters never un-adopt
        assert (g["answered"] <= g["problems"]).all()
        assert (g["peer_answers"] <= g["answered"]).all()
        assert (g["support_load"] == g["problems"] - g["peer_answers"]).all()
        assert (g["members"] <= n).all()
        if not cfg["mechanisms"]["community"]:
            assert (g["members"] == 0).all() and (g["peer_answers"] == 0).all()
        # active customers change by first purchases, win-backs and lapses only
        change = g["conversions_new"] + g["winbacks"] - g["lapses"]
        assert (g["active_customers"].to_numpy() == change.cumsum().to_numpy()).all()
        revenue = g["conversions_total"] * model.params.rules.price / g["customers"]
        assert np.allclose(g["revenue_per_customer"], revenue, equal_nan=True)
