"""Brand strategies: each day a strategy chooses the brand's plan from what the brand observes.

A strategy sees only the brand's own configuration and its own history (the metrics in
:data:`OBSERVABLE`: engagements, followers, unfollows, complaints, conversions, its own
posts, ...): never users' hidden state.

To add a strategy, subclass :class:`Strategy`, give it a unique ``name`` and, if it takes
parameters, a ``defaults`` dict; then use ``strategy = "<name>"`` in a brand's config::

    class PitchOnFridays(Strategy):
        name = "pitch_on_fridays"
        defaults = {"friday_share": 0.6}

        def plan(self, day, history):
            share = self.params["friday_share"] if day % 7 == 4 else 0.0
            return self.base_plan(sell_share=share)
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np

from .config import BrandConfig, ConfigError

SERVE_TYPES = ("support", "useful", "deal")

#: Metrics a brand can observe about itself (strategies see only these).
OBSERVABLE = (
    "reach",
    "engagements",
    "followers",
    "unfollows",
    "complaints",
    "conversions_new",
    "conversions_repeat",
    "revenue",
    "cost",
    "posts",
    "pitches",
)


@dataclass(frozen=True)
class Plan:
    """What a brand does on one day."""

    posts_per_day: float
    sell_share: float
    serve_mix: tuple[float, float, float]  # support, useful, deal; sums to 1
    paid_reach: float
    paid_posts: float = 0.0  # posts boosted today (reporting only; paid_reach drives exposure)


class History:
    """A brand's own observed daily metrics, oldest first (``history["complaints"]``).

    It holds the metrics in :data:`OBSERVABLE` (reach, engagements, followers, unfollows,
    complaints, conversions, revenue, cost, posts, pitches), never users' hidden state. On
    day 0 it is empty: ``history["complaints"]`` is an empty array and ``recent_mean``
    returns NaN, so a strategy should handle ``history.days == 0``.
    """

    def __init__(self) -> None:
        self._rows: dict[str, list[float]] = {}
        self.days = 0

    def append(self, row: dict[str, float]) -> None:
        for key, value in row.items():
            self._rows.setdefault(key, []).append(float(value))
        self.days += 1

    def __getitem__(self, metric: str) -> np.ndarray:
        return np.asarray(self._rows.get(metric, []), dtype=float)

    def recent_mean(self, metric: str, days: int, lag: int = 0) -> float:
        """Mean of ``metric`` over ``days`` days ending ``lag`` days ago (nan if no data)."""
        values = self._rows.get(metric, [])
        end = len(values) - lag
        window = np.asarray(values[max(0, end - days) : max(0, end)], dtype=float)
        return float(window.mean()) if window.size else math.nan


STRATEGIES: dict[str, type[Strategy]] = {}


class Strategy:
    """Base class. Subclasses set ``name`` (registry key), ``defaults`` and override ``plan``."""

    name: ClassVar[str] = ""
    defaults: ClassVar[dict[str, float]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.name:
            STRATEGIES[cls.name] = cls

    def __init__(self, brand: BrandConfig, **params: Any) -> None:
        unknown = [k for k in params if k not in self.defaults]
        if unknown:
            key = unknown[0]
            close = difflib.get_close_matches(key, list(self.defaults), n=1, cutoff=0.5)
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else (f"; valid: {', '.join(self.defaults) or 'none'}")
            )
            raise ConfigError(
                f"brands '{brand.name}'.params: unknown key '{key}' for "
                f"strategy '{self.name}'{hint}"
            )
        self.brand = brand
        self.params = {**self.defaults, **params}
        for key, value in self.params.items():
            bad_type = isinstance(value, bool) or not isinstance(value, int | float)
            if bad_type or not math.isfinite(value) or value < 0:
                raise ConfigError(
                    f"brands '{brand.name}'.params.{key} = {value!r}: must be a non-negative number"
                )
        mix = np.array([brand.serve_mix.get(t, 0.0) for t in SERVE_TYPES], dtype=float)
        self._base = Plan(
            brand.posts_per_day, brand.sell_share, tuple(mix / mix.sum()), brand.paid_reach
        )

    def base_plan(self, **changes: Any) -> Plan:
        """The brand's configured plan, with ``changes`` applied."""
        return replace(self._base, **changes)

    def plan(self, day: int, history: History) -> Plan:
        """Return the plan for ``day`` (0-based) given the brand's history up to yesterday."""
        raise NotImplementedError


class Static(Strategy):
    """A fixed plan: the brand's configured posts, ``sell_share`` and serve mix every day."""

    name = "static"

    def plan(self, day: int, history: History) -> Plan:
        return self._base


class EarnThenAsk(Strategy):
    """Serve until favour is built, then ask; serve again to rebuild.

    The brand keeps its own ledger of what it has given and asked, in post units, decaying
    with the memory it assumes for reciprocity: ``ledger = ledger * exp(-1/memory_days) +
    serve_posts - withdrawal * pitch_posts``. It posts only serve content while the ledger is
    below ``ask_threshold`` and pitches at the brand's ``sell_share`` once it is above.
    """

    name = "earn_then_ask"
    defaults = {"ask_threshold": 4.0, "memory_days": 3.0, "withdrawal": 1.0}

    def __init__(self, brand: BrandConfig, **params: Any) -> None:
        super().__init__(brand, **params)
        self.ledger = 0.0

    def plan(self, day: int, history: History) -> Plan:
        p = self.params
        share = self.brand.sell_share if self.ledger >= p["ask_threshold"] else 0.0
        posts = self.brand.posts_per_day
        retention = math.exp(-1.0 / max(p["memory_days"], 1e-9))
        self.ledger = (
            self.ledger * retention + posts * (1.0 - share) - p["withdrawal"] * posts * share
        )
        return self.base_plan(sell_share=share)


