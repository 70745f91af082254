"""Tables and figures from the tidy table of all runs of an experiment.

The input ``runs`` has one row per (run, day, brand): the id columns ``run_id``,
``scenario``, ``point``, ``replication``, ``seed`` (and ``member``, the ensemble row, when
the experiment has an ensemble), then one column per swept parameter (a number or boolean,
named by its config path) and per ensemble parameter, then the model metrics of
:data:`socialsim.COLUMNS`. The ``manifest`` names the experiment, its scenarios (the first
is the reference), replications, steps and the sweep design (or None).

Each run is first reduced to its outcomes (:func:`run_outcomes`): final-day values of stock
metrics and totals over days of flow metrics. :func:`summarize` gives the mean and 95%
t-interval over replications, :func:`compare` the paired differences to the reference
scenario (the runner uses common random numbers), :func:`sensitivity` Sobol or Morris
indices, and :func:`make_figures` the plots. :func:`write_report` writes all of them, and
:func:`rebuild` redoes it from a saved ``runs.parquet`` and ``manifest.json``.

The work is split by concept, and every public name is importable from here:
:mod:`.outcomes` (the runs-table contract, :class:`ReportError`, :func:`run_outcomes`),
:mod:`.stats` (:func:`summarize`, :func:`compare`, :func:`best_values`, :func:`bass_check`),
:mod:`.sensitivity` (:func:`sensitivity`), :mod:`.figures` (:func:`make_figures`) and
:mod:`.files` (:func:`atomic_write`). This module writes the report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from .figures import _fig_bass, _figures, make_figures
from .figures import subplots as subplots
from .files import _write_csv, atomic_write
from .outcomes import DAY30 as DAY30
from .outcomes import (
    FINAL_METRICS,
    FLOW_METRICS,
    ID_COLUMNS,
    OUTCOMES,
    SENSITIVITY_METRICS,
    ReportError,
    _check,
    _scenarios,
    run_outcomes,
)
from .sensitivity import SENSITIVITY_SEED, sensitivity
from .stats import BOOTSTRAP_RESAMPLES as BOOTSTRAP_RESAMPLES
from .stats import BOOTSTRAP_SEED as BOOTSTRAP_SEED
from .stats import bass_check, bass_recursion, best_values, compare, summarize

# Every public name of the modules above is importable from here; the ``X as X`` imports
# (subplots, DAY30, BOOTSTRAP_*) are re-exports that were public here but not in __all__.
__all__ = [
    "FINAL_METRICS",
    "FLOW_METRICS",
    "ID_COLUMNS",
    "OUTCOMES",
    "SENSITIVITY_METRICS",
    "SENSITIVITY_SEED",
    "ReportError",
    "atomic_write",
    "bass_check",
    "bass_recursion",
    "best_values",
    "compare",
    "make_figures",
    "rebuild",
    "run_outcomes",
    "sensitivity",
    "summarize",
    "write_report",
]


def write_report(
    outdir: str | Path, runs: pd.DataFrame, manifest: dict[str, Any]
) -> dict[str, Path]:
    """Write the tables and figures of an experiment into ``outdir``.

    A pattern experiment (``manifest["patterns"]``) gets the robustness map instead
    (:mod:`.robustness`). Otherwise writes ``summary.csv``, ``differences.csv`` (two or
    more scenarios), ``sensitivity.csv``
    (Sobol or Morris sweeps), ``best.csv`` (grid sweeps with ``optimize``), ``bass.csv`` and
    ``figures/bass.png`` (scenarios in the Bass limit), ``figures/*.png`` and, last,
    ``report.html`` (the answer in words, figures, tables, settings: :mod:`.html`), each
    atomically (temporary file in the same directory, then :func:`os.replace`). CSVs use a
    fixed float format, so the same runs give byte-identical files.

    Parameters
    ----------
    outdir : str or pathlib.Path
        The experiment directory (created if missing).
    runs : pandas.DataFrame
        The tidy runs table.
    manifest : dict
        The experiment manifest.

    Returns
    -------
    dict of str to pathlib.Path
        Path of every file written, keyed by its path relative to ``outdir`` (for example
        ``"summary.csv"`` or ``"figures/timeseries.png"``).
    """
    _check(runs, manifest)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if manifest.get("patterns"):  # the robustness map: its own tables and figures
        from .robustness import write_robustness

        return _finish(outdir, runs, manifest, write_robustness(outdir, runs, manifest), None)
    written: dict[str, Path] = {}
    summary = summarize(runs, manifest)
    written["summary.csv"] = _write_csv(summary, outdir / "summary.csv")
    diff = compare(runs, manifest) if len(_scenarios(manifest)) >= 2 else None
    if diff is not None:
        written["differences.csv"] = _write_csv(diff, outdir / "differences.csv")
    sens = sensitivity(runs, manifest)
    if sens is not None:
        written["sensitivity.csv"] = _write_csv(sens, outdir / "sensitivity.csv")
    best = best_values(runs, manifest)
    if best is not None:
        written["best.csv"] = _write_csv(best, outdir / "best.csv")
    check = bass_check(runs, manifest)
    figures = _figures(runs, manifest, outdir / "figures", summary, sens)
    if check is not None:
        written["bass.csv"] = _write_csv(check, outdir / "bass.csv")
        figures.append(_fig_bass(check, outdir / "figures" / "bass.png"))
    for path in sorted(figures):
        written[path.relative_to(outdir).as_posix()] = path
    tables = {
        "summary.csv": summary,
        "differences.csv": diff,
        "sensitivity.csv": sens,
        "best.csv": best,
        "bass.csv": check,
    }
    return _finish(outdir, runs, manifest, written, tables)


def _finish(
    outdir: Path,
    runs: pd.DataFrame,
    manifest: dict[str, Any],
    written: dict[str, Path],
    tables: dict[str, pd.DataFrame | None] | None,
) -> dict[str, Path]:
    """Remove stale files, then write ``report.html`` from the tables (None: the CSVs now in
    ``outdir``) and every figure now in ``outdir/figures``. A failed page leaves no
    report.html of an earlier report behind."""
    from .html import REPORT, write_experiment_html

    _remove_stale(outdir, {**written, REPORT: outdir / REPORT})
    try:
        written[REPORT] = write_experiment_html(outdir, runs, manifest, tables)
    except BaseException:
        (outdir / REPORT).unlink(missing_ok=True)
        raise
    return written


#: Files the report may write; those not written this time are left over from an earlier
#: report (e.g. differences.csv after scenarios were removed) and are deleted.
_REPORT_FILES = (
    "summary.csv",
    "differences.csv",
    "sensitivity.csv",
    "best.csv",
    "bass.csv",
    "patterns.csv",
    "discovery.csv",
    "report.html",
)


def _remove_stale(outdir: Path, written: dict[str, Path]) -> None:
    stale = [outdir / name for name in _REPORT_FILES]
    stale += list((outdir / "figures").glob("*.png"))
    keep = {p.resolve() for p in written.values()}
    for path in stale:
        if path.is_file() and path.resolve() not in keep and path.name != "demo.png":
            path.unlink()


def rebuild(outdir: str | Path) -> dict[str, Path]:
    """Rewrite the report of a finished experiment from its saved files.

    Parameters
    ----------
    outdir : str or pathlib.Path
        Directory holding ``runs.parquet`` and ``manifest.json``.

    Returns
    -------
    dict of str to pathlib.Path
        As :func:`write_report`.

    Raises
    ------
    ReportError
        When ``runs.parquet`` or ``manifest.json`` is missing or unreadable.
    """
    outdir = Path(outdir)
    runs_path = outdir / "runs.parquet"
    manifest_path = outdir / "manifest.json"
    for path in (runs_path, manifest_path):
        if not path.is_file():
            raise ReportError(f"cannot rebuild the report: {path} not found")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"cannot read {manifest_path}: {exc}") from None
    if not isinstance(manifest, dict):
        raise ReportError(f"{manifest_path} does not hold a JSON object")
    try:
        runs = pd.read_parquet(runs_path)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise ReportError(f"cannot read {runs_path}: {exc}") from None
    return write_report(outdir, runs, manifest)
