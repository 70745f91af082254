"""Shared fixtures: small configs and the optional real graph from ../shared."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SHARED_GRAPH = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "facebook_combined.txt"
)


#: Screenshots of the browser tests (git-ignored).
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: Debian's chromium, headless and quiet (no network of its own).
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's chromium for the browser tests; skips without it, unless
    ``SOCIALSIM_REQUIRE_BROWSER`` (set by ``.ci/run``) makes that a failure."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("SOCIALSIM_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("browser test: chromium not installed (apt-get install chromium)")
    return path


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
