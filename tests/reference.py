"""Reference implementation of the socialsim rules: one user at a time, plain Python.

This module is the *docking* specification of the model. It restates every rule of
``socialsim.rules`` (and the schedule and mechanism switches of ``socialsim.model``) as
loops over users and over each user's friends, with Python scalars and its own random
numbers (``random.Random``). It shares with the vectorized model only what defines a
scenario: the config (``load_config`` + ``bass_mapping``), the graph (``build_graph``), the
initial population (``init_state``, drawn once and copied into :class:`RefUser` objects)
and the brands' strategies (``make_strategy``). Both implementations therefore start from
the same state and differ only in their random draws; ``tests/test_docking.py`` compares
their mean trajectories over replications.

Every coefficient is read from the config object (``rules``, ``users``, ``platform``),
never copied. Per-brand quantities are lists indexed by brand.

One day (``RefModel.step``), in schedule order (``socialsim.rules``), each step a loop over
users; switches of ``[mechanisms]`` in brackets:

0. strategies  each brand's strategy chooses today's plan from the brand's own history;
               a brand with a budget spends within it (``reference_budget``) [budget]
1. platform    the ad load and users' time on the platform react [platform_reacts];
               scepticism drifts towards 1 with the ad load
2. attention   organic items to followers, paid impressions to targets; spare attention
               (attention off: every item is attended); with [[platforms]], steps 1-2 run
               per platform (``reference_platforms.py``; the reacting platform: an ad
               load per platform, a time per user and platform)         [platforms]
3. content     engagements; covert-pitch detection; users share items with friends
               (``reference_shares.py``; shared items are tomorrow's items) [shares]
4. favor       decay, deposits, reciprocity, withdrawals, overdraft    [favor]
5. purchase    intent from pitches (persuasion discount x reciprocity) and deals
6. support     problems raised; members answer members' problems [community]; the rest
               answered up to capacity; answers deposit favour [favor]
7. purchase    needs and purchases (first and repeat); lapsed customers buy only when
               persuaded [lapse]
   community   members hear members' praise                             [community]
8. lapse       value days, win-backs, lapses of active customers           [lapse]
9. wom         senders, messages to friends, awareness, tomorrow's WOM signal [wom]
9b. replies    public replies to complainers, by tone (reference_replies.py) [replies]
               (members' praise joins the day's positive WOM)           [community]
10. trust      gains, losses, WOM, social influence                     [trust]
11. follow     irritation [backlash], unfollows [backlash] and follows
   community   followers and customers join, hostile members leave      [community]
    metrics    the daily per-brand table (``socialsim.metrics.COLUMNS``)

With trust off, trust stays at its initial value and is left out of the purchase, advocacy
and follow probabilities (engagement, paid irritation and the metrics still read it).
"""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx
import pandas as pd

from reference_budget import budget_config, spend_within
from reference_community import CommunityReference
from reference_draws import chance, poisson, sat
from reference_platforms import PlatformsReference
from reference_purchase import PurchaseReference
from reference_reacting import ReactingMixin
from reference_replies import RepliesReference
from reference_shares import SharesReference
from reference_social import SocialReference
from socialsim import load_config
from socialsim.config import Config, bass_mapping
from socialsim.graphs import adjacency, build_graph, check_graph
from socialsim.metrics import COLUMNS
from socialsim.state import init_state, random_streams
from socialsim.strategies import History, Plan, Strategy, make_strategy


