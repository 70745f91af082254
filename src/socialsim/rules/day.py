"""Today's brand plans and the record of today's events, shared by the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any

import numpy as np


def saturating(x: np.ndarray) -> np.ndarray:
    """``x / (1 + x)``: maps a non-negative rate to a probability or share in [0, 1).

    Close to ``x`` for small ``x`` and to 1 for large ``x``, like ``1 - exp(-x)`` but several
    times cheaper to compute on large arrays.
    """
    return x / (1.0 + x)


def poisson_each(rng: np.random.Generator, lam: np.ndarray) -> np.ndarray:
    """``rng.poisson(lam)`` for a short 1-D array of means (e.g. one per brand): the same
    draws in the same order, one scalar call per mean (an array call costs several
    microseconds of set-up, more than the draws)."""
    return np.array([rng.poisson(x) for x in lam], dtype=np.int64)


def up_to_capacity(candidates: np.ndarray, capacity: float, rng: np.random.Generator) -> np.ndarray:
    """The candidates a brand serves today with ``capacity`` per day: all of them if they
    are at most the capacity rounded stochastically (``floor(c) + [u < c - floor(c)]``),
    else a random subset of that size (support answers, public replies)."""
    cap = int(capacity) + int(rng.random() < capacity - int(capacity))
    if candidates.size > cap:
        return rng.choice(candidates, size=cap, replace=False)
    return candidates


#: Content types in the order of the per-type metrics; the serve types follow ``Plans.serve_mix``
#: columns (support, useful, deal).
CONTENT_TYPES = ("pitch", "useful", "deal", "support")


def by_type_array(rules: Any, prefix: str) -> np.ndarray:
    """The rules ``<prefix>_<type>`` (e.g. ``share_useful``) in :data:`CONTENT_TYPES` order,
    as a read-only array (one array per distinct set of values, not one per call)."""
    get = _GETTERS.get(prefix)
    if get is None:
        get = _GETTERS[prefix] = attrgetter(*(f"{prefix}_{t}" for t in CONTENT_TYPES))
    return _frozen_array(get(rules))


_GETTERS: dict[str, attrgetter] = {}


@lru_cache(maxsize=64)
def _frozen_array(values: tuple[float, ...]) -> np.ndarray:
    out = np.array(values)
    out.flags.writeable = False
    return out


@dataclass
class Plans:
    """The brands' plans for one day, as arrays over brands (shape ``(n_brands,)``)."""

    posts_per_day: np.ndarray
    sell_share: np.ndarray
    serve_mix: np.ndarray  # (n_brands, 3): support, useful, deal; rows sum to 1
    paid_reach: np.ndarray
    paid_posts: np.ndarray  # posts boosted today (reporting)
    targeting: np.ndarray
    support_capacity: np.ndarray
    disclosed: np.ndarray  # bool
    reply_capacity: np.ndarray | None = None  # public replies per day (mechanisms.replies)
    reply_tone: np.ndarray | None = None  # int: index in rules.replies.TONES
    community_effort: np.ndarray | None = None  # share of posts to the community (community)
    platform_posts: np.ndarray | None = None  # (n_brands, K) posts on each platform ([[platforms]])
    platform_sell: np.ndarray | None = None  # (n_brands, K) sell share on each platform
    _type_shares: tuple = field(default=(None, None, None), repr=False, compare=False)

    def type_shares(self) -> np.ndarray:
        """Share of each brand's posts of each type in :data:`CONTENT_TYPES` order, (4, B);
        computed once while ``sell_share`` and ``serve_mix`` stay the same arrays (read-only)."""
        sell, mix, known = self._type_shares
        if sell is self.sell_share and mix is self.serve_mix:
            return known
        sell, mix = self.sell_share, self.serve_mix
        serve = 1.0 - sell
        known = np.array([sell, serve * mix[:, 1], serve * mix[:, 2], serve * mix[:, 0]])
        known.flags.writeable = False
        self._type_shares = (sell, mix, known)
        return known


