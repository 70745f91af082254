"""socialsim: agent-based simulation of how audiences respond to brands on social media."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .api import simulate
from .config import Config, ConfigError, load_config
from .experiments import ExperimentResult, load_experiment, run_experiment
from .metrics import COLUMNS
from .model import SocialModel
from .strategies import (
    OBSERVABLE,
    STRATEGIES,
    Adaptive,
    EarnThenAsk,
    History,
    PitchFirst,
    Plan,
    Static,
    Strategy,
)

try:
    __version__ = version("socialsim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "COLUMNS",
    "OBSERVABLE",
    "STRATEGIES",
    "Adaptive",
    "Config",
    "ConfigError",
    "EarnThenAsk",
    "ExperimentResult",
    "History",
    "PitchFirst",
    "Plan",
    "SocialModel",
    "Static",
    "Strategy",
    "__version__",
    "load_config",
    "load_experiment",
    "run_experiment",
    "simulate",
]
