"""The error of calibration input (a subclass of the config error: exit 2 at the CLI)."""

from __future__ import annotations

from ..config import ConfigError


class CalibrationError(ConfigError):
    """A calibration file or value is invalid; the message names the field and the value."""
