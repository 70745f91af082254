"""Speed helpers for index sets give exactly what their NumPy counterparts give."""

from __future__ import annotations

import numpy as np
import pytest

from socialsim.rules.indices import rank, remove_sorted, union, unique


@pytest.mark.parametrize("k", [0, 5, 300, 5000])  # sorted (few) and masked (many) paths
def test_index_sets_match_numpy(k):
    rng = np.random.default_rng(k)
    size = 10_000
    a, b, c = (rng.integers(0, size, k) for _ in range(3))
    expected = np.union1d(np.union1d(a, b), c)
    assert np.array_equal(union(size, a, b, c), expected)
    assert np.array_equal(unique(a, size), np.unique(a))
    distinct, pos = rank(a, size)
    assert np.array_equal(distinct, np.unique(a))
    assert np.array_equal(pos, np.searchsorted(np.unique(a), a))
    values = np.unique(a)
    drop = values[rng.random(values.size) < 0.3]
    assert np.array_equal(
        remove_sorted(values, drop), np.setdiff1d(values, drop, assume_unique=True)
    )
