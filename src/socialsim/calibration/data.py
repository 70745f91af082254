"""Readers for a brand's real data: post-level exports and daily page-level tables.

:func:`read_posts` reads a post-level export (one row per post, e.g. the Moro et al. 2016
"Facebook metrics" file) through a :class:`PostMapping` into a tidy frame;
:func:`monthly_posts` summarises it per month; :func:`read_daily` reads a daily table of
observable metrics (the columns of :data:`socialsim.metrics.COLUMNS`).

Bad data raises :class:`DataError` with a one-line message naming the file and, where
relevant, the line (the header is line 1), the column and the value.

:func:`read_daily` lives in :mod:`.daily` and the file reading both readers share (with
:class:`DataError`) in :mod:`.table`; both names are re-exported here.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..config import ConfigError
from .daily import read_daily as read_daily
from .table import DataError as DataError
from .table import _lines, _one_line, _read_table, _show

#: The model's content types, in the order of :func:`monthly_posts` columns.
CONTENT_TYPES: tuple[str, ...] = ("pitch", "useful", "deal", "support")

_TRUE = frozenset({"1", "true", "yes", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "f"})


class PostMapping(BaseModel):
    """How a post-level export maps onto the model; defaults match the Moro et al. file.

    Attributes
    ----------
    sep : str
        Field separator of a CSV file.
    followers : str
        Column of the page's followers when the post was published.
    category : str
        Column of the post's category; ``categories`` maps its raw values to content types.
    categories : dict[str, str]
        Raw category value (as a string; ``1`` and ``1.0`` both match ``"1"``) -> model content
        type, one of "pitch", "useful", "deal", "support".
    paid : str or None
        Column that is truthy (1, true, yes) for paid posts; ``None``: all posts are organic.
    month, date : str or None
        Exactly one: a column of months 1..12 or a column of ISO dates. In a TOML file,
        ``month = ""`` unsets the month column (as do empty strings for the other optional
        columns).
    reach, engaged : str
        Columns of unique users reached by and engaged with the post.
    reach_followers, interactions : str or None
        Optional columns: reach among followers; likes + comments + shares.
    year : int
        Calendar year of the posts when only ``month`` is given (``attrs["year"]``).
    """

    model_config = ConfigDict(extra="forbid")

    sep: str = ";"
    followers: str = "Page total likes"
    category: str = "Category"
    categories: dict[str, str] = {"1": "deal", "2": "pitch", "3": "useful"}
    paid: str | None = "Paid"
    month: str | None = "Post Month"
    date: str | None = None
    reach: str = "Lifetime Post Total Reach"
    reach_followers: str | None = "Lifetime Post reach by people who like your Page"
    engaged: str = "Lifetime Engaged Users"
    interactions: str | None = "Total Interactions"
    year: int = 2014

    @field_validator("paid", "month", "date", "reach_followers", "interactions", mode="before")
    @classmethod
    def _unset(cls, v: object) -> object:
        """An empty string unsets an optional column (TOML has no null)."""
        return None if v == "" else v

    @field_validator("sep")
    @classmethod
    def _sep(cls, v: str) -> str:
        if not v:
            raise ValueError("sep must not be empty")
        return v

    @field_validator("categories")
    @classmethod
    def _categories(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError("categories must map at least one raw value to a content type")
        for raw, kind in v.items():
            if kind not in CONTENT_TYPES:
                raise ValueError(
                    f"categories[{raw!r}] = {kind!r} is not a content type "
                    f"({', '.join(CONTENT_TYPES)})"
                )
        return v

    @model_validator(mode="after")
    def _when(self) -> PostMapping:
        if (self.month is None) == (self.date is None):
            raise ValueError("set exactly one of month (a month column) and date (ISO dates)")
        return self


# --------------------------------------------------------------------------- helpers


def _key(value: object) -> str:
    """Normalise a category value: ``1``, ``1.0`` and ``" 1 "`` all give ``"1"``."""
    text = str(value).strip()
    try:
        num = float(text)
    except ValueError:
        return text
    if math.isfinite(num) and num == int(num):
        return str(int(num))
    return text


def _mapping(mapping: PostMapping | dict[str, Any] | None) -> PostMapping:
    if mapping is None:
        return PostMapping()
    if isinstance(mapping, PostMapping):
        return mapping
    try:
        return PostMapping.model_validate(mapping)
    except ValidationError as exc:
        parts = []
        for e in exc.errors():
            loc = ".".join(str(p) for p in e.get("loc", ()))
            msg = str(e.get("ctx", {}).get("error", e["msg"]))
            if e["type"] == "extra_forbidden":
                close = difflib.get_close_matches(loc, list(PostMapping.model_fields), n=1)
                msg = f"unknown key; did you mean '{close[0]}'?" if close else "unknown key"
            parts.append(f"{loc}: {msg}" if loc else msg)
        raise ConfigError("invalid post mapping: " + _one_line("; ".join(parts))) from None


# --------------------------------------------------------------------------- posts


def read_posts(
    path: str | Path, mapping: PostMapping | dict[str, Any] | None = None
) -> pd.DataFrame:
    """Read a post-level export (CSV, or Parquet by suffix) into a tidy frame.

    Parameters
    ----------
    path : str or Path
        The export, one row per post.
    mapping : PostMapping, dict or None
        Column mapping; ``None`` uses the defaults (the Moro et al. file).

    Returns
    -------
    pandas.DataFrame
        One row per post, stably sorted by month (or date) ascending, with columns ``month``
        (int 1..12), ``day_of_year`` (int, only when ``mapping.date`` is set), ``type``
        (content type), ``paid`` (bool), ``followers``, ``reach``, ``reach_followers``,
        ``engaged``, ``interactions`` (float; NaN when unmapped or missing) and ``line`` (the
        file line of the row, header = 1; the row number for Parquet).
        ``attrs["warnings"]`` lists one-line notes on missing optional values;
        ``attrs["year"]`` is ``mapping.year`` (or the first date's year).

    Raises
    ------
    DataError
        Unreadable file, missing mapped column, unmapped category, missing value in a
        required column, bad number, month outside 1..12 or unparseable date.
    ConfigError
        An invalid ``mapping`` dict.
    """
    m = _mapping(mapping)
    t = _read_table(path, m.sep)
    fields = ["followers", "category", "paid", "month", "date", "reach"]
    fields += ["reach_followers", "engaged", "interactions"]
    for field in fields:
        col = getattr(m, field)
        if col is not None:
            t.require(col, field)

    df = t.df
    warnings: list[str] = []
    out = pd.DataFrame(index=df.index)

    if m.month is not None:
        month, _ = t.numeric(m.month, required=True, integer=True)
        out_of_range = (month < 1) | (month > 12)
        if out_of_range.any():
            i = int(np.flatnonzero(out_of_range)[0])
            raise t.fail(
                df.index[i],
                m.month,
                f"month {int(month[i])} is outside 1..12",
                int(out_of_range.sum()) - 1,
            )
        out["month"] = month.astype(int)
        order = out["month"]
        year = m.year
    else:
        assert m.date is not None
        dates = t.dates(m.date)
        out["month"] = dates.dt.month.astype(int)
        out["day_of_year"] = dates.dt.day_of_year.astype(int)
        order = dates
        year = int(dates.min().year)
        years = dates.dt.year.nunique()
        if years > 1:
            warnings.append(
                f"{t.name}: dates in column '{m.date}' span {years} calendar years: "
                "months of different years are pooled"
            )

    cat_miss = t.missing_mask(m.category)
    if cat_miss.any():
        raise t.fail(cat_miss.index[cat_miss.to_numpy()][0], m.category, "missing value (required)")
    lookup = {_key(k): v for k, v in m.categories.items()}
    keys = df[m.category].map(_key)
    unknown = ~keys.isin(list(lookup))
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise t.fail(
            df.index[i],
            m.category,
            f"category {_show(df[m.category].iloc[i])} is not in the mapping "
            f"(mapped: {', '.join(repr(k) for k in m.categories)})",
            int(unknown.sum()) - 1,
        )
    out["type"] = keys.map(lookup).astype(str)

    if m.paid is None:
        out["paid"] = False
    else:
        miss = t.missing_mask(m.paid).to_numpy()
        flags = df[m.paid].map(lambda v: _key(v).lower())
        truthy = flags.isin(list(_TRUE)).to_numpy()
        falsy = flags.isin(list(_FALSE)).to_numpy()
        bad = ~(truthy | falsy | miss)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise t.fail(
                df.index[i],
                m.paid,
                f"{_show(df[m.paid].iloc[i])} is not 0/1, true/false or yes/no",
                int(bad.sum()) - 1,
            )
        if miss.any():
            lines = [t.line(i) for i in df.index[miss]]
            warnings.append(
                f"{t.name}: {len(lines)} missing value{'s' if len(lines) > 1 else ''} in column "
                f"'{m.paid}' ({_lines(lines, t.parquet)}): treated as organic"
            )
        out["paid"] = truthy

    for field in ("followers", "reach", "reach_followers", "engaged", "interactions"):
        col = getattr(m, field)
        if col is None:
            out[field] = np.nan
            continue
        required = field in ("followers", "reach", "engaged")
        vals, missing = t.numeric(col, required=required)
        out[field] = vals
        if missing:
            warnings.append(
                f"{t.name}: {len(missing)} missing value{'s' if len(missing) > 1 else ''} in "
                f"column '{col}' ({_lines(missing, t.parquet)}): left as NaN"
            )

    out["line"] = [t.line(i) for i in df.index]
    out = out.iloc[np.argsort(np.asarray(order), kind="stable")].reset_index(drop=True)
    out.attrs["warnings"] = warnings
    out.attrs["year"] = year
    return out


def monthly_posts(posts: pd.DataFrame) -> pd.DataFrame:
    """Summarise posts (from :func:`read_posts`) per month.

    Parameters
    ----------
    posts : pandas.DataFrame
        Output of :func:`read_posts` (columns ``month``, ``type``, ``paid``, ``followers``,
        ``reach``, ``engaged``).

    Returns
    -------
    pandas.DataFrame
        Index ``month`` (the months present, ascending), columns:

        - ``posts``: posts published in the month;
        - ``pitch``, ``useful``, ``deal``, ``support``: posts of each content type;
        - ``paid_posts``: paid (boosted) posts;
        - ``followers_first``, ``followers_last``: min and max of ``followers`` in the month
          (followers when the month's first and last posts were published);
        - ``reach_organic_median``, ``reach_organic_mean``: median and mean post reach of
          organic posts (NaN if none);
        - ``reach_paid_median``, ``reach_paid_mean``: the same for paid posts (NaN if none);
        - ``engaged_rate_<type>`` for each content type: sum of engaged users over sum of
          reach of the month's posts of that type (NaN if none).
    """
    months = sorted(int(m) for m in posts["month"].unique())
    g = posts.groupby("month")
    res = pd.DataFrame(index=pd.Index(months, name="month"))
    res["posts"] = g.size().reindex(months).astype(int)
    counts = posts.groupby(["month", "type"]).size().unstack(fill_value=0)
    for kind in CONTENT_TYPES:
        col = counts[kind] if kind in counts.columns else pd.Series(dtype=int)
        res[kind] = col.reindex(months, fill_value=0).astype(int)
    res["paid_posts"] = g["paid"].sum().reindex(months).astype(int)
    res["followers_first"] = g["followers"].min().reindex(months).astype(float)
    res["followers_last"] = g["followers"].max().reindex(months).astype(float)
    for label, flag in (("organic", False), ("paid", True)):
        reach = posts[posts["paid"] == flag].groupby("month")["reach"]
        res[f"reach_{label}_median"] = reach.median().reindex(months).astype(float)
        res[f"reach_{label}_mean"] = reach.mean().reindex(months).astype(float)
    for kind in CONTENT_TYPES:
        sums = posts[posts["type"] == kind].groupby("month")[["engaged", "reach"]].sum()
        sums = sums.reindex(months)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = sums["engaged"] / sums["reach"].where(sums["reach"] > 0)
        res[f"engaged_rate_{kind}"] = rate.astype(float)
    return res
