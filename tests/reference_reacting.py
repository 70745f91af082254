"""Reference (docking) implementation of the reacting platform, one user at a time.

A mixin of :class:`reference.RefModel` (``[mechanisms] platform_reacts``, odd.md 7.15).
``react`` restates ``socialsim.rules.reacting.react`` as loops; ``ad_load_today`` and
``time_of`` are what the reference's platform and attention steps read (the fixed
``platform.commercialization`` and a time of 1 when the switch is off). With
``[[platforms]]`` each platform k has its own ad load and each user a time on each of their
platforms (``react_platforms``; ``load_on`` and ``time_on`` are what
``reference_platforms.py`` reads).
"""

from __future__ import annotations

from typing import Any


class ReactingMixin:
    """The platform's ad load and each user's time on the platform (plain Python)."""

    def init_reacting(self) -> None:
        """Ad load c0, every user on the platform full time, s0 = mean initial scepticism."""
        self.ad_load = self.params.platform.commercialization
        for user in self.users:
            user.time = 1.0
            user.left = False
        self.skeptic_ref = sum(u.skepticism for u in self.users) / len(self.users)

    def ad_load_today(self) -> float:
        """The ad load every platform rule reads today."""
        return self.ad_load

    def time_of(self, user: Any) -> float:
        """The user's time on the platform (1 when the platform does not react)."""
        return user.time

    def init_platform_reacting(self) -> None:
        """[[platforms]]: every platform at its configured ad load, each user full time on
        each of their platforms (0 elsewhere), nobody left anywhere."""
        self.ad_loads = [spec.commercialization for spec in self.specs]
        for user in self.users:
            user.times = [1.0 if on else 0.0 for on in user.present]
            user.left_on = [False] * len(self.specs)

    def reacts_on_platforms(self) -> bool:
        return bool(self.specs) and self.params.mechanisms.platform_reacts

    def load_on(self, k: int) -> float:
        """Platform k's ad load today (its configured one when the platforms do not react)."""
        return self.ad_loads[k] if self.reacts_on_platforms() else self.specs[k].commercialization

    def time_on(self, user: Any, k: int) -> float:
        """The user's time on platform k (1 when the platforms do not react)."""
        return user.times[k] if self.reacts_on_platforms() else 1.0

    def react_platforms(self, plans: list[Any]) -> None:
        """Each platform's ad load moves towards the load sold to meet the paid impressions
        bought on it (each brand's paid reach spread over its platforms by its posts there);
        each user's time on each of their platforms moves towards its long-run value at that
        platform's ads an hour; a user leaves a platform for good below the threshold."""
        r = self.params.rules
        for k, spec in enumerate(self.specs):
            c0 = spec.commercialization
            demand = 0.0
            for b, plan in enumerate(plans):
                today = self.today[b]
                if k in today:
                    total = sum(max(x, 1e-12) for x, _ in today.values())
                    demand += plan.paid_reach * max(today[k][0], 1e-12) / total
            active = sum(u.times[k] for u in self.users)
            if active > 0:
                wanted = c0 + r.ad_supply * demand / active
            else:
                wanted = r.ad_load_max if demand > 0 else c0
            target = max(c0, min(r.ad_load_max, wanted))
            self.ad_loads[k] += r.ad_adjust * (target - self.ad_loads[k])
            excess = max(0.0, self.ad_loads[k] * r.feed_items_per_hour - r.ads_reference)
            for user in self.users:
                if not user.present[k]:
                    continue
                m = max(0.0, 1.0 + r.skeptic_time * (user.skepticism - self.skeptic_ref))
                h_star = max(0.0, 1.0 - r.time_sensitivity * m * excess)
                user.times[k] += r.time_adjust * (h_star - user.times[k])
                if user.left_on[k] or user.times[k] < r.leave_threshold:
                    user.left_on[k] = True
                    user.times[k] = 0.0

    def react(self, plans: list[Any]) -> None:
        """The ad load moves towards the load sold to meet the demand for paid reach; each
        user's time moves towards its long-run value at today's ads an hour; users below
        the leave threshold leave for good."""
        if self.specs:
            return self.react_platforms(plans)
        r, c0 = self.params.rules, self.params.platform.commercialization
        demand = sum(plan.paid_reach for plan in plans)
        active = sum(u.time for u in self.users)
        if active > 0:
            wanted = c0 + r.ad_supply * demand / active
        else:
            wanted = r.ad_load_max if demand > 0 else c0
        target = max(c0, min(r.ad_load_max, wanted))
        self.ad_load += r.ad_adjust * (target - self.ad_load)
        excess = max(0.0, self.ad_load * r.feed_items_per_hour - r.ads_reference)
        for user in self.users:
            m = max(0.0, 1.0 + r.skeptic_time * (user.skepticism - self.skeptic_ref))
            h_star = max(0.0, 1.0 - r.time_sensitivity * m * excess)
            user.time += r.time_adjust * (h_star - user.time)
            if user.left or user.time < r.leave_threshold:
                user.left = True
                user.time = 0.0

    def reacting_metrics(self) -> dict[str, Any]:
        """The platform columns of the metrics table (the same for every brand)."""
        users = self.users
        if self.reacts_on_platforms():  # over (user, platform) presence pairs
            pairs = [(u, k) for u in users for k in range(len(self.specs)) if u.present[k]]
            sceptic_pairs = [(u, k) for u, k in pairs if u.skepticism > 0.5]
            return {
                "ad_load": sum(self.ad_loads[k] for _, k in pairs) / len(pairs),
                "time_on_platform": sum(u.times[k] for u, k in pairs) / len(pairs),
                "time_skeptical": (
                    sum(u.times[k] for u, k in sceptic_pairs) / len(sceptic_pairs)
                    if sceptic_pairs
                    else float("nan")
                ),
                "users_left": sum(
                    all(u.left_on[k] for k in range(len(self.specs)) if u.present[k]) for u in users
                ),
            }
        sceptics = [u for u in users if u.skepticism > 0.5]
        return {
            "ad_load": self.ad_load,
            "time_on_platform": sum(u.time for u in users) / len(users),
            "time_skeptical": (
                sum(u.time for u in sceptics) / len(sceptics) if sceptics else float("nan")
            ),
            "users_left": sum(u.left for u in users),
        }
