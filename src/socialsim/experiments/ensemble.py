"""Ensembles: plausible parameter sets (a calibration's ``ensemble.parquet``) for the
replications of an experiment.

:func:`_load_ensemble` reads and checks the file (one column per parameter, named by its key
path); :func:`ensemble_member` draws each replication's row from the master seed and
:func:`_check_ensemble_values` checks every row in every scenario.
"""

from __future__ import annotations

import copy
import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..config import ConfigError, load_config
from ..strategies import make_strategy
from .errors import ExperimentError
from .paths import format_path, parse_path, set_path
from .sweep import round_integers

#: Columns of an ensemble file that are not parameters.
ENSEMBLE_META = ("trial", "distance", "weight")
#: First element of the ``spawn_key`` of the ensemble draws (apart from the run seeds').
ENSEMBLE_SPAWN = 2**29


def ensemble_member(
    master: int, replication: int, size: int, weights: np.ndarray | None = None
) -> int:
    """The ensemble row that replication ``replication`` uses, drawn from the master seed.

    ``SeedSequence(entropy=master, spawn_key=(2**29, replication))`` seeds the draw: uniform
    over the ``size`` rows, or with probabilities ``weights`` (summing to 1). The row depends
    on the master seed and the replication only, so every scenario and sweep point of a
    replication uses the same parameter set (common random numbers).
    """
    ss = np.random.SeedSequence(entropy=master, spawn_key=(ENSEMBLE_SPAWN, replication))
    rng = np.random.default_rng(ss)
    if weights is None:
        return int(rng.integers(size))
    return int(rng.choice(size, p=weights))


