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
``apmc`` population Monte Carlo ABC with adaptive tolerances
         (:mod:`socialsim.calibration.apmc`): like ``abc`` for a first generation of
         ``population`` prior draws, then generations of particles moved from the kept
         ones, each with an importance weight, each generation's closest particles
         replacing the last; stops when few new particles beat the tolerance. The ensemble
         is the final population with its weights: a posterior sample at a tolerance
         rejection ABC would need many times the trials to reach.
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
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..experiments.pool import open_pool
from ..experiments.spec import run_seed, strategy_modules
from . import apmc
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
    """Run trials until the method is done (budget spent, or APMC converged); trials asked
    but not told by an interrupted session are evaluated first, with their parameters."""
    import optuna
    from optuna.distributions import FloatDistribution
    from optuna.trial import TrialState

    dists = {k: FloatDistribution(p.low, p.high, log=p.log) for k, p in cal.priors.items()}
    seeds = [run_seed(cal.seed, r, "", 0, crn=True) for r in range(cal.method.replications)]
    imports = strategy_modules(cal.base)
    obs = cal.observed
    observed, weight, eps = (obs[c].to_numpy(float) for c in ("observed", "weight", "eps"))
    with open_pool(executor, workers, scheduler) as pool:  # type: ignore[arg-type]
        while True:
            trials = study.get_trials(deepcopy=False)
            running = [t for t in trials if t.state == TrialState.RUNNING]
            if running:
                batch = [(optuna.trial.Trial(study, t._trial_id), t.params) for t in running]
            else:
                batch = []
                if cal.method.name == "tpe":
                    room = min(cal.method.batch, cal.method.trials - _complete(trials))
                    study.sampler = optuna.samplers.TPESampler(
                        seed=_batch_seed(cal.seed, len(trials)),
                        n_startup_trials=max(10, cal.method.trials // 10),
                    )
                    proposals: list[tuple[dict[str, float], dict[str, Any]]] = [
                        ({}, {}) for _ in range(max(room, 0))
                    ]
                else:
                    proposals = next_proposals(cal, trials)
                if not proposals:
                    return
                for params, attrs in proposals:
                    if params:
                        study.enqueue_trial(params)
                    trial = study.ask(dists)
                    for key, value in attrs.items():
                        trial.set_user_attr(key, value)
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
                with warnings.catch_warnings():  # a target no run could compute: NaN
                    warnings.simplefilter("ignore", RuntimeWarning)
                    mean = np.nanmean(stack, axis=0)
                d = distance(mean, observed, weight, eps)
                trial.set_user_attr("sims", _json_safe(stack))
                study.tell(trial, d if math.isfinite(d) else 1e9)
                if on_trial:
                    on_trial()


def _complete(trials: list[Any]) -> int:
    from optuna.trial import TrialState

    return sum(t.state == TrialState.COMPLETE for t in trials)


def next_proposals(
    cal: Calibration, trials: list[Any]
) -> list[tuple[dict[str, float], dict[str, Any]]]:
    """The next batch of (parameters, trial attributes) for ``abc`` or ``apmc``; empty when
    the method is done. Deterministic given the told trials (resumable)."""
    remaining = cal.method.trials - _complete(trials)
    if remaining <= 0:
        return []
    if cal.method.name == "abc":
        start = len(trials)
        n = min(cal.method.batch, remaining)
        return [(prior_draw(cal, start + i), {}) for i in range(n)]
    state = population(cal, trials)
    if state.done:
        return []
    g, kept = state.generation, state.kept
    out = []
    for index in range(state.size_done, min(state.size, state.size_done + remaining)):
        if kept is None:  # generation 0: the prior
            u = _particle_rng(cal.seed, 0, index).random(len(cal.priors))
            w = 1.0
        else:
            u, w = apmc.propose(kept, index, lambda i, g=g: _particle_rng(cal.seed, g, i))
        params = {k: p.draw(float(x)) for (k, p), x in zip(cal.priors.items(), u, strict=True)}
        out.append((params, {"generation": g, "index": index, "weight": w}))
    return out


@dataclass
class Population:
    """Where an APMC run stands: the generation to fill, how many of its particles exist,
    its target size, the kept particles so far and the tolerance."""

    generation: int
    size: int
    size_done: int
    kept: apmc.Particles | None
    tolerance: float
    done: bool = False
    history: list[dict[str, float]] = field(default_factory=list)


def population(cal: Calibration, trials: list[Any], final: bool = False) -> Population:
    """Replay the APMC generations from the told trials (kept sets, tolerances, acceptance).

    With ``final``, a last generation cut short by the trial budget still replaces the
    population if it has at least as many particles as are kept (for the ensemble);
    otherwise it is the generation to complete.
    """
    from optuna.trial import TrialState

    m = cal.method
    n_keep = max(2, round(m.population * m.accept))
    by_gen: dict[int, list[Any]] = {}
    for t in trials:
        if t.state == TrialState.COMPLETE and "generation" in t.user_attrs:
            by_gen.setdefault(int(t.user_attrs["generation"]), []).append(t)
    kept: apmc.Particles | None = None
    tolerance = math.inf
    history: list[dict[str, float]] = []
    g = 0
    while True:
        size = m.population if g == 0 else m.population - n_keep
        members = sorted(by_gen.get(g, []), key=lambda t: t.number)
        if len(members) < size and not (final and len(members) >= n_keep):
            return Population(g, size, len(members), kept, tolerance, False, history)
        new = _particles(cal, members)
        rate = apmc.acceptance(new, tolerance) if kept is not None else 1.0
        kept = new.best(n_keep)  # each generation replaces the population
        tolerance = float(kept.distance.max())
        history.append({"generation": g, "acceptance": rate, "tolerance": tolerance})
        if g > 0 and rate < m.min_acceptance:
            return Population(g + 1, 0, 0, kept, tolerance, True, history)
        g += 1


def _particles(cal: Calibration, members: list[Any]) -> apmc.Particles:
    priors = list(cal.priors.items())
    u = np.array([[p.unit(t.params[k]) for k, p in priors] for t in members])
    return apmc.Particles(
        u=u,
        weight=np.array([float(t.user_attrs.get("weight", 1.0)) for t in members]),
        distance=np.array([float(t.value) for t in members]),
        trial=np.array([t.number for t in members]),
    )


def _particle_rng(seed: int, generation: int, index: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2**30, generation, index)))


def _batch_seed(seed: int, first_trial: int) -> int:
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(2**31, first_trial))
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def _json_safe(stack: np.ndarray) -> list[list[float | None]]:
    return [[None if not math.isfinite(v) else float(v) for v in row] for row in stack]


def _short(params: dict[str, float]) -> str:
    return ", ".join(f"{k} = {v:.4g}" for k, v in params.items())
