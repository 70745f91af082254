"""The one-call Python API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from .config import Config
from .model import SocialModel


def simulate(
    config: Config | dict[str, Any] | str | Path | None = None,
    *,
    graph: nx.Graph | None = None,
    **overrides: Any,
) -> pd.DataFrame:
    """Run one simulation and return its tidy per-day, per-brand metrics.

    ``config`` is a dict, a TOML path, a :class:`Config` or None (defaults); ``overrides``
    replace top-level keys (``steps=30``). Same config and seed give an identical DataFrame.
    Raises :class:`socialsim.ConfigError` naming the field and value on bad input.
    """
    return SocialModel(config, graph=graph, **overrides).run()
