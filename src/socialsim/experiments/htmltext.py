"""The words of ``report.html`` around the answer: figure captions, settings, caveats.

Figures are drawn elsewhere (:mod:`.figures`, :mod:`.robustness`, :mod:`.demo`); a caption
is chosen by the file name's pattern (``timeseries``, ``final_vs_<param>``,
``differences``, ``sensitivity``, ``bass``, ``robustness``, ``discovery``, ``demo``, ...),
with the file name itself as the fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..labels import label, short
from .answers import BASS_TOLERANCE, fmt
from .outcomes import _params, _scenarios

__all__ = ["caption", "experiment_caveats", "experiment_settings", "ordered", "slim"]

#: Figure order on the page (by file-name prefix); others follow alphabetically.
ORDER = (
    "demo",
    "timeseries",
    "final_vs",
    "heatmap",
    "differences",
    "sensitivity",
    "bass",
    "robustness",
    "discovery",
)


def ordered(paths: Iterable[Path]) -> list[Path]:
    """Figures in :data:`ORDER`, the rest after them by name."""

    def rank(path: Path) -> tuple[int, str]:
        for i, prefix in enumerate(ORDER):
            if path.stem.startswith(prefix):
                return i, path.stem
        return len(ORDER), path.stem

    return sorted(paths, key=rank)


def _reps(manifest: dict[str, Any], runs: pd.DataFrame) -> str:
    """``means over 8 replications with 95% intervals`` (or a single run's lack of one)."""
    n = int(manifest.get("replications") or runs["replication"].nunique())
    if n == 1:
        return "values of a single run (a single run has no interval)"
    return f"means over {n} replications with 95% intervals"


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _param_of(stem: str, manifest: dict[str, Any]) -> str | None:
    """The swept parameter a figure like ``final_vs_brands_0__sell_share`` is about."""
    tail = _norm(stem.split("_vs_", 1)[-1]) if "_vs_" in stem else _norm(stem)
    for param in _params(manifest):
        if _norm(param) and _norm(param) in tail:
            return param
    return None


def caption(path: Path, runs: pd.DataFrame, manifest: dict[str, Any]) -> str:
    """A caption for the figure at ``path``, by its file name."""
    stem = path.stem
    reps = _reps(manifest, runs)
    params = _params(manifest)
    scenarios = _scenarios(manifest)
    if stem.startswith("demo"):
        from ..mixes import MIXES

        mixes = ", ".join(f"{name} (sell share {fmt(share)})" for name, share in MIXES.items())
        return (
            f"The three mixes day by day, {mixes}: {reps}; the "
            "dotted line marks day 30. The verdicts by day 30 and by the last day are in the "
            "answer above."
        )
    if stem.startswith("timeseries"):
        per = [
            *(["scenario"] if len(scenarios) > 1 else []),
            *(["sweep point"] if params else []),
            *(["brand"] if runs["brand"].nunique() > 1 else []),
        ]
        who = f", per {' and '.join(per)}" if per else ""
        return f"Cumulative conversions, trust and backlash day by day{who}: {reps}."
    if stem.startswith("final_vs") or stem.startswith("heatmap"):
        param = _param_of(stem, manifest)
        what = label(param) if param else ", ".join(short(p) for p in params)
        rest = [short(p) for p in params if p != param]
        split = f"; separate lines or panels for each {', '.join(rest)}" if rest else ""
        return f"Outcomes at the end of the run against {what}: {reps}{split}."
    if stem.startswith("differences"):
        return (
            f"Paired differences of each scenario to the reference '{scenarios[0]}' "
            f"{'per sweep point ' if params else ''}({reps}): an "
            "interval that crosses 0 is no clear difference."
        )
    if stem.startswith("sensitivity"):
        method = (manifest.get("sweep") or {}).get("method", "")
        return (
            f"Sensitivity of the outcomes to the swept parameters ({method} indices with 95% "
            "bootstrap intervals): longer bars mean the parameter matters more."
        )
    if stem.startswith("bass"):
        return (
            "Share of users who adopted in the model (points) against the discrete Bass "
            f"recursion (lines); the check accepts deviations below {fmt(BASS_TOLERANCE)}."
        )
    if stem.startswith("robustness"):
        return (
            "Share of the sampled parameter space where each pattern holds, with 95% Wilson "
            "intervals."
        )
    if stem.startswith("discovery"):
        return (
            "Where patterns fail: for each pattern, the parameter ranges (PRIM box) that hold "
            "most of its failures."
        )
    return stem.replace("_", " ").capitalize() + "."


# ----------------------------------------------------------------------------------------
# settings


def slim(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without its long lists (sweep points, ensemble members)."""
    out = dict(manifest)
    exp = dict(out.get("experiment") or {})
    if "points" in exp:
        exp["points"] = f"{len(exp['points'] or [])} points (see manifest.json)"
    if isinstance(exp.get("ensemble"), dict):
        exp["ensemble"] = {k: v for k, v in exp["ensemble"].items() if k not in ("members",)}
    if exp:
        out["experiment"] = exp
    if isinstance(out.get("ensemble"), dict):
        ens = dict(out["ensemble"])
        for key in ("members", "trials"):
            if isinstance(ens.get(key), list):
                ens[key] = f"{len(ens[key])} values (see manifest.json)"
        out["ensemble"] = ens
    return out


def _graph(manifest: dict[str, Any]) -> str:
    graph = ((manifest.get("experiment") or {}).get("base") or {}).get("graph") or {}
    kind = graph.get("kind")
    if kind is None:
        return ""
    if kind == "file":
        return f"graph file {graph.get('path')}"
    users = f"{int(graph['n']):,} users" if graph.get("n") else ""
    return f"{kind.replace('_', '-')} graph of {users}".strip()


def _brands(manifest: dict[str, Any]) -> str:
    brands = ((manifest.get("experiment") or {}).get("base") or {}).get("brands") or []
    parts = []
    for b in brands:
        bits = [f"strategy {b.get('strategy')}"] if b.get("strategy") else []
        if b.get("sell_share") is not None:
            bits.append(f"sell share {fmt(b['sell_share'])}")
        if b.get("posts_per_day") is not None:
            bits.append(f"{fmt(b['posts_per_day'])} posts a day")
        parts.append(f"{b.get('name', 'brand')} ({', '.join(bits)})")
    return "; ".join(parts)


def experiment_settings(manifest: dict[str, Any], runs: pd.DataFrame) -> list[tuple[str, str]]:
    """Key settings of an experiment: what ran, with which seed, version and when."""
    sweep = manifest.get("sweep") or {}
    out = [("experiment", str(manifest.get("name", "")))]
    scenarios = _scenarios(manifest)
    if manifest.get("patterns"):
        out.append(("scenarios", f"the pattern battery ({len(scenarios)} scenarios)"))
    elif len(scenarios) == 1:
        out.append(("scenarios", f"one ({scenarios[0]})"))
    else:
        out.append(("scenarios", f"{', '.join(scenarios)} (reference: {scenarios[0]})"))
    if sweep:
        bounds = sweep.get("bounds") or [None] * len(sweep.get("parameters", []))
        ranges = []
        for p, b in zip(sweep.get("parameters", []), bounds, strict=False):
            span = f" {fmt(b[0])} to {fmt(b[1])}" if isinstance(b, list | tuple) else ""
            ranges.append(f"{short(p)} ({p}){span}")
        out.append(
            (
                "sweep",
                f"{sweep.get('method')} over {'; '.join(ranges)}: {sweep.get('points')} points",
            )
        )
    else:
        out.append(("sweep", "none"))
    out.append(("replications", str(manifest.get("replications"))))
    out.append(("days per run", str(manifest.get("steps"))))
    if _graph(manifest):
        out.append(("users", _graph(manifest)))
    if _brands(manifest):
        out.append(("brands (base config)", _brands(manifest)))
    ens = manifest.get("ensemble")
    if ens:
        out.append(
            (
                "ensemble",
                f"{ens.get('sets')} parameter sets from {ens.get('path')}; each "
                "replication draws one",
            )
        )
    crn = "common random numbers (same seeds in every scenario and point)"
    out.append(
        (
            "master seed",
            f"{manifest.get('master_seed')}; {crn if manifest.get('crn') else 'independent seeds'}",
        )
    )
    out.append(("runs", f"{manifest.get('runs')} ({manifest.get('runs_resumed', 0)} resumed)"))
    out.append(("socialsim version", str(manifest.get("socialsim_version", ""))))
    if manifest.get("git_commit"):
        out.append(("git commit", str(manifest["git_commit"])))
    out.append(("started", str(manifest.get("started", ""))))
    out.append(("finished", str(manifest.get("finished", ""))))
    workers = manifest.get("workers")
    if workers:
        out.append(("executor", f"{manifest.get('executor')}, {workers} worker(s)"))
    return out


# ----------------------------------------------------------------------------------------
# caveats

MODEL = (
    "What the model is: an agent-based model of stylised users on a social graph who see a "
    "brand's posts and respond through trust, a favour bank (reciprocity), limited attention "
    "and backlash; conversions, trust and backlash emerge from these rules. What it is not: a "
    "forecast of a real brand's sales. Absolute levels depend on coefficients that are "
    "assumptions unless calibrated to data; read the results as comparisons between "
    "strategies under the stated assumptions."
)


def experiment_caveats(manifest: dict[str, Any], reps: int) -> list[str]:
    """What the reader must keep in mind: replications, intervals, what the model is."""
    out = []
    if reps < 2:
        out.append(
            "A single run has no interval: every number is one draw of a random model. "
            "Rerun with --replications 10 (or more) before comparing."
        )
    elif manifest.get("patterns"):
        out.append(
            f"Each sample point runs the pattern battery {reps} times; a pattern is judged on "
            "the means, so with few replications some verdicts at a point are noise."
        )
    else:
        out.append(
            f"Every mean is over {reps} replications. The 95% intervals measure the model's "
            "own randomness (simulation noise); more replications narrow them. Differences "
            "are paired by replication (common random numbers), which narrows them further."
        )
    if manifest.get("ensemble"):
        out.append(
            "With an ensemble, each replication uses one plausible parameter set of a "
            "calibration, so the intervals also hold that parameter uncertainty."
        )
    else:
        out.append(
            "The intervals hold no uncertainty about the model's parameters: they are fixed at "
            "the configured values."
        )
    sweep = manifest.get("sweep") or {}
    if sweep.get("method") in ("lhs", "sobol", "morris"):
        out.append(
            "The sweep samples the parameter space; results between sample points are "
            "interpolated by the reader, not computed."
        )
    out.append(
        "Cumulative conversions count purchases (first and repeat) from the first day to the "
        "end of the run; 'final' values are those of the last day."
    )
    out.append(MODEL)
    return out
