"""Speed helpers for index sets give exactly what their NumPy counterparts give."""

from __future__ import annotations

import numpy as np
import pytest

from socialsim.rules.attention import poisson_by_brand
from socialsim.rules.indices import rank, remove_sorted, union, union_mask, unique


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
    mask = rng.random(size) < 0.01
    before = mask.copy()
    union_with_mask = union_mask(mask, a, b, np.array([], dtype=np.int64))
    assert np.array_equal(union_with_mask, np.union1d(np.flatnonzero(mask), np.union1d(a, b)))
    assert np.array_equal(mask, before)  # the mask is not changed
    assert union_with_mask.dtype == np.int64


@pytest.mark.parametrize("n_brands", [1, 3])
def test_poisson_by_brand_draws_as_per_entry_means(n_brands):
    lam = np.array([0.4, 2.0, 7.5])[:n_brands]
    flat = np.sort(np.random.default_rng(1).choice(3000, 500, replace=False))
    a, b = np.random.default_rng(9), np.random.default_rng(9)
    assert np.array_equal(poisson_by_brand(a, lam, flat, n_brands), b.poisson(lam[flat % n_brands]))
    assert a.random() == b.random()  # the stream is left in the same state
