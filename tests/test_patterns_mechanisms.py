"""Patterns of the optional mechanisms (issue 13: lapse, budgets, replies, community, shares,
the reacting platform, several platforms) over replications with fixed seeds, paired.

Each test states its replications and margin; the canonical experiments (results/README.md)
hold the full-size evidence.
"""

from __future__ import annotations

import numpy as np
import pytest

from replicate import at, config, run_all

REPS = 4
SMALL_GRAPH = {"kind": "barabasi_albert", "n": 1000, "m": 5}
COMMUNITY_REPS = 10
pytestmark = pytest.mark.slow


def _mean(frames, fn):
    return float(np.mean([fn(df) for df in frames]))


def final(df, column):
    return float(df[column].iloc[-1])


def test_lapse_serve_first_keeps_customers_hard_sell_churns_them():
    """Customers lapse ([mechanisms] lapse): retention (active / customers) at day 365 is
    higher for serve-only (sell share 0) and balanced (0.3) than for hard sell (0.9), paired
    by seed. Measured over these 4 seeds: balanced 0.685, serve-only 0.634, hard sell 0.426;
    paired margins +0.259 (sd 0.022) and +0.208 (sd 0.004). Asserted: mean margins above
    0.15 and 0.10 (each 0.11 below the measured one: 5 and 27 standard deviations of a
    seed's paired difference) and a positive margin at every seed."""
    shares = (0.0, 0.3, 0.9)
    on = {"lapse": True}
    frames = run_all(
        [config(s, {"sell_share": x}, mechanisms=on) for x in shares for s in range(REPS)]
    )
    retention = {
        x: np.array([final(df, "retention") for df in frames[i * REPS : (i + 1) * REPS]])
        for i, x in enumerate(shares)
    }
    margins = {x: retention[x] - retention[0.9] for x in (0.0, 0.3)}
    print(
        {x: (round(float(m.mean()), 3), round(float(m.std(ddof=1)), 3)) for x, m in margins.items()}
    )
    assert margins[0.3].mean() > 0.15 and (margins[0.3] > 0).all(), retention
    assert margins[0.0].mean() > 0.10 and (margins[0.0] > 0).all(), retention


def test_budget_interior_split_sells_most():
    """Budgets and team: at a fixed budget (100 a day, the money model of
    experiments/budget.toml), the even split between paid reach, content and support sells
    more by day 365 than every split that leaves one use out (the three corners and the three
    edge midpoints), paired by seed. Measured over these 4 seeds: mean margins +175 (all paid),
    +743 (all content), +770 (all support), +83 (no support), +67 (no content), +756 (no
    paid); the smallest single-seed margin +54. Asserted: every mean margin above 25 and a
    positive margin at every seed."""
    prices = {"price": 40.0, "cost_per_post": 50.0, "cost_per_paid": 0.008, "cost_per_agent": 5.0}
    third = 1.0 / 3.0
    splits = [
        (1.0, 0.0, 0.0),
        (0.0, 1.0, 0.0),
        (0.0, 0.0, 1.0),
        (0.5, 0.5, 0.0),
        (0.5, 0.0, 0.5),
        (0.0, 0.5, 0.5),
        (third, third, 1.0 - 2.0 * third),
    ]
    frames = run_all(
        [
            config(s, {"budget": dict(money=100.0, paid=a, content=c, support=u)}, rules=prices)
            for a, c, u in splits
            for s in range(REPS)
        ]
    )
    conv = [
        np.array([final(df, "conversions_total") for df in frames[i * REPS : (i + 1) * REPS]])
        for i in range(len(splits))
    ]
    even = conv[-1]
    margins = {splits[i]: even - conv[i] for i in range(len(splits) - 1)}
    print({k: (float(m.mean()), float(m.min())) for k, m in margins.items()})
    for split, margin in margins.items():
        assert margin.mean() > 25 and (margin > 0).all(), (split, margin)


