"""Scenario discovery: the boxes of parameter space where a condition on outcomes holds.

:func:`outcome_table` turns a finished sweep into one row per sample point: the swept
parameters and the outcomes (means over replications) named ``metric`` with one scenario
and one brand, ``scenario.metric``, ``brand.metric`` or ``scenario.brand.metric`` otherwise,
and, in a pattern experiment, P1-P8 and ``all`` (booleans). :func:`discover` marks the
points where a condition holds (``"hard_sell.conversions_total >
serve_first.conversions_total"``, ``"backlash > 0.2"``, ``"not P1"``; pandas expression
syntax) and runs PRIM (Friedman & Fisher 1999, the EMA Workbench implementation) to find
up to ``boxes`` boxes of parameter ranges with high density of such points.

A box is reported with its *coverage* (share of all cases inside it), *density* (share of
the points inside it that are cases) and *mass* (share of all points inside it), and each
restricted parameter with its range and quasi-p value (restrictions with quasi-p above
``max_qp`` are dropped: the data do not support them).

With many parameters and noisy cases PRIM peels a little off dozens of irrelevant
parameters, and no restriction is supported. So the parameters are first *screened*: only
those whose values differ between cases and non-cases (two-sided Mann-Whitney test,
Bonferroni-corrected ``screen`` level over all parameters; at most ``max_dims * 2``
strongest) enter PRIM. No parameter passing the screen means no box: the condition shows
no region the data can tell apart.
"""

from __future__ import annotations

import difflib
import json
import keyword
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ExperimentError
from .figures.boxes import fig_boxes
from .outcomes import ReportError, _brands, _params, _scenarios, run_outcomes

__all__ = [
    "DiscoverError",
    "Discovery",
    "discover",
    "load_table",
    "outcome_table",
    "write_discovery",
]

_WORDS = {"and", "or", "not", "True", "False", "true", "false", "in", "is"}


class DiscoverError(ExperimentError):
    """The results or the condition cannot be used for scenario discovery."""


def outcome_table(runs: pd.DataFrame, manifest: dict[str, Any]) -> pd.DataFrame:
    """One row per sweep point: ``point``, the swept parameters, then the outcomes."""
    params = _params(manifest)
    if not params:
        raise DiscoverError(
            "scenario discovery needs a sweep: the experiment has no [sweep] parameters"
        )
    out = run_outcomes(runs)
    metrics = list(out.columns[out.columns.get_loc("brand") + 1 :])
    means = out.groupby(["point", "scenario", "brand"], sort=False)[metrics].mean()
    scenarios, brands = _scenarios(manifest), _brands(runs)
    blocks = [runs.drop_duplicates("point").set_index("point")[params].sort_index()]
    for scen in scenarios:
        for brand in brands:
            try:
                block = means.xs((scen, brand), level=("scenario", "brand"))
            except KeyError:
                continue
            prefix = ".".join(
                [*([scen] if len(scenarios) > 1 else []), *([brand] if len(brands) > 1 else [])]
            )
            blocks.append(block.rename(columns=lambda m, p=prefix: f"{p}.{m}" if p else m))
    if manifest.get("patterns"):
        from .patterns import PATTERNS, pattern_table

        blocks.append(pattern_table(runs, manifest).set_index("point")[[*PATTERNS, "all"]])
    table = pd.concat(blocks, axis=1, join="outer").copy()  # one block per dtype
    table.index.name = "point"
    return table.reset_index()


