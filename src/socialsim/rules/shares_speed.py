"""Speed helpers for the shares rule (``rules/shares.py``): on a typical day a handful of
users share, so the per-call set-up of NumPy operations dominates; these helpers return
exactly what their plain expressions return with fewer calls."""

from __future__ import annotations

from itertools import accumulate

import numpy as np
import scipy.sparse as sp

from ..graphs import FEW_ROWS, friends_of


def friends_and_degree(A: sp.csr_array, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every friend of the users ``rows`` in row order, with repeats (int64), and each
    user's number of friends: ``friends_of(A, rows).astype(np.int64)`` and
    ``A.indptr[rows + 1] - A.indptr[rows]``. For at most :data:`graphs.FEW_ROWS` rows, from
    the rows' slices of ``A.indices`` (a few microseconds less than the gathers)."""
    if rows.size == 0 or rows.size > FEW_ROWS:
        indptr = A.indptr
        return friends_of(A, rows).astype(np.int64), indptr[rows + 1] - indptr[rows]
    indptr, indices = A.indptr, A.indices
    parts = [indices[indptr[r] : indptr[r + 1]] for r in rows.tolist()]
    degree = np.array([part.size for part in parts], dtype=np.int64)
    return np.concatenate(parts, dtype=np.int64), degree


def type_draws(doses: np.ndarray, rates: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The content type of the item each sharer shares (int8, one uniform per sharer):
    type k with probability ``rates[k] * doses[i, k] / sum_j rates[j] * doses[i, j]``, as

        cum = (doses * rates).cumsum(axis=1)
        u = rng.random(len(doses)) * cum[:, -1]
        kind = np.minimum((u[:, None] >= cum).sum(axis=1), K - 1)

    For at most :data:`graphs.FEW_ROWS` sharers (most days: a handful), in Python floats:
    the same IEEE products and running sums, the same bits, without a dozen array calls."""
    K = doses.shape[1]
    if doses.shape[0] > FEW_ROWS:
        cum = (doses * rates).cumsum(axis=1)
        u = rng.random(doses.shape[0]) * cum[:, -1]
        kind = (u[:, None] >= cum).sum(axis=1, dtype=np.int8)
        return np.minimum(kind, K - 1, out=kind)
    rates = rates.tolist()
    kinds = []
    for dose, u in zip(doses.tolist(), rng.random(doses.shape[0]).tolist(), strict=True):
        cum = list(accumulate([d * r for d, r in zip(dose, rates, strict=True)]))
        x = u * cum[-1]
        kinds.append(min(len([c for c in cum if x >= c]), K - 1))
    return np.array(kinds, dtype=np.int8)