def test_replies_respectful_lowers_negative_wom_and_backlash():
    """Public replies ([mechanisms] replies) at equal capacity, a brand whose support is
    below demand (P7's case on 1,000 users: support 0.5 a day, one public reply a day):
    respectful replies lower the cumulative reply-weighted negative WOM and the backlash at
    day 365 compared with no replies and with defensive replies, paired by seed. Measured
    over these 4 seeds (365 days): backlash none 0.114, respectful 0.044, defensive 0.366;
    weighted negative WOM none 3,157, respectful 2,424, defensive 4,344 (messages, not
    weighted, are not lowered: 3,157, 3,425, 3,324; replies do not prevent complaints).
    Asserted: a lower value at every seed, mean backlash margins below -0.03 (none) and
    -0.10 (defensive), and
    respectful weighted negative WOM below 0.9 times none's."""
    brand = {"support_capacity": 0.5, "sell_share": 0.3, "reply_capacity": 1.0}
    on = {"replies": True}
    tones = ("none", "respectful", "defensive")
    configs = [
        {**config(s, {**brand, "reply_tone": t}, mechanisms=on), "graph": SMALL_GRAPH}
        for t in tones
        for s in range(REPS)
    ]
    frames = run_all(configs)
    runs = {t: frames[i * REPS : (i + 1) * REPS] for i, t in enumerate(tones)}
    backlash = {t: np.array([final(d, "backlash") for d in f]) for t, f in runs.items()}
    weighted = {t: np.array([d["negative_wom_weighted"].sum() for d in f]) for t, f in runs.items()}
    messages = {t: np.array([d["negative_wom"].sum() for d in f]) for t, f in runs.items()}
    print({t: (backlash[t].mean(), weighted[t].mean(), messages[t].mean()) for t in tones})
    for other, margin in (("none", 0.03), ("defensive", 0.10)):
        assert (backlash["respectful"] < backlash[other]).all(), backlash
        assert (backlash["respectful"] - backlash[other]).mean() < -margin, backlash
        assert (weighted["respectful"] < weighted[other]).all(), weighted
    assert weighted["respectful"].mean() < 0.9 * weighted["none"].mean(), weighted


def test_community_keeps_customers_takes_support_load_and_pays_off_late():
    """Brand community ([mechanisms] community and lapse): 20% of the posts to a community
    against none (effort 0), same posts per day, paired by seed over COMMUNITY_REPS seeds.

    Measured over these 10 seeds (margins community minus none; mean, sd of a seed's
    difference): retention at day 365 +0.071 (0.047), support load over the year -235 (58),
    repeat purchases +19.0 (30.5), cumulative conversions at day 90 -9.2 (8.5) and at day 365
    +9.6 (40.2), their gain from day 90 to 365 +18.8 (35.3). Asserted: retention up by more
    than 0.03 on average and at every seed (0.9 sd below the measured mean), support load
    down by more than 100 on average and at every seed (2.3 sd below), repeat purchases up on
    average (2.0 standard errors of the mean above 0); pays off late: no better at day 90
    (mean margin below +2: 4.2 standard errors above the measured one), ahead at day 365
    (mean margin above 0: only 0.8 standard errors) and gaining from day 90 to 365 (mean
    above 0: 1.7 standard errors). The late margins are noisy at 10 seeds: the committed
    experiment (results/community, 20 replications) gives the intervals (day 365: +23.0,
    10.9 to 35.1)."""
    on = {"lapse": True, "community": True}
    frames = run_all(
        [
            config(s, {"community_effort": e}, mechanisms=on)
            for e in (0.0, 0.2)
            for s in range(COMMUNITY_REPS)
        ]
    )
    none, comm = frames[:COMMUNITY_REPS], frames[COMMUNITY_REPS:]

    def margin(fn):
        return np.array([fn(c) - fn(n) for c, n in zip(comm, none, strict=True)])

    retention = margin(lambda d: final(d, "retention"))
    load = margin(lambda d: d["support_load"].sum())
    repeat = margin(lambda d: d["conversions_repeat"].sum())
    early = margin(lambda d: at(d, 90, "conversions_total"))
    late = margin(lambda d: at(d, 365, "conversions_total"))
    print(
        {
            k: (round(float(v.mean()), 3), round(float(v.std(ddof=1)), 3))
            for k, v in dict(
                retention=retention,
                load=load,
                repeat=repeat,
                early=early,
                late=late,
                gain=late - early,
            ).items()
        }
    )
    assert retention.mean() > 0.03 and (retention > 0).all(), retention
    assert load.mean() < -100 and (load < 0).all(), load
    assert repeat.mean() > 0, repeat
    assert early.mean() < 2.0, early
    assert late.mean() > 0, late
    assert (late - early).mean() > 0, (late, early)


