"""The shared mixes and their honest verdicts; display labels from the schema."""

from __future__ import annotations

import math

import numpy as np
import pytest

from socialsim.config import Config
from socialsim.labels import bounds, label
from socialsim.mixes import BALANCED, MIXES, paired_interval, verdict


def test_balanced_is_the_schema_default_sell_share():
    assert Config.model_validate({"brands": [{}]}).brands[0].sell_share == BALANCED
    assert list(MIXES.values()) == sorted(MIXES.values())


def test_verdict_follows_the_paired_interval():
    rng = np.random.default_rng(0)
    base = rng.normal(100, 20, size=8)  # large between-seed noise, removed by pairing
    assert verdict(base + 5 + rng.normal(0, 0.5, 8), base) == "ahead"
    assert verdict(base - 5 + rng.normal(0, 0.5, 8), base) == "behind"
    assert verdict(base + rng.normal(0, 5, 8), base) == "no clear difference"
    # a single pair says nothing about noise, however large the gap
    assert verdict([200.0], [100.0]) == "no clear difference"
    mean, low, high = paired_interval([200.0], [100.0])
    assert mean == 100.0 and math.isnan(low) and math.isnan(high)
    mean, low, high = paired_interval([3.0, 5.0, 4.0], [1.0, 2.0, 3.0])
    assert mean == pytest.approx(2.0) and low < mean < high


def test_paired_interval_rejects_unequal_samples():
    with pytest.raises(ValueError):
        paired_interval([1.0, 2.0], [1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("brands[0].sell_share", "sell share (share of posts that pitch)"),
        ("final conversions_total", "cumulative conversions (purchases)"),
        ("total_unfollows", "total unfollows (users)"),
        ("mean_trust", "mean trust in the brand (0-1)"),
        ("my_metric", "my metric"),
    ],
)
def test_labels_come_from_one_place(name, expected):
    assert label(name) == expected


def test_schema_description_reaches_parameter_labels():
    assert "scepticism" in label("users.skepticism")
    assert "brands[0]" not in label("brands[1].posts_per_day")


def test_bounds_fix_shares_and_floor_counts():
    assert bounds("backlash") == (0.0, 1.0)
    assert bounds("total_unfollows") == (0.0, None)
    assert bounds("roi") == (None, None)
