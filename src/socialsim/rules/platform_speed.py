"""Speed helpers of the several-platforms rules (``rules/platforms.py``, odd.md 7.16).

Each returns exactly what the plain expression in its docstring returns (bit for bit, with
the same random draws in the same order): per-user arrays that never change are computed
once (presence is fixed; ``attention``, ``friend_motive`` and ``degree`` are replaced, never
changed in place, so they are recomputed when one is replaced), and per-day arrays of a few
numbers are kept while their inputs repeat (a static plan).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..state import State, kept


def fixed(state: State, commercialization: np.ndarray) -> dict:
    """Per-user arrays that never change (presence is fixed), computed once: the number of
    platforms ``m``, the mean ad load over them ``load``, each platform's users, their
    presence shares and pairs, and the combinations of platforms (``combos``, user i on
    ``combos[code[i]]``)."""
    out = state.cache.get("platforms")
    if out is None:
        present = state.present
        m = present.sum(axis=1)
        out = {
            "m": m,
            "load": (present @ commercialization) / m,
            "users": [np.flatnonzero(present[:, k]) for k in range(present.shape[1])],
        }
        # the users' combinations of platforms (few): rows of ``combos``, user i's is ``code[i]``
        combos, code = combinations(present)
        out["combos"], out["code"], out["combo_m"] = combos, code.reshape(-1), combos.sum(axis=1)
        out["combo_max"] = int(out["combo_m"].max(initial=0))
        # the platforms' presence counts: their shares and the number of (user, platform) pairs
        counts = np.array([users.size for users in out["users"]], dtype=float)
        out["presence_share"], out["presence_pairs"] = counts / counts.sum(), int(counts.sum())
        out["combo_float"] = combos.astype(float)
        state.cache["platforms"] = out
    return out


def combinations(present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``present`` (C, K) and each user's row among them (n,), as
    ``np.unique(present, axis=0, return_inverse=True)``, found from one integer per user
    (bit k set for platform k) when K < 63 (a row sort of (n, K) booleans is slow)."""
    K = present.shape[1]
    if K >= 63:
        combos, code = np.unique(present, axis=0, return_inverse=True)
        return combos, code.reshape(-1)
    bits = present.astype(np.int64) @ (np.int64(1) << np.arange(K, dtype=np.int64))
    values, code = np.unique(bits, return_inverse=True)
    combos = (values[:, None] >> np.arange(K, dtype=np.int64)[None, :]) & 1 == 1
    return combos, code.reshape(-1)


def means(on: np.ndarray, posts: np.ndarray, sell: np.ndarray, g: np.ndarray) -> tuple:
    """Each brand's share of its posts on each platform (B, K; a platform it is on without
    posts counts as a tiny weight) and its posts-weighted mean sell share and grating sell
    share ``sigma_bk g_k`` (B,) (``platforms.expose``, ``platform_reacting.demand``)."""
    weight = np.where(on, np.maximum(posts, 1e-12), 0.0)
    weight = weight / weight.sum(axis=1, keepdims=True)
    return weight, (weight * sell).sum(axis=1), (weight * sell * g[None, :]).sum(axis=1)


def kept_by_value(cache: dict, name: str, arrays: tuple, compute: Callable[[], tuple]) -> tuple:
    """``compute()`` (a tuple of arrays, made read-only), kept in ``cache`` under ``name``
    while the values of ``arrays`` repeat (compared byte for byte, with their shapes)."""
    key = [(a.shape, a.dtype, a.tobytes()) for a in arrays]
    known = cache.get(name)
    if known is not None and known[0] == key:
        return known[1]
    value = compute()
    for a in value:
        a.flags.writeable = False
    cache[name] = (key, value)
    return value


def of_brand(table: np.ndarray, brand: np.ndarray | None) -> np.ndarray:
    """The rows ``table[brand]`` of a (B, K) table; with one brand (``brand`` None) its row,
    which broadcasts to the same values."""
    return table[0] if brand is None else take_rows(table, brand)


