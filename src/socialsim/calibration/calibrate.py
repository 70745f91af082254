"""``calibrate``: fit the model to a brand's data and write the ensemble, fit table and config.

Files written to the output folder (default ``results/<name>``):

``study.sqlite3``     the Optuna study (every trial; resume state)
``calendar.csv``      the brand's calendar built from a post export (if any)
``trials.parquet``    every complete trial: parameters and distance
``ensemble.parquet``  the accepted parameter sets (one row each, with its distance)
``calibrated.toml``   the base config with the best parameter set (``socialsim run`` /
                      ``simulate`` read it directly)
``fit.csv``           observed vs simulated median and 90% band per target, with windows
``fit.png``           the same as a figure
``report.html``       the fit in plain words, the figure and the tables in one page
``manifest.json``     data file hashes, the calibration, seeds, versions, times, coverage
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..experiments.digest import file_sha256
from ..experiments.lock import claim_output
from ..experiments.provenance import git_commit, progress_bar, versions, write_parquet, write_text
from ..experiments.report import atomic_write
from . import results as res
from .report import write_calibration_html
from .search import STUDY, fingerprint, open_study, population, run_trials
from .spec import CALENDAR, Calibration, CalibrationError, load_calibration


@dataclass
class CalibrationResult:
    """A finished calibration: trials, ensemble, fit table, calibrated config, manifest."""

    trials: pd.DataFrame
    ensemble: pd.DataFrame
    fit: pd.DataFrame
    config: dict[str, Any]
    manifest: dict[str, Any]
    out: Path
    files: dict[str, Path] = field(default_factory=dict)


def calibrate(
    source: str | Path | dict[str, Any],
    *,
    out: str | Path | None = None,
    workers: int = 1,
    executor: str | None = None,
    scheduler: str | None = None,
    assignments: dict[str, Any] | None = None,
    fit: tuple[int, int] | None = None,
    validate: tuple[int, int] | None = None,
    trials: int | None = None,
    fresh: bool = False,
    progress: bool | None = None,
) -> CalibrationResult:
    """Calibrate the model to data as described by a calibration file (see ``spec``).

    ``workers`` > 1 runs trials on a local Dask cluster (or ``executor = "processes"``);
    ``fit`` / ``validate`` (first and last period) and ``trials`` override the file. An
    interrupted calibration resumes from ``out/study.sqlite3``; ``fresh`` starts over.
    The ensemble is the same for any number of workers.
    """
    if workers < 1:
        raise CalibrationError(f"workers = {workers}: must be at least 1")
    started = dt.datetime.now(dt.UTC)
    cal = load_calibration(
        source, assignments=assignments, fit=fit, validate=validate, trials=trials
    )
    out = Path(out) if out is not None else Path("results") / cal.name
    with claim_output(out, command="calibrate"):
        return _calibrate_into(cal, out, started, workers, executor, scheduler, fresh, progress)


def _calibrate_into(
    cal: Calibration,
    out: Path,
    started: dt.datetime,
    workers: int,
    executor: str | None,
    scheduler: str | None,
    fresh: bool,
    progress: bool | None,
) -> CalibrationResult:
    """Search, then write every output into ``out`` (held by :func:`claim_output`)."""
    cal.place_calendar(out.resolve())
    files: dict[str, Path] = {}
    if cal.calendar is not None:
        files[CALENDAR] = atomic_write(
            out / CALENDAR, lambda tmp: cal.calendar.to_csv(tmp, index=False)
        )
    digests = [file_sha256(p) for p in cal.data_files]
    study = open_study(cal, out, fingerprint(cal, digests), fresh)
    executor = executor or ("dask" if workers > 1 or scheduler else "serial")
    bar = _progress(cal, study, progress)
    try:
        run_trials(
            cal,
            study,
            workers=workers,
            executor=executor,
            scheduler=scheduler,
            on_trial=lambda: bar.update(1),
        )
    finally:
        bar.close()
    files[STUDY] = out / STUDY
    trials_df = res.trials_table(study, cal)
    if cal.method.name == "apmc":
        final = population(cal, study.get_trials(deepcopy=False), final=True)
        ensemble = res.weighted_population(trials_df, final.kept.trial, final.kept.weight)
        history = final.history
    else:
        ensemble, history = res.accepted(trials_df, cal.method.accept), []
    sims = res.ensemble_sims(study, list(ensemble.trial))
    fit_df = res.fit_table(cal, sims, ensemble.weight.to_numpy())
    best = ensemble.iloc[0][list(cal.priors)].to_dict()
    config = res.calibrated_config(cal, best, out)
    manifest = _manifest(cal, started, digests, executor, workers, trials_df, ensemble, fit_df)
    manifest["generations"] = history
    w = ensemble.weight.to_numpy()
    manifest["ensemble_ess"] = float(w.sum() ** 2 / (w**2).sum())  # effective sample size
    meta = {"name": cal.name, "master_seed": cal.seed, "finished": manifest["finished"]}
    write_parquet(trials_df, out / "trials.parquet", meta)
    write_parquet(ensemble, out / "ensemble.parquet", {**meta, "parameters": list(cal.priors)})
    files["trials.parquet"], files["ensemble.parquet"] = (
        out / "trials.parquet",
        out / "ensemble.parquet",
    )
    files["fit.csv"] = atomic_write(
        out / "fit.csv", lambda tmp: fit_df.to_csv(tmp, index=False, float_format="%.6g")
    )
    files["calibrated.toml"] = out / "calibrated.toml"
    write_text(files["calibrated.toml"], _toml(config, cal, manifest))
    files["fit.png"] = atomic_write(out / "fit.png", lambda tmp: _plot(fit_df, cal, tmp))
    files["report.html"] = write_calibration_html(
        out, manifest, fit_df, ensemble, [files["fit.png"]]
    )
    files["manifest.json"] = out / "manifest.json"
    write_text(files["manifest.json"], json.dumps(manifest, indent=2, default=str) + "\n")
    return CalibrationResult(trials_df, ensemble, fit_df, config, manifest, out, files)


def _plot(fit_df: pd.DataFrame, cal: Calibration, tmp: str) -> None:
    res.plot_fit(fit_df, cal, Path(tmp + ".png"))
    Path(tmp + ".png").replace(tmp)


def _toml(config: dict[str, Any], cal: Calibration, manifest: dict[str, Any]) -> str:
    import tomli_w

    head = (
        f"# socialsim {manifest['socialsim_version']}: calibrated config of '{cal.name}' "
        f"({manifest['finished']})\n# best of {manifest['trials']} trials (distance "
        f"{manifest['best_distance']:.4g}); the ensemble of {manifest['ensemble_size']} "
        "parameter sets is in ensemble.parquet\n"
    )
    return head + tomli_w.dumps(_drop_none(config))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _manifest(
    cal: Calibration,
    started: dt.datetime,
    digests: list[str],
    executor: str,
    workers: int,
    trials: pd.DataFrame,
    ensemble: pd.DataFrame,
    fit_df: pd.DataFrame,
) -> dict[str, Any]:
    from .. import __version__

    return {
        "name": cal.name,
        "description": cal.description,
        "master_seed": cal.seed,
        "method": cal.method.model_dump(),
        "trials": len(trials),
        "ensemble_size": len(ensemble),
        "best_distance": float(ensemble.distance.iloc[0]),
        "accept_distance": float(ensemble.distance.iloc[-1]),
        "windows": {"fit": list(cal.fit), "validate": list(cal.validate or [])},
        "coverage_90": res.coverage(fit_df),
        "data_warnings": cal.warnings,
        "data": [{"path": p, "sha256": d} for p, d in zip(cal.data_files, digests, strict=True)],
        "calibration": cal.raw,
        "priors": {k: v.model_dump() for k, v in cal.priors.items()},
        "socialsim_version": __version__,
        "dependencies": versions(extra=("optuna",)),
        "git_commit": git_commit(),
        "started": started.isoformat(),
        "finished": dt.datetime.now(dt.UTC).isoformat(),
        "executor": executor,
        "workers": workers,
    }


def _progress(cal: Calibration, study: Any, enabled: bool | None) -> Any:
    """A bar over the calibration's trials, starting at those the study has completed."""
    from optuna.trial import TrialState

    done = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))
    total = cal.method.trials
    return progress_bar(total, min(done, total), cal.name, "trial", enabled)
