"""Reference (docking) implementation of the reacting platform, one user at a time.

A mixin of :class:`reference.RefModel` (``[mechanisms] platform_reacts``, odd.md 7.15).
``react`` restates ``socialsim.rules.reacting.react`` as loops; ``ad_load_today`` and
``time_of`` are what the reference's platform and attention steps read (the fixed
``platform.commercialization`` and a time of 1 when the switch is off).
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

    def react(self, plans: list[Any]) -> None:
        """The ad load moves towards the load sold to meet the demand for paid reach; each
        user's time moves towards its long-run value at today's ads an hour; users below
        the leave threshold leave for good."""
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
        sceptics = [u for u in users if u.skepticism > 0.5]
        return {
            "ad_load": self.ad_load,
            "time_on_platform": sum(u.time for u in users) / len(users),
            "time_skeptical": (
                sum(u.time for u in sceptics) / len(sceptics) if sceptics else float("nan")
            ),
            "users_left": sum(u.left for u in users),
        }