def load_table(results: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The outcome table and manifest of a results directory."""
    results = Path(results)
    paths = results / "runs.parquet", results / "manifest.json"
    for path in paths:
        if not path.is_file():
            raise DiscoverError(f"{results} is not a finished experiment: {path.name} not found")
    try:
        manifest = json.loads(paths[1].read_text(encoding="utf-8"))
        runs = pd.read_parquet(paths[0])
    except Exception as exc:  # JSON, OS and pyarrow errors
        raise DiscoverError(f"cannot read {results}: {type(exc).__name__}: {exc}") from None
    try:
        return outcome_table(runs, manifest), manifest
    except ReportError as exc:
        raise DiscoverError(f"{results}: {exc}") from None


def _condition(table: pd.DataFrame, where: str) -> np.ndarray:
    """Evaluate ``where`` on the table (column names may contain dots, brackets, dashes)."""
    if not isinstance(where, str) or not where.strip():
        raise DiscoverError('--where: give a condition on outcomes, e.g. "backlash > 0.2"')
    names = sorted(map(str, table.columns), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.\[\]`])(" + "|".join(map(re.escape, names)) + r")(?![\w.\[\]])")
    expr = pattern.sub(lambda m: f"`{m.group(1)}`", where)
    bare = re.sub(r"`[^`]*`", " ", expr)
    bare = re.sub(r"(\"[^\"]*\"|'[^']*')", " ", bare)
    for token in re.findall(r"[A-Za-z_][\w.\[\]-]*", bare):
        if token in _WORDS or keyword.iskeyword(token):
            continue
        close = difflib.get_close_matches(token, names, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DiscoverError(f"--where = {where!r}: unknown name '{token}'{hint}")
    try:
        value = table.eval(_python_booleans(expr))
    except Exception as exc:  # pandas raises many types for a bad expression
        raise DiscoverError(f"--where = {where!r}: {type(exc).__name__}: {exc}") from None
    value = np.asarray(value)
    if value.dtype != bool or value.shape != (len(table),):
        raise DiscoverError(f"--where = {where!r}: is not a true/false condition per point")
    return value


def _python_booleans(expr: str) -> str:
    """TOML's ``true``/``false`` as Python's, outside quoted names and strings."""
    parts = re.split(r"(`[^`]*`|\"[^\"]*\"|'[^']*')", expr)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", parts[i]))
    return "".join(parts)


@dataclass
class Discovery:
    """The result of :func:`discover`: the table with its ``case`` column and the boxes."""

    where: str
    table: pd.DataFrame
    boxes: pd.DataFrame
    parameters: list[str]

    @property
    def cases(self) -> int:
        return int(self.table["case"].sum())

    def summary(self) -> str:
        """A few lines in plain words."""
        n = len(self.table)
        lines = [f"{self.where}: holds at {self.cases} of {n} points ({self.cases / n:.0%})"]
        for box, rows in self.boxes.groupby("box", sort=True):
            r = rows.iloc[0]
            limits = "; ".join(
                f"{p} in [{lo:.3g}, {hi:.3g}]"
                for p, lo, hi in zip(rows["parameter"], rows["min"], rows["max"], strict=True)
                if isinstance(p, str)
            )
            lines.append(
                f"  box {box}: coverage {r['coverage']:.0%}, density {r['density']:.0%}, "
                f"mass {r['mass']:.0%}: {limits or 'no restriction'}"
            )
        return "\n".join(lines)


def discover(
    source: str | Path | pd.DataFrame,
    where: str,
    *,
    manifest: dict[str, Any] | None = None,
    parameters: list[str] | None = None,
    density: float = 0.8,
    boxes: int = 3,
    max_qp: float = 0.05,
    max_dims: int = 4,
    screen: float | None = 0.05,
) -> Discovery:
    """Find parameter boxes where ``where`` holds, with PRIM.

    Parameters
    ----------
    source : results directory or outcome table
        A finished sweep (``runs.parquet`` and ``manifest.json``), or a table from
        :func:`outcome_table` (then give ``parameters`` or the ``manifest``).
    where : str
        A condition on the table's columns, e.g. ``"not P1"`` or ``"backlash > 0.2"``.
    density : float
        On each box's peeling trajectory, of the boxes at least this dense the one with the
        best balance of coverage and density (their harmonic mean) is chosen (of all boxes
        if none is dense enough).
    boxes : int
        At most this many boxes (each found among the cases the earlier ones left).
    max_qp : float
        Restrictions whose quasi-p value exceeds this are dropped; a box none of whose
        restrictions the data support is reported with no restriction (coverage 1: the
        condition holds throughout the space at its base rate, no region stands out).
    max_dims : int
        Only boxes restricting at most this many parameters are chosen (an interpretable
        box; deeper peeling over dozens of parameters fits noise).
    screen : float or None
        Family-wise level of the screening test (module docstring); None runs PRIM on
        every parameter.

    Returns
    -------
    Discovery with ``boxes``: one row per (box, restricted parameter) with ``box``,
    ``coverage``, ``density``, ``mass``, ``parameter``, ``min``, ``max``, ``low``,
    ``high`` (the parameter's sampled range) and ``qp``.
    """
    if isinstance(source, pd.DataFrame):
        table = source.copy()
        if parameters is None:
            if manifest is None:
                raise DiscoverError("discover(table): give parameters or the manifest")
            parameters = _params(manifest)
    else:
        table, manifest = load_table(source)
        parameters = _params(manifest)
    if not 0 < density <= 1:
        raise DiscoverError(f"density = {density!r}: must be in (0, 1]")
    if not isinstance(boxes, int) or boxes < 1:
        raise DiscoverError(f"boxes = {boxes!r}: must be a whole number of at least 1")
    if not isinstance(max_dims, int) or max_dims < 1:
        raise DiscoverError(f"max_dims = {max_dims!r}: must be a whole number of at least 1")
    case = _condition(table, where)
    table = table.assign(case=case)
    x = table[parameters].astype(float)
    x = x.loc[:, x.nunique() > 1]  # PRIM cannot peel a constant column
    found = 0 < case.sum() < len(case)
    if found and screen is not None:
        x = x[screened(x, case, screen, 2 * max_dims)]
        found = x.shape[1] > 0
    rows = _prim_boxes(x, case, density, boxes, max_qp, max_dims) if found else []
    columns = ["box", "coverage", "density", "mass", "parameter", "min", "max", "low", "high", "qp"]
    return Discovery(where, table, pd.DataFrame(rows, columns=columns), list(x.columns))


def screened(x: pd.DataFrame, case: np.ndarray, level: float, most: int) -> list[str]:
    """The parameters of ``x`` whose values differ between cases and non-cases: two-sided
    Mann-Whitney p-value below ``level / x.shape[1]`` (Bonferroni), at most ``most``,
    strongest first."""
    from scipy.stats import mannwhitneyu

    case = np.asarray(case, dtype=bool)
    p = mannwhitneyu(x[case], x[~case], alternative="two-sided", axis=0).pvalue
    order = np.argsort(p, kind="stable")
    keep = [x.columns[i] for i in order if p[i] < level / x.shape[1]]
    return keep[:most]


def _prim_boxes(
    x: pd.DataFrame, y: np.ndarray, density: float, boxes: int, max_qp: float, max_dims: int
) -> list[dict[str, Any]]:
    with warnings.catch_warnings():  # the workbench warns about optional parallel back ends
        warnings.simplefilter("ignore")
        import logging

        from ema_workbench.analysis import prim

        logging.getLogger("EMA").setLevel(logging.ERROR)
        logging.getLogger("EMA.analysis.prim").setLevel(logging.ERROR)
        # PRIM returns an unpeeled "dump" box when its final box is below the threshold:
        # ask for any box denser than the space, then choose on the trajectory below
        p = prim.Prim(x, y, threshold=float(np.mean(y)), mass_min=0.05)
        rows: list[dict[str, Any]] = []
        total = int(y.sum())
        for b in range(1, boxes + 1):
            box = p.find_box()
            if box is None or len(box.peeling_trajectory) < 2:
                break
            traj = box.peeling_trajectory
            small = traj[(traj["res_dim"] > 0) & (traj["res_dim"] <= max_dims)]
            dense = small[small["density"] >= density]
            pick = dense if not dense.empty else small
            if pick.empty:
                break
            balance = 2 / (1 / pick["coverage"] + 1 / pick["density"])  # harmonic mean
            ranked = [int(i) for i in balance.sort_values(ascending=False, kind="stable").index]
            # the best-balanced box whose every restriction the data support, else the
            # best-balanced box with its unsupported restrictions dropped
            box.select(next((i for i in ranked if _supported(box, i, max_qp)), ranked[0]))
            rows += _box_rows(box, b, x, max_qp, total)
            if not p.yi_remaining.size or y[p.yi_remaining].sum() == 0:
                break
        return rows


def _qp(limits: pd.DataFrame) -> pd.Series | None:
    """Each restriction's quasi-p value (the larger of its two sides), or None."""
    return limits.iloc[:, 2:].max(axis=1, skipna=True) if limits.shape[1] > 2 else None


def _supported(box: Any, i: int, max_qp: float) -> bool:
    """Whether every restriction of box ``i`` on the trajectory has quasi-p <= ``max_qp``."""
    qp = _qp(box.inspect(i, style="data")[0][1])
    return qp is not None and bool((qp <= max_qp).all())


def _box_rows(box: Any, number: int, x: pd.DataFrame, max_qp: float, total: int) -> list[dict]:
    """Tidy rows of one selected box (dropping restrictions the data do not support)."""
    for _ in range(len(x.columns)):
        stats, limits = box.inspect(style="data")[0]
        qp = _qp(limits)
        weak = [] if qp is None else [n for n, q in qp.items() if q > max_qp]
        if not weak:
            break
        box.drop_restriction(max(weak, key=lambda n: qp[n]))  # the least supported first
    stats, limits = box.inspect(style="data")[0]
    qp = _qp(limits)
    qp = {} if qp is None else qp
    base = {
        "box": number,
        "coverage": float(stats["coverage"]),
        "density": float(stats["density"]),
        "mass": float(stats["mass"]),
    }
    rows = []
    for name in limits.index:
        rows.append(
            {
                **base,
                "parameter": name,
                "min": float(limits.loc[name].iloc[0]),
                "max": float(limits.loc[name].iloc[1]),
                "low": float(x[name].min()),
                "high": float(x[name].max()),
                "qp": float(qp[name]) if name in qp else np.nan,
            }
        )
    return rows or [{**base, "parameter": None}]


def write_discovery(
    found: Discovery, out: str | Path | None, results: str | Path | None = None
) -> dict[str, Path]:
    """Write ``boxes.csv``, ``points.csv`` (the table with its ``case`` column),
    ``boxes.png`` and ``discovery.json`` into ``out`` (default:
    ``<results>/discovery/<condition as a name>``)."""
    import datetime as dt

    from .. import __version__
    from .files import _write_csv, atomic_write

    if out is None:
        if results is None:
            raise DiscoverError("write_discovery: give out or the results directory")
        slug = re.sub(r"[^A-Za-z0-9]+", "_", found.where).strip("_")[:60] or "condition"
        out = Path(results) / "discovery" / slug
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DiscoverError(f"--out {out}: is a file, not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DiscoverError(f"--out {out}: cannot create the directory ({exc.strerror})") from None
    files = {
        "boxes.csv": _write_csv(found.boxes, out / "boxes.csv"),
        "points.csv": _write_csv(found.table, out / "points.csv"),
    }
    rows = found.boxes.dropna(subset=["parameter"])
    title = f"Where {found.where!r} holds ({found.cases} of {len(found.table)} points)"
    labels = "box " + rows["box"].astype(str) + ": " + rows["parameter"].astype(str)
    files["boxes.png"] = fig_boxes(rows, labels, title, out / "boxes.png")
    info = {
        "where": found.where,
        "points": len(found.table),
        "cases": found.cases,
        "parameters": found.parameters,
        "boxes": int(found.boxes["box"].nunique()) if not found.boxes.empty else 0,
        "results": str(results) if results is not None else None,
        "method": "PRIM (ema_workbench)",
        "socialsim_version": __version__,
        "written": dt.datetime.now(dt.UTC).isoformat(),
    }
    text = json.dumps(info, indent=2) + "\n"
    files["discovery.json"] = atomic_write(
        out / "discovery.json", lambda p: Path(p).write_text(text, encoding="utf-8")
    )
    return files
