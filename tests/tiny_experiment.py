"""The small experiment the experiment-runner tests share (tests/test_experiments.py,
tests/test_executors.py)."""

from __future__ import annotations

from typing import Any


def tiny(**over: Any) -> dict[str, Any]:
    """Two scenarios x a 2-point grid x 2 replications on 150 users for 25 days (8 runs)."""
    exp = {
        "name": "tiny",
        "steps": 25,
        "seed": 11,
        "replications": 2,
        "graph": {"kind": "barabasi_albert", "n": 150, "m": 2},
        "scenarios": [
            {"name": "serve", "brands": [{"sell_share": 0.1}]},
            {"name": "sell", "set": {"brands[0].sell_share": 0.9}},
        ],
        "sweep": {"method": "grid", "parameters": {"users.skepticism": [0.2, 0.6]}},
    }
    exp.update(over)
    return exp
