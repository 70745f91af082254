"""Reference implementation of the shares rule (``[mechanisms] shares``, odd.md 7.13).

A mixin of :class:`reference.RefModel`: plain Python, one user and one friend at a time, with
the reference's own random numbers. The hooks in ``reference.py`` call, in schedule order:
:meth:`deliver_shares` at the start of the attention step (yesterday's shares become today's
items, each of its own content type), :meth:`shared_count` and :meth:`type_doses` while items
are delivered and attended, :meth:`serve_weighted` wherever a rule weighs serve items by type
(engagement, favour deposits, deal persuasion), :meth:`share` after the content step, and
:meth:`share_metrics` for the daily table.
"""

from __future__ import annotations

from typing import Any

#: Content types in the order of ``socialsim.rules.day.CONTENT_TYPES``.
TYPES = ("pitch", "useful", "deal", "support")


class SharesReference:
    """Shares for the loop-based reference model (attributes of ``RefModel``)."""

    users: list[Any]
    brands: list[Any]
    params: Any
    rng: Any

    def init_shares(self) -> None:
        """No shares are waiting before the first day."""
        for user in self.users:
            user.share_inbox = []  # (brand, type) of the shares the user will see tomorrow
        self.deliver_shares()

    def deliver_shares(self) -> None:
        """Start of a day: the shares waiting for each user become today's shared items (one
        item per share, of the shared item's type); note who follows at the start of the day."""
        n_brands = len(self.brands)
        for user in self.users:
            user.shared_items = [[0.0] * len(TYPES) for _ in range(n_brands)]
            user.shared_where = []  # [platforms]: (brand, type, platform) of each shared item
            for b, k, *where in user.share_inbox:
                user.shared_items[b][k] += 1.0
                if where:
                    user.shared_where.append((b, k, where[0]))
            user.share_inbox = []
            user.dose_type = [[0.0] * len(TYPES) for _ in range(n_brands)]
            user.shares_made = [None] * n_brands  # type index of today's share, per brand
            user.followed_at_start = list(user.following)

    def shared_count(self, user: Any, b: int) -> float:
        """Items of brand ``b`` shared with ``user`` by friends yesterday."""
        return sum(user.shared_items[b])

    def type_doses(self, user: Any, b: int, plan: Any, scale: float) -> None:
        """With shares on: split today's attended items of brand ``b`` by content type, the
        brand's own items by its plan, the shared ones by their own type (both scaled by the
        attention factor ``scale``); set the pitch and serve doses from them."""
        if not self.params.mechanisms.shares:
            return
        sell = plan.sell_share
        support, useful, deal = plan.serve_mix
        plan_share = (sell, (1 - sell) * useful, (1 - sell) * deal, (1 - sell) * support)
        shared = user.shared_items[b]
        own = max(user.attended[b] - sum(shared) * scale, 0.0)
        dose = [own * plan_share[k] + shared[k] * scale for k in range(len(TYPES))]
        user.dose_type[b] = dose
        user.pitch_dose[b] = dose[0]
        user.serve_dose[b] = dose[1] + dose[2] + dose[3]

    def serve_weighted(
        self, user: Any, b: int, plan: Any, support: float, useful: float, deal: float
    ) -> float:
        """Attended serve items of brand ``b`` weighted by type: by the plan's serve mix, or
        with shares on by the typed doses (shared items keep their type)."""
        if not self.params.mechanisms.shares:
            mix = plan.serve_mix
            return user.serve_dose[b] * (mix[0] * support + mix[1] * useful + mix[2] * deal)
        dose = user.dose_type[b]
        return dose[3] * support + dose[1] * useful + dose[2] * deal

    def share(self) -> None:
        """Each user shares one attended item of brand b with probability sat(relevance *
        (engage_trust_offset + trust) * sum_k share_k * dose_k), of type k with probability
        proportional to share_k * dose_k; each friend sees it tomorrow with probability
        share_visibility (times the friend's time on the platform when it reacts)."""
        r, rng = self.params.rules, self.rng
        rates = [getattr(r, f"share_{t}") for t in TYPES]
        for user in self.users:
            for b in range(len(self.brands)):
                weights = [rates[k] * user.dose_type[b][k] for k in range(len(TYPES))]
                x = sum(weights) * user.relevance[b] * (r.engage_trust_offset + user.trust[b])
                if not rng.random() < x / (1.0 + x):
                    continue
                u, k = rng.random() * sum(weights), 0
                while k < len(TYPES) - 1 and u >= weights[k]:
                    u -= weights[k]
                    k += 1
                user.shares_made[b] = k
                # [platforms]: posted on one platform, seen by the friends there
                where = self.share_platform(user, b) if self.specs else None
                for friend in user.friends:
                    # [platform_reacts]: times the friend's time on the platform
                    h = self.time_of(friend) if where is None else self.time_on(friend, where)
                    if rng.random() < r.share_visibility * h:
                        if where is None:
                            friend.share_inbox.append((b, k))
                        elif friend.present[where]:
                            friend.share_inbox.append((b, k, where))

    def share_metrics(self, b: int) -> dict[str, Any]:
        """Today's shares by type, reach of shared items and organic reach beyond followers
        (definitions: socialsim.metrics.COLUMNS)."""
        users = self.users
        row: dict[str, Any] = {
            "shares": sum(u.shares_made[b] is not None for u in users),
            **{
                f"shares_{t}": sum(u.shares_made[b] == k for u in users)
                for k, t in enumerate(TYPES)
            },
            "share_reach": sum(self.shared_count(u, b) > 0 for u in users),
            "reach_nonfollowers": sum(
                u.items[b] - u.paid_items[b] > 0 and not u.followed_at_start[b] for u in users
            ),
        }
        return row