def test_shares_useful_content_spreads_further_and_reach_grows_beyond_followers():
    """Shares ([mechanisms] shares): a useful post is shared more than a pitch, and shares
    carry serve-heavy brands beyond their followers more than pitch-heavy ones, paired by
    seed. Measured over these 4 seeds: balanced (sell share 0.3) shares per useful post 0.93,
    per pitch 0.10 (ratio 8.0-10.4 per seed; the rates' ratio share_useful / share_pitch is
    10, cascades and trust move it); organic reach beyond followers over the year: hard sell
    168, balanced 1029, serve only 1522 user-days; paired margins over hard sell +861 (sd 9)
    and +1354 (sd 75) for serve only. Asserted: per-post ratio above 3 at every seed; margins
    above 500 and 1000 (at least 4.7 sd of a seed's paired difference below the measured
    ones) and positive at every seed; balanced's non-follower reach in the last 90 days above
    1.5 times that of the first 90 at every seed (measured 2.6-5.6)."""
    sell = (0.9, 0.3, 0.0)
    on = {"shares": True}
    frames = run_all(
        [config(s, {"sell_share": x}, mechanisms=on) for x in sell for s in range(REPS)]
    )
    runs = {x: frames[i * REPS : (i + 1) * REPS] for i, x in enumerate(sell)}
    per_post = np.array(
        [
            [
                d["shares_useful"].sum() / d["posts_useful"].sum(),
                d["shares_pitch"].sum() / d["posts_pitch"].sum(),
            ]
            for d in runs[0.3]
        ]
    )
    beyond = {x: np.array([d["reach_nonfollowers"].sum() for d in f]) for x, f in runs.items()}
    margins = {x: beyond[x] - beyond[0.9] for x in (0.3, 0.0)}
    growth = np.array(
        [
            d["reach_nonfollowers"].iloc[-90:].mean() / d["reach_nonfollowers"].iloc[:90].mean()
            for d in runs[0.3]
        ]
    )
    print(per_post.round(3), {x: b.tolist() for x, b in beyond.items()}, growth.round(2))
    assert (per_post[:, 0] > 3 * per_post[:, 1]).all(), per_post
    assert (beyond[0.9] > 0).all(), beyond
    assert margins[0.3].mean() > 500 and (margins[0.3] > 0).all(), beyond
    assert margins[0.0].mean() > 1000 and (margins[0.0] > 0).all(), beyond
    assert (growth > 1.5).all(), growth


def _brand_totals(frames: list, column: str) -> np.ndarray:
    """(seeds, brands): ``column`` summed over the days of each run, per brand."""
    return np.array([df.groupby("brand")[column].sum().to_numpy() for df in frames])


def _commons(seed: int, paid: tuple[float, ...]) -> dict:
    """Three established brands on a platform that reacts (experiments/commons.toml, on
    1,000 users for 200 days)."""
    cfg = config(
        seed,
        users={"initial_awareness": 0.9, "initial_follow": 0.5},
        mechanisms={"platform_reacts": True},
    )
    cfg.update(steps=200, graph={"kind": "barabasi_albert", "n": 1000, "m": 5})
    cfg["brands"] = [{"name": f"b{i}", "paid_reach": p} for i, p in enumerate(paid)]
    return cfg


