"""Runs tables for the report tests: every (scenario, point, replication) simulated and
stacked as the experiment runner stacks them."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

import socialsim

SMALL = {"graph": {"kind": "barabasi_albert", "n": 200, "m": 2}, "steps": 40}
TINY = {"graph": {"kind": "barabasi_albert", "n": 100, "m": 2}, "steps": 20}
SCENARIOS = {"soft": [{"sell_share": 0.1}], "hard": [{"sell_share": 0.9}]}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _set(cfg: dict, path: str, value: float) -> None:
    """Set a config path such as 'brands[0].sell_share' or 'users.skepticism'."""
    node = cfg
    parts = path.split(".")
    for part in parts[:-1]:
        if "[" in part:
            name, idx = part[:-1].split("[")
            node = node[name][int(idx)]
        else:
            node = node.setdefault(part, {})
    node[parts[-1]] = float(value)


def assemble(
    base: dict,
    scenarios: dict[str, list[dict]],
    replications: int,
    points: np.ndarray | None = None,
    params: list[str] | None = None,
) -> pd.DataFrame:
    """Run every (scenario, point, replication) and stack them as the runner's runs table."""
    params = params or []
    design = np.zeros((1, 0)) if points is None else np.asarray(points, dtype=float)
    frames = []
    for scenario, brands in scenarios.items():
        for p, row in enumerate(design):
            for r in range(replications):
                cfg = copy.deepcopy(base)
                cfg["brands"] = copy.deepcopy(brands)
                cfg["seed"] = r  # common random numbers: same seed across scenarios
                for name, value in zip(params, row, strict=True):
                    _set(cfg, name, value)
                df = socialsim.simulate(cfg)
                ids = {
                    "run_id": f"{scenario}/p{p:04d}/r{r:03d}",
                    "scenario": scenario,
                    "point": p,
                    "replication": r,
                    "seed": r,
                }
                ids.update({name: float(v) for name, v in zip(params, row, strict=True)})
                head = pd.DataFrame(ids, index=df.index)
                frames.append(pd.concat([head, df], axis=1))
    runs = pd.concat(frames, ignore_index=True)
    ids = ["run_id", "scenario", "point", "replication", "seed"]
    assert list(runs.columns) == [*ids, *params, *socialsim.COLUMNS]
    return runs


def manifest_for(scenarios, replications, steps, sweep=None) -> dict:
    return {
        "name": "test",
        "scenarios": list(scenarios),
        "replications": replications,
        "steps": steps,
        "sweep": sweep,
    }


def is_png(path) -> bool:
    data = path.read_bytes()
    return len(data) > 1000 and data[:8] == PNG_MAGIC


def synthetic_runs(values, reps, fn, metric="conversions_total", steps=2):
    """A minimal runs table: one scenario, a one-parameter grid, ``fn(value, rep)`` on the
    last day of each run."""
    rows = []
    for p, v in enumerate(values):
        for r in range(reps):
            for step in range(1, steps + 1):
                rows.append(
                    {
                        "run_id": f"base/p{p:04d}/r{r:03d}",
                        "scenario": "base",
                        "point": p,
                        "replication": r,
                        "seed": r,
                        "brands[0].sell_share": v,
                        "step": step,
                        "brand": "b",
                        metric: fn(v, r) * step / steps,
                    }
                )
    return pd.DataFrame(rows)
