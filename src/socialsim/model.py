"""SocialModel: brands and users on a social graph; one step is one day.

The model builds everything from a config (graph, population, brands and their strategies)
and runs each day's submodels in a fixed order (``rules/__init__.py``). The rules need only
the graph's CSR adjacency and the state arrays, so the NetworkX graph (``model.graph``), the
Mesa network space (``model.space``) and the user agents (``model.users``, ``model.agents``)
are built on first access: a run of millions of users never creates them.
"""

from __future__ import annotations

import itertools
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector

from . import metrics as metrics_mod
from .agents import _MODEL_IDS, BrandAgent, UserAgent
from .config import Config, bass_mapping, load_config
from .graphs import Friendships, SocialNetwork, build_friendships, check_graph, gc_paused
from .rules import (
    Day,
    Plans,
    attention,
    budget,
    community,
    content,
    favor,
    follow,
    lapse,
    platform,
    platform_reacting,
    platforms,
    purchase,
    reacting,
    replies,
    shares,
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
    graph : networkx.Graph or Friendships, optional
        Use this graph instead of building ``config.graph`` (a NetworkX graph is checked and
        relabelled; :class:`~socialsim.graphs.Friendships` are used as they are).
    **overrides
        Top-level config keys to replace, e.g. ``steps=30, seed=2``.
    """

    def __init__(
        self,
        config: Config | dict | str | None = None,
        *,
        graph: nx.Graph | Friendships | None = None,
        **overrides: Any,
    ) -> None:
        cfg = load_config(config, **overrides)
        super().__init__(seed=cfg.seed)
        with gc_paused():  # many small objects (graph, cells, agents); none is garbage
            self._build(cfg, graph)

    def _build(self, cfg: Config, graph: nx.Graph | Friendships | None) -> None:
        self.config = cfg
        self.params = bass_mapping(cfg)
        p = self.params
        self.streams = random_streams(p.seed)
        if isinstance(graph, Friendships):
            self.friendships = graph
        elif graph is not None:
            self.friendships = Friendships.from_graph(check_graph(graph, "graph argument"))
        else:
            self.friendships = build_friendships(p.graph, self.streams["graph"])
        self.state = init_state(p, self.friendships.adjacency, self.streams["users"])
        self._network = platforms.network(p)  # None without [[platforms]]
        if self._network is not None:
            n = self.state.n_users
            self.state.present = platforms.draw_presence(p, n, self.streams["platforms"])
            if p.mechanisms.platform_reacts:  # an ad load per platform, a time per platform
                platform_reacting.start(self.state, self._network.commercialization)
        self._space: SocialNetwork | None = None
        self._users: list[UserAgent] | None = None
        _MODEL_IDS.restart(self, self.state.n_users + 1)  # users take 1..n when created
        brands = [  # a budget split sets paid reach, posts and support capacity
            bc.model_copy(update=bc.budget.allocate(p.rules))
            if p.mechanisms.budget and bc.budget is not None
            else bc
            for bc in p.brands
        ]
        self._money = np.array(
            [
                bc.budget.money if p.mechanisms.budget and bc.budget is not None else np.inf
                for bc in brands
            ]
        )
        self.brands = [BrandAgent(self, b, bc, make_strategy(bc)) for b, bc in enumerate(brands)]
        self._conversions = np.zeros(len(self.brands), dtype=np.int64)
        self._targeting = np.array([b.targeting for b in brands])
        self._capacity = np.array([b.support_capacity for b in brands])
        self._disclosed = np.array([b.disclosed for b in brands])
        self._reply_capacity = np.array([b.reply_capacity for b in brands])
        self._reply_tone = replies.tone_codes([b.reply_tone for b in brands])
        self._effort = np.array([b.community_effort for b in brands])
        self.datacollector = BrandCollector(self.brands)
        self.day: Day | None = None

    # ------------------------------------------------------------------ Mesa views, lazy
    @property
    def graph(self) -> nx.Graph:
        """The social graph (NetworkX), built on first access for generated BA graphs."""
        return self.friendships.graph

    @property
    def space(self) -> SocialNetwork:
        """Mesa's network space on the graph, one cell per user (built on first access)."""
        if self._space is None:
            with gc_paused():
                self._space = SocialNetwork(self.graph, capacity=1, random=self.random)
        return self._space

    @property
    def users(self) -> list[UserAgent]:
        """One :class:`UserAgent` per user, in row order (created on first access)."""
        if self._users is None:
            self._make_users()
        return self._users

    @property
    def agents(self) -> mesa.agent.AgentSet:
        self.users  # noqa: B018 - creates the user agents if needed
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], mesa.agent.AgentSet]:
        self.users  # noqa: B018
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self.users  # noqa: B018
        return super().agent_types

    def _make_users(self) -> None:
        """Create the user agents in their cells, numbered 1..n and registered before the
        brands (as if they had been created first)."""
        cells = self.space._cells
        with gc_paused(), _MODEL_IDS.numbered_from(self, 1):
            for brand in self.brands:
                self.deregister_agent(brand)
            if self.brands and not self._agents_by_type[BrandAgent]:
                del self._agents_by_type[BrandAgent]
            self._users = [UserAgent(self, i, cells[i]) for i in range(self.state.n_users)]
            for brand in self.brands:
                self.register_agent(brand)

    # ------------------------------------------------------------------ schedule
    def _plans(self) -> Plans:
        day = self.steps - 1
        plans = [brand.decide(day) for brand in self.brands]
        out = Plans(
            posts_per_day=np.array([pl.posts_per_day for pl in plans]),
            sell_share=np.array([pl.sell_share for pl in plans]),
            serve_mix=np.array([pl.serve_mix for pl in plans]),
            paid_reach=np.array([pl.paid_reach for pl in plans]),
            paid_posts=np.array([pl.paid_posts for pl in plans]),
            targeting=self._targeting,
            support_capacity=self._capacity,
            disclosed=self._disclosed,
            reply_capacity=self._reply_capacity,
            reply_tone=self._reply_tone,
            community_effort=self._effort,
        )
        if self._network is not None:  # per-platform plans and their totals, before the cap
            platforms.plan_day(out, self._network)
        if np.isfinite(self._money).any():
            budget.spend_within(out, self._money, self.params.rules, self.params.mechanisms.replies)
        return out

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
        if self._network is not None:
            self._step_platforms(day, plans)
            return

        load = None  # the ad load: platform.commercialization unless the platform reacts
        if on.platform_reacts:
            reacting.react(s, plans, p.platform, r)
            load = s.ad_load
        platform.drift_skepticism(s, p.platform, load)
        reach = platform.organic_reach(p.platform, self.steps - 1, load)
        items = community.deliver(s, plans, r, rng["community"]) if on.community else None
        attention.expose(s, day, plans, reach, rng["exposure"], on.shares, items, s.time)
        spare = (  # spare attention of the users who received brand items today
            attention.spare_attention(
                s,
                p.users.friend_posts,
                platform.attention_factor(p.platform, r, load),
                day.rows,
                s.time,
            )
            if on.attention
            else None
        )
        attention.attend(s, day, plans, spare)
        self._after_attention(day, plans)

    def _step_platforms(self, day: Day, plans: Plans) -> None:
        """Platform drift, delivery and attention with several platforms (odd.md 7.16);
        the rest of the day as with one platform."""
        p, s, r, net = self.params, self.state, self.params.rules, self._network
        if p.mechanisms.platform_reacts:
            platform_reacting.react(s, plans, net, r)
        platforms.drift_skepticism(s, net, p.platform.skepticism_drift)
        t, trend = self.steps - 1, p.platform.organic_reach_trend
        on, rng = p.mechanisms, self.streams
        items = community.deliver(s, plans, r, rng["community"]) if on.community else None
        platforms.expose(s, day, plans, net, r, t, trend, rng["exposure"], on.shares, items)
        spare = platforms.spare_attention(s, net, r, day.rows) if p.mechanisms.attention else None
        attention.attend(s, day, plans, spare)
        self._after_attention(day, plans)

    def _after_attention(self, day: Day, plans: Plans) -> None:
        """The day's rules after delivery and attention, in schedule order."""
        p, s, r, on, rng = (
            self.params,
            self.state,
            self.params.rules,
            self.params.mechanisms,
            self.streams,
        )
        content.engagements(s, day, plans, r, rng["content"], rng["observe"])
        content.detect_covert(s, day, plans, r, rng["content"])
        if p.platform.engager_exposure > 0:
            exposure = p.platform.engager_exposure
            time = (
                s.time if s.present is None or s.time is None else platform_reacting.friend_time(s)
            )
            content.share_with_friends(s, day, exposure, rng["share"], time)
        if on.shares:
            net = self._network  # with [[platforms]]: shares go on a platform
            places = None if net is None else (net.on, plans.platform_posts)
            shares.share(s, day, r, rng["shares"], places, s.time)
        if on.favor:
            favor.update_favor(s, day, plans, r)
        discount = content.persuasion_discount(s, plans, r, day.rows)
        if day.pitch_norm is not None:
            discount = platforms.discount(discount, day)
        purchase.update_intent(s, day, plans, r, discount)

        peer_rng = rng["community"] if on.community else None
        support.raise_and_answer(s, day, plans, r, rng["support"], peer_rng)
        if on.favor:
            favor.deposit_answers(s, day, r)

        purchase.buy(s, day, p.users.need_rate, r, on.trust, rng["purchase"], on.lapse)
        if on.community:
            community.talk(s, day, r, on.trust, rng["community"])
        if on.lapse:
            lapse.update(s, day, r, self.steps, rng["lapse"])

        if on.wom:
            wom.spread(s, day, r, on.trust, rng["wom"])
        else:
            wom.silence(s, day)
        if on.community:
            community.add_talk(day)
        if on.replies:
            replies.reply(s, day, plans, r, on.trust, on.backlash, rng["replies"])
        if on.trust:
            trust.update_trust(s, day, r)
        if on.backlash:
            follow.update_irritation(s, day, plans, r)
        follow.follow_unfollow(s, day, r, on.trust, on.backlash, rng["follow"])
        if on.community:
            community.join_leave(s, day, plans, r, on.trust, rng["community"])

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
        df = self.datacollector.brand_table()
        if df.empty:
            return pd.DataFrame(columns=list(metrics_mod.COLUMNS))
        return df