class RefUser:
    """One user: personal traits and, per brand (lists indexed by brand), the relation to it."""

    def __init__(
        self,
        index: int,
        degree: int,
        skepticism: float,
        attention: float,
        friend_motive: float,
        segment: int,
        relevance: list[float],
        match: list[bool],
        aware: list[bool],
        following: list[bool],
        trust: list[float],
    ) -> None:
        n_brands = len(trust)
        self.index = index
        self.degree = degree
        self.friends: list[RefUser] = []  # set once every user exists
        self.skepticism = skepticism
        self.attention = attention
        self.friend_motive = friend_motive
        self.segment = segment
        # per brand, fixed
        self.relevance = relevance
        self.match = match
        # per brand, state
        self.aware = aware
        self.following = following
        self.unfollowed = [False] * n_brands
        self.purchases = [0] * n_brands
        self.trust = trust
        self.favor = [0.0] * n_brands
        self.irritation = [0.0] * n_brands
        self.intent = [0.0] * n_brands
        self.detected = [False] * n_brands
        self.wom_signal = [0.0] * n_brands
        self.lapsed = [False] * n_brands  # lapsed customer, not won back yet
        self.last_value = [0] * n_brands  # last day (1-based) the brand gave value
        self.new_day()

    def new_day(self) -> None:
        """Clear the record of today's events (per brand)."""
        n_brands = len(self.trust)
        zeros = [0.0] * n_brands
        no = [False] * n_brands
        self.items = list(zeros)  # brand items delivered (organic + paid)
        self.paid_items = list(zeros)
        self.attended = list(zeros)
        self.excess = list(zeros)
        self.pitch_dose = list(zeros)
        self.serve_dose = list(zeros)
        self.reciprocity = [1.0] * n_brands
        self.overdraft_cost = list(zeros)
        self.detected_today = list(no)
        self.problem = list(no)
        self.answered = list(no)
        self.unanswered = list(no)
        self.bought_new = list(no)
        self.bought_repeat = list(no)
        self.pos_sender = list(no)
        self.neg_sender = list(no)
        self.wom_pos = list(zeros)  # positive messages received today
        self.wom_neg = list(zeros)
        self.unfollowed_today = list(no)
        self.followed_today = list(no)
        self.lapsed_today = list(no)
        self.won_back = list(no)
        self.replied = list(no)  # a public reply from the brand today [replies]
        self.wom_neg_messages = None  # negative messages before reply weights [replies]
        self.engagements = [0] * n_brands
        self.pitch_share = list(zeros)  # share of today's items that pitch [platforms]
        self.pitch_norm = [1.0] * n_brands  # grating factor of today's pitches [platforms]


class RefBrand:
    """A brand: its config, strategy, history and today's plan."""

    def __init__(self, index: int, config: Any, strategy: Strategy) -> None:
        self.index = index
        self.config = config
        self.name = config.name
        self.strategy = strategy
        self.history = History()
        self.plan: Plan | None = None
        self.capacity = config.support_capacity  # today's support capacity (budget)
        self.reply_capacity = config.reply_capacity  # today's reply capacity (budget)


