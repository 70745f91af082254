"""SocialModel: brands and users on a social graph; one step is one day.

The model builds everything from a config (graph, population, Mesa agents and space,
strategies) and runs each day's submodels in a fixed order (``rules/__init__.py``).
"""

from __future__ import annotations

from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector

from . import metrics as metrics_mod
from .agents import BrandAgent, UserAgent
from .config import Config, bass_mapping, load_config
from .graphs import SocialNetwork, adjacency, build_graph, check_graph, gc_paused
from .rules import (
    Day,
    Plans,
    attention,
    content,
    favor,
    follow,
    platform,
    purchase,
    support,
    trust,
    wom,
)
from .state import init_state, random_streams
from .strategies import make_strategy


class SocialModel(mesa.Model):
    """Agent-based model of audiences responding to brands on a social network.

    Parameters
    ----------
    config : Config, dict, TOML path or None
        The model configuration (defaults when None); see ``socialsim.config``.
    graph : networkx.Graph, optional
        Use this graph instead of building ``config.graph`` (checked and relabelled).
    **overrides
        Top-level config keys to replace, e.g. ``steps=30, seed=2``.
    """

    def __init__(
        self,
        config: Config | dict | str | None = None,
        *,
        graph: nx.Graph | None = None,
        **overrides: Any,
    ) -> None:
        cfg = load_config(config, **overrides)
        super().__init__(seed=cfg.seed)
        with gc_paused():  # many small objects (graph, cells, agents); none is garbage
            self._build(cfg, graph)

    def _build(self, cfg: Config, graph: nx.Graph | None) -> None:
        self.config = cfg
        self.params = bass_mapping(cfg)
        p = self.params
        self.streams = random_streams(p.seed)
        G = (
            check_graph(graph, "graph argument")
            if graph is not None
            else build_graph(p.graph, self.streams["graph"])
        )
        self.graph = G
        self.state = init_state(p, adjacency(G), self.streams["users"])

        self.space = SocialNetwork(G, capacity=1, random=self.random)
        cells = [self.space._cells[i] for i in range(G.number_of_nodes())]
        self.users = [UserAgent(self, i, cell) for i, cell in enumerate(cells)]
        self.brands = [BrandAgent(self, b, bc, make_strategy(bc)) for b, bc in enumerate(p.brands)]
        self._conversions = np.zeros(len(self.brands), dtype=np.int64)
        self._targeting = np.array([b.targeting for b in p.brands])
        self._capacity = np.array([b.support_capacity for b in p.brands])
        self._disclosed = np.array([b.disclosed for b in p.brands])
        self.datacollector = DataCollector(
            model_reporters=_model_reporters(self.brands),
            agenttype_reporters={
                BrandAgent: {col: _reporter(col) for col in metrics_mod.COLUMNS if col != "step"}
            },
        )
        self.day: Day | None = None

    # ------------------------------------------------------------------ schedule
    def _plans(self) -> Plans:
        day = self.steps - 1
        plans = [brand.decide(day) for brand in self.brands]
        return Plans(
            posts_per_day=np.array([pl.posts_per_day for pl in plans]),
            sell_share=np.array([pl.sell_share for pl in plans]),
            serve_mix=np.array([pl.serve_mix for pl in plans]),
            paid_reach=np.array([pl.paid_reach for pl in plans]),
            paid_posts=np.array([pl.paid_posts for pl in plans]),
            targeting=self._targeting,
            support_capacity=self._capacity,
            disclosed=self._disclosed,
        )

    def step(self) -> None:
        """Advance one day: strategies decide, then the submodels run in schedule order."""
        p, s, r, on, rng = (
            self.params,
            self.state,
            self.params.rules,
            self.params.mechanisms,
            self.streams,
        )
        day = Day()
        plans = self._plans()

        platform.drift_skepticism(s, p.platform)
        reach = platform.organic_reach(p.platform, self.steps - 1)
        attention.expose(s, day, plans, reach, rng["exposure"])
        spare = (  # spare attention of the users who received brand items today
            attention.spare_attention(
                s, p.users.friend_posts, platform.attention_factor(p.platform, r), day.rows
            )
            if on.attention
            else None
        )
        attention.attend(s, day, plans, spare)

        content.engagements(s, day, plans, r, rng["content"], rng["observe"])
        content.detect_covert(s, day, plans, r, rng["content"])
        if p.platform.engager_exposure > 0:
            content.share_with_friends(s, day, p.platform.engager_exposure, rng["share"])
        if on.favor:
            favor.update_favor(s, day, plans, r)
        discount = content.persuasion_discount(s, plans, r, day.rows)
        purchase.update_intent(s, day, plans, r, discount)

        support.raise_and_answer(s, day, plans, r, rng["support"])
        if on.favor:
            favor.deposit_answers(s, day, r)

        purchase.buy(s, day, p.users.need_rate, r, on.trust, rng["purchase"])

        if on.wom:
            wom.spread(s, day, r, on.trust, rng["wom"])
        else:
            wom.silence(s, day)
        if on.trust:
            trust.update_trust(s, day, r)
        if on.backlash:
            follow.update_irritation(s, day, plans, r)
        follow.follow_unfollow(s, day, r, on.trust, on.backlash, rng["follow"])

        values = metrics_mod.daily_metrics(s, day, plans, r, self._conversions)
        self._conversions = values["conversions_total"]
        for b, brand in enumerate(self.brands):
            brand.observe({k: v[b] for k, v in values.items()})
        self.day = day
        self.datacollector.collect(self)

    def run(self, steps: int | None = None) -> pd.DataFrame:
        """Run ``steps`` days (default: the config's ``steps``) and return the metrics."""
        for _ in range(self.params.steps if steps is None else steps):
            self.step()
        return self.metrics()

    # ------------------------------------------------------------------ results
    def metrics(self) -> pd.DataFrame:
        """The tidy metrics table: one row per day and brand, columns ``metrics.COLUMNS``."""
        if self.day is None:  # nothing collected yet (Mesa would give placeholder rows)
            return pd.DataFrame(columns=list(metrics_mod.COLUMNS))
        df = self.datacollector.get_agenttype_vars_dataframe(BrandAgent)
        if df.empty:
            return pd.DataFrame(columns=list(metrics_mod.COLUMNS))
        df = df.reset_index().rename(columns={"Step": "step"})
        return df[list(metrics_mod.COLUMNS)].reset_index(drop=True)


def _reporter(column: str):
    if column == "brand":
        return lambda agent: agent.name
    return lambda agent: agent.metrics[column]


def _model_reporters(brands: list[BrandAgent]) -> dict[str, Any]:
    """Model-level reporters, so Mesa's own tools (``get_model_vars_dataframe``,
    ``make_plot_component``, ``batch_run``) see every metric: named as in
    :data:`metrics.COLUMNS` for one brand, ``"<metric> (<brand>)"`` for several."""
    columns = [c for c in metrics_mod.COLUMNS if c not in ("step", "brand")]
    out = {}
    for brand in brands:
        for col in columns:
            name = col if len(brands) == 1 else f"{col} ({brand.name})"
            out[name] = lambda model, b=brand, c=col: b.metrics[c]
    return out
