"""Calibration data readers: post exports, monthly summaries, daily tables, clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialsim.calibration.data import (
    DataError,
    PostMapping,
    monthly_posts,
    read_daily,
    read_posts,
)
from socialsim.config import ConfigError

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MORO = SHARED_DATA / "facebook_brand_posts.csv"

HEADER = (
    "Page total likes;Category;Post Month;Paid;Lifetime Post Total Reach;"
    "Lifetime Post reach by people who like your Page;Lifetime Engaged Users;Total Interactions"
)
GOOD = [
    "1200;2;3;0;500;300;40;12",  # line 2
    "1100;1;2;1;900;200;50;10",  # line 3
    "1000;3;2;0;400;250;60;20",  # line 4
]


@pytest.fixture
def moro_path() -> Path:
    if not MORO.is_file():
        pytest.skip(f"real post data not available: {MORO} is absent (../shared not beside repo)")
    return MORO


def write_moro(tmp_path: Path, rows: list[str], name: str = "posts.csv") -> Path:
    """A small file with the default (Moro) column names; data rows start at line 2."""
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def error(fn, *args, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        fn(*args, **kwargs)
    msg = str(info.value)
    assert "\n" not in msg, msg
    return msg


# --------------------------------------------------------------------------- real file


def test_real_file_reads_500_posts(moro_path):
    posts = read_posts(moro_path)
    assert len(posts) == 500
    assert posts["type"].value_counts().to_dict() == {"deal": 215, "useful": 155, "pitch": 130}
    assert posts["month"].is_monotonic_increasing
    assert posts["paid"].dtype == bool and posts["paid"].sum() == 139
    assert posts["followers"].min() == 81370 and posts["followers"].max() == 139441
    assert posts.attrs["warnings"] == [
        "facebook_brand_posts.csv: 1 missing value in column 'Paid' (line 501): treated as organic"
    ]
    assert sorted(posts["line"]) == list(range(2, 502))


def test_real_file_monthly(moro_path):
    monthly = monthly_posts(read_posts(moro_path))
    assert list(monthly.index) == list(range(1, 13))
    assert monthly.loc[1, "posts"] == 25 and monthly.loc[10, "posts"] == 60
    assert monthly["posts"].sum() == 500
    assert (monthly[["pitch", "useful", "deal", "support"]].sum(axis=1) == monthly["posts"]).all()
    assert (monthly["support"] == 0).all() and monthly["engaged_rate_support"].isna().all()
    assert (monthly["followers_first"] <= monthly["followers_last"]).all()
    assert monthly["reach_paid_median"].notna().all()


# --------------------------------------------------------------------------- posts


def test_small_file_sorted_by_month(tmp_path):
    posts = read_posts(write_moro(tmp_path, GOOD))
    assert list(posts["month"]) == [2, 2, 3]
    assert list(posts["line"]) == [3, 4, 2]  # stable within a month
    assert list(posts["type"]) == ["deal", "useful", "pitch"]
    assert list(posts["paid"]) == [True, False, False]
    assert "day_of_year" not in posts.columns
    assert posts.attrs["warnings"] == [] and posts.attrs["year"] == 2014


def test_generic_export_with_custom_mapping(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "posted,kind,fans,boosted,seen,clicked\n"
        "2021-03-05,promo,2000,yes,800,40\n"
        "2021-01-10,tip,1900,no,600,60\n"
        "2021-01-02,promo,1800,,500,\n"
    )
    mapping = {
        "sep": ",",
        "date": "posted",
        "month": None,
        "category": "kind",
        "categories": {"promo": "pitch", "tip": "useful"},
        "followers": "fans",
        "paid": "boosted",
        "reach": "seen",
        "engaged": "clicked",
        "reach_followers": None,
        "interactions": None,
    }
    with pytest.raises(DataError, match=r"line 4, column 'clicked': missing value"):
        read_posts(path, mapping)
    path.write_text(path.read_text().replace("500,\n", "500,30\n"))
    posts = read_posts(path, PostMapping(**mapping))
    assert list(posts["day_of_year"]) == [2, 10, 64]
    assert list(posts["month"]) == [1, 1, 3]
    assert list(posts["type"]) == ["pitch", "useful", "pitch"]
    assert list(posts["paid"]) == [False, False, True]
    assert posts["interactions"].isna().all() and posts["reach_followers"].isna().all()
    assert posts.attrs["year"] == 2021
    # a TOML file cannot write None: an empty string unsets an optional column too
    toml_style = {**mapping, "month": "", "reach_followers": "", "interactions": ""}
    assert PostMapping(**toml_style) == PostMapping(**mapping)
    assert "'boosted' (line 4): treated as organic" in posts.attrs["warnings"][0]


def test_parquet_and_float_categories(tmp_path):
    df = pd.read_csv(write_moro(tmp_path, GOOD), sep=";").astype(float)
    df.to_parquet(tmp_path / "posts.parquet")
    posts = read_posts(tmp_path / "posts.parquet")  # Category 1.0 matches "1"
    assert list(posts["type"]) == ["deal", "useful", "pitch"]


def test_optional_missing_values_warn(tmp_path):
    rows = [*GOOD, "1300;2;4;0;700;;50;"]  # line 5
    posts = read_posts(write_moro(tmp_path, rows))
    assert posts["interactions"].isna().sum() == 1
    warnings = " | ".join(posts.attrs["warnings"])
    assert "column 'Total Interactions' (line 5): left as NaN" in warnings
    assert "column 'Lifetime Post reach by people who like your Page' (line 5)" in warnings


def test_invalid_mapping():
    with pytest.raises(ConfigError, match="not a content type"):
        read_posts("x.csv", {"categories": {"1": "advert"}})
    with pytest.raises(ConfigError, match="exactly one of month"):
        read_posts("x.csv", {"date": "day"})
    with pytest.raises(ConfigError, match="colour: unknown key"):
        read_posts("x.csv", {"colour": "red"})
    with pytest.raises(ConfigError, match="did you mean 'engaged'"):
        read_posts("x.csv", {"engagd": "Clicks"})


def test_file_level_errors(tmp_path):
    assert "not found" in error(read_posts, tmp_path / "nope.csv")
    assert "is a directory" in error(read_posts, tmp_path)
    (tmp_path / "empty.csv").write_text("")
    assert "empty.csv: the file is empty" in error(read_posts, tmp_path / "empty.csv")
    (tmp_path / "head.csv").write_text(HEADER + "\n\n")
    assert "head.csv: the file has no data rows" in error(read_posts, tmp_path / "head.csv")
    (tmp_path / "blob.csv").write_bytes(bytes(range(256)) * 4)
    assert "blob.csv: not a UTF-8 text file" in error(read_posts, tmp_path / "blob.csv")
    (tmp_path / "bad.parquet").write_text("not parquet")
    assert "bad.parquet: cannot read" in error(read_posts, tmp_path / "bad.parquet")


def test_missing_column_suggests(tmp_path):
    path = write_moro(tmp_path, GOOD)
    path.write_text(path.read_text().replace("Lifetime Engaged Users", "Lifetime Engaged User"))
    msg = error(read_posts, path)
    assert "posts.csv: column 'Lifetime Engaged Users' (mapping.engaged) not found" in msg
    assert "did you mean 'Lifetime Engaged User'" in msg and "'Page total likes'" in msg
    comma = tmp_path / "comma.csv"
    comma.write_text(HEADER.replace(";", ",") + "\n1,2,3,4,5,6,7,8\n")
    assert "a single column; is the separator ';' right?" in error(read_posts, comma)


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("1000;4;2;0;400;250;60;20", "Category", "category '4' is not in the mapping"),
        ("1000;;2;0;400;250;60;20", "Category", "missing value"),
        ("1000;3;13;0;400;250;60;20", "Post Month", "month 13 is outside 1..12"),
        ("1000;3;2.5;0;400;250;60;20", "Post Month", "'2.5' is not a whole number"),
        ("1000;3;;0;400;250;60;20", "Post Month", "missing value"),
        ("1000;3;2;maybe;400;250;60;20", "Paid", "'maybe' is not 0/1"),
        ("-5;3;2;0;400;250;60;20", "Page total likes", "'-5' is negative"),
        ("1000;3;2;0;lots;250;60;20", "Lifetime Post Total Reach", "'lots' is not a number"),
        ("1000;3;2;0;;250;60;20", "Lifetime Post Total Reach", "missing value"),
        ("1000;3;2;0;400;250;inf;20", "Lifetime Engaged Users", "'inf' is not finite"),
        ("1000;3;2;0;400;250;60;x", "Total Interactions", "'x' is not a number"),
    ],
)
def test_row_errors_name_file_line_column_value(tmp_path, row, column, expected):
    msg = error(read_posts, write_moro(tmp_path, [*GOOD, row]))
    assert msg.startswith(f"posts.csv: line 5, column '{column}': ")
    assert expected in msg


def test_unknown_category_lists_mapped_values(tmp_path):
    rows = [*GOOD, "1000;7;2;0;400;250;60;20", "1000;8;2;0;400;250;60;20"]
    msg = error(read_posts, write_moro(tmp_path, rows))
    assert "line 5, column 'Category': category '7'" in msg
    assert "(mapped: '1', '2', '3')" in msg and "(and 1 more row)" in msg


def test_bad_date(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("date,cat,f,r,e\n2021-01-01,a,1,2,1\n05/13/2021x,a,1,2,1\n")
    mapping = {"sep": ",", "month": None, "date": "date", "category": "cat", "paid": None}
    mapping |= {"categories": {"a": "deal"}, "followers": "f", "reach": "r", "engaged": "e"}
    mapping |= {"reach_followers": None, "interactions": None}
    msg = error(read_posts, path, mapping)
    assert "d.csv: line 3, column 'date': '05/13/2021x' is not an ISO date" in msg


def test_monthly_posts_small():
    posts = pd.DataFrame(
        {
            "month": [1, 1, 1, 3],
            "type": ["pitch", "pitch", "support", "deal"],
            "paid": [False, True, False, False],
            "followers": [100.0, 110.0, 105.0, 120.0],
            "reach": [100.0, 300.0, 50.0, 80.0],
            "engaged": [10.0, 20.0, 5.0, 8.0],
        }
    )
    m = monthly_posts(posts)
    assert list(m.index) == [1, 3] and m.index.name == "month"
    assert m.loc[1, ["posts", "pitch", "support", "deal", "paid_posts"]].tolist() == [3, 2, 1, 0, 1]
    assert m.loc[1, "followers_first"] == 100 and m.loc[1, "followers_last"] == 110
    assert m.loc[1, "reach_organic_median"] == 75 and m.loc[1, "reach_paid_mean"] == 300
    assert m.loc[1, "engaged_rate_pitch"] == pytest.approx(30 / 400)
    assert np.isnan(m.loc[3, "reach_paid_median"]) and np.isnan(m.loc[1, "engaged_rate_deal"])


# --------------------------------------------------------------------------- daily


def test_read_daily_subset_sorted(tmp_path):
    path = tmp_path / "daily.csv"
    path.write_text("day,followers,reach,favor_balance\n2,110,50,-0.5\n1,100,,0.1\n3,120,70,0\n")
    daily = read_daily(path)
    assert list(daily.columns) == ["day", "followers", "reach", "favor_balance"]
    assert list(daily["day"]) == [1, 2, 3] and np.isnan(daily.loc[0, "reach"])
    assert daily.loc[1, "favor_balance"] == -0.5


def test_read_daily_dates_and_parquet(tmp_path):
    path = tmp_path / "daily.csv"
    path.write_text("date,engagements\n2014-01-03,5\n2014-01-01,3\n2014-02-01,9\n")
    daily = read_daily(path)
    assert list(daily["day"]) == [1, 3, 32] and list(daily["engagements"]) == [3, 5, 9]
    daily.to_parquet(tmp_path / "daily.parquet")
    pd.testing.assert_frame_equal(read_daily(tmp_path / "daily.parquet"), daily)


def test_read_daily_metrics_come_from_columns(tmp_path, monkeypatch):
    import socialsim.metrics as metrics

    monkeypatch.setitem(metrics.COLUMNS, "saves", "saves today")
    path = tmp_path / "daily.csv"
    path.write_text("day,saves\n1,4\n")
    assert list(read_daily(path)["saves"]) == [4]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day,folowers\n1,3\n", "unknown column 'folowers'; did you mean 'followers'?"),
        ("step,reach\n1,3\n", "unknown column 'step'; name the step column 'day'"),
        ("day;reach\n1;3\n", "unknown column 'day;reach': the file must be comma-separated"),
        ("day\n1\n", "no metric column"),
        ("reach\n1\n", "no 'day' or 'date' column"),
        ("day,reach\n1,3\n2,4\n1,5\n", "day 1 appears more than once (lines 2, 4, column 'day')"),
        ("day,reach\n1,3\n0,4\n", "line 3, column 'day': day 0 is below 1"),
        ("day,reach\n1,3\n2,-4\n", "line 3, column 'reach': '-4' is negative"),
        ("day,reach\n1,3\n2,many\n", "line 3, column 'reach': 'many' is not a number"),
        ("day,reach\n1,3\n2,nan\n3,inf\n", "line 4, column 'reach': 'inf' is not finite"),
        ("date,reach\n2014-01-01,3\nsoon,4\n", "line 3, column 'date': 'soon' is not an ISO"),
    ],
)
def test_read_daily_errors(tmp_path, text, expected):
    path = tmp_path / "obs.csv"
    path.write_text(text)
    msg = error(read_daily, path)
    assert msg.startswith("obs.csv: ") and expected in msg