class RefModel(
    PurchaseReference,
    SocialReference,
    RepliesReference,
    CommunityReference,
    SharesReference,
    ReactingMixin,
    PlatformsReference,
):
    """The loop-based reference model. ``RefModel(config).run(steps)`` returns the metrics."""

    def __init__(
        self,
        config: Config | dict | str | None = None,
        *,
        graph: nx.Graph | None = None,
        rng_seed: int | None = None,
        **overrides: Any,
    ) -> None:
        cfg = load_config(config, **overrides)
        self.config = cfg
        self.params = p = bass_mapping(cfg)
        streams = random_streams(p.seed)
        if graph is not None:
            G = check_graph(graph, "graph argument")
        else:
            G = build_graph(p.graph, streams["graph"])
        self.graph = G
        state = init_state(p, adjacency(G), streams["users"])  # the same initial population
        # The reference's own random numbers (never the vectorized model's streams).
        self.rng = random.Random(1_000_003 * p.seed + 17 if rng_seed is None else rng_seed)

        n_brands = len(p.brands)
        self.users = [
            RefUser(
                index=i,
                degree=G.degree(i),
                skepticism=float(state.skepticism[i]),
                attention=float(state.attention[i]),
                friend_motive=float(state.friend_motive[i]),
                segment=int(state.segment[i]),
                relevance=[float(state.relevance[i, b]) for b in range(n_brands)],
                match=[bool(state.match[i, b]) for b in range(n_brands)],
                aware=[bool(state.aware[i, b]) for b in range(n_brands)],
                following=[bool(state.following[i, b]) for b in range(n_brands)],
                trust=[float(state.trust[i, b]) for b in range(n_brands)],
            )
            for i in range(G.number_of_nodes())
        ]
        for user in self.users:
            user.friends = [self.users[j] for j in sorted(G.neighbors(user.index))]
        self.brands = []
        for b, bc in enumerate(p.brands):
            bc = budget_config(bc, p.rules, p.mechanisms.budget)
            self.brands.append(RefBrand(b, bc, make_strategy(bc)))
        self.init_community()
        self.conversions_total = [0] * n_brands
        self.init_reacting()
        self.steps = 0
        self.init_shares()  # [shares]: no shares waiting
        self.init_platforms(streams)  # [platforms]: who is on which platform
        self.rows: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ schedule
    def step(self) -> None:
        """One day, submodel by submodel, each a loop over users."""
        p = self.params
        on = p.mechanisms
        day = self.steps  # 0-based day given to the strategies
        self.steps += 1
        for user in self.users:
            user.new_day()
        self.community_new_day()
        plans = []
        for b, brand in enumerate(self.brands):
            plan = brand.strategy.plan(day, brand.history)
            if self.specs:  # [[platforms]]: the budget caps the totals over platforms
                plan = self.platform_totals(b, plan)
            brand.plan, brand.capacity, brand.reply_capacity = spend_within(
                brand.config,
                plan,
                p.rules,
                on.budget,
                on.replies,
            )
            if self.specs:
                self.cap_platforms(b, plan, brand.plan)
            plans.append(brand.plan)

        if on.platform_reacts:
            self.react(plans)
        if self.specs:  # [platforms]: drift, delivery and attention on each platform
            plans = self.platforms_day(plans, attention_on=on.attention)
        else:
            self.drift_skepticism()
            self.expose_and_attend(plans, attention_on=on.attention)
        self.engage(plans)
        self.detect_covert(plans)
        if on.shares:
            self.share()
        if on.favor:
            self.update_favor(plans)
        self.update_intent(plans)
        self.raise_and_answer()
        if on.favor:
            self.deposit_answers()
        self.buy(trust_on=on.trust, lapse_on=on.lapse)
        self.community_talk(trust_on=on.trust)
        if on.lapse:
            self.lapse()
        if on.wom:
            self.spread_word_of_mouth(trust_on=on.trust)
        else:
            for user in self.users:  # no messages and no signal
                user.wom_signal = [0.0] * len(self.brands)
        self.add_community_talk()
        if on.replies:
            self.reply_to_complaints(trust_on=on.trust, backlash_on=on.backlash)
        if on.trust:
            self.update_trust()
        if on.backlash:
            self.update_irritation(plans)
        self.follow_unfollow(trust_on=on.trust, backlash_on=on.backlash)
        self.join_leave(trust_on=on.trust)
        self.record_metrics(plans)

    def run(self, steps: int | None = None) -> pd.DataFrame:
        """Run ``steps`` days (default: the config's ``steps``) and return the metrics table."""
        for _ in range(self.params.steps if steps is None else steps):
            self.step()
        return self.metrics()

    def metrics(self) -> pd.DataFrame:
        """One row per day and brand with the columns of ``socialsim.COLUMNS``."""
        return pd.DataFrame(self.rows, columns=list(COLUMNS))

    # ------------------------------------------------------------------ 1. platform
    def drift_skepticism(self) -> None:
        """Scepticism rises towards 1 at rate skepticism_drift * commercialization."""
        platform = self.params.platform
        rate = platform.skepticism_drift * self.ad_load_today()
        if rate > 0.0:
            for user in self.users:
                user.skepticism += rate * (1.0 - user.skepticism)

    # ------------------------------------------------------------------ 2. attention
    def expose_and_attend(self, plans: list[Plan], attention_on: bool) -> None:
        """Deliver organic and paid items, then split each user's spare attention over them."""
        p, r, rng = self.params, self.params.rules, self.rng
        platform = p.platform
        self.deliver_shares()  # [shares]: yesterday's shares are today's items
        # Organic reach: the platform throttles the share of posts a follower is shown.
        reach = platform.organic_reach * (1.0 - self.ad_load_today())
        # Ads take a share of the attention left for brands.
        ad_factor = 1.0 - r.ad_attention_cost * self.ad_load_today()
        # Paid impressions: weight ((1 - targeting) + targeting * match) * time on the
        # platform, normalised per brand.
        paid_weight_total = []
        for b, brand in enumerate(self.brands):
            t = brand.config.targeting
            paid_weight_total.append(
                sum(((1.0 - t) + t * u.match[b]) * self.time_of(u) for u in self.users)
            )

        for user in self.users:
            for b, brand in enumerate(self.brands):
                plan = plans[b]
                organic = 0
                if user.following[b]:
                    organic = poisson(
                        rng, plan.posts_per_day * self.feed_share(b) * reach * self.time_of(user)
                    )
                community = self.draw_community_items(user, b, plan.posts_per_day)
                paid = 0.0
                total_weight = paid_weight_total[b]
                if plan.paid_reach > 0 and total_weight > 0:
                    t = brand.config.targeting
                    weight = ((1.0 - t) + t * user.match[b]) * self.time_of(user)
                    if chance(rng, min(1.0, plan.paid_reach * weight / total_weight)):
                        paid = 1.0
                user.paid_items[b] = paid
                user.items[b] = organic + paid + community + self.shared_count(user, b)

            # Friendship-first attention: friends' posts fill the reserved share first.
            total_items = sum(user.items)
            if attention_on:
                reserve = user.attention * user.friend_motive
                friends_use = min(reserve, p.users.friend_posts * user.degree)
                spare = (user.attention - friends_use) * ad_factor * self.time_of(user)
                scale = min(1.0, spare / max(total_items, 1e-12))
            else:
                scale = 1.0  # every item is attended
            for b in range(len(self.brands)):
                attended = user.items[b] * scale
                user.attended[b] = attended
                user.excess[b] = user.items[b] - attended
                feed = attended - user.community_items[b] * scale  # community items serve
                user.pitch_dose[b] = feed * plans[b].sell_share
                user.serve_dose[b] = feed * (1.0 - plans[b].sell_share) + (attended - feed)
                self.type_doses(user, b, plans[b], scale)  # [shares]: shared items' types
                if attended > 0:
                    user.aware[b] = True

    # ------------------------------------------------------------------ 3. content
    def engage(self, plans: list[Plan]) -> None:
        """Each user likes/comments/shares Poisson(rate) times; rate from attended content."""
        r = self.params.rules
        for user in self.users:
            for b in range(len(self.brands)):
                weights = (r.engage_support, r.engage_useful, r.engage_deal)
                rate = self.serve_weighted(user, b, plans[b], *weights)
                rate += user.pitch_dose[b] * r.engage_pitch
                rate *= user.relevance[b] * (r.engage_trust_offset + user.trust[b])
                user.engagements[b] = poisson(self.rng, rate)

    def detect_covert(self, plans: list[Plan]) -> None:
        """Covert pitches are detected with prob sat(rate * scepticism * pitches)."""
        r = self.params.rules
        for user in self.users:
            for b, brand in enumerate(self.brands):
                covert = not brand.config.disclosed
                if covert and not user.detected[b] and user.pitch_dose[b] > 0:
                    hazard = r.detection_rate * user.skepticism * user.pitch_dose[b]
                    if chance(self.rng, sat(hazard)):
                        user.detected[b] = True
                        user.detected_today[b] = True

    def recognised(self, user: RefUser, b: int) -> bool:
        """A pitch is recognised as persuasion when disclosed or when the user detected it."""
        return self.brands[b].config.disclosed or user.detected[b]

    # ------------------------------------------------------------------ 4. favour bank
    def update_favor(self, plans: list[Plan]) -> None:
        """Decay, deposit serve content, record reciprocity, withdraw for pitches, overdraft."""
        r = self.params.rules
        retention = math.exp(-1.0 / r.favor_memory_days)
        for user in self.users:
            for b in range(len(self.brands)):
                value = (r.deposit_support, r.deposit_useful, r.deposit_deal)
                balance = user.favor[b] * retention
                balance += self.serve_weighted(user, b, plans[b], *value) * user.relevance[b]
                credit = max(balance, 0.0)
                ratio = (credit / r.favor_half) ** r.reciprocity_hill
                user.reciprocity[b] = 1.0 + r.reciprocity_gain * ratio / (1.0 + ratio)
                withdrawal = r.pitch_withdrawal * r.withdrawal_skepticism * user.skepticism
                balance -= user.pitch_dose[b] * withdrawal * user.pitch_norm[b]
                depth = max(-balance, 0.0)
                user.overdraft_cost[b] = (
                    user.pitch_dose[b] * depth * (1.0 + r.overdraft_interest * depth)
                )
                user.favor[b] = balance

    def deposit_answers(self) -> None:
        """An answered support request deposits favour."""
        r = self.params.rules
        for user in self.users:
            for b in range(len(self.brands)):
                if user.answered[b]:
                    user.favor[b] += r.deposit_answer


def run_reference(config: Config | dict | str | None = None, **overrides: Any) -> pd.DataFrame:
    """Run the reference model for the config's ``steps`` (picklable, for process pools)."""
    return RefModel(config, **overrides).run()
