"""Sets of indices as sorted arrays: unions, differences and positions, computed the cheaper
of two ways (a sort when the sets are small next to the index range, a boolean mask
otherwise). Speed helpers only: each returns exactly what its NumPy counterpart returns.
"""

from __future__ import annotations

import numpy as np

#: A set this many times smaller than its index range is sorted rather than masked.
SPARSE = 64


def union(size: int, *sets: np.ndarray) -> np.ndarray:
    """``np.union1d`` of index arrays in ``0..size-1``: sorted, distinct, int64."""
    total = sum(s.size for s in sets)
    if total * SPARSE < size:
        values = np.sort(np.concatenate(sets).astype(np.int64, copy=False))
        first = np.empty(values.size, dtype=bool)  # np.unique's own way, without its hashing
        first[:1] = True
        np.not_equal(values[1:], values[:-1], out=first[1:])
        return values[first]
    mask = np.zeros(size, dtype=bool)
    for s in sets:
        mask[s] = True
    return np.flatnonzero(mask)


def union_mask(mask: np.ndarray, *sets: np.ndarray) -> np.ndarray:
    """``np.union1d`` of ``np.flatnonzero(mask)`` and index arrays in ``0..mask.size-1``:
    sorted, distinct, int64 (``union(mask.size, np.flatnonzero(mask), *sets)``), from one
    copy of the mask rather than its indices. ``mask`` (flat, bool) is not changed."""
    sets = tuple(s for s in sets if s.size)
    if not sets:
        return np.flatnonzero(mask)
    mask = mask.copy()
    for s in sets:
        mask[s] = True
    return np.flatnonzero(mask)


def unique(values: np.ndarray, size: int) -> np.ndarray:
    """``np.unique`` of indices in ``0..size-1`` (sorted, distinct, int64)."""
    return union(size, values)


def remove_sorted(values: np.ndarray, drop: np.ndarray) -> np.ndarray:
    """``np.setdiff1d(values, drop, assume_unique=True)`` for sorted distinct ``values`` and
    ``drop`` a subset of them: ``values`` without ``drop``, in order."""
    if drop.size == 0:
        return values.copy()
    keep = np.ones(values.size, dtype=bool)
    keep[np.searchsorted(values, drop)] = False
    return values[keep]


def rank(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of indices ``values`` in ``0..size-1``, sorted, and each value's
    position among them: ``(u, np.searchsorted(u, values))`` with ``u = np.unique(values)``."""
    if values.size * SPARSE < size:
        return np.unique(values, return_inverse=True)
    mask = np.zeros(size, dtype=bool)
    mask[values] = True
    distinct = np.flatnonzero(mask)
    position = np.empty(size, dtype=np.intp)
    position[distinct] = np.arange(distinct.size)
    return distinct, position[values]
