"""Reference (docking) implementation of several platforms, one user at a time.

A mixin of :class:`reference.RefModel` (``[[platforms]]``, odd.md 7.16). It restates
``socialsim.rules.platforms`` as loops: which platforms each user is on is part of the
shared initial population (``draw_presence`` on the ``platforms`` stream, like
``init_state``); delivery, the norms' grating factor per user and brand (``user.pitch_norm``,
read by the favour, intent and irritation steps of the reference), spare attention over the
user's platforms and the scepticism drift are plain Python. Without ``[[platforms]]`` the
reference runs its single-platform steps and ``pitch_norm`` stays 1.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from reference_draws import chance, poisson
from socialsim.rules.platforms import draw_presence


class PlatformsReference:
    """Several platforms: presence, per-platform plans, norms and attention (plain Python)."""

    def init_platforms(self, streams: dict[str, Any]) -> None:
        """Each user's platforms (shared initial population) and each brand's plans there."""
        p = self.params
        self.specs = list(p.platforms)
        if not self.specs:
            return
        present = draw_presence(p, len(self.users), streams["platforms"])
        for user in self.users:
            user.present = [bool(x) for x in present[user.index]]
        if p.mechanisms.platform_reacts:  # an ad load per platform, a time per platform
            self.init_platform_reacting()
        self.today: dict[int, dict[int, tuple[float, float]]] = {}
        self.brand_plans = []  # per brand: {k: (posts, sell)} on the platforms it is on
        for bc in p.brands:
            plans = {}
            for k, spec in enumerate(self.specs):
                if bc.platforms is not None and spec.name not in bc.platforms:
                    continue
                given = bc.platforms.get(spec.name) if bc.platforms is not None else None
                posts = given.posts_per_day if given and given.posts_per_day is not None else None
                sell = given.sell_share if given and given.sell_share is not None else None
                plans[k] = (
                    bc.posts_per_day if posts is None else posts,
                    bc.sell_share if sell is None else sell,
                )
            budget = bc.budget
            if p.mechanisms.budget and budget is not None and budget.paid is not None:
                # a split buys N = M a_content / cost_per_post posts over all its platforms,
                # spread by its configured posts there (equally if those are all 0)
                total = self.brands[len(self.brand_plans)].config.posts_per_day
                weights = sum(x for x, _ in plans.values())
                plans = {
                    k: (total * (x / weights if weights > 0 else 1.0 / len(plans)), sell)
                    for k, (x, sell) in plans.items()
                }
            self.brand_plans.append(plans)

    def platform_plan(self, b: int, plan: Any) -> dict[int, tuple[float, float]]:
        """Brand b's posts and sell share today on each of its platforms: configured posts
        times the strategy's posts over the brand's own, sell share shifted by the
        strategy's change (clipped to [0, 1])."""
        bc = self.brands[b].config  # after a budget split: its posts are those over platforms
        ratio = plan.posts_per_day / bc.posts_per_day if bc.posts_per_day > 0 else 1.0
        shift = plan.sell_share - bc.sell_share
        return {
            k: (posts * ratio, min(1.0, max(0.0, sell + shift)))
            for k, (posts, sell) in self.brand_plans[b].items()
        }

    def platform_totals(self, b: int, plan: Any) -> Any:
        """Note brand b's plan on each platform today (``self.today``) and return the plan
        with its totals over platforms (posts summed, sell share posts-weighted), which a
        budget then caps."""
        today = self.platform_plan(b, plan)
        self.today[b] = today
        posts = sum(x for x, _ in today.values())
        pitches = sum(x * s for x, s in today.values())
        sell = pitches / posts if posts > 0 else plan.sell_share
        return replace(plan, posts_per_day=posts, sell_share=sell)

    def cap_platforms(self, b: int, planned: Any, capped: Any) -> None:
        """A budget cut the brand's posts from ``planned`` to ``capped``: every platform's
        posts by the same factor."""
        if capped.posts_per_day == planned.posts_per_day:
            return
        f = capped.posts_per_day / planned.posts_per_day
        self.today[b] = {k: (x * f, s) for k, (x, s) in self.today[b].items()}

    def platforms_day(self, plans: list[Any], attention_on: bool) -> list[Any]:
        """Scepticism drift, delivery and attention on several platforms; returns the plans
        with today's totals over platforms (posts, sell share) for the metrics."""
        p, r, rng = self.params, self.params.rules, self.rng
        specs = self.specs
        self.deliver_shares()  # [shares]: yesterday's shares, each on its platform
        for user in self.users:  # scepticism drifts with the mean ad load of the user's platforms
            on = [k for k in range(len(specs)) if user.present[k]]
            load = sum(self.load_on(k) for k in on) / len(on)
            user.skepticism += p.platform.skepticism_drift * load * (1.0 - user.skepticism)
        trend = math.exp(p.platform.organic_reach_trend * (self.steps - 1) / 365.0)
        reach = [
            min(1.0, s.organic_reach * (1.0 - self.load_on(k)) * trend) for k, s in enumerate(specs)
        ]
        grate = [1.0 - r.platform_norm_effect * s.sell_tolerance for s in specs]
        today = self.today  # platform_totals and cap_platforms, when the brands planned
        # paid: the brand's paid reach spread over its platforms by its posts there
        paid_total = {}
        for b, brand in enumerate(self.brands):
            t = brand.config.targeting
            for k in today[b]:
                paid_total[b, k] = sum(  # [platform_reacts]: weights times time on k
                    ((1.0 - t) + t * u.match[b]) * self.time_on(u, k)
                    for u in self.users
                    if u.present[k]
                )
        for user in self.users:
            user.own_pitch_share = [0.0] * len(self.brands)
            for b, brand in enumerate(self.brands):
                plan = plans[b]
                items = pitch = grated = paid = 0.0
                posts_sum = sum(max(x, 1e-12) for x, _ in today[b].values())
                for k, (posts, sell) in today[b].items():
                    if not user.present[k]:
                        continue
                    feed = posts * self.feed_share(b)  # [community]: the rest goes there
                    h = self.time_on(user, k)  # 1 unless the platforms react
                    x = poisson(rng, feed * reach[k] * h) if user.following[b] else 0
                    if plan.paid_reach > 0 and paid_total[b, k] > 0:
                        t = brand.config.targeting
                        w = ((1.0 - t) + t * user.match[b]) * h / paid_total[b, k]
                        share = max(posts, 1e-12) / posts_sum
                        if chance(rng, min(1.0, plan.paid_reach * share * w)):
                            x += 1
                            paid += 1.0
                    items += x
                    pitch += x * sell
                    grated += x * sell * grate[k]
                user.own_pitch_share[b] = pitch / items if items > 0 else 0.0
                # [community]: community items are serve items, off the platforms
                items += self.draw_community_items(user, b, plan.posts_per_day)
                for brand_shared, kind, where in user.shared_where:  # [shares]
                    if brand_shared == b:
                        items += 1.0
                        if kind == 0:  # a shared pitch grates under its platform's norm
                            pitch += 1.0
                            grated += grate[where]
                user.items[b] = items
                user.paid_items[b] = paid
                user.pitch_share[b] = pitch / items if items > 0 else 0.0
                user.pitch_norm[b] = grated / pitch if pitch > 1e-12 else 1.0
            total_items = sum(user.items)
            if attention_on:
                on = [k for k in range(len(specs)) if user.present[k]]
                share = user.attention / len(on)
                spare = 0.0
                for k in on:
                    friends = min(share * user.friend_motive, specs[k].friend_posts * user.degree)
                    ads = 1.0 - r.ad_attention_cost * self.load_on(k)
                    spare += (share - friends) * ads * self.time_on(user, k)
                scale = min(1.0, spare / max(total_items, 1e-12))
            else:
                scale = 1.0
            for b in range(len(self.brands)):
                attended = user.items[b] * scale
                user.attended[b] = attended
                user.excess[b] = user.items[b] - attended
                user.pitch_dose[b] = attended * user.pitch_share[b]
                user.serve_dose[b] = attended - user.pitch_dose[b]
                self.platform_type_doses(user, b, plans[b], scale)  # [shares]
                if attended > 0:
                    user.aware[b] = True
        totals = []
        for b, plan in enumerate(plans):
            posts = sum(x for x, _ in today[b].values())
            pitches = sum(x * s for x, s in today[b].values())
            sell = pitches / posts if posts > 0 else plan.sell_share
            totals.append(replace(plan, posts_per_day=posts, sell_share=sell))
        return totals

    def platform_type_doses(self, user: Any, b: int, plan: Any, scale: float) -> None:
        """[shares] on platforms: the attended items of brand b by type: the brand's own
        items by their pitch share under their platforms' sell shares (the rest by the serve
        mix), shared items by their own type, community items by the serve mix."""
        if not self.params.mechanisms.shares:
            return
        support, useful, deal = plan.serve_mix
        mix = (0.0, useful, deal, support)
        shared = user.shared_items[b]
        community = user.community_items[b]
        own = max(user.attended[b] - (sum(shared) + community) * scale, 0.0)
        pitch = user.own_pitch_share[b]
        dose = [shared[0] * scale + own * pitch]
        for k in (1, 2, 3):
            dose.append(own * (1.0 - pitch) * mix[k] + (shared[k] + community * mix[k]) * scale)
        user.dose_type[b] = dose
        user.pitch_dose[b] = dose[0]
        user.serve_dose[b] = dose[1] + dose[2] + dose[3]

    def share_platform(self, user: Any, b: int) -> int:
        """[shares] The platform a sharer posts brand b's item on: among the sharer's
        platforms where b is present, by b's posts there today (equally if all 0); among
        all the sharer's platforms equally if it shares none with b; no draw for one."""
        mine = [k for k in range(len(self.specs)) if user.present[k]]
        places = [k for k in mine if k in self.today[b]] or mine
        if len(places) == 1:
            return places[0]
        weights = [self.today[b][k][0] if k in self.today[b] else 0.0 for k in places]
        if sum(weights) <= 0:
            weights = [1.0] * len(places)
        u = self.rng.random() * sum(weights)
        for k, w in zip(places, weights, strict=True):
            if u < w:
                return k
            u -= w
        return places[-1]