@dataclass(frozen=True)
class Ensemble:
    """Plausible parameter sets (a calibration's ``ensemble.parquet``) for the replications.

    ``rows[k]`` maps each parameter's key path to its value in row k of the file;
    ``trials[k]`` is the row's ``trial`` (None without that column) and ``weights`` the
    normalized ``weight`` column (None: rows are drawn uniformly).
    """

    path: str
    sha256: str
    parameters: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    trials: tuple[int | None, ...]
    weights: tuple[float, ...] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def draw(self, master: int, replication: int) -> int:
        """The row of replication ``replication`` (see :func:`ensemble_member`)."""
        w = None if self.weights is None else np.asarray(self.weights, dtype=float)
        return ensemble_member(master, replication, len(self.rows), w)

    def values(self, member: int) -> dict[str, Any]:
        """Parameter values (key path -> value) of row ``member``."""
        return dict(self.rows[member])

    def label(self, member: int) -> str:
        """``row 3 (trial 17)``: a row of the file, as named in messages."""
        trial = self.trials[member]
        return f"row {member}" + (f" (trial {trial})" if trial is not None else "")

    def info(self, members: list[int]) -> dict[str, Any]:
        """What the manifest records: file, hash, parameters and each replication's row."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "sets": len(self.rows),
            "parameters": list(self.parameters),
            "weighted": self.weights is not None,
            "members": list(members),
            "trials": [self.trials[k] for k in members],
        }


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _load_ensemble(value: Any, names: Any) -> Ensemble:
    """Read and check an ensemble file; ``names`` is ``ensemble_parameters`` (or None)."""
    import pandas as pd

    if not isinstance(value, str | os.PathLike) or not str(value).strip():
        raise ExperimentError(
            f"ensemble = {value!r}: must be the path of a parquet file (e.g. the "
            "ensemble.parquet of 'socialsim calibrate')"
        )
    path = Path(value).expanduser().resolve()
    where = f"ensemble = '{path}'"
    if not path.exists():
        raise ExperimentError(f"{where}: file not found")
    if path.is_dir():
        raise ExperimentError(f"{where}: is a directory, not a parquet file")
    try:
        data = path.read_bytes()
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise ExperimentError(
            f"{where}: cannot read it as a parquet file ({_first_line(exc)})"
        ) from None
    if df.empty:
        raise ExperimentError(f"{where}: the file has no rows (no parameter sets)")
    columns = [str(c) for c in df.columns]
    df.columns = columns
    available = [c for c in columns if c not in ENSEMBLE_META]
    if not available:
        raise ExperimentError(
            f"{where}: no parameter columns (only {', '.join(columns) or 'none'}); expected "
            "one column per parameter, named by its key path (e.g. 'platform.organic_reach')"
        )
    if names is None:
        chosen = available
    else:
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ExperimentError(
                f"ensemble_parameters = {names!r}: must be a non-empty list of column names "
                "(key paths)"
            )
        by_canon = {}
        for c in available:
            try:
                by_canon.setdefault(format_path(parse_path(c)), c)
            except ExperimentError:
                continue
        chosen = []
        for name in names:
            try:
                canon = format_path(parse_path(name))
            except ExperimentError:
                canon = name
            col = name if name in available else by_canon.get(canon)
            if col is None:
                raise ExperimentError(
                    f"ensemble_parameters: '{name}' is not a parameter column of {path} "
                    f"(columns: {', '.join(available)})"
                )
            if col in chosen:
                raise ExperimentError(f"ensemble_parameters: '{name}' is given twice")
            chosen.append(col)
    params: list[str] = []
    for col in chosen:
        try:
            canon = format_path(parse_path(col))
        except ExperimentError:
            raise ExperimentError(
                f"{where}: column '{col}' is not a key path (e.g. rules.engage_pitch); list "
                "the parameter columns to use with ensemble_parameters"
            ) from None
        if canon in ("seed", "steps"):
            raise ExperimentError(
                f"{where}: column '{col}': an ensemble cannot set {canon} (use replications "
                "and steps)"
            )
        if canon in params:
            raise ExperimentError(f"{where}: columns name the parameter '{canon}' twice")
        params.append(canon)

    trials: list[int | None] = [None] * len(df)
    if "trial" in columns:
        trials = [
            int(t) if isinstance(t, int | float | np.number) and math.isfinite(t) else None
            for t in df["trial"].tolist()
        ]

    def row_name(i: int) -> str:
        return f"row {i}" + (f" (trial {trials[i]})" if trials[i] is not None else "")

    rows: list[dict[str, Any]] = [{} for _ in range(len(df))]
    for col, canon in zip(chosen, params, strict=True):
        series = df[col]
        if not pd.api.types.is_numeric_dtype(series):
            raise ExperimentError(
                f"{where}: column '{col}' holds {series.dtype} values, not numbers"
            )
        is_bool = pd.api.types.is_bool_dtype(series)
        for i, v in enumerate(series.tolist()):
            if v is None or (not is_bool and not math.isfinite(float(v))):
                raise ExperimentError(
                    f"{where}: column '{col}' {row_name(i)} value {v!r}: must be a finite number"
                )
            rows[i][canon] = bool(v) if is_bool else float(v)

    weights = None
    if "weight" in columns:
        w = pd.to_numeric(df["weight"], errors="coerce").to_numpy(dtype=float)
        bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
        if bad.size:
            i = int(bad[0])
            raise ExperimentError(
                f"{where}: column 'weight' {row_name(i)} value {float(w[i])!r}: "
                "weights must be finite and non-negative"
            )
        if w.sum() <= 0:
            raise ExperimentError(f"{where}: column 'weight' sums to 0; no row can be drawn")
        weights = tuple(float(x) for x in w / w.sum())
    return Ensemble(
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        parameters=tuple(params),
        rows=tuple(rows),
        trials=tuple(trials),
        weights=weights,
    )


def _try_config(cfg: dict[str, Any], values: dict[str, Any]) -> str | None:
    """The error (without prefix) of ``cfg`` with ``values`` set, or None if it is valid."""
    trial = copy.deepcopy(cfg)
    try:
        for path, value in values.items():
            set_path(trial, path, value)
        valid = load_config(trial)
        for brand in valid.brands:
            make_strategy(brand)
    except ConfigError as exc:
        return _first_line(exc).removeprefix("invalid configuration: ")
    return None


_BRAND_PARAM = re.compile(r"^brands\[\d+\]\.params\.")


def _check_ensemble_values(ens: Ensemble, scenarios: list[tuple[str, dict[str, Any]]]) -> Ensemble:
    """Round integer parameters and check every row of the ensemble in every scenario."""
    rows = [dict(r) for r in ens.rows]
    round_integers(list(ens.parameters), rows, scenarios)
    ens = Ensemble(ens.path, ens.sha256, ens.parameters, tuple(rows), ens.trials, ens.weights)
    where = f"invalid experiment: ensemble '{ens.path}'"
    for scen, cfg in scenarios:
        in_scen = f" in scenario '{scen}'" if len(scenarios) > 1 else ""
        # each column alone first: a wrong key path or a parameter the strategy lacks
        for name in ens.parameters:
            err = _try_config(cfg, {name: rows[0][name]})
            if err is None:
                continue
            if "unknown key" in err:  # the column names no parameter (of this strategy)
                listed = ", ".join(f'"{p}"' for p in ens.parameters if p != name)
                hint = (
                    f"; apply only the other columns with ensemble_parameters = [{listed}]"
                    if listed
                    else "; list the columns to apply with ensemble_parameters"
                )
                hint = hint if _BRAND_PARAM.match(name) else ""
                raise ExperimentError(f"{where} column '{name}'{in_scen}: {err}{hint}")
            raise ExperimentError(
                f"{where} {ens.label(0)} column '{name}' value {rows[0][name]!r}{in_scen}: {err}"
            )
        seen: set[tuple[Any, ...]] = set()
        for k, row in enumerate(rows):
            key = tuple(row[n] for n in ens.parameters)
            if key in seen:
                continue
            seen.add(key)
            err = _try_config(cfg, row)
            if err is None:
                continue
            for name in ens.parameters:
                single = _try_config(cfg, {name: row[name]})
                if single is not None:
                    raise ExperimentError(
                        f"{where} {ens.label(k)} column '{name}' value {row[name]!r}{in_scen}: "
                        f"{single}"
                    )
            raise ExperimentError(f"{where} {ens.label(k)}{in_scen}: {err}")
    return ens
