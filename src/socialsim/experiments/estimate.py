"""Time and memory of an experiment, estimated before anything runs (``validate``, ``run``).

One run of ``n`` users, ``E`` friendships, ``B`` brands and ``T`` days is modelled as

    seconds = RUN_S + T * (day + EDGE_DAY_S * E) + build(E)
    day     = DAY_S + USER_DAY_S * n                                        (B = 1)
    day     = BRANDS_DAY_S + BRANDS_USER_DAY_S * n + USER_BRAND_DAY_S * n * B   (B > 1)
    bytes   = BASE_BYTES + USER_BYTES * n + USER_BRAND_BYTES * n * (B - 1) + edge_bytes(E)

where ``build`` and ``edge_bytes`` depend on the graph kind (:data:`BUILD_EDGE_S`,
:data:`EDGE_BYTES`; a Barabasi-Albert graph goes straight into the sparse adjacency, the
other generators build a NetworkX graph first, the stochastic block model also pays per
pair of nodes) and ``E`` is the generator's expected number of edges (the number of lines of
a file). Several brands take another code path, hence the second line. The coefficients are
fitted to ``benchmarks/bench_estimate.py`` (CPU time of single runs on a 2-core machine,
:data:`FITTED`); ``tests/test_estimate.py`` checks them against the recorded measurements
(within 30%). With ``W`` workers on ``C`` cores an experiment takes about ``runs * seconds /
(min(W, C) * 0.9)`` plus a start-up, and ``W`` runs are in memory at once.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ExperimentError

_SPLIT = re.compile(rb"[,;\s]+")

#: Where the coefficients come from.
FITTED = "benchmarks/bench_estimate.py, 2 cores, 2026-11-30 (benchmarks/estimate_results.json)"
RUN_S = 0.06  # building the model, the metrics table, writing the run file
DAY_S = 8e-4  # per day, one brand: Python work that does not grow with users
USER_DAY_S = 4e-8  # per user and day, one brand: the vectorized rules
BRANDS_DAY_S = 2.5e-3  # per day, several brands
BRANDS_USER_DAY_S = 1.78e-7  # per user and day, several brands
USER_BRAND_DAY_S = 1e-7  # per user, brand and day, several brands
EDGE_DAY_S = 6e-9  # per friendship and day: neighbour passes
#: Building a friendship, by graph kind (``communities`` also pays SBM_PAIR_S per node pair).
BUILD_EDGE_S = {
    "barabasi_albert": 8e-7,
    "watts_strogatz": 2e-6,
    "erdos_renyi": 2e-6,
    "complete": 6e-7,
    "communities": 1e-6,
    "file": 3e-6,
}
SBM_PAIR_S = 1.1e-8
BASE_BYTES = 172e6  # the interpreter, NumPy, pandas, Mesa, SciPy
USER_BYTES = 360.0  # per user: state arrays, the adjacency of a mean degree of 10, temporaries
USER_BRAND_BYTES = 100.0  # per user and brand beyond the first
#: Memory per friendship by graph kind: NetworkX's dicts (the file reader's text and lists).
EDGE_BYTES = {"barabasi_albert": 0.0, "file": 500.0}
NX_EDGE_BYTES = 180.0  # the other kinds
START_S = 4.0  # starting a pool of local workers
PARALLEL_EFFICIENCY = 0.9  # sweep speed-up per core (bench_sweep.py: 1.92x and 1.69x on 2)


@dataclass(frozen=True)
class Estimate:
    """Estimated cost of an experiment with a number of workers."""

    runs: int
    workers: int
    seconds: float  # wall time of the whole experiment
    run_seconds: float  # the costliest run
    run_bytes: float  # peak memory of the costliest run
    peak_bytes: float  # ``workers`` such runs at once (and the main process)
    users: int
    edges: int

    @property
    def peak_gb(self) -> float:
        return self.peak_bytes / 1e9


def expected_edges(graph: dict[str, Any]) -> int:
    """The expected number of friendships of a ``[graph]`` table (lines of a file)."""
    kind, n = graph["kind"], int(graph.get("n", 0))
    if kind == "barabasi_albert":
        m = int(graph["m"])
        return m * max(n - m, 0)
    if kind == "watts_strogatz":
        return n * (int(graph["k"]) // 2)
    if kind == "erdos_renyi":
        return round(float(graph["p"]) * n * (n - 1) / 2)
    if kind == "complete":
        return n * (n - 1) // 2
    if kind == "communities":
        c = int(graph["communities"])
        size = n / c
        inside = c * size * (size - 1) / 2
        return round(float(graph["p_in"]) * inside + float(graph["p_out"]) * (n * n / 2 - inside))
    if kind == "file":
        return _file(graph)[1]
    raise ExperimentError(f"graph.kind = {kind!r}: no size estimate")  # pragma: no cover


@functools.lru_cache(maxsize=32)
def _file_size(path: str, mtime: float) -> tuple[int, int]:
    """Distinct labels and data lines of an edge-list file (comments and blanks skipped)."""
    labels: set[bytes] = set()
    lines = 0
    try:
        with open(path, "rb") as fh:
            for line in fh:
                parts = _SPLIT.split(line.strip(), maxsplit=2)
                if not parts[0] or parts[0][:1] in (b"#", b"%"):
                    continue
                lines += 1
                labels.update(parts[:2])
    except OSError:
        return 0, 0
    return len(labels), lines


def _file(graph: dict[str, Any]) -> tuple[int, int]:
    path = graph["path"]
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return 0, 0
    return _file_size(path, mtime)


def _users(graph: dict[str, Any]) -> int:
    return _file(graph)[0] if graph["kind"] == "file" else int(graph["n"])


def run_cost(cfg: dict[str, Any]) -> tuple[float, float, int, int]:
    """Seconds and peak bytes of one run of a resolved model config, with its users and
    edges."""
    graph = cfg["graph"]
    kind = graph["kind"]
    edges = expected_edges(graph)
    users = _users(graph)
    brands = max(len(cfg.get("brands", [])), 1)
    days = int(cfg["steps"])
    if brands == 1:
        day = DAY_S + USER_DAY_S * users
    else:
        day = BRANDS_DAY_S + BRANDS_USER_DAY_S * users + USER_BRAND_DAY_S * users * brands
    build = BUILD_EDGE_S[kind] * edges + (SBM_PAIR_S * users**2 if kind == "communities" else 0)
    seconds = RUN_S + days * (day + EDGE_DAY_S * edges) + build
    size = (
        BASE_BYTES
        + USER_BYTES * users
        + USER_BRAND_BYTES * users * (brands - 1)
        + EDGE_BYTES.get(kind, NX_EDGE_BYTES) * edges
    )
    return seconds, size, users, edges


def estimate(exp: Any, workers: int = 1) -> Estimate:
    """Estimate an :class:`~socialsim.experiments.spec.Experiment` with ``workers`` workers."""
    costs = [run_cost(cfg) for _, cfg in exp.scenarios]
    per_point = len(exp.points) * exp.replications
    total = sum(c[0] for c in costs) * per_point
    worst = max(costs, key=lambda c: c[1])
    parallel = max(1, min(workers, exp.n_runs))  # processes holding a model at once
    speedup = min(parallel, os.cpu_count() or 1) * (PARALLEL_EFFICIENCY if parallel > 1 else 1)
    seconds = total / max(speedup, 1.0) + (START_S if workers > 1 else 0.0)
    peak = worst[1] * parallel + (BASE_BYTES if workers > 1 else 0.0)
    return Estimate(
        runs=exp.n_runs,
        workers=workers,
        seconds=seconds,
        run_seconds=max(c[0] for c in costs),
        run_bytes=worst[1],
        peak_bytes=peak,
        users=worst[2],
        edges=worst[3],
    )


def available_memory() -> float | None:
    """Bytes of memory available to new processes (``MemAvailable``), or None if unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def check_fits(est: Estimate, available: float | None = None) -> None:
    """Raise :class:`ExperimentError` when the estimate does not fit in available memory,
    with the estimate and how to shrink it (``--force`` skips this check)."""
    available = available_memory() if available is None else available
    if available is None or est.peak_bytes <= 0.9 * available:
        return
    hint = "fewer --workers, " if est.workers > 1 else ""
    raise ExperimentError(
        f"this experiment needs about {est.peak_gb:,.1f} GB ({est.workers} run(s) at once of "
        f"{est.users:,} users and {est.edges:,} friendships, {est.run_bytes / 1e9:,.1f} GB "
        f"each) but {available / 1e9:,.1f} GB are available: use {hint}a smaller graph.n "
        "or a sparser graph, or --force to try anyway"
    )
