"""Run many configs in parallel (spawned processes) and collect summaries, for pattern tests."""

from __future__ import annotations

import copy
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd

import socialsim

#: The pattern tests' base: default parameters on a few thousand users.
BASE: dict[str, Any] = {"steps": 365, "graph": {"kind": "barabasi_albert", "n": 2000, "m": 5}}


def config(seed: int, brand: dict | None = None, **sections: Any) -> dict[str, Any]:
    """BASE with one brand (default fields plus ``brand``) and section overrides."""
    cfg = copy.deepcopy(BASE)
    cfg["seed"] = seed
    for key, value in sections.items():
        cfg[key] = {**cfg.get(key, {}), **value} if isinstance(value, dict) else value
    cfg["brands"] = [brand or {}]
    return cfg


def _run(cfg: dict[str, Any]) -> pd.DataFrame:
    return socialsim.simulate(cfg)


def run_all(configs: list[dict[str, Any]]) -> list[pd.DataFrame]:
    """Simulate every config; results in input order (independent of scheduling)."""
    workers = min(len(configs), os.cpu_count() or 1, 2)
    if workers <= 1:
        return [_run(c) for c in configs]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        return list(pool.map(_run, configs, chunksize=2))


def at(df: pd.DataFrame, step: int, column: str) -> float:
    """Value of ``column`` on day ``step`` for the first brand."""
    return float(df.loc[df["step"] == step, column].iloc[0])
