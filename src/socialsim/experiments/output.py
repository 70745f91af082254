"""What each run keeps: by default every metric every day; for very large sweeps, chosen
metrics every N days.

An experiment file may reduce its runs' daily tables::

    [output]
    metrics = ["conversions_total", "followers", "backlash"]   # default: every metric
    every = 7                                                  # default: 1 (every day)

The report's headline metrics (:data:`ALWAYS`: conversions, backlash, trust) are always
kept. With ``every = N`` a run keeps one row per brand for days N, 2N, ... and the last day:
stocks and means (:data:`socialsim.metrics.STOCKS`, :data:`~socialsim.metrics.MEANS`)
take that day's value, daily counts (:data:`~socialsim.metrics.FLOWS`) the sum over the
days since the previous kept row, so totals over a run are unchanged.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import _format_errors
from ..metrics import COLUMNS, FLOWS
from .errors import ExperimentError

#: Metrics every run keeps: the report's tables and figures are built on them.
ALWAYS = ("conversions_total", "backlash", "mean_trust")


class OutputSpec(BaseModel):
    """Reduction of each run's daily table (the default keeps everything)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    metrics: list[str] | None = Field(None, description="metrics kept (step, brand always)")
    every: int = Field(1, ge=1, le=100_000, description="keep every N-th day (and the last)")

    @property
    def reduces(self) -> bool:
        return self.metrics is not None or self.every > 1


def load_output(raw: Any) -> OutputSpec | None:
    """Validate an experiment's ``[output]`` table; None when absent."""
    if raw is None:
        return None
    try:
        spec = OutputSpec.model_validate(raw)
    except ValidationError as exc:
        msg = _format_errors(exc, OutputSpec, prefix="output.")
        raise ExperimentError(msg.replace("invalid configuration", "invalid experiment")) from None
    valid = [c for c in COLUMNS if c not in ("step", "brand")]
    for name in spec.metrics or []:
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ExperimentError(f"output.metrics: '{name}' is not a metric{hint}")
    if spec.metrics is not None and not spec.metrics:
        raise ExperimentError("output.metrics = []: keep at least one metric")
    return spec if spec.reduces else None


def reduce_run(df: pd.DataFrame, output: OutputSpec | None) -> pd.DataFrame:
    """Keep the chosen metrics and every N-th day of one run's table (see the module doc)."""
    if output is None:
        return df
    start = df.columns.get_loc("step")
    ids = list(df.columns[:start])
    metrics = [c for c in df.columns[start:] if c not in ("step", "brand")]
    if output.metrics is not None:
        metrics = [c for c in metrics if c in output.metrics or c in ALWAYS]
    df = df[[*ids, "step", "brand", *metrics]]
    if output.every == 1:
        return df.reset_index(drop=True)
    last = int(df["step"].max())
    block = np.minimum(-(-df["step"].to_numpy() // output.every) * output.every, last)
    flows = [m for m in metrics if m in FLOWS]
    sums = df[flows].groupby([block, df["brand"].to_numpy()], sort=False).transform("sum")
    keep = df["step"].to_numpy() == block
    out = df.loc[keep].copy()
    out[flows] = sums.loc[keep].to_numpy()
    return out.reset_index(drop=True)