class PitchFirst(Strategy):
    """The "pitch up front" control: pitch at ``sell_share`` from day one until
    ``pitch_budget`` pitch posts are spent, then only serve. Give it the pitch count of
    another strategy to compare timing with the same number of pitches."""

    name = "pitch_first"
    defaults = {"pitch_budget": 100.0}

    def __init__(self, brand: BrandConfig, **params: Any) -> None:
        super().__init__(brand, **params)
        self.spent = 0.0

    def plan(self, day: int, history: History) -> Plan:
        posts = self.brand.posts_per_day
        left = self.params["pitch_budget"] - self.spent
        share = min(self.brand.sell_share, left / posts) if posts > 0 and left > 0 else 0.0
        self.spent += posts * share
        return self.base_plan(sell_share=share)


class Adaptive(Strategy):
    """Cut the sell share when complaints rise; let it recover slowly when they calm down.

    Each day the brand compares its complaints over the last ``window`` days with the window
    before. If they rose by more than ``tolerance`` (relative) *and* by more than chance
    would explain (``z`` Poisson standard errors of the difference), it multiplies its
    sell-share multiplier by ``cut``; otherwise the multiplier recovers by ``recovery``
    towards 1. Today's sell share is the configured ``sell_share`` times the multiplier.
    """

    name = "adaptive"
    defaults = {"window": 7.0, "tolerance": 0.1, "z": 2.0, "cut": 0.7, "recovery": 0.02}

    def __init__(self, brand: BrandConfig, **params: Any) -> None:
        super().__init__(brand, **params)
        self.multiplier = 1.0

    def plan(self, day: int, history: History) -> Plan:
        w = max(int(self.params["window"]), 1)
        if history.days >= 2 * w:
            now = history.recent_mean("complaints", w) * w
            before = history.recent_mean("complaints", w, lag=w) * w
            noise = self.params["z"] * math.sqrt(now + before)
            if now > before * (1.0 + self.params["tolerance"]) and now - before > noise:
                self.multiplier *= min(self.params["cut"], 1.0)
            else:
                self.multiplier = min(1.0, self.multiplier + self.params["recovery"])
        return self.base_plan(sell_share=self.brand.sell_share * self.multiplier)


class CalendarStrategy(Strategy):
    """Replay a content calendar (``brand.calendar``, see :mod:`socialsim.calendar`).

    Each day of a period gets the period's ``posts / days`` posts with its content mix, and
    ``paid_posts / days`` boosted posts, each buying ``paid_reach_per_post`` paid
    impressions (the brand's ``paid_reach`` is not used). Day 0 is the calendar's first day
    shifted by ``start_day``; after the last period the calendar starts over (``repeat = 1``)
    or the brand stops posting (``repeat = 0``). With ``use_brand_mix = 1`` the brand's own
    ``sell_share`` and ``serve_mix`` replace the calendar's content mix (volume and paid posts
    still follow the calendar): "the same schedule with another sell/serve balance".
    """

    name = "calendar"
    defaults = {"paid_reach_per_post": 100.0, "start_day": 0.0, "repeat": 1.0, "use_brand_mix": 0.0}

    def __init__(self, brand: BrandConfig, **params: Any) -> None:
        super().__init__(brand, **params)
        from .calendar import read_calendar

        if not brand.calendar:
            raise ConfigError(
                f"brands '{brand.name}'.calendar: the 'calendar' strategy needs the path of a "
                "calendar file"
            )
        self.calendar = read_calendar(brand.calendar)

    def plan(self, day: int, history: History) -> Plan:
        cal, p = self.calendar, self.params
        k = cal.period(day + int(p["start_day"]), repeat=p["repeat"] > 0)
        if k is None:
            return self.base_plan(posts_per_day=0.0, paid_reach=0.0, paid_posts=0.0)
        days = cal.days[k]
        pitch, useful, deal, support = cal.shares[k]
        serve = useful + deal + support
        mix = (support / serve, useful / serve, deal / serve) if serve > 0 else self._base.serve_mix
        paid = cal.paid_posts[k] / days
        if p["use_brand_mix"] > 0:
            pitch, mix = self._base.sell_share, self._base.serve_mix
        return Plan(
            posts_per_day=cal.posts[k] / days,
            sell_share=float(pitch),
            serve_mix=tuple(float(m) for m in mix),
            paid_reach=paid * p["paid_reach_per_post"],
            paid_posts=paid,
        )


def make_strategy(brand: BrandConfig) -> Strategy:
    """Instantiate the strategy named in ``brand.strategy`` with ``brand.params``."""
    cls = STRATEGIES.get(brand.strategy)
    if cls is None:
        close = difflib.get_close_matches(brand.strategy, list(STRATEGIES), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ConfigError(
            f"brands '{brand.name}'.strategy = '{brand.strategy}' is not a known "
            f"strategy (known: {', '.join(sorted(STRATEGIES))}){hint}"
        )
    return cls(brand, **brand.params)
