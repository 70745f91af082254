"""Speed helpers for the typed item doses (shares, communities): arrays whose last axis is
the short content-type axis (:data:`day.CONTENT_TYPES`). NumPy reduces such an axis one
row at a time; these helpers take one whole-array operation per type instead (several times
faster from a few thousand rows) and return exactly what their plain expressions return.
"""

from __future__ import annotations

import numpy as np


def sum_types(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=-1)`` for a short last axis (fewer than 8 entries): the terms added in
    order, ``((a_0 + a_1) + a_2) + ...``, which is how NumPy's pairwise summation adds fewer
    than 8 terms (the same bits; tests/test_shares.py checks it)."""
    if a.shape[-1] >= 8:
        return a.sum(axis=-1)
    if a.shape[-1] < 2:
        return a[..., 0].copy()
    out = a[..., 0] + a[..., 1]
    for k in range(2, a.shape[-1]):
        out += a[..., k]
    return out


def typed_doses(
    attended: np.ndarray,
    shared: np.ndarray,
    scale: np.ndarray | None,
    type_shares: np.ndarray,
    community: np.ndarray | None = None,
    serve_mix: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Attended items by type with shares on (``attention.attend``): ``(dose, pitch, serve)``,
    where, with ``Y = shared * scale[:, None, None]`` (``shared`` when ``scale`` is None),

        own = max(attended - sum_types(Y) - community, 0)     (no ``- community`` if None)
        dose = own[:, :, None] * type_shares.T[None, :, :] + Y
        dose[:, :, 1:] += community[:, :, None] * serve_mix[None, :, [1, 2, 0]]  (if given)
        pitch = dose[:, :, 0],  serve = sum_types(dose[:, :, 1:])

    ``attended``, ``community`` (attended community items): (rows, B); ``shared``: (rows, B,
    K); ``type_shares``: (K, B) (``Plans.type_shares``); ``serve_mix``: (B, 3). The same
    element-wise operations in the same order (the same bits), done type-major ((K, rows, B),
    each type one contiguous block) and returned as a C-contiguous ``dose``; ``pitch`` and
    ``serve`` are contiguous arrays of their own, not views of ``dose``."""
    K = shared.shape[-1]
    Y = np.empty((K, *attended.shape))
    if scale is None:
        Y[...] = shared.transpose(2, 0, 1)
    else:
        np.multiply(shared.transpose(2, 0, 1), scale[:, None], out=Y)
    own = sum_types_major(Y)
    np.subtract(attended, own, out=own)
    if community is not None:
        own -= community
    np.maximum(own, 0.0, out=own)
    D = np.multiply(own, type_shares[:, None, :], order="C")  # (K, rows, B)
    D += Y
    if community is not None:
        D[1:] += community * serve_mix[:, [1, 2, 0]].T[:, None, :]
    dose = np.ascontiguousarray(D.transpose(1, 2, 0))
    return dose, D[0], sum_types_major(D[1:])


def sum_types_major(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=0)`` for a type-major array (types first): :func:`sum_types` over the
    first axis (``a[k]`` are its terms, contiguous blocks)."""
    return sum_types(np.moveaxis(a, 0, -1))
