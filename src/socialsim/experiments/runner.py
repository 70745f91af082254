"""Run an experiment: every (scenario, sweep point, replication), serially or in parallel.

Each finished run is written atomically to ``DIR/runs/`` as soon as it finishes, so an
interrupted experiment loses at most the runs in flight; running it again skips the runs
already on disk (a run's file name holds a digest of its config, so a changed config reruns
only what changed). When all runs are done, ``runs.parquet``, the report tables and figures
and ``manifest.json`` are written, always in the plan's order: results are identical
whatever the executor, the number of workers or the order in which runs finish.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import platform
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..graphs import GraphFileWarning
from .estimate import check_fits, estimate
from .lock import claim_output
from .pool import EXECUTORS, Executor, open_pool
from .provenance import git_commit, progress_bar, versions, write_parquet, write_text
from .spec import (
    Experiment,
    ExperimentError,
    RunSpec,
    load_experiment,
    unimportable_strategies,
)

ID_COLUMNS = ("run_id", "scenario", "point", "replication", "seed")


@dataclass
class ExperimentResult:
    """What an experiment produced: the tidy runs, the summary table and the manifest."""

    runs: pd.DataFrame
    summary: pd.DataFrame
    manifest: dict[str, Any]
    out: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    kept: int = 0  # saved runs in out/runs of another config (kept until fresh=True)

    @functools.cached_property
    def differences(self) -> pd.DataFrame | None:
        """Paired differences between scenarios and the reference (None if not written)."""
        path = self.files.get("differences.csv")
        return pd.read_csv(path) if path else None


class RunError(RuntimeError):
    """One or more runs raised; the runs that finished are saved."""


# ----------------------------------------------------------------------------- one run
def run_one(spec: RunSpec) -> pd.DataFrame:
    """Simulate one run and prepend its identifying columns (what a worker executes).

    The modules of custom strategies (``spec.imports``) are imported first, so that a fresh
    worker process knows them.
    """
    import importlib

    from ..api import simulate

    for module in spec.imports:
        importlib.import_module(module)
    with warnings.catch_warnings():  # shown once when the experiment was validated
        warnings.simplefilter("ignore", GraphFileWarning)
        df = simulate(spec.config)
    ids = {
        "run_id": spec.run_id,
        "scenario": spec.scenario,
        "point": spec.point,
        "replication": spec.replication,
        "seed": spec.seed,
        **({"member": spec.member} if spec.member is not None else {}),
        **{name: value for name, value in spec.params.items()},
    }
    front = pd.DataFrame({k: [v] * len(df) for k, v in ids.items()})
    return pd.concat([front, df], axis=1)


# ----------------------------------------------------------------------------- executors
def run_and_save(task: tuple[RunSpec, str, dict[str, Any]]) -> int:
    """Run one spec, reduce its table (``[output]``) and write it atomically to
    ``runs_dir/spec.filename``; return the number of rows (what a worker executes: the main
    process receives only this, never the table)."""
    from .output import reduce_run

    spec, runs_dir, meta = task
    df = reduce_run(run_one(spec), spec.output)
    meta = {**meta, "written": dt.datetime.now(dt.UTC).isoformat()}
    write_parquet(df, Path(runs_dir) / spec.filename, meta)
    return len(df)


def execute(
    specs: list[RunSpec],
    runs_dir: Path,
    metas: list[dict[str, Any]],
    executor: Executor,
    workers: int = 1,
    scheduler: str | None = None,
) -> Iterator[tuple[RunSpec, Any]]:
    """Run and save ``specs`` on a pool of workers; yield (spec, rows or exception) as they
    finish."""
    keys = [f"run-{s.digest}-{s.run_id}" for s in specs]
    folder = str(Path(runs_dir).resolve())  # absolute: workers may run elsewhere
    tasks = [(s, folder, m) for s, m in zip(specs, metas, strict=True)]
    with open_pool(executor, workers, scheduler) as pool:
        for i, result in pool(run_and_save, tasks, keys):
            yield specs[i], result


# ----------------------------------------------------------------------------- experiment
def run_experiment(
    source: str | Path | dict[str, Any] | Experiment,
    *,
    out: str | Path | None = None,
    workers: int = 1,
    executor: Executor | None = None,
    scheduler: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    assignments: list[str] | dict[str, Any] | None = None,
    ensemble: str | Path | None = None,
    fresh: bool = False,
    progress: bool | None = None,
    force: bool = False,
) -> ExperimentResult:
    """Run every (scenario, sweep point, replication) of an experiment and save the results.

    Parameters
    ----------
    source : TOML path, dict or Experiment
        The experiment (a plain model config is an experiment with one run).
    out : directory, optional
        Where results go; default ``results/<experiment name>``.
    workers : int
        Parallel workers; more than 1 starts a local Dask cluster (``executor="dask"``).
    executor : "serial", "processes" or "dask", optional
        Default: serial for one worker, Dask otherwise (or when ``scheduler`` is given).
    scheduler : str, optional
        Address of an existing Dask scheduler (e.g. ``tcp://10.0.0.5:8786``).
    replications, seed, assignments
        Overrides of the file's ``replications``, master ``seed`` and ``key.path=value``.
    ensemble : path, optional
        A parquet file of parameter sets (``socialsim calibrate``'s ``ensemble.parquet``),
        overriding the file's ``ensemble``: replication r uses one row, drawn from the master
        seed and r, in every scenario and sweep point (a swept parameter overrides it).
    fresh : bool
        Rerun everything, and delete saved runs of other configs in ``out/runs`` (default:
        resume; runs saved by a different config are kept and counted in ``.kept``).
    progress : bool, optional
        Progress bar on stderr (default: when stderr is a terminal).
    force : bool
        Run even when the memory estimate (:mod:`.estimate`) exceeds the available memory.

    Returns
    -------
    ExperimentResult with ``.runs``, ``.summary`` (DataFrames) and ``.manifest`` (dict).
    Results are identical for any executor, number of workers or order of completion.
    """
    overrides = {
        "replications": replications,
        "seed": seed,
        "assignments": assignments,
        "ensemble": ensemble,
    }
    exp = load_experiment(source, **overrides)
    if any(v is not None for v in overrides.values()) and exp is source:
        exp = load_experiment(exp.raw, **overrides)
    if workers < 1:
        raise ExperimentError(f"workers = {workers}: must be at least 1")
    if executor is None:
        executor = "dask" if (workers > 1 or scheduler) else "serial"
    if executor not in EXECUTORS:
        raise ExperimentError(f"executor = {executor!r}: must be one of {', '.join(EXECUTORS)}")
    local = unimportable_strategies(exp)
    if local and executor != "serial":
        raise ExperimentError(
            f"strategy {', '.join(local)} is defined in __main__ (a notebook or script), which "
            f"{executor} workers cannot import: run with workers=1, or move the class into a "
            "module the workers can import"
        )
    if not force and not scheduler:  # a cluster's memory is its own
        check_fits(estimate(exp, workers))
    out = Path(out) if out is not None else Path("results") / exp.name
    with claim_output(out):
        return _run_into(exp, out, executor, workers, scheduler, fresh, progress)


def _run_into(
    exp: Experiment,
    out: Path,
    executor: Executor,
    workers: int,
    scheduler: str | None,
    fresh: bool,
    progress: bool | None,
) -> ExperimentResult:
    """Run what is not saved yet into ``out`` (held by :func:`claim_output`) and report."""
    runs_dir = out / "runs"
    for leftover in runs_dir.glob(".*.tmp"):  # a killed run's half-written file
        leftover.unlink(missing_ok=True)
    started = dt.datetime.now(dt.UTC)
    specs = exp.runs()
    # --fresh reruns everything and overwrites; nothing is deleted before it is replaced
    todo = specs if fresh else [s for s in specs if not (runs_dir / s.filename).is_file()]
    resumed = len(specs) - len(todo)

    failures: list[tuple[RunSpec, BaseException]] = []
    bar = progress_bar(len(specs), resumed, exp.name, "run", progress)
    try:
        if todo:
            metas = [_run_meta(spec, exp) for spec in todo]
            for spec, result in execute(todo, runs_dir, metas, executor, workers, scheduler):
                if isinstance(result, BaseException):
                    failures.append((spec, result))
                bar.update(1)
    finally:
        bar.close()
    if failures:
        spec, exc = failures[0]
        raise RunError(
            f"{len(failures)} of {len(todo)} runs failed; the {len(todo) - len(failures)} "
            f"finished runs are saved in {runs_dir}. First failure, run {spec.run_id}: "
            f"{type(exc).__name__}: {exc}"
        )

    runs = pd.concat([pd.read_parquet(runs_dir / s.filename) for s in specs], ignore_index=True)
    planned = {s.filename for s in specs}
    others = [p for p in runs_dir.glob("*.parquet") if p.name not in planned]
    if fresh:  # saved runs of an earlier, different config go only when asked
        for path in others:
            path.unlink()
        others = []
    manifest = _manifest(exp, started, executor, workers, scheduler, len(specs), resumed)
    manifest["runs_kept_from_other_configs"] = len(others)
    files = _write_outputs(out, runs, manifest)
    summary = pd.read_csv(files["summary.csv"])
    return ExperimentResult(
        runs=runs, summary=summary, manifest=manifest, out=out, files=files, kept=len(others)
    )


def _write_outputs(out: Path, runs: pd.DataFrame, manifest: dict[str, Any]) -> dict[str, Path]:
    """runs.parquet, the report (tables, figures) and, last, manifest.json."""
    from .report import write_report

    meta = {k: manifest[k] for k in ("name", "master_seed", "socialsim_version", "finished")}
    meta["experiment"] = manifest["experiment"]
    write_parquet(runs, out / "runs.parquet", meta)
    text = json.dumps(manifest, indent=2, default=str, allow_nan=False) + "\n"
    write_text(out / "manifest.json", text)
    files = {"runs.parquet": out / "runs.parquet", "manifest.json": out / "manifest.json"}
    try:
        files.update(write_report(out, runs, manifest))
    except Exception as exc:
        raise RunError(
            f"all runs finished and are saved in {out / 'runs.parquet'}, but the report "
            f"failed: {type(exc).__name__}: {exc}. Rebuild it with: socialsim report {out}"
        ) from exc
    return files


def _run_meta(spec: RunSpec, exp: Experiment) -> dict[str, Any]:
    from .. import __version__

    return {
        "run_id": spec.run_id,
        "experiment": exp.name,
        "seed": spec.seed,
        "member": spec.member,
        "config": spec.config,
        "socialsim_version": __version__,
        "written": dt.datetime.now(dt.UTC).isoformat(),
    }


def _manifest(
    exp: Experiment,
    started: dt.datetime,
    executor: str,
    workers: int,
    scheduler: str | None,
    n_runs: int,
    resumed: int,
) -> dict[str, Any]:
    from .. import __version__

    return {
        "name": exp.name,
        "description": exp.description,
        "scenarios": [name for name, _ in exp.scenarios],
        "replications": exp.replications,
        "steps": max(cfg["steps"] for _, cfg in exp.scenarios),
        "master_seed": exp.seed,
        "crn": exp.crn,
        "sweep": exp.sweep_info(),
        "ensemble": exp.ensemble_info(),
        "patterns": exp.patterns,
        "runs": n_runs,
        "runs_resumed": resumed,
        "experiment": exp.to_dict(),
        "socialsim_version": __version__,
        "dependencies": versions(),
        "git_commit": git_commit(),
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "executor": executor,
        "workers": workers,
        "scheduler": scheduler,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.machine(),
            "cpu_count": os.cpu_count(),
            "hostname": platform.node(),
        },
    }
