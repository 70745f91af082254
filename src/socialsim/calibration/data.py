"""Readers for a brand's real data: post-level exports and daily page-level tables.

:func:`read_posts` reads a post-level export (one row per post, e.g. the Moro et al. 2016
"Facebook metrics" file) through a :class:`PostMapping` into a tidy frame;
:func:`monthly_posts` summarises it per month; :func:`read_daily` reads a daily table of
observable metrics (the columns of :data:`socialsim.metrics.COLUMNS`).

Bad data raises :class:`DataError` with a one-line message naming the file and, where
relevant, the line (the header is line 1), the column and the value.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..config import ConfigError

#: The model's content types, in the order of :func:`monthly_posts` columns.
CONTENT_TYPES: tuple[str, ...] = ("pitch", "useful", "deal", "support")

#: Metrics of the daily table that may be negative (all others are counts, shares or means >= 0).
_SIGNED = frozenset({"favor_balance"})
_TRUE = frozenset({"1", "true", "yes", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "f"})
_PARQUET = (".parquet", ".pq")


class DataError(ConfigError):
    """Bad data: the one-line message names the file and, where relevant, line, column, value."""


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
        Exactly one: a column of months 1..12 or a column of ISO dates.
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


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= 42 else text[:39] + "...'"


def _lines(lines: Sequence[int], parquet: bool) -> str:
    word = "row" if parquet else "line"
    shown = ", ".join(str(n) for n in lines[:5])
    more = f", ... ({len(lines)} in all)" if len(lines) > 5 else ""
    return f"{word}{'s' if len(lines) > 1 else ''} {shown}{more}"


class _Table:
    """A raw table with the file name and 1-based line numbers of its rows, for messages."""

    def __init__(self, path: Path, df: pd.DataFrame, parquet: bool, sep: str) -> None:
        self.name = path.name
        self.sep = sep
        self.df = df
        self.parquet = parquet

    def where(self, i: int) -> str:
        """``"line N"`` (CSV, header = line 1) or ``"row N"`` (Parquet) of row label ``i``."""
        return f"{'row' if self.parquet else 'line'} {self.line(i)}"

    def line(self, i: int) -> int:
        return int(i) + (1 if self.parquet else 2)

    def fail(self, i: int, col: str, what: str, more: int = 0) -> DataError:
        extra = f" (and {more} more row{'s' if more > 1 else ''})" if more else ""
        return DataError(f"{self.name}: {self.where(i)}, column '{col}': {what}{extra}")

    def require(self, col: str, field: str | None = None) -> None:
        if col in self.df.columns:
            return
        cols = [str(c) for c in self.df.columns]
        label = f" (mapping.{field})" if field else ""
        head = f"{self.name}: column '{col}'{label} not found in the header"
        if len(cols) == 1 and not self.parquet:
            raise DataError(
                f"{head} {_show(cols[0])}: a single column; is the separator {self.sep!r} right?"
            )
        close = difflib.get_close_matches(col, cols, n=1, cutoff=0.5)
        close = close or [c for c in cols if col.lower() in c.lower() or c.lower() in col.lower()]
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise DataError(f"{head} (columns: {', '.join(repr(c) for c in cols)}){hint}")

    def missing_mask(self, col: str) -> pd.Series:
        raw = self.df[col]
        miss = raw.isna()
        if not pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            miss |= raw.astype(str).str.strip() == ""
        return miss

    def numeric(
        self, col: str, *, required: bool, nonneg: bool = True, integer: bool = False
    ) -> tuple[np.ndarray, list[int]]:
        """Column as floats; errors on bad values. Returns values and lines of missing cells."""
        raw = self.df[col]
        miss = self.missing_mask(col)
        if pd.api.types.is_bool_dtype(raw):
            vals = raw.astype(float).to_numpy()
        elif pd.api.types.is_numeric_dtype(raw):
            vals = pd.to_numeric(raw).to_numpy(dtype=float, na_value=np.nan)
        else:
            text = raw.astype(str).str.strip().where(~miss)
            vals = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        miss_arr = miss.to_numpy()
        labels = self.df.index.to_numpy()
        checks: list[tuple[np.ndarray, str]] = []
        if required:
            checks.append((miss_arr, "missing value (the column is required)"))
        with np.errstate(invalid="ignore"):
            checks.append((np.isnan(vals) & ~miss_arr, "{v} is not a number"))
            checks.append((np.isinf(vals), "{v} is not finite"))
            if nonneg:
                checks.append((vals < 0, "{v} is negative"))
            if integer:
                finite = np.isfinite(vals)
                frac = np.zeros_like(vals, dtype=bool)
                frac[finite] = vals[finite] != np.round(vals[finite])
                checks.append((frac, "{v} is not a whole number"))
        bad_any = np.zeros(len(vals), dtype=bool)
        for bad, _ in checks:
            bad_any |= bad
        if bad_any.any():
            first = int(np.flatnonzero(bad_any)[0])
            what = next(msg for bad, msg in checks if bad[first])
            raise self.fail(
                labels[first],
                col,
                what.format(v=_show(raw.iloc[first])),
                int(bad_any.sum()) - 1,
            )
        return vals, [self.line(i) for i in labels[miss_arr]]


def _read_table(path: str | Path, sep: str) -> _Table:
    """Read a CSV (all cells as text) or Parquet file; file-level problems raise DataError."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"data file not found: {path}")
    if path.is_dir():
        raise DataError(f"data file {path} is a directory, not a file")
    parquet = path.suffix.lower() in _PARQUET
    try:
        if parquet:
            df = pd.read_parquet(path)
        else:
            df = pd.read_csv(path, sep=sep, dtype=str, skip_blank_lines=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise DataError(f"{path.name}: the file is empty ({path})") from None
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path.name}: not a UTF-8 text file (byte {exc.start}): not a CSV export? ({path})"
        ) from None
    except pd.errors.ParserError as exc:
        raise DataError(f"{path.name}: cannot parse the file: {_one_line(exc)}") from None
    except PermissionError:
        raise DataError(f"cannot read data file {path}: permission denied") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"{path.name}: cannot read the file: {_one_line(exc)}") from None
    df = df.reset_index(drop=True)
    df.columns = [str(c).strip() for c in df.columns]
    df = df.dropna(how="all")  # blank lines; row labels keep the line numbers
    if df.empty:
        raise DataError(f"{path.name}: the file has no data rows")
    return _Table(path, df, parquet, sep)


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
        miss = t.missing_mask(m.date)
        if miss.any():
            raise t.fail(miss.index[miss.to_numpy()][0], m.date, "missing value (required)")
        raw = df[m.date]
        if pd.api.types.is_datetime64_any_dtype(raw):
            dates = pd.Series(raw)
        else:
            text = raw.astype(str).str.strip()
            dates = pd.to_datetime(text, errors="coerce", format="ISO8601")
        bad = dates.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise t.fail(
                df.index[i],
                m.date,
                f"{_show(raw.iloc[i])} is not an ISO date (YYYY-MM-DD)",
                int(bad.sum()) - 1,
            )
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
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


