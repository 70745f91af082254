"""The shared mixes and their honest verdicts; display labels from the schema."""

from __future__ import annotations

import math

import numpy as np
import pytest

from socialsim.config import Config
from socialsim.labels import axis_limits, bounds, label, point_label, title, value_text
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
        ("users.skepticism", "audience scepticism (mean, 0-1)"),
        ("mechanisms.favor", "favour bank"),
        ("brands[2].posts_per_day", "posts per day"),
        ("roi", "return on cost, (revenue - cost) / cost (-1 = nothing back)"),
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


def test_schema_fallback_is_one_short_clause():
    text = label("users.skepticism_concentration")
    assert text.startswith("skepticism concentration (") and text.count("(") == 1
    assert "`" not in label("rules.pitch_withdrawal")


def test_titles_drop_the_unit():
    assert title("final conversions_total") == "cumulative conversions"
    assert title("roi") == "return on cost"
    assert title("brands[0].sell_share") == "sell share"
    assert title("users.skepticism") == "audience scepticism"


def test_points_are_named_by_their_values():
    assert point_label({"mechanisms.favor": False}) == "favour bank off"
    assert point_label({"mechanisms.favor": np.bool_(True)}) == "favour bank on"
    assert point_label({"brands[0].disclosed": False}) == "promotion disclosed: no"
    both = {"users.skepticism": 0.2, "brands[0].sell_share": np.float64(0.30000000000000004)}
    assert point_label(both) == "audience scepticism 0.2, sell share 0.3"
    assert value_text("graph.n", 2000.0) == "2000" and value_text("x", 0.0199) == "0.0199"


def test_axis_limits_are_honest():
    assert axis_limits("mean_trust", [0.40025, 0.40031]) == (0.0, 1.0)
    assert axis_limits("backlash", [0.002, 0.0035]) == (0.0, 0.01)  # visible, not dramatic
    assert axis_limits("backlash", [0.3]) == (0.0, 0.5)
    assert axis_limits("backlash", [0.93]) == (0.0, 1.0)
    lo, hi = axis_limits("conversions_total", [120, 300])
    assert lo == 0.0 and hi > 300
    lo, hi = axis_limits("roi", [-0.961, -0.958])  # includes 0: noise stays small
    assert lo < -0.961 and hi == 0.0
    assert axis_limits("conversions_total", []) == (0.0, 1.0)
