"""The one parameter schema: defaults, types, ranges and docs for every model parameter.

A configuration is a nested structure (a dict, a TOML file or a :class:`Config`)::

    steps = 365
    seed = 1
    [graph]       kind, n and generator parameters, or path for kind = "file"
    [users]       scepticism, attention, needs, interests
    [platform]    commercialization (ad load) and organic reach
    [mechanisms]  switches: trust, favor, attention, backlash, wom, budget; lapse, replies,
                  community, shares, platform_reacts (off by default)
    [bass]        optional p, q: maps the model onto the Bass diffusion limit
    [rules]       coefficients of the agent rules (see docs/parameters.md)
    [[brands]]    name, strategy, posts_per_day, sell_share, paid_reach, ...

Invalid input raises :class:`ConfigError` whose message names the field path and value.

The schema is split by section: :mod:`.sections` (``[graph]``, ``[users]``, ``[platform]``,
``[bass]``), :mod:`.mechanisms` (``[mechanisms]``), :mod:`.rules` (``[rules]``, with the
optional mechanisms' coefficients in their own modules), :mod:`.brand` (``[[brands]]``),
:mod:`.budget` (a brand's ``budget``), :mod:`.platforms` (``[[platforms]]``) and :mod:`.load`
(:class:`Config`, loading, errors and the Bass mapping); everything is importable from
``socialsim.config``.
"""

from __future__ import annotations

from .brand import BrandConfig
from .budget import BudgetConfig
from .load import (
    BASS_NEED_RATE,
    Config,
    ConfigError,
    bass_mapping,
    load_config,
    read_toml,
    resolve_paths,
)
from .load import _format_errors as _format_errors
from .mechanisms import MechanismsConfig
from .rules import RulesConfig
from .sections import (
    BassConfig,
    Fraction,
    GraphConfig,
    PlatformConfig,
    UsersConfig,
)

__all__ = [
    "BASS_NEED_RATE",
    "BassConfig",
    "BrandConfig",
    "BudgetConfig",
    "Config",
    "ConfigError",
    "Fraction",
    "GraphConfig",
    "MechanismsConfig",
    "PlatformConfig",
    "RulesConfig",
    "UsersConfig",
    "bass_mapping",
    "load_config",
    "read_toml",
    "resolve_paths",
]
