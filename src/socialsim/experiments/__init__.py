"""Experiments: files of scenarios and sweeps, replicated runs, results and reports.

``spec`` validates an experiment file and plans its runs (seeds, common random numbers);
``runner`` executes them (serial, local processes or Dask) and writes the results;
``report`` turns the runs into tables and figures.
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
