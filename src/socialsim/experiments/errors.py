"""The error of experiment files and values (a :class:`socialsim.ConfigError`)."""

from __future__ import annotations

from ..config import ConfigError


class ExperimentError(ConfigError):
    """An experiment file or value is invalid; the message names the field and the value."""
