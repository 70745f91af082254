"""Content calendars, the calendar strategy, and the per-type / unfollow-reason metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import socialsim
from socialsim.calendar import CalendarError, calendar_from_posts, read_calendar
from socialsim.metrics import COLUMNS
from socialsim.rules.day import CONTENT_TYPES
from socialsim.state import REASONS

CAL = """# a test calendar
label,days,posts,pitch,useful,deal,support,paid_posts
jan,31,31,1,1,0,0,10
feb,28,56,1,1,2,0,0
"""


@pytest.fixture
def cal_path(tmp_path):
    path = tmp_path / "cal.csv"
    path.write_text(CAL)
    return path


def test_read_calendar_normalises_mix_and_finds_periods(cal_path):
    cal = read_calendar(cal_path)
    assert cal.length == 59
    np.testing.assert_allclose(cal.shares[1], [0.25, 0.25, 0.5, 0.0])
    assert cal.period(0) == 0 and cal.period(30) == 0 and cal.period(31) == 1
    assert cal.period(59) == 0  # repeats
    assert cal.period(59, repeat=False) is None


def test_calendar_strategy_replays_the_file(cal_path):
    cfg = {
        "steps": 70,
        "graph": {"n": 600},
        "brands": [
            {
                "strategy": "calendar",
                "calendar": str(cal_path),
                "params": {"paid_reach_per_post": 31.0},
            }
        ],
    }
    df = socialsim.simulate(cfg)
    jan, feb = df[df.step <= 31], df[(df.step > 31) & (df.step <= 59)]
    assert jan.posts.sum() == pytest.approx(31) and feb.posts.sum() == pytest.approx(56)
    assert jan.paid_posts.sum() == pytest.approx(10) and feb.paid_posts.sum() == 0
    assert jan.posts_pitch.sum() == pytest.approx(15.5)
    assert feb.posts_deal.sum() == pytest.approx(28)
    # 10 paid posts x 31 impressions each, spread over January (Bernoulli draws per user)
    assert 200 < jan.items_paid.sum() < 420 and feb.items_paid.sum() == 0
    assert df[df.step == 60].posts.iloc[0] == pytest.approx(1.0)  # starts over


def test_calendar_strategy_stops_without_repeat(cal_path):
    brand = {"strategy": "calendar", "calendar": str(cal_path), "params": {"repeat": 0.0}}
    df = socialsim.simulate({"steps": 62, "graph": {"n": 300}, "brands": [brand]})
    assert (df[df.step > 59].posts == 0).all()


def test_calendar_strategy_needs_a_file():
    with pytest.raises(socialsim.ConfigError, match="calendar"):
        socialsim.simulate({"steps": 2, "graph": {"n": 50}, "brands": [{"strategy": "calendar"}]})


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("days,posts,pitch\n31,x,1\n", "line 2, column 'posts'"),
        ("days,posts,pitch\n31,3,1\n0,3,1\n", "line 3, column 'days'"),
        ("days,posts,pitch\n31,3,-1\n", "line 2, column 'pitch'"),
        ("days,posts,pitch,paid_posts\n31,3,1,5\n", "column 'paid_posts'"),
        ("days,posts,pitch\n31,3,0\n", "no content mix"),
        ("days,posts,pich\n31,3,1\n", "unknown column 'pich'"),
        ("posts,pitch\n3,1\n", "missing column 'days'"),
        ("days,posts\n", "no rows"),
        ("# only\n\n", "empty"),
    ],
)
def test_bad_calendars_name_file_line_and_column(tmp_path, text, expect):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(CalendarError) as info:
        read_calendar(path)
    msg = str(info.value)
    assert expect in msg and "bad.csv" in msg and "\n" not in msg


def test_unusable_calendar_files(tmp_path):
    with pytest.raises(CalendarError, match="not found"):
        read_calendar(tmp_path / "missing.csv")
    with pytest.raises(CalendarError, match="directory"):
        read_calendar(tmp_path)
    binary = tmp_path / "bin.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CalendarError, match=r"bin\.csv"):
        read_calendar(binary)


def test_calendar_from_posts_counts_by_month(tmp_path):
    posts = pd.DataFrame(
        {
            "month": [1, 1, 1, 3],
            "type": ["pitch", "deal", "deal", "useful"],
            "paid": [True, False, False, False],
        }
    )
    cal = calendar_from_posts(posts, year=2014)
    assert list(cal.label) == ["2014-01", "2014-02", "2014-03"]
    assert list(cal.days) == [31, 28, 31] and list(cal.posts) == [3, 0, 1]
    assert cal.loc[0, "deal"] == 2 and cal.loc[0, "paid_posts"] == 1
    path = tmp_path / "cal.csv"
    cal.to_csv(path, index=False)
    assert read_calendar(path).length == 90  # a month without posts is a valid period


def test_per_type_metrics_add_up():
    """Types partition posts, items and engagements; reasons partition unfollows."""
    cfg = {
        "steps": 120,
        "graph": {"n": 800},
        "brands": [{"sell_share": 0.8, "posts_per_day": 8.0, "support_capacity": 0.0}],
    }
    df = socialsim.simulate(cfg)
    for col in (
        *(f"{k}_{t}" for k in ("posts", "items", "engagements") for t in CONTENT_TYPES),
        *(f"unfollows_{r}" for r in REASONS),
        "items_organic",
        "items_paid",
    ):
        assert col in COLUMNS and col in df.columns
    posts = df[[f"posts_{t}" for t in CONTENT_TYPES]].sum(axis=1)
    np.testing.assert_allclose(posts, df.posts)
    items = df[[f"items_{t}" for t in CONTENT_TYPES]].sum(axis=1)
    np.testing.assert_allclose(items, df.items_organic + df.items_paid)
    eng = df[[f"engagements_{t}" for t in CONTENT_TYPES]].sum(axis=1)
    assert (eng == df.engagements).all()
    reasons = df[[f"unfollows_{r}" for r in REASONS]].sum(axis=1)
    assert (reasons == df.unfollows).all() and df.unfollows.sum() > 20
    # hard selling: most unfollows are for too many promotions or too frequent posts
    top = df[[f"unfollows_{r}" for r in REASONS]].sum().idxmax()
    assert top in ("unfollows_promotions", "unfollows_frequency")
    assert (df.reach_organic <= df.items_organic + 1e-9).all()
    assert (df.reach_paid == df.items_paid).all()


def test_engagement_split_follows_the_rates():
    """Over a year, engagements per delivered item rank by the engage_* rates."""
    rules = {"engage_pitch": 0.02, "engage_useful": 0.2, "engage_deal": 0.08}
    cfg = {"steps": 200, "graph": {"n": 1500}, "rules": rules}
    df = socialsim.simulate(cfg)
    rate = {t: df[f"engagements_{t}"].sum() / df[f"items_{t}"].sum() for t in CONTENT_TYPES}
    assert rate["useful"] > rate["deal"] > rate["pitch"]


def test_use_brand_mix_keeps_the_schedule_and_swaps_the_mix(cal_path):
    brand = {
        "strategy": "calendar",
        "calendar": str(cal_path),
        "sell_share": 0.8,
        "serve_mix": {"useful": 1.0},
        "params": {"use_brand_mix": 1.0},
    }
    df = socialsim.simulate({"steps": 59, "graph": {"n": 300}, "brands": [brand]})
    assert df.posts.sum() == pytest.approx(87)  # the calendar's volume
    np.testing.assert_allclose(df.posts_pitch, 0.8 * df.posts)
    np.testing.assert_allclose(df.posts_useful, 0.2 * df.posts)
    assert df.paid_posts.sum() == pytest.approx(10)


def test_start_day_plans_the_calendar_from_a_later_period(cal_path):
    """'This calendar next quarter': start_day = 31 starts the run in February's period."""
    brand = {"strategy": "calendar", "calendar": str(cal_path), "params": {"start_day": 31.0}}
    df = socialsim.simulate({"steps": 30, "graph": {"n": 300}, "brands": [brand]})
    assert df.posts.iloc[0] == pytest.approx(2.0) and df.posts.iloc[27] == pytest.approx(2.0)
    assert df.posts.iloc[28] == pytest.approx(1.0)  # day 59 of the calendar: January again
