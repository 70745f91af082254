"""Experiments: files of scenarios and sweeps, replicated runs, results and reports.

``spec`` validates an experiment file and plans its runs (seeds, common random numbers),
helped by ``paths`` (key paths such as ``brands[0].sell_share``; merging), ``sweep`` (the
sweep design), ``ensemble`` (calibrated parameter sets), ``digest`` (what a run's result
depends on besides its config) and ``errors``; ``runner`` executes the runs (serial, local
processes via ``pool``, or Dask) and writes the results; ``report`` turns the runs into
tables and figures, from ``outcomes`` (the runs table and each run's outcomes), ``stats``
(summaries, paired differences, best values, Bass check), ``sensitivity`` (Sobol, Morris)
and ``figures``, written atomically by ``files``; ``demo`` is the quick-start demo.
"""

from __future__ import annotations

from .runner import ExperimentResult, RunError, run_experiment
from .spec import Experiment, ExperimentError, RunSpec, load_experiment

__all__ = [
    "Experiment",
    "ExperimentError",
    "ExperimentResult",
    "RunError",
    "RunSpec",
    "load_experiment",
    "run_experiment",
]
