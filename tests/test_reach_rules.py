"""The two reach rules added for calibration: organic reach trend and friends of engagers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import socialsim
from socialsim.config import PlatformConfig
from socialsim.rules import platform

BASE = {
    "steps": 120,
    "graph": {"n": 1500, "m": 4},
    "rules": {"engage_useful": 0.3, "engage_pitch": 0.2, "engage_deal": 0.2},
    "brands": [{"paid_reach": 0.0}],
}


def test_organic_reach_follows_its_yearly_trend():
    p = PlatformConfig(organic_reach=0.4, commercialization=0.2, organic_reach_trend=-1.0)
    assert platform.organic_reach(p, 0) == pytest.approx(0.32)
    assert platform.organic_reach(p, 365) == pytest.approx(0.32 * math.exp(-1.0))
    up = PlatformConfig(organic_reach=0.9, commercialization=0.0, organic_reach_trend=3.0)
    assert platform.organic_reach(up, 365) == 1.0  # a probability: capped


def test_a_falling_trend_cuts_reach_per_follower_over_the_year():
    cfg = {**BASE, "steps": 365, "platform": {"organic_reach_trend": -1.5}}
    df = socialsim.simulate(cfg, seed=3)
    per_follower = df.items_organic / df.posts / df.followers
    early, late = per_follower[:60].mean(), per_follower[-60:].mean()
    assert late / early == pytest.approx(math.exp(-1.5 * (335 - 29) / 365), rel=0.15)


def test_friends_of_engagers_extend_reach_beyond_followers():
    """Over 4 seeds: with engager_exposure the brand's organic items reach non-followers,
    more users become aware and the brand gains more followers; without it, organic items
    go to followers only."""
    gains = []
    for seed in range(4):
        off = socialsim.simulate(BASE, seed=seed)
        on = socialsim.simulate({**BASE, "platform": {"engager_exposure": 0.3}}, seed=seed)
        # without sharing, organic reach never exceeds the followers
        assert (off.reach_organic <= off.followers.astype(float).shift(1, fill_value=np.inf)).all()
        assert (on.reach_organic > on.followers.astype(float).shift(1, fill_value=np.inf)).any()
        assert on.aware.iloc[-1] > off.aware.iloc[-1]
        gains.append(on.followers.iloc[-1] - off.followers.iloc[-1])
    assert min(gains) > 0, gains


def test_engager_exposure_off_leaves_results_unchanged():
    """The share stream is only drawn when the mechanism is on: exposure 0 gives the same
    run as a config without the key."""
    a = socialsim.simulate({**BASE, "steps": 40}, seed=1)
    b = socialsim.simulate({**BASE, "steps": 40, "platform": {"engager_exposure": 0.0}}, seed=1)
    assert a.equals(b)