def _reporter(column: str):
    if column == "brand":
        return lambda agent: agent.name
    return lambda agent: agent.metrics[column]


class BrandCollector(DataCollector):
    """Mesa's DataCollector with one brand-level reporter per output column and model-level
    reporters for Mesa's own tools (``get_model_vars_dataframe``, ``make_plot_component``,
    ``batch_run``): named as in :data:`metrics.COLUMNS` for one brand, ``"<metric>
    (<brand>)"`` for several.

    ``collect`` stores the same records as Mesa's but reads the brands' metrics directly:
    each day's values are fresh immutable NumPy scalars, so Mesa's per-value deepcopy and
    agent lookups are not needed.
    """

    def __init__(self, brands: list[BrandAgent]) -> None:
        columns = [c for c in metrics_mod.COLUMNS if c not in ("step", "brand")]
        self._brands = brands
        self._columns = columns
        self._model_columns = [
            (col if len(brands) == 1 else f"{col} ({brand.name})", brand, col)
            for brand in brands
            for col in columns
        ]
        super().__init__(
            model_reporters={
                name: (lambda model, b=brand, c=col: b.metrics[c])
                for name, brand, col in self._model_columns
            },
            agenttype_reporters={
                BrandAgent: {col: _reporter(col) for col in metrics_mod.COLUMNS if col != "step"}
            },
        )

    def brand_table(self) -> pd.DataFrame:
        """The brand records as the tidy table (columns ``metrics.COLUMNS``): what
        ``get_agenttype_vars_dataframe(BrandAgent)`` gives, reset and renamed, built from the
        same records in one step (the same column types)."""
        records = itertools.chain.from_iterable(
            day[BrandAgent] for day in self._agenttype_records.values()
        )
        columns = ["step", "AgentID", "brand", *self._columns]
        return pd.DataFrame.from_records(records, columns=columns)[list(metrics_mod.COLUMNS)]

    def collect(self, model: mesa.Model) -> None:
        model_vars = self.model_vars
        for name, brand, col in self._model_columns:
            model_vars[name].append(brand.metrics[col])
        step, columns = model.steps, self._columns
        self._agenttype_records[step] = {
            BrandAgent: [
                (step, b.unique_id, b.name, *[b.metrics[c] for c in columns]) for b in self._brands
            ]
        }
