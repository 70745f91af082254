"""Shared fixtures: small configs and the optional real graph from ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_GRAPH = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "facebook_combined.txt"
)


@pytest.fixture
def facebook_path() -> Path:
    if not SHARED_GRAPH.is_file():
        pytest.skip(
            f"real graph not available: {SHARED_GRAPH} is absent (../shared not beside repo)"
        )
    return SHARED_GRAPH


def small(**over):
    """A small, fast config dict (300 users, 60 days) with overrides."""
    cfg = {"steps": 60, "seed": 3, "graph": {"kind": "barabasi_albert", "n": 300, "m": 3}}
    cfg.update(over)
    return cfg
