"""Per-user and per user x brand state in NumPy arrays, and its initialisation from a config.

Arrays of shape ``(n_users,)`` describe users; arrays of shape ``(n_users, n_brands)``
describe a user's relation to each brand. Mesa agents (``agents.py``) are views on these
arrays; the rules (``rules/``) update them in place, vectorized.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .config import Config
from .graphs import count_at, friend_targets
from .rules.indices import unique

#: Unfollow reasons (the survey categories of Sprout Social 2016/2020): each irritant of the
#: follow rule feeds one of them, and an unfollow is attributed to the largest.
REASONS = ("promotions", "irrelevant", "frequency", "service", "ads", "deception")

#: Named random streams: each concept draws from its own stream, so changing one rule
#: does not shift the random numbers of the others (common random numbers across scenarios).
STREAMS = (
    "graph",
    "users",
    "exposure",
    "content",
    "support",
    "purchase",
    "wom",
    "follow",
    "observe",  # reporting only (e.g. engagements split by content type): never feeds back
    "share",  # friends of engagers shown the item (platform.engager_exposure > 0 only)
    "lapse",  # customers lapse (mechanisms.lapse only); last, so no other stream shifts
    "replies",  # complaints replied to (mechanisms.replies only); appended last likewise
    "community",  # brand communities (mechanisms.community only); last: no other stream shifts
    "shares",  # users share brand items with friends (mechanisms.shares only)
    "platforms",  # who is on which platform ([[platforms]] only); last: no other stream shifts
)
# The reacting platform (mechanisms.platform_reacts) draws no random numbers of its own:
# its time and ad-load updates are deterministic, and the deliveries they scale draw from
# the streams above (``exposure``, ``share``) only when the switch is on.


def kept(cache: dict, name: str, key: tuple, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """``compute()`` (an array, made read-only), kept in ``cache`` under ``name`` while
    ``key`` stays the same (compared item by item: arrays by identity, the rest by ``==``)."""
    known = cache.get(name)
    if known is not None and len(known[0]) == len(key) and all(map(_same, known[0], key)):
        return known[1]
    value = compute()
    value.flags.writeable = False
    cache[name] = (key, value)
    return value


def _same(a: object, b: object) -> bool:
    """The same key item: the same array, or equal other values."""
    return a is b or (not isinstance(a, np.ndarray) and not isinstance(b, np.ndarray) and a == b)


def flat_view(a: np.ndarray) -> np.ndarray:
    """A writable 1-D view of a C-contiguous array (flat index = user * n_brands + brand)."""
    if not a.flags.c_contiguous:
        raise ValueError("state arrays must be C-contiguous")
    return a.reshape(-1)


def random_streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per stream name, all derived from ``seed``."""
    return {
        name: np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(i,)))
        for i, name in enumerate(STREAMS)
    }


