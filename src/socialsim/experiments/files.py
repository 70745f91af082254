"""Atomic file writes of the experiment outputs (tables, figures, manifests, results).

:func:`atomic_write` writes into a temporary file beside the target and moves it into place,
so a reader never sees a half-written file; :func:`_write_csv` writes a table with a fixed
float format (6 significant digits), so the same table gives a byte-identical file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

__all__ = ["atomic_write"]

#: Significant digits of floats in the CSVs: far more than the replications' intervals
#: resolve, few enough to read.
_SIGNIFICANT = 6


def _float_text(value: float) -> str:
    """6 significant digits (``%.6g``), but large values keep their integer digits
    (``1234568``, not ``1.23457e+06``) and -0 is written as 0."""
    value = float(value) + 0.0
    if abs(value) >= 10**_SIGNIFICANT:
        return f"{value:.0f}"
    return f"{value:.{_SIGNIFICANT}g}"


#: The ``float_format`` of every CSV the report writes.
_FLOAT_FORMAT = _float_text


def atomic_write(path: str | Path, write: Callable[[str], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then move it into place.

    A reader never sees a half-written file, and an interrupted write leaves none behind.
    The file gets the usual permissions (0666 minus the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    text = df.to_csv(index=False, float_format=_FLOAT_FORMAT, lineterminator="\n")

    def write(tmp: str) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    return atomic_write(path, write)
