"""The search: Optuna trials of parameter sets, evaluated over replications, kept in SQLite.

Each trial draws a parameter set, runs the model ``replications`` times (common random
numbers: replication r has the same seed in every trial), computes the targets of each run
and scores the trial by the distance between the mean simulated targets and the data in
the fit window (:func:`socialsim.calibration.targets.distance`).

Methods:

``abc``  rejection ABC: parameter sets are drawn from the prior (trial ``k`` from a
         generator seeded by the master seed and ``k``; enqueued into the study), and the
         ensemble is the share ``accept`` of trials closest to the data: a sample from the
         approximate posterior whose tolerance is that distance quantile.
``tpe``  Optuna's TPE sampler concentrates trials where the distance is small (seeded per
         batch); the ensemble is again the closest share of trials. Faster to a good fit, but
         the ensemble then over-represents the searched region: a set of parameter values
         consistent with the data, not a posterior sample.

Trials run in batches of ``batch`` (whatever the number of workers) and are told in trial
order, so the study, and the ensemble, are the same for any number of workers. The study
lives in ``DIR/study.sqlite3``: an interrupted calibration resumes where it stopped (trials
asked but not told are evaluated again with their recorded parameters).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..experiments.pool import open_pool
from ..experiments.spec import run_seed, strategy_modules
from .spec import Calibration, CalibrationError
from .targets import TargetPlan, distance, simulated

STUDY = "study.sqlite3"


def evaluate(task: tuple[dict[str, Any], TargetPlan, tuple[str, ...]]) -> np.ndarray:
    """Run one model config and return its targets (what a worker executes)."""
    import importlib

    from ..api import simulate

    config, plan, imports = task
    for module in imports:
        importlib.import_module(module)
    df = simulate(config)
    first = df["brand"].iloc[0]
    return simulated(df[df["brand"] == first], plan)


def fingerprint(cal: Calibration, data_digests: list[str]) -> str:
    """Digest of everything that determines the trials except their number (the budget)."""
    from .. import __version__

    text = json.dumps(
        {
            "base": cal.base,
            "priors": {k: v.model_dump() for k, v in cal.priors.items()},
            "observed": cal.observed.to_json(),
            "method": cal.method.model_dump(exclude={"trials"}),
            "seed": cal.seed,
            "data": data_digests,
            "version": __version__,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def prior_draw(cal: Calibration, number: int) -> dict[str, float]:
    """Trial ``number``'s parameter set for ABC: one uniform per parameter, from a generator
    seeded by the master seed and the trial number (so any trial can be redrawn)."""
    ss = np.random.SeedSequence(entropy=cal.seed, spawn_key=(2**30, number))
    u = np.random.default_rng(ss).random(len(cal.priors))
    return {k: prior.draw(float(x)) for (k, prior), x in zip(cal.priors.items(), u, strict=True)}


def open_study(cal: Calibration, out: Path, digest: str, fresh: bool) -> Any:
    """Create or reopen the study in ``out``; refuse a study of a different calibration."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    path = out / STUDY
    if fresh and path.exists():
        path.unlink()
    storage = f"sqlite:///{path.resolve()}"
    study = optuna.create_study(
        study_name=cal.name, storage=storage, direction="minimize", load_if_exists=True
    )
    known = study.user_attrs.get("fingerprint")
    if known is None:
        study.set_user_attr("fingerprint", digest)
    elif known != digest:
        raise CalibrationError(
            f"{path} holds the trials of a different calibration (the file, data or package "
            "changed): use --fresh to start over or --out for another folder"
        )
    return study


def run_trials(
    cal: Calibration,
    study: Any,
    *,
    workers: int = 1,
    executor: str = "serial",
    scheduler: str | None = None,
    on_trial: Callable[[], None] | None = None,
) -> None:
    """Run trials until ``cal.method.trials`` are complete (resuming unfinished ones)."""
    import optuna
    from optuna.distributions import FloatDistribution
    from optuna.trial import TrialState

    method = cal.method
    dists = {k: FloatDistribution(p.low, p.high, log=p.log) for k, p in cal.priors.items()}
    seeds = [run_seed(cal.seed, r, "", 0, crn=True) for r in range(method.replications)]
    imports = strategy_modules(cal.base)
    obs = cal.observed
    observed, weight, eps = (obs[c].to_numpy(float) for c in ("observed", "weight", "eps"))
    with open_pool(executor, workers, scheduler) as pool:  # type: ignore[arg-type]
        while True:
            trials = study.get_trials(deepcopy=False)
            complete = sum(t.state == TrialState.COMPLETE for t in trials)
            running = [t for t in trials if t.state == TrialState.RUNNING]
            if complete >= method.trials and not running:
                return
            # trials asked but not told (an interrupted session): evaluate them again
            batch = [(optuna.trial.Trial(study, t._trial_id), t.params) for t in running]
            room = min(method.batch, method.trials - complete - len(running))
            if room > 0:
                if method.name == "tpe":
                    study.sampler = optuna.samplers.TPESampler(
                        seed=_batch_seed(cal.seed, len(trials)),
                        n_startup_trials=max(10, method.trials // 10),
                    )
                for _ in range(room):
                    if method.name == "abc":
                        study.enqueue_trial(prior_draw(cal, len(study.get_trials(deepcopy=False))))
                    trial = study.ask(dists)
                    batch.append((trial, trial.params))
            tasks = [
                (cal.config_for(params, seed), cal.plan, imports)
                for _, params in batch
                for seed in seeds
            ]
            sims: list[Any] = [None] * len(tasks)
            for i, result in pool(evaluate, tasks, None):
                sims[i] = result
            R = len(seeds)
            for k, (trial, params) in enumerate(batch):
                runs = sims[k * R : (k + 1) * R]
                failed = next((r for r in runs if isinstance(r, BaseException)), None)
                if failed is not None:
                    study.tell(trial, state=TrialState.FAIL)
                    raise CalibrationError(
                        f"trial {trial.number} failed ({_short(params)}): "
                        f"{type(failed).__name__}: {failed}"
                    )
                stack = np.vstack(runs)
                with np.errstate(all="ignore"):
                    mean = np.nanmean(stack, axis=0)
                d = distance(mean, observed, weight, eps)
                trial.set_user_attr("sims", _json_safe(stack))
                study.tell(trial, d if math.isfinite(d) else 1e9)
                if on_trial:
                    on_trial()


def _batch_seed(seed: int, first_trial: int) -> int:
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(2**31, first_trial))
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def _json_safe(stack: np.ndarray) -> list[list[float | None]]:
    return [[None if not math.isfinite(v) else float(v) for v in row] for row in stack]


def _short(params: dict[str, float]) -> str:
    return ", ".join(f"{k} = {v:.4g}" for k, v in params.items())
