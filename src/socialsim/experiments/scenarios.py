"""An experiment's scenarios (``[[scenarios]]``) and the checks of its names, configs and
graph files, before anything runs (:mod:`.spec`)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import Config, ConfigError, _format_errors, load_config
from ..graphs import read_edge_list
from ..strategies import make_strategy
from .errors import ExperimentError
from .paths import _flatten, merge, set_path

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class Scenario(BaseModel):
    """A named variant of the base config (the overrides are the extra keys)."""

    model_config = ConfigDict(extra="allow")
    name: str
    description: str = ""
    set: dict[str, Any] = Field(default_factory=dict, description="key path -> value")


def _safe_name(stem: str) -> str:
    """A file stem as an experiment name: other characters become '_' (``my exp (v2)`` ->
    ``my_exp_v2``)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", stem).strip("_.-")[:80]
    return name or "experiment"


def _check_name(field_name: str, value: Any) -> str:
    if not isinstance(value, str) or not _NAME.match(value) or len(value) > 80:
        raise ExperimentError(
            f"{field_name} = {value!r}: use letters, digits, '_', '-' or '.' (at most 80)"
        )
    return value


def _validate_config(data: dict[str, Any], where: str) -> Config:
    """Validate a model config; ``where`` prefixes the message (e.g. a scenario)."""
    try:
        cfg = load_config(data)
        for brand in cfg.brands:
            make_strategy(brand)
    except ConfigError as exc:
        msg = str(exc).removeprefix("invalid configuration: ")
        raise ExperimentError(f"invalid experiment: {where}{msg}") from None
    return cfg


def _scenarios(raw: Any, base: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if raw is None:
        return [("base", base)]
    if not isinstance(raw, list) or not raw:
        raise ExperimentError(
            "scenarios: expected a non-empty array of tables ([[scenarios]] with a name)"
        )
    out: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(raw):
        try:
            scen = Scenario.model_validate(item)
        except ValidationError as exc:
            msg = _format_errors(exc, Scenario, prefix=f"scenarios[{i}].")
            raise ExperimentError(msg.removeprefix("invalid configuration: ")) from None
        _check_name(f"scenarios[{i}].name", scen.name)
        if scen.name in [n for n, _ in out]:
            raise ExperimentError(f"scenarios[{i}].name = '{scen.name}' is used twice")
        overrides = dict(scen.model_extra or {})
        if "seed" in overrides:
            raise ExperimentError(
                f"scenarios[{i}].seed: a scenario cannot set its own seed; every run's seed "
                "derives from the master seed and its replication (common random numbers)"
            )
        valid = list(Config.model_fields)
        for key in overrides:
            if key not in valid:
                close = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ExperimentError(f"unknown key 'scenarios[{i}].{key}'{hint}")
        cfg = merge(base, overrides)
        for path, value in _flatten(scen.set).items():
            set_path(cfg, path, value)
        where = f"scenarios[{i}] ('{scen.name}'): "
        out.append((scen.name, _validate_config(cfg, where).model_dump(mode="json")))
    return out


def _check_graph_files(scenarios: list[tuple[str, dict[str, Any]]]) -> None:
    """Edge-list graphs must be readable and have edges before anything runs."""
    paths = {cfg["graph"]["path"] for _, cfg in scenarios if cfg["graph"]["kind"] == "file"}
    for path in sorted(paths):
        read_edge_list(path)
