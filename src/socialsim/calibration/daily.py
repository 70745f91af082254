"""Reader of a daily page-level table of observed metrics (the columns of
:data:`socialsim.metrics.COLUMNS`), for calibration to daily data.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import numpy as np
import pandas as pd

from .table import DataError, _lines, _read_table, _show

#: Metrics of the daily table that may be negative (all others are counts, shares or means >= 0).
_SIGNED = frozenset({"favor_balance"})


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
        dates = t.dates("date").dt.normalize()
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
