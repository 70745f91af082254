"""Metrics helpers: per-brand counts and means over the day's arrays, and the metrics of the
optional mechanisms (lapse, replies, community, shares, the reacting platform). The
columns and their meaning are defined in :mod:`socialsim.metrics`."""

from __future__ import annotations

import numpy as np

from .rules import platform_reacting
from .rules.day import CONTENT_TYPES, Day
from .rules.reacting import sceptic_users
from .state import State


def _count(mask: np.ndarray) -> np.ndarray:
    """Number of true (non-zero) entries per brand (column) of an (n, B) array."""
    if mask.shape[1] == 1:
        return np.array([np.count_nonzero(mask)])
    return np.count_nonzero(mask, axis=0)


def _ratio(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    total = np.asarray(total, dtype=float)
    if count.all():  # the usual case, without the masking (the same quotients)
        return total / count
    return np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)


def _masked_mean(values: np.ndarray, mask: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Mean of ``values`` over the entries where ``mask`` (``count`` of them) per brand."""
    if values.dtype == bool:
        return _ratio(_count(values & mask), count)
    if values.shape[1] == 1:  # a sum, not a BLAS dot: the same bits on every machine
        total = np.array([np.multiply(values[:, 0], mask[:, 0], dtype=np.float64).sum()])
    else:
        total = np.einsum("ij,ij->j", values, mask)
    return _ratio(total, count)


def _per_brand(flat: np.ndarray, n_brands: int) -> np.ndarray:
    """Number of flat indices (user * n_brands + brand) per brand."""
    if n_brands == 1:
        return np.array([flat.size])
    return np.bincount(flat % n_brands, minlength=n_brands)


def _messages(received: np.ndarray, heard: np.ndarray | None) -> np.ndarray:
    """Messages received per brand: the sum of the (n, B) counts ``received``, over the flat
    indices ``heard`` where they may be non-zero (all entries when None). Counts are whole
    numbers, so any order of summation gives the same totals."""
    n_brands = received.shape[1]
    if heard is None:
        return received.sum(axis=0).astype(np.int64)
    at = received.reshape(-1)[heard]
    if n_brands == 1:
        return np.array([int(at.sum())])
    return np.bincount(heard % n_brands, weights=at, minlength=n_brands).astype(np.int64)


def _weights(received: np.ndarray, heard: np.ndarray | None) -> np.ndarray:
    """Like :func:`_messages` for weighted (fractional) counts: float sums per brand."""
    n_brands = received.shape[1]
    if heard is None:
        return received.sum(axis=0)
    at = received.reshape(-1)[heard]
    if n_brands == 1:
        return np.array([float(at.sum())])
    return np.bincount(heard % n_brands, weights=at, minlength=n_brands)


def reply_metrics(day: Day, n_brands: int) -> dict[str, np.ndarray]:
    """Today's public replies, negative messages and their reply-weighted sum; with the
    replies mechanism off (``day.replied is None``) no replies and equal counts."""
    if day.replied is None:
        negative = _messages(day.wom_neg, day.heard)
        return {
            "negative_wom": negative,
            "replies": np.zeros(n_brands, dtype=np.int64),
            "negative_wom_weighted": negative.astype(np.float64),
        }
    return {
        "negative_wom": _messages(day.wom_neg_messages, day.heard),
        "replies": _per_brand(day.replied, n_brands),
        "negative_wom_weighted": _weights(day.wom_neg, day.heard),
    }


def lapse_metrics(
    state: State, day: Day, customers: np.ndarray, revenue_total: np.ndarray
) -> dict[str, np.ndarray]:
    """Active customers, retention, today's lapses and win-backs, and revenue per customer;
    with the lapse mechanism off (``day.lapses is None``) every customer is active."""
    B = customers.size
    if day.lapses is None:
        active = customers
        lapses = winbacks = np.zeros(B, dtype=np.int64)
    else:
        active = _per_brand(state.active, B)
        lapses, winbacks = _per_brand(day.lapses, B), _per_brand(day.winbacks, B)
    retention, per_customer = _ratio(active, customers), _ratio(revenue_total, customers)
    return {
        "active_customers": active,
        "retention": retention,
        "lapses": lapses,
        "winbacks": winbacks,
        "revenue_per_customer": per_customer,
    }


def community_metrics(state: State, day: Day, problems: np.ndarray) -> dict[str, np.ndarray]:
    """Problems, community members, peer answers and the problems left to the brand's
    support (all problems, no members, when the community mechanism is off)."""
    B = problems.size
    if state.member is None:
        zeros = np.zeros(B, dtype=np.int64)
        return {
            "problems": problems,
            "members": zeros,
            "peer_answers": zeros,
            "support_load": problems,
        }
    peer = _per_brand(day.peer_answered, B)
    return {
        "problems": problems,
        "members": _count(state.member),
        "peer_answers": peer,
        "support_load": problems - peer,
    }


#: Scepticism above which a user counts as sceptical in ``time_skeptical``.
SKEPTICAL = 0.5


def platform_metrics(state: State, n_brands: int) -> dict[str, np.ndarray]:
    """The platform's ad load, the users' mean time on it (all users and the sceptical
    ones) and the users who left, repeated for each brand's row; neutral (time 1, nobody
    left) when the platform does not react (``state.time is None``)."""
    n = state.n_users
    if state.time is None:
        time, sceptic_time, left = 1.0, 1.0, 0
    elif state.present is not None:  # several platforms (odd.md 7.16)
        return platform_reacting.metrics(state, n_brands, sceptic_users(state, SKEPTICAL))
    else:
        time = float(state.time.sum()) / n
        sceptics = sceptic_users(state, SKEPTICAL)
        count = sceptics.size
        sceptic_time = float(state.time[sceptics].sum()) / count if count else np.nan
        left = int(np.count_nonzero(state.left))
    return {
        "ad_load": np.full(n_brands, state.ad_load),
        "time_on_platform": np.full(n_brands, time),
        "time_skeptical": np.full(n_brands, sceptic_time),
        "users_left": np.full(n_brands, left, dtype=np.int64),
    }


def share_metrics(day: Day) -> dict[str, np.ndarray]:
    """Shares by type, reach of shared items and organic reach beyond followers."""
    B = day.items.shape[1]
    out = {"reach_nonfollowers": day.beyond}
    if day.shares_by_type is None:
        zero = np.zeros(B, dtype=np.int64)
        out.update(shares=zero, share_reach=zero, **{f"shares_{t}": zero for t in CONTENT_TYPES})
        return out
    out["shares"] = day.shares_by_type.sum(axis=0)
    for k, t in enumerate(CONTENT_TYPES):
        out[f"shares_{t}"] = day.shares_by_type[k]
    out["share_reach"] = (day.shared_items.sum(axis=2) > 0).sum(axis=0)
    return out


def organic_engagements(day: Day) -> np.ndarray:
    """The day's engagements per brand that went to organic items: each brand's total times
    the organic share of its expected engagements, ``sum_i lambda_ib (X_ib - Y_ib) / X_ib``
    over ``sum_i lambda_ib`` (``X`` delivered items, ``Y`` paid ones; 0 when nothing was
    expected). Deterministic: no draw."""
    rate, items = day.engage_rate, day.items
    organic = np.divide(items - day.paid_items, items, out=np.zeros(items.shape), where=items > 0)
    expected = rate.sum(axis=0)
    share = np.divide(
        (rate * organic).sum(axis=0), expected, out=np.zeros(expected.shape), where=expected > 0
    )
    return day.engagements * share