@dataclass
class Day:
    """Events of one day, filled in by the rules in schedule order.

    Content arrays are *compact*: one row per entry of ``rows``, the users who received at
    least one brand item today (shape ``(len(rows), n_brands)``), because on a given day few
    users hear from brands. Event arrays are full: ``(n_users, n_brands)``.
    """

    followed: np.ndarray | None = None  # flat indices of the follows at the start of the day
    rows: np.ndarray | None = None  # users who received brand items today
    items: np.ndarray | None = None  # [compact] brand items delivered (organic + paid)
    paid_items: np.ndarray | None = None  # [compact]
    attended: np.ndarray | None = None  # [compact] items attended to (float dose)
    excess: np.ndarray | None = None  # [compact] items beyond spare attention: irritate only
    pitch_dose: np.ndarray | None = None  # [compact]
    serve_dose: np.ndarray | None = None  # [compact] serve items; split by Plans.serve_mix
    reciprocity: np.ndarray | float = 1.0  # [compact] pitch-response multiplier (favour bank)
    overdraft_cost: np.ndarray | float = 0.0  # [compact]
    detected_today: np.ndarray | None = None
    problems: np.ndarray | None = None
    answered: np.ndarray | None = None
    unanswered: np.ndarray | None = None
    bought_new: np.ndarray | None = None
    bought_repeat: np.ndarray | None = None
    pos_sender: np.ndarray | None = None
    neg_sender: np.ndarray | None = None
    wom_pos: np.ndarray | None = None  # positive messages received
    wom_neg: np.ndarray | None = None  # negative messages received
    new_follows: np.ndarray | None = None
    unfollows: np.ndarray | None = None
    engagements: np.ndarray | None = None
    engagements_by_type: np.ndarray | None = None  # (4, n_brands): pitch, useful, deal, support
    engage_rate: np.ndarray | None = None  # [compact] expected engagements per user and brand
    unfollow_reasons: np.ndarray | None = None  # (len(REASONS), n_brands) unfollows by reason
    heard: np.ndarray | None = None  # flat indices where wom_pos or wom_neg > 0 (or None)
    lapses: np.ndarray | None = None  # flat indices of today's lapses (None: lapse is off)
    winbacks: np.ndarray | None = None  # flat indices of lapsed customers who bought today
    replied: np.ndarray | None = None  # flat indices of complainers replied to (None: off)
    wom_neg_messages: np.ndarray | None = None  # negative messages before reply weights
    # brand communities (None: mechanisms.community is off)
    community_items: np.ndarray | None = None  # [compact] community items delivered
    peer_answered: np.ndarray | None = None  # flat indices of problems answered by members
    community_heard: np.ndarray | None = None  # flat indices of members who heard members
    community_messages: np.ndarray | None = None  # messages heard (aligned with the above)
    joined: np.ndarray | None = None  # flat indices of today's new members
    left: np.ndarray | None = None  # flat indices of members who left today
    # shares (None: mechanisms.shares is off)
    shared_items: np.ndarray | None = None  # [compact] (rows, B, 4) shared items by type
    dose_by_type: np.ndarray | None = None  # [compact] (rows, B, 4) attended items by type
    shares_by_type: np.ndarray | None = None  # (4, n_brands) shares made today by type
    beyond: np.ndarray | None = None  # (n_brands,) users reached organically, not following
    # several platforms (None without [[platforms]])
    pitch_share: np.ndarray | None = None  # [compact] share of delivered items that pitch
    pitch_norm: np.ndarray | None = None  # [compact] pitch-weighted grating factor g
    own_pitches: np.ndarray | None = None  # [compact] pitches among own items (with shares)
    _flat: dict = field(default_factory=dict, repr=False, compare=False)

    def where(self, name: str) -> np.ndarray:
        """Flat indices (user * n_brands + brand) of the non-zero entries of the full event
        array ``name`` (e.g. ``"answered"``); computed once per array and day."""
        array = getattr(self, name)
        known = self._flat.get(name)
        if known is not None and known[0] is array:
            return known[1]
        flat = np.flatnonzero(array)
        self._flat[name] = (array, flat)
        return flat

    def record(self, name: str, array: np.ndarray, flat: np.ndarray) -> None:
        """Set the full event array ``name`` together with its non-zero flat indices."""
        setattr(self, name, array)
        self._flat[name] = (array, flat)


#: Columns of ``Day.dose_by_type`` in ``Plans.serve_mix`` order (support, useful, deal).
SERVE_COLUMNS = [CONTENT_TYPES.index(t) for t in ("support", "useful", "deal")]


def serve_weighted(day: Day, plans: Plans, weights: np.ndarray) -> np.ndarray:
    """Attended serve items weighted by type (compact): ``sum_k weights[k] * dose_k`` over
    the serve types in ``serve_mix`` order (support, useful, deal). Without shares the
    dose of type k is ``serve_dose * serve_mix[k]``; with shares, ``day.dose_by_type``."""
    if day.dose_by_type is None:
        return day.serve_dose * (plans.serve_mix @ weights)
    return day.dose_by_type[:, :, SERVE_COLUMNS] @ weights


def flat_rows(rows: np.ndarray, n_brands: int) -> np.ndarray:
    """Flat indices of every (user, brand) pair of users ``rows``, row-major."""
    if n_brands == 1:
        return np.asarray(rows, dtype=np.int64)
    return (np.asarray(rows, dtype=np.int64)[:, None] * n_brands + np.arange(n_brands)).ravel()


def full_bool(shape: tuple[int, int], flat: np.ndarray) -> np.ndarray:
    """A boolean array of ``shape`` that is true at the flat indices ``flat``."""
    out = np.zeros(shape, dtype=bool)
    out.reshape(-1)[flat] = True
    return out
