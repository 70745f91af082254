"""Property tests: invariants hold for any valid configuration (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialsim import SocialModel
from socialsim.rules.purchase import purchase_probability

fractions = st.floats(0.0, 1.0, allow_nan=False)

brands = st.fixed_dictionaries(
    {
        "strategy": st.sampled_from(["static", "earn_then_ask", "adaptive", "pitch_first"]),
        "posts_per_day": st.floats(0.0, 12.0),
        "sell_share": fractions,
        "paid_reach": st.floats(0.0, 300.0),
        "targeting": fractions,
        "support_capacity": st.floats(0.0, 30.0),
        "disclosed": st.booleans(),
    }
)

configs = st.fixed_dictionaries(
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
        "mechanisms": st.fixed_dictionaries(
            {
                m: st.booleans()
                for m in (
                    "trust",
                    "favor",
                    "attention",
                    "backlash",
                    "wom",
                    "lapse",
                    "platform_reacts",
                )
            }
        ),
        "brands": st.lists(brands, min_size=1, max_size=3).map(
            lambda bs: [{**b, "name": f"b{i}"} for i, b in enumerate(bs)]
        ),
    }
)


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
        assert not np.any(s.following & s.unfollowed)
        c0 = model.params.platform.commercialization
        if on.platform_reacts:  # time in [0, 1], leavers at 0; the ad load within its bounds
            assert np.all((s.time >= 0) & (s.time <= 1)) and np.all(s.time[s.left] == 0)
            hi = max(c0, model.params.rules.ad_load_max)
            assert c0 - 1e-12 <= s.ad_load <= hi + 1e-12
        else:
            assert s.time is None and s.ad_load == c0
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
    ]
    assert (df[counts] >= 0).all().all()
    assert (df[["followers", "aware", "customers", "reach"]] <= n).all().all()
    assert (df["active_customers"] <= df["customers"]).all()
    if not cfg["mechanisms"]["lapse"]:  # switch off: nobody lapses, every customer is active
        assert (df["lapses"] == 0).all() and (df["winbacks"] == 0).all()
        assert (df["active_customers"] == df["customers"]).all()
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
        # active customers change by first purchases, win-backs and lapses only
        change = g["conversions_new"] + g["winbacks"] - g["lapses"]
        assert (g["active_customers"].to_numpy() == change.cumsum().to_numpy()).all()
        revenue = g["conversions_total"] * model.params.rules.price / g["customers"]
        assert np.allclose(g["revenue_per_customer"], revenue, equal_nan=True)
