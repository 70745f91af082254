"""Content calendars: a brand's posting plan by period, read from a CSV file.

A calendar has one row per period (a day, a week, a month...) and the columns

``days``        length of the period in days (>= 1; 1 for a daily calendar)
``posts``       posts published in the period
``pitch``, ``useful``, ``deal``, ``support``
                the content mix: counts or shares per type (normalised per row; missing
                columns count as 0)
``paid_posts``  posts boosted with paid reach in the period (optional, default 0)
``label``       free text, e.g. the month (optional)

Lines starting with ``#`` are comments. The ``calendar`` strategy
(:class:`socialsim.strategies.CalendarStrategy`) replays the file day by day: each day of a
period gets ``posts / days`` posts with the period's mix. :func:`calendar_from_posts` turns
a post-level export (e.g. a page's year) into a monthly calendar.
"""

from __future__ import annotations

import calendar as _cal
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .config import ConfigError

TYPES = ("pitch", "useful", "deal", "support")
COLUMNS = ("days", "posts", *TYPES, "paid_posts", "label")


class CalendarError(ConfigError):
    """A calendar file is unusable; the message names the file, line and column."""


@dataclass(frozen=True)
class Calendar:
    """A validated calendar: per-period arrays (``days``, ``posts``, ``shares`` (P, 4) in
    :data:`TYPES` order, ``paid_posts``) and the period's first day (0-based)."""

    days: np.ndarray
    posts: np.ndarray
    shares: np.ndarray
    paid_posts: np.ndarray
    labels: tuple[str, ...]

    @property
    def length(self) -> int:
        """Days covered by the calendar."""
        return int(self.days.sum())

    def period(self, day: int, repeat: bool = True) -> int | None:
        """Index of the period that holds ``day`` (0-based), or None after the end."""
        if repeat:
            day %= self.length
        elif day >= self.length:
            return None
        return int(np.searchsorted(np.cumsum(self.days), day, side="right"))


def read_calendar(path: str | Path) -> Calendar:
    """Read and check a calendar CSV; raise :class:`CalendarError` naming file, line, column."""
    path = Path(path)
    name = path.name
    try:
        df = pd.read_csv(path, comment="#", skipinitialspace=True)
    except FileNotFoundError:
        raise CalendarError(f"calendar file not found: {path}") from None
    except IsADirectoryError:
        raise CalendarError(f"calendar file {path} is a directory") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = "empty" if isinstance(exc, pd.errors.EmptyDataError) else "not a readable CSV"
        raise CalendarError(f"calendar file {path} is {reason}") from None
    except OSError as exc:
        raise CalendarError(f"cannot read calendar file {path}: {exc.strerror}") from None
    df.columns = [str(c).strip() for c in df.columns]
    for col in df.columns:
        if col not in COLUMNS:
            raise CalendarError(f"{name}: unknown column '{col}' (columns: {', '.join(COLUMNS)})")
    for col in ("days", "posts"):
        if col not in df.columns:
            raise CalendarError(f"{name}: missing column '{col}' (columns: {', '.join(COLUMNS)})")
    if df.empty:
        raise CalendarError(f"{name}: the calendar has no rows")
    lines = _lines(path, len(df))
    values = {}
    for col in ("days", "posts", *TYPES, "paid_posts"):
        raw = df[col] if col in df.columns else pd.Series(0.0, index=df.index)
        num = pd.to_numeric(raw, errors="coerce")
        for i in range(len(df)):
            v = num.iloc[i]
            if not (math.isfinite(v) and v >= 0):
                raise CalendarError(
                    f"{name}, line {lines[i]}, column '{col}': {raw.iloc[i]!r} is not a "
                    "finite number >= 0"
                )
        values[col] = num.to_numpy(dtype=float)
    for i, d in enumerate(values["days"]):
        if d < 1 or d != int(d):
            raise CalendarError(
                f"{name}, line {lines[i]}, column 'days': {d:g} must be a whole number >= 1"
            )
    mix = np.stack([values[t] for t in TYPES], axis=1)
    total = mix.sum(axis=1)
    for i in np.flatnonzero((total <= 0) & (values["posts"] > 0)):
        raise CalendarError(
            f"{name}, line {lines[i]}: {values['posts'][i]:g} posts but no content mix "
            f"(give {', '.join(TYPES)} as counts or shares)"
        )
    for i in np.flatnonzero(values["paid_posts"] > values["posts"]):
        raise CalendarError(
            f"{name}, line {lines[i]}, column 'paid_posts': {values['paid_posts'][i]:g} is "
            f"more than the period's {values['posts'][i]:g} posts"
        )
    shares = np.divide(mix, total[:, None], out=np.zeros_like(mix), where=total[:, None] > 0)
    labels = df["label"].astype(str) if "label" in df.columns else pd.Series([""] * len(df))
    return Calendar(
        days=values["days"].astype(int),
        posts=values["posts"],
        shares=shares,
        paid_posts=values["paid_posts"],
        labels=tuple(labels),
    )


def _lines(path: Path, rows: int) -> list[int]:
    """File line numbers of the data rows (after the header, skipping comments and blanks)."""
    out = []
    with path.open(encoding="utf-8", errors="replace") as fh:
        seen_header = False
        for number, line in enumerate(fh, start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            if not seen_header:
                seen_header = True
                continue
            out.append(number)
    return out if len(out) == rows else [i + 2 for i in range(rows)]


def calendar_from_posts(posts: pd.DataFrame, year: int = 2014) -> pd.DataFrame:
    """A monthly calendar (the columns of :data:`COLUMNS`) from a tidy post table.

    ``posts`` has one row per post with ``month`` (1..12), ``type`` (a content type) and
    ``paid`` (bool), as :func:`socialsim.calibration.data.read_posts` returns. Months run
    from the first to the last month in the data; ``days`` is the month's length in
    ``year``; the mix columns hold post counts.
    """
    months = range(int(posts["month"].min()), int(posts["month"].max()) + 1)
    rows = []
    for m in months:
        sub = posts[posts["month"] == m]
        row = {"label": f"{year}-{m:02d}", "days": _cal.monthrange(year, m)[1], "posts": len(sub)}
        for t in TYPES:
            row[t] = int((sub["type"] == t).sum())
        row["paid_posts"] = int(sub["paid"].sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=["label", "days", "posts", *TYPES, "paid_posts"])