def test_reacting_platform_arms_race_is_a_commons():
    """[mechanisms] platform_reacts: when every brand buys 20 times more paid reach (400 a
    day each instead of 20), the ad load rises, time on the platform falls (more among
    sceptical users) and every brand's organic items fall, paired by seed; a brand that
    escalates alone gains conversions while the others lose organic items. Measured over
    these 4 seeds: ad load 0.328 (modest 0.206); organic items per brand -3.6%, -5.8%,
    -5.5% (per seed and brand from +1.2% to -12.8%: 1,000 users are noisy); time on the
    platform -6.2%, among sceptics -7.2%; the solo escalator +149 conversions, the others'
    organic items -6.4% and -6.7%. Asserted: the ad load up by more than 0.05 at every
    seed; all brands' organic items down together at every seed, by more than 3% on
    average, and each brand's on average; time down by more than 2% at every seed and by
    0.3 points more among sceptics; the solo escalator gains conversions at every seed and
    the others lose organic items on average."""
    modest, race, solo = (20.0,) * 3, (400.0,) * 3, (400.0, 20.0, 20.0)
    frames = run_all([_commons(s, paid) for paid in (modest, race, solo) for s in range(REPS)])
    runs = {k: frames[i * REPS : (i + 1) * REPS] for i, k in enumerate(("modest", "race", "solo"))}

    def total(name, column):  # (seeds, brands): the column summed over days
        return _brand_totals(runs[name], column)

    def last(name, column):  # (seeds, brands): the final day's value
        return np.array([df.groupby("brand")[column].last().to_numpy() for df in runs[name]])

    organic = total("race", "items_organic") / total("modest", "items_organic") - 1
    time_fall = 1 - last("race", "time_on_platform")[:, 0]
    sceptic_fall = 1 - last("race", "time_skeptical")[:, 0]
    solo_conv = last("solo", "conversions_total") - last("modest", "conversions_total")
    solo_organic = total("solo", "items_organic") / total("modest", "items_organic") - 1
    print(
        {
            "ad_load": last("race", "ad_load")[:, 0].round(3).tolist(),
            "organic": organic.mean(axis=0).round(3).tolist(),
            "time_fall": round(float(time_fall.mean()), 4),
            "sceptic_fall": round(float(sceptic_fall.mean()), 4),
            "solo_conv": solo_conv.mean(axis=0).round(1).tolist(),
            "solo_organic": solo_organic.mean(axis=0).round(3).tolist(),
        }
    )
    assert (last("race", "ad_load") > last("modest", "ad_load") + 0.05).all()
    everyone = total("race", "items_organic").sum(1) / total("modest", "items_organic").sum(1)
    assert (everyone < 1).all() and organic.mean() < -0.03, organic
    assert (organic.mean(axis=0) < 0).all(), organic
    assert (time_fall > 0.02).all() and (sceptic_fall > time_fall + 0.003).all()
    assert (solo_conv[:, 0] > 0).all() and (solo_organic[:, 1:].mean(axis=0) < 0).all()


def test_commons_past_saturation_total_engagement_falls():
    """[mechanisms] platform_reacts, past the point where the feed is saturated: when every
    brand goes from 600 to 1,000 paid impressions a day (1,000 users), each brand's organic
    reach and its total engagements (paid items included) fall, paired by seed, and time
    on the platform falls more among sceptical users. Measured over these 4 seeds: total
    engagements per seed and brand -2.2% to -9.0% in 11 of 12 (one +0.6%), -5.0% on
    average; organic reach -42% to -48%; time -6.0%, sceptics -6.6%. Asserted: every
    seed's total over brands lower, each brand's mean lower, the average below -2%;
    organic reach down by more than 20% for every seed and brand; the sceptics' time down
    by a larger share than everyone's at every seed."""
    levels = (600.0, 1000.0)
    frames = run_all([_commons(s, (p,) * 3) for p in levels for s in range(REPS)])
    runs = dict(zip(levels, (frames[:REPS], frames[REPS:]), strict=True))

    def total(level, column):  # (seeds, brands)
        return _brand_totals(runs[level], column)

    def last(level, column):  # (seeds,): the same for every brand
        return np.array([df[column].iloc[-1] for df in runs[level]])

    engagement = total(1000.0, "engagements") / total(600.0, "engagements") - 1
    everyone = total(1000.0, "engagements").sum(1) / total(600.0, "engagements").sum(1) - 1
    organic = total(1000.0, "reach_organic") / total(600.0, "reach_organic") - 1
    time_fall = 1 - last(1000.0, "time_on_platform") / last(600.0, "time_on_platform")
    sceptic_fall = 1 - last(1000.0, "time_skeptical") / last(600.0, "time_skeptical")
    print(engagement.round(3), organic.round(3), time_fall.round(4), sceptic_fall.round(4))
    assert (everyone < 0).all() and engagement.mean() < -0.02, engagement
    assert (engagement.mean(axis=0) < 0).all(), engagement
    assert (organic < -0.2).all(), organic
    assert (sceptic_fall > time_fall).all() and (time_fall > 0.02).all()