# --------------------------------------------------------------------------- daily


def read_daily(path: str | Path) -> pd.DataFrame:
    """Read a daily page-level table (CSV, or Parquet by suffix) of observed metrics.

    Parameters
    ----------
    path : str or Path
        A comma-separated table with a ``day`` column (int >= 1, the model's step numbers) or
        a ``date`` column (ISO dates; ``day`` = days since the first date + 1), and any subset
        of the metric names of :data:`socialsim.metrics.COLUMNS` (except ``step``, ``brand``).

    Returns
    -------
    pandas.DataFrame
        Columns ``day`` (int) then the metrics in file order (float; missing cells NaN), one
        row per day, sorted by day.

    Raises
    ------
    DataError
        Unreadable file, unknown column, no day/date or metric column, duplicate days, day
        below 1, unparseable date, or a non-numeric, non-finite or (except for signed metrics
        such as ``favor_balance``) negative value.
    """
    from socialsim.metrics import COLUMNS

    allowed = [c for c in COLUMNS if c not in ("step", "brand")]
    t = _read_table(path, ",")
    cols = list(t.df.columns)
    for col in cols:
        if col in allowed or col in ("day", "date"):
            continue
        if col == "step":
            hint = "; name the step column 'day'"
        elif col == "brand":
            hint = "; the daily table is for one brand: drop the 'brand' column"
        elif len(cols) == 1 and any(c in col for c in ";\t|"):
            hint = ": the file must be comma-separated"
        else:
            close = difflib.get_close_matches(col, [*allowed, "day", "date"], n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
        if not hint:
            hint = f" (allowed: day or date, and the metrics {', '.join(allowed)})"
        raise DataError(f"{t.name}: unknown column {_show(col)}{hint}")
    metrics = [c for c in cols if c in allowed]
    if "day" in cols and "date" in cols:
        raise DataError(f"{t.name}: has both a 'day' and a 'date' column; keep one")
    if "day" not in cols and "date" not in cols:
        raise DataError(f"{t.name}: no 'day' or 'date' column (columns: {', '.join(cols)})")
    if not metrics:
        raise DataError(f"{t.name}: no metric column (expected some of: {', '.join(allowed)})")

    df = t.df
    if "day" in cols:
        day, _ = t.numeric("day", required=True, nonneg=False, integer=True)
        low = day < 1
        if low.any():
            i = int(np.flatnonzero(low)[0])
            raise t.fail(df.index[i], "day", f"day {int(day[i])} is below 1", int(low.sum()) - 1)
        days = day.astype(int)
    else:
        miss = t.missing_mask("date")
        if miss.any():
            raise t.fail(miss.index[miss.to_numpy()][0], "date", "missing value (required)")
        text = df["date"].astype(str).str.strip()
        dates = pd.to_datetime(text, errors="coerce", format="ISO8601")
        bad = dates.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise t.fail(
                df.index[i],
                "date",
                f"{_show(text.iloc[i])} is not an ISO date (YYYY-MM-DD)",
                int(bad.sum()) - 1,
            )
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
        dates = dates.dt.normalize()
        days = ((dates - dates.min()).dt.days + 1).to_numpy(dtype=int)

    dup = pd.Series(days).duplicated(keep=False).to_numpy()
    if dup.any():
        which = int(days[np.flatnonzero(dup)[0]])
        lines = [t.line(i) for i in df.index[days == which]]
        raise DataError(
            f"{t.name}: day {which} appears more than once ({_lines(lines, t.parquet)}, "
            f"column '{'day' if 'day' in cols else 'date'}')"
        )

    out = pd.DataFrame({"day": days}, index=df.index)
    for col in metrics:
        vals, _ = t.numeric(col, required=False, nonneg=col not in _SIGNED)
        out[col] = vals
    return out.sort_values("day", kind="stable").reset_index(drop=True)
