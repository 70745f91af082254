"""What every result file records besides its numbers, and how results reach the disk.

- :func:`versions` and :func:`git_commit`: the package versions and source commit a
  result was produced with (manifests of experiments and calibrations);
- :func:`write_parquet` and :func:`write_text`: atomic writes (a temporary file in the same
  directory, then a rename), so an interrupted run never leaves a half-written file;
- :func:`progress_bar`: a tqdm bar on an interactive terminal, a silent stand-in otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

#: Packages whose versions every manifest records.
DEPENDENCIES = (
    "mesa",
    "numpy",
    "networkx",
    "pandas",
    "scipy",
    "pydantic",
    "pyarrow",
    "dask",
    "distributed",
    "SALib",
    "matplotlib",
)


def versions(extra: tuple[str, ...] = ()) -> dict[str, str | None]:
    """Installed version of each of :data:`DEPENDENCIES` and ``extra`` (None if absent)."""
    out: dict[str, str | None] = {}
    for name in (*DEPENDENCIES, *extra):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def git_commit() -> str | None:
    """The commit of the source tree socialsim runs from, if it is a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        res = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


def write_parquet(df: pd.DataFrame, path: Path, meta: dict[str, Any]) -> None:
    """Write ``df`` atomically with ``meta`` (JSON) under the key ``socialsim`` of its schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .report import atomic_write

    table = pa.Table.from_pandas(df, preserve_index=False)
    old = table.schema.metadata or {}
    table = table.replace_schema_metadata({**old, b"socialsim": json.dumps(meta).encode()})
    atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def write_text(path: Path, text: str) -> None:
    """Write text atomically (temporary file in the same directory, then rename)."""
    from .report import atomic_write

    atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


class _NoBar:
    """The interface of a tqdm bar that shows nothing."""

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, done: int, name: str, unit: str, enabled: bool | None) -> Any:
    """A tqdm bar of ``total`` steps starting at ``done``; shown when ``enabled``, or, when
    ``enabled`` is None, when standard error is a terminal."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, initial=done, desc=name, unit=unit, smoothing=0.1)
