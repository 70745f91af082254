"""Reading a data file (CSV or Parquet) for the calibration readers, with clear errors.

:func:`_read_table` reads the file into a :class:`_Table`, which knows the file name and the
line of each row (the header is line 1) and checks columns and values; every problem raises
:class:`DataError` with a one-line message naming the file, line, column and value.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import ConfigError

_PARQUET = (".parquet", ".pq")


class DataError(ConfigError):
    """Bad data: the one-line message names the file and, where relevant, line, column, value."""


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

    def dates(self, col: str) -> pd.Series:
        """Column ``col`` as timezone-naive dates: a required column of ISO dates (or a
        datetime column of a Parquet file); a missing or unparseable value fails."""
        miss = self.missing_mask(col)
        if miss.any():
            raise self.fail(miss.index[miss.to_numpy()][0], col, "missing value (required)")
        raw = self.df[col]
        if pd.api.types.is_datetime64_any_dtype(raw):
            dates = pd.Series(raw)
        else:
            text = raw.astype(str).str.strip()
            dates = pd.to_datetime(text, errors="coerce", format="ISO8601")
        bad = dates.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise self.fail(
                self.df.index[i],
                col,
                f"{_show(raw.iloc[i])} is not an ISO date (YYYY-MM-DD)",
                int(bad.sum()) - 1,
            )
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
        return dates

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