def take_rows(a: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``a[index]`` for an integer array ``index`` (the same new array): ``np.take`` along
    axis 0, several times faster than fancy indexing for the rows of an (n, K) table."""
    return np.take(a, index, axis=0)


def row_sums(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1)`` of an (F, K) table (the same values). With two platforms, the
    columns added (int64: exact in any order; float64: ``(0.0 + a[:, 0]) + a[:, 1]``, one
    rounding and +0.0 for zeros, as NumPy's sum in any order from its +0.0 start), without
    the reduction's fixed cost on the few rows of a day's deliveries."""
    if a.ndim != 2 or a.shape[1] != 2 or a.dtype not in (np.int64, np.float64):
        return a.sum(axis=1)
    if a.dtype == np.int64:
        return a[:, 0] + a[:, 1]
    return (0.0 + a[:, 0]) + a[:, 1]


def mask_rows(a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``a[mask]`` for a boolean ``mask`` over the rows of ``a`` (the same new array):
    ``np.compress`` along axis 0, several times faster for the rows of an (n, K) table."""
    return np.compress(mask, a, axis=0)


def poisson_table(
    rng: np.random.Generator, table: np.ndarray, brand: np.ndarray | None, on: np.ndarray
) -> np.ndarray:
    """``rng.poisson(of_brand(table, brand) * on)`` (F, K) for a (B, K) table of means and
    the presence ``on`` (F, K) (bool) or times (float). NumPy draws nothing for a zero mean
    (it returns 0), so where ``on`` is a presence and the table's non-zero means share one
    finite value, only the present (row, platform) pairs with a non-zero mean are drawn, in
    C order, as that scalar mean with a size (the same draws in the same order)."""
    means = table.ravel().tolist()  # a few floats: checked in Python
    values = [v for v in means if v != 0]
    one = bool(values) and math.isfinite(values[0]) and all(v == values[0] for v in values)
    if on.dtype == np.bool_ and one:
        mask = on if len(values) == len(means) else on & of_brand(table != 0, brand)
        out = np.zeros(on.shape, dtype=np.int64)
        out[mask] = rng.poisson(values[0], size=np.count_nonzero(mask))
        return out
    return rng.poisson(of_brand(table, brand) * on)


def paid_hits(
    state: State,
    users: np.ndarray,
    platform: int,
    brand: int,
    targeting: float,
    amount: float,
    rng: np.random.Generator,
) -> np.ndarray | None:
    """The users among ``users`` (``platform``'s, sorted; fixed) shown one paid impression of
    ``brand``: with ``w = (1 - targeting) + targeting * match[users, brand]``, one uniform
    per user and ``users[u < minimum(1, amount * w / w.sum())]``; None (and no draws) when
    ``w.sum() <= 0``. ``match`` is boolean, so ``w`` takes two values and so does the
    probability (``p_in`` for the brand's segment, ``p_out`` for the others); ``w``'s sum is
    kept while the targeting stays the same, the per-user probabilities while ``p_in`` and
    ``p_out`` do."""
    key = ("platform_paid", platform, brand)
    known = state.cache.get(key)
    if known is None or known[0] != targeting:
        member = state.match[users, brand]
        total = ((1.0 - targeting) + targeting * member).sum()
        known = (targeting, member, bool(member.all()), bool(member.any()), float(total))
        state.cache[key] = known
    _, member, every, some, total = known
    if total <= 0:
        return None
    u = rng.random(users.size)
    t, a = float(targeting), float(amount)  # scalar IEEE arithmetic: the same values
    p_in = min(1.0, a * ((1.0 - t) + t * 1.0) / total)
    p_out = min(1.0, a * ((1.0 - t) + t * 0.0) / total)
    if every or not some or p_in == p_out:
        return users[u < (p_in if every else p_out)]
    chance = kept(
        state.cache, (*key, "chance"), (p_in, p_out), lambda: np.where(member, p_in, p_out)
    )
    return users[u < chance]


def below(u: np.ndarray, amount: float, wh: np.ndarray, total: float) -> np.ndarray:
    """``np.flatnonzero(u < amount * wh / total)`` (``total > 0``). Rounding is monotonic,
    so with ``amount >= 0`` no ratio exceeds ``amount * max(wh) / total`` (the same two
    rounded operations): only the positions with ``u`` below that bound are computed (the
    same values, the same comparisons)."""
    top = amount * wh.max() / total if wh.size and amount >= 0 else np.nan
    if not np.isfinite(top):
        return np.flatnonzero(u < amount * wh / total)
    maybe = np.flatnonzero(u < top)
    return maybe[u[maybe] < amount * wh[maybe] / total]


def move_time(h: np.ndarray, slope: np.ndarray, m: np.ndarray, rate: float) -> None:
    """In place, ``h += rate * (maximum(0, 1 - slope[None, :] * m[:, None]) - h)`` for the
    (n, K) times ``h``, the (K,) slopes and the (n,) multipliers ``m``: the same operations
    in the same order, in one scratch array instead of one per step, the outer product a
    column at a time (a broadcast inner loop of K elements is slow)."""
    work = np.empty(h.shape)
    for k in range(h.shape[1]):
        np.multiply(slope[k], m, out=work[:, k])
    np.subtract(1.0, work, out=work)
    np.maximum(0.0, work, out=work)
    np.subtract(work, h, out=work)
    np.multiply(rate, work, out=work)
    h += work


def time_multiplier(state: State, skeptic_time: float) -> np.ndarray:
    """Each user's sensitivity multiplier ``np.maximum(0.0, 1.0 + skeptic_time *
    (state.skepticism - state.skeptic_ref))`` (n,); the product is skipped when
    ``skeptic_time`` is 1.0 (``x * 1.0 == x`` exactly)."""
    m = state.skepticism - state.skeptic_ref
    if skeptic_time != 1.0:
        m = skeptic_time * m
    return np.maximum(0.0, 1.0 + m)


def toward_one(s: np.ndarray, rate: np.ndarray) -> None:
    """In place, ``s += rate * (1.0 - s)``: the same operations in the same order, in one
    scratch array instead of two temporaries."""
    work = np.subtract(1.0, s)
    np.multiply(rate, work, out=work)
    s += work


def zero_where(h: np.ndarray, dead: np.ndarray) -> None:
    """In place, ``h[dead] = 0.0``: a float64 is 0.0 when all its bits are 0, so the bits of
    ``h`` are ANDed with all ones where not ``dead`` and 0 where ``dead`` (a masked
    assignment, without its slow branch per element)."""
    if h.dtype != np.float64 or not h.flags.c_contiguous or dead.dtype != np.bool_:
        h[dead] = 0.0
        return
    keep = (dead.view(np.int8) - np.int8(1)).astype(np.int64)  # dead 0, else -1: all ones
    bits = h.view(np.int64)
    np.bitwise_and(bits, keep, out=bits)


def mean_load(state: State, load: np.ndarray, rate: float) -> np.ndarray:
    """``rate`` times each user's mean ad load over their platforms, ``rate * ((present @
    load) / m)`` (n,). Where no user is on more than two platforms, the sum of at most two
    exact terms ``load_k`` has one rounding whatever the order, so the product is computed
    once per combination of platforms and looked up per user (the same values)."""
    known = fixed(state, load)
    if known["combo_max"] > 2:
        return rate * ((state.present @ load) / known["m"])
    per_combo = known["combo_float"] @ load  # at most two exact terms: one rounding
    return (rate * (per_combo / known["combo_m"])).take(known["code"])