def beta_draws(
    mean: np.ndarray | float, concentration: float, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Beta draws with the given mean(s) and concentration a + b; degenerate at 0 and 1."""
    mean = np.broadcast_to(np.asarray(mean, dtype=float), (size,))
    inner = (mean > 0.0) & (mean < 1.0)
    out = mean.copy()
    a = np.where(inner, mean * concentration, 1.0)
    b = np.where(inner, (1.0 - mean) * concentration, 1.0)
    draws = rng.beta(a, b)
    out[inner] = draws[inner]
    return out


@dataclass
class State:
    """All mutable model state. Users are rows; brands are columns of 2-D arrays."""

    adjacency: sp.csr_array
    degree: np.ndarray
    skepticism: np.ndarray
    segment: np.ndarray
    attention: np.ndarray
    friend_motive: np.ndarray
    relevance: np.ndarray
    match: np.ndarray
    aware: np.ndarray
    following: np.ndarray
    unfollowed: np.ndarray
    purchases: np.ndarray
    trust: np.ndarray
    favor: np.ndarray
    irritation: np.ndarray
    irritation_by_reason: np.ndarray  # (n, B, len(REASONS)) float32: attribution only
    intent: np.ndarray
    detected: np.ndarray
    wom_signal: np.ndarray
    aware_friends: np.ndarray
    lapsed: np.ndarray  # customers who lapsed and have not been won back (mechanisms.lapse)
    last_value: np.ndarray  # int32: last day (1-based) the brand gave value (lapse only)

    #: Derived, read-only helpers computed once (e.g. each brand's segment members).
    cache: dict = field(default_factory=dict, repr=False, compare=False)
    #: Flat (user * n_brands + brand) indices shown a brand item tomorrow because a friend
    #: engaged with it today (with repeats; empty unless platform.engager_exposure > 0).
    shared: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    #: Sorted flat indices of the active customers (customers who have not lapsed), kept by
    #: ``rules.lapse.update``; empty unless mechanisms.lapse is on.
    active: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    #: (n, B) bool: members of each brand's community; None unless mechanisms.community is on.
    member: np.ndarray | None = None
    #: Flat indices of the friends who see a shared brand item tomorrow and the item's content
    #: type (index into ``rules.day.CONTENT_TYPES``), kept by ``rules.shares.share``; empty
    #: unless mechanisms.shares is on.
    share_flat: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    share_kind: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    #: With ``[[platforms]]``: the platform each queued shared item is posted on.
    share_platform: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    #: The platform's ad load ``c`` today: ``platform.commercialization`` unless
    #: mechanisms.platform_reacts moves it (``rules.reacting``); with ``[[platforms]]`` and
    #: platform_reacts, each platform's, (K,) (``rules.platform_reacting``).
    ad_load: float | np.ndarray = 0.0
    #: Per user, time on the platform as a share of the baseline ``h`` in [0, 1]; None unless
    #: mechanisms.platform_reacts (then 1 at day 0); with ``[[platforms]]`` (n, K), 0 where
    #: the user is absent.
    time: np.ndarray | None = None
    #: Per user, left the platform for good (None unless mechanisms.platform_reacts); with
    #: ``[[platforms]]`` (n, K), per platform.
    left: np.ndarray | None = None
    #: The population's mean scepticism at day 0 (the centre of the sceptics' extra
    #: sensitivity, mechanisms.platform_reacts).
    skeptic_ref: float = 0.0
    #: (n, K) bool: the platforms each user is on; None without ``[[platforms]]``.
    present: np.ndarray | None = None

    def make_aware(self, mask: np.ndarray, rows: np.ndarray | None = None) -> None:
        """Make users aware where ``mask`` is true, keeping ``aware_friends`` current.

        ``mask`` is (n, B), or (len(rows), B) for the users ``rows``.
        """
        if rows is None:
            flat = np.flatnonzero(mask)
        elif mask.shape[1] == 1:  # one brand: flat indices are the users
            flat = np.asarray(rows)[mask[:, 0]]
        else:
            r, c = np.nonzero(mask)
            flat = np.asarray(rows)[r] * mask.shape[1] + c
        self.make_aware_at(flat, distinct=rows is None or _increasing(rows))

    def make_aware_at(self, flat: np.ndarray, distinct: bool = False) -> None:
        """Make users aware at the flat (user * n_brands + brand) indices ``flat``; with
        ``distinct``, the caller vouches that ``flat`` is sorted and has no repeats (no
        ``unique`` pass: a repeat would count a newly aware user twice for its friends)."""
        if flat.size == 0:
            return
        aware = flat_view(self.aware)
        new = flat[~aware[flat]]
        if not distinct:
            new = unique(new, aware.size)
        if new.size:
            aware[new] = True
            targets = friend_targets(self.adjacency, new, self.aware.shape[1])
            count_at(targets, aware.size, out=flat_view(self.aware_friends))

    def segment_members(self, brand: int) -> tuple[np.ndarray, np.ndarray]:
        """Users in ``brand``'s segment and the others (``match`` never changes)."""
        key = ("segment_members", brand)
        if key not in self.cache:
            match = self.match[:, brand]
            self.cache[key] = (np.flatnonzero(match), np.flatnonzero(~match))
        return self.cache[key]

    @property
    def n_users(self) -> int:
        return self.skepticism.shape[0]

    @property
    def n_brands(self) -> int:
        return self.trust.shape[1]


def _increasing(rows: np.ndarray) -> bool:
    """Whether ``rows`` are strictly increasing (sorted and distinct)."""
    rows = np.asarray(rows)
    return bool(rows.size < 2 or (rows[1:] > rows[:-1]).all())


def init_state(cfg: Config, A: sp.csr_array, rng: np.random.Generator) -> State:
    """Draw the population described by ``cfg`` on adjacency ``A`` using stream ``rng``.

    The draws depend only on the users' config, the graph and ``rng``, never on the brands'
    strategies: every scenario with the same seed sees the same audience.
    """
    u = cfg.users
    n, B = A.shape[0], len(cfg.brands)
    degree = np.asarray(A.sum(axis=1)).ravel().astype(np.float64)
    segment = rng.integers(u.segments, size=n)
    if u.segment_skepticism is not None:
        mean = np.asarray(u.segment_skepticism)[segment]
    else:
        mean = u.skepticism
    skepticism = beta_draws(mean, u.skepticism_concentration, n, rng)
    attention = rng.gamma(u.attention_shape, u.attention / u.attention_shape, size=n)
    friend_motive = beta_draws(u.friend_motive, u.friend_motive_concentration, n, rng)
    aware = rng.random((n, B)) < u.initial_awareness
    following = aware & (rng.random((n, B)) < u.initial_follow)

    seg_of_brand = np.array([b.segment for b in cfg.brands])
    targeting = np.array([b.targeting for b in cfg.brands])
    match = segment[:, None] == seg_of_brand[None, :]
    rules = cfg.rules
    r0 = rules.base_relevance
    relevance = r0 + (1.0 - r0) * match * (
        rules.untargeted_relevance + (1.0 - rules.untargeted_relevance) * targeting[None, :]
    )

    trust0 = u.initial_trust * (1.0 - u.initial_trust_skepticism * skepticism)
    zeros = np.zeros((n, B))
    reacts = cfg.mechanisms.platform_reacts
    return State(
        adjacency=A,
        degree=degree,
        skepticism=skepticism,
        segment=segment,
        attention=attention,
        friend_motive=friend_motive,
        relevance=relevance,
        match=match,
        aware=aware,
        following=following,
        unfollowed=np.zeros((n, B), dtype=bool),
        purchases=np.zeros((n, B), dtype=np.int32),
        trust=np.repeat(trust0[:, None], B, axis=1),
        favor=zeros.copy(),
        irritation=zeros.copy(),
        irritation_by_reason=np.zeros((n, B, len(REASONS)), dtype=np.float32),
        intent=zeros.copy(),
        detected=np.zeros((n, B), dtype=bool),
        wom_signal=zeros.copy(),
        aware_friends=A @ aware.astype(np.float64),
        lapsed=np.zeros((n, B), dtype=bool),
        last_value=np.zeros((n, B), dtype=np.int32),
        member=np.zeros((n, B), dtype=bool) if cfg.mechanisms.community else None,
        ad_load=cfg.platform.commercialization,
        time=np.ones(n) if reacts else None,
        left=np.zeros(n, dtype=bool) if reacts else None,
        skeptic_ref=float(skepticism.mean()) if reacts else 0.0,
    )
