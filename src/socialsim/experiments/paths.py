"""Key paths (``brands[0].sell_share``) into nested config data, and deep merging.

:func:`parse_path` / :func:`format_path` read and spell a key path, :func:`set_path` /
:func:`get_path` set and get a value at one, :func:`merge` deep-merges tables (lists of
tables element-wise) and :func:`parse_assignment` reads ``--set key.path=value``.
"""

from __future__ import annotations

import copy
import itertools
import re
import tomllib
from typing import Any

from .errors import ExperimentError

_TOKEN = re.compile(r'"([^"]+)"|([^.\[\]"]+)|\[(\d+)\]')


def parse_path(path: str) -> list[str | int]:
    """Split ``brands[0].sell_share`` (or ``brands.0.sell_share``) into ``['brands', 0, ...]``;
    a double-quoted part is one key (``parameters."rules.price"``)."""
    parts: list[str | int] = []
    pos = 0
    text = path.strip()
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExperimentError(f"'{path}' is not a valid key path (e.g. brands[0].sell_share)")
        quoted, name, index = m.groups()
        if quoted is not None:  # "rules.engage_pitch": one key that contains dots
            parts.append(quoted)
        else:
            parts.append(
                int(index) if index is not None else (int(name) if name.isdigit() else name)
            )
        pos = m.end()
    if not parts or not isinstance(parts[0], str):
        raise ExperimentError(f"'{path}' is not a valid key path (e.g. brands[0].sell_share)")
    return parts


def format_path(parts: list[str | int]) -> str:
    """The canonical spelling of a key path: ``brands[0].sell_share``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at the key path in nested dicts/lists, creating tables as needed."""
    parts = parse_path(path)
    node: Any = data
    for here, nxt in itertools.pairwise(parts):
        if isinstance(here, int):
            if not isinstance(node, list):
                raise ExperimentError(f"'{path}': {format_path(parts[:1])} is not a list")
            _check_index(node, here, parts, path)
            while len(node) <= here:
                node.append({})
            if not isinstance(node[here], dict):
                node[here] = {}
            node = node[here]
        else:
            if not isinstance(node, dict):
                raise ExperimentError(f"'{path}': cannot set a key inside a value")
            default: Any = [] if isinstance(nxt, int) else {}
            if not isinstance(node.get(here), list | dict):
                node[here] = default
            node = node[here]
    last = parts[-1]
    if isinstance(last, int):
        if not isinstance(node, list):
            raise ExperimentError(f"'{path}': not a list")
        _check_index(node, last, parts, path)
        while len(node) <= last:
            node.append({})
        node[last] = value
    else:
        if not isinstance(node, dict):
            raise ExperimentError(f"'{path}': cannot set a key inside a value")
        node[last] = value


def _check_index(node: list, index: int, parts: list, path: str) -> None:
    """A list element may be changed or appended (index = length), not skipped to."""
    if index > len(node):
        name = format_path(parts[: parts.index(index)]) if index in parts else "the list"
        have = f"{name}[0]..{name}[{len(node) - 1}]" if node else "none in the file"
        raise ExperimentError(
            f"'{path}': {name} has {len(node)} element(s) ({have}); give an existing index "
            f"or {name}[{len(node)}] to add one"
        )


def get_path(data: dict[str, Any], path: str) -> Any:
    """The value at a key path, or raise KeyError."""
    node: Any = data
    for part in parse_path(path):
        node = node[part]
    return node


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``over`` into a copy of ``base``: tables merge, lists of tables merge
    element-wise (extra elements are appended), other values replace."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        old = out.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            out[key] = merge(old, value)
        elif (
            isinstance(value, list)
            and isinstance(old, list)
            and all(isinstance(v, dict) for v in value)
            and all(isinstance(v, dict) for v in old)
        ):
            merged = [merge(o, v) for o, v in zip(old, value, strict=False)]
            out[key] = merged + copy.deepcopy(value[len(old) :]) + old[len(value) :]
        else:
            out[key] = copy.deepcopy(value)
    return out


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse ``key.path=value`` (value as a TOML value; bare words are strings)."""
    if "=" not in text:
        raise ExperimentError(f"--set {text!r}: expected key.path=value")
    key, raw = (s.strip() for s in text.split("=", 1))
    parse_path(key)
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return key, value


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{users = {skepticism = 0.6}}`` (TOML's unquoted dotted key) -> ``{"users.skepticism":
    0.6}``, so that ``set`` changes one value, not a whole table."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict) and value:
            out.update(_flatten(value, path))
        else:
            out[path] = value
    return out