PLATFORMS = [
    {"name": "friends", "sell_tolerance": 0.0, "friend_posts": 0.6},
    {"name": "business", "sell_tolerance": 0.8, "friend_posts": 0.3},
]
PLATFORM_REPS = 2


def _on_platform(seed, platform, sell_share, audiences):
    return config(
        seed,
        {"sell_share": sell_share, "platforms": {platform: {}}},
        graph=SMALL_GRAPH,
        platforms=PLATFORMS,
        users={"audiences": audiences},
    )


def test_platforms_best_sell_share_higher_where_selling_is_expected():
    """[[platforms]]: the same brand on a friends-oriented network (pitches grate fully,
    more friends' posts) or on a business-oriented one (sell_tolerance 0.8), audiences of
    the same size (60% of users each, 20% on both); sell share swept 0.2-0.8. The best sell
    share (conversion-weighted centre of the top 10% of the mean curve, as in P6) is higher
    on the business network, by at least 0.1, and the per-seed argmax is at least as high
    at every seed (measured: 0.40 vs 0.55, per-seed argmax 0.5/0.4 vs 0.6/0.5;
    results/platforms: +0.19 over 10 seeds of 2,000 users)."""
    shares = [round(0.1 * i, 1) for i in range(2, 9)]
    audiences = {"friends": 0.4, "business": 0.4, "friends+business": 0.2}
    conv = {}
    for platform in ("friends", "business"):
        frames = run_all(
            [
                _on_platform(seed, platform, s, audiences)
                for s in shares
                for seed in range(PLATFORM_REPS)
            ]
        )
        conv[platform] = np.array(
            [
                [
                    final(frames[i * PLATFORM_REPS + r], "conversions_total")
                    for r in range(PLATFORM_REPS)
                ]
                for i in range(len(shares))
            ]
        )  # (shares, seeds)

    def centre(curve):
        top = curve >= 0.9 * curve.max()
        return float(np.average(np.array(shares)[top], weights=curve[top]))

    best = {k: centre(v.mean(axis=1)) for k, v in conv.items()}
    argmax = {k: np.array(shares)[v.argmax(axis=0)] for k, v in conv.items()}
    print(best, {k: v.tolist() for k, v in argmax.items()})
    assert best["business"] - best["friends"] >= 0.1, best
    assert (argmax["business"] >= argmax["friends"]).all(), argmax


def test_platforms_being_where_the_customers_are_beats_a_better_mix():
    """[[platforms]]: every user is on the friends network, 10% also on the business one
    (few of the brand's customers are there). The brand on the friends network with a worse
    mix for it (sell share 0.6; its best there is about 0.4) sells more than the same brand
    on the business network with the best mix there (0.6), at every seed (4 seeds,
    paired), by at least 30% on average (measured: 250 vs 156 conversions). Not a general
    law: with 20% of users on the business network the two tie (234 vs 228) and with 30%
    the better mix there wins (293 vs 226): results/platform_choice."""
    audiences = {"friends": 0.9, "friends+business": 0.1}
    seeds = range(4)
    frames = run_all(
        [_on_platform(s, p, 0.6, audiences) for p in ("friends", "business") for s in seeds]
    )
    friends = np.array([final(df, "conversions_total") for df in frames[:4]])
    business = np.array([final(df, "conversions_total") for df in frames[4:]])
    print(friends.tolist(), business.tolist())
    assert (friends > business).all() and friends.mean() >= 1.3 * business.mean()
