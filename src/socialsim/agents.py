"""Mesa agents. Their attributes are views on the model's NumPy state, so ``model.agents``
behaves as Mesa users expect while the step stays vectorized (agents have no ``step``).
"""

from __future__ import annotations

import contextlib
import itertools
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent
from mesa.discrete_space import CellAgent

from .config import BrandConfig
from .strategies import OBSERVABLE, History, Plan, Strategy

if TYPE_CHECKING:
    from .model import SocialModel


class _ModelCounters:
    """Agent id counters per model that do not keep finished models alive.

    Mesa 3.3 numbers agents from ``Agent._ids``, a class-level dict keyed by the model
    itself, so every model ever built stays in memory (mesa#3179, fixed in Mesa 3.4): a
    calibration of thousands of runs grew by about 8 MB per run. Our agents read their
    counter from here instead: the same numbering (from 1 per model), held weakly.
    """

    def __init__(self) -> None:
        self._counters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __getitem__(self, model: object) -> itertools.count:
        counter = self._counters.get(model)
        if counter is None:
            counter = self._counters[model] = itertools.count(1)
        return counter

    def restart(self, model: object, first: int) -> None:
        """Number ``model``'s next agents from ``first`` on."""
        self._counters[model] = itertools.count(first)

    @contextlib.contextmanager
    def numbered_from(self, model: object, first: int) -> Iterator[None]:
        """Number the agents created inside from ``first`` on, then resume the numbering."""
        saved = self[model]
        self.restart(model, first)
        try:
            yield
        finally:
            self._counters[model] = saved


_MODEL_IDS = _ModelCounters()


class UserAgent(CellAgent):
    """A user on the social graph; ``index`` is the user's row in the state arrays.

    Per-brand attributes (``trust``, ``favor_balance``, ...) are arrays over brands,
    views onto the model state: reading them is free, writing them writes the state.
    """

    _ids = _MODEL_IDS  # see _ModelCounters

    def __init__(self, model: SocialModel, index: int, cell) -> None:
        super().__init__(model)
        self.index = index
        self.cell = cell

    @property
    def skepticism(self) -> float:
        return float(self.model.state.skepticism[self.index])

    @property
    def segment(self) -> int:
        return int(self.model.state.segment[self.index])

    @property
    def trust(self) -> np.ndarray:
        return self.model.state.trust[self.index]

    @property
    def favor_balance(self) -> np.ndarray:
        return self.model.state.favor[self.index]

    @property
    def irritation(self) -> np.ndarray:
        return self.model.state.irritation[self.index]

    @property
    def aware(self) -> np.ndarray:
        return self.model.state.aware[self.index]

    @property
    def following(self) -> np.ndarray:
        return self.model.state.following[self.index]

    @property
    def purchases(self) -> np.ndarray:
        return self.model.state.purchases[self.index]

    @property
    def lapsed(self) -> np.ndarray:
        """Per brand: a customer who lapsed and was not won back (``[mechanisms] lapse``)."""
        return self.model.state.lapsed[self.index]

    @property
    def member(self) -> np.ndarray:
        """Per brand: a member of the brand's community (all false unless ``[mechanisms]
        community``)."""
        member = self.model.state.member
        if member is None:
            return np.zeros(self.model.state.n_brands, dtype=bool)
        return member[self.index]

    def status(self, brand: int = 0) -> str:
        """One of 'customer', 'follower', 'unfollowed', 'aware', 'unaware' for ``brand``."""
        s, i = self.model.state, self.index
        if s.purchases[i, brand] > 0:
            return "customer"
        if s.following[i, brand]:
            return "follower"
        if s.unfollowed[i, brand]:
            return "unfollowed"
        return "aware" if s.aware[i, brand] else "unaware"


class BrandAgent(Agent):
    """A brand: its configuration, its strategy, its observed history and today's metrics."""

    _ids = _MODEL_IDS  # see _ModelCounters

    def __init__(
        self, model: SocialModel, index: int, config: BrandConfig, strategy: Strategy
    ) -> None:
        super().__init__(model)
        self.index = index
        self.config = config
        self.name = config.name
        self.strategy = strategy
        self.history = History()
        self.metrics: dict[str, float] = {}
        self.plan: Plan | None = None

    def decide(self, day: int) -> Plan:
        """Ask the strategy for today's plan."""
        self.plan = self.strategy.plan(day, self.history)
        return self.plan

    def observe(self, metrics: dict[str, float]) -> None:
        """Record today's metrics; the observable ones feed tomorrow's decision."""
        self.metrics = metrics
        self.history.append({k: metrics[k] for k in OBSERVABLE if k in metrics})
