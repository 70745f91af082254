"""Reference (docking) implementation of word of mouth, trust, irritation and follows, and
the daily metrics: a mixin of :class:`reference.RefModel` (schedule steps 9-11, odd.md
7.7-7.9), one user at a time."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from reference_budget import reply_team
from reference_draws import chance, mean_or_nan, sat
from socialsim.strategies import OBSERVABLE

if TYPE_CHECKING:
    from socialsim.strategies import Plan

    from reference import RefUser


class SocialReference:
    """Word of mouth, trust, irritation, unfollows and follows, metrics (plain Python)."""

    # ------------------------------------------------------------------ 9. word of mouth
    def spread_word_of_mouth(self, trust_on: bool) -> None:
        """Senders praise or complain to all their friends; messages make friends aware and
        set tomorrow's WOM signal (share of friends who recommended the brand today)."""
        r, rng = self.params.rules, self.rng
        n_brands = len(self.brands)
        # senders
        for user in self.users:
            for b in range(n_brands):
                trust = user.trust[b] if trust_on else 1.0
                customer = user.purchases[b] > 0
                good = user.bought_new[b] or user.bought_repeat[b] or user.answered[b]
                p_pos = r.advocacy_rate * customer * trust + r.share_positive * good * trust
                bad = float(user.unanswered[b]) + float(user.detected_today[b])
                bad += r.overdraft_complaint * user.overdraft_cost[b]
                if user.irritation[b] > r.irritation_tolerance:
                    bad += (
                        r.irritated_complaint
                    )  # irritated users complain at a fraction of the rate
                p_neg = min(max(r.complain_rate * bad, 0.0), 1.0)
                user.pos_sender[b] = chance(rng, p_pos)
                user.neg_sender[b] = chance(rng, p_neg)
        # receivers: count the messages sent by their friends
        users = self.users
        for user in users:
            pos, neg = [0.0] * n_brands, [0.0] * n_brands
            for friend in user.friends:
                for b in range(n_brands):
                    pos[b] += friend.pos_sender[b]
                    neg[b] += friend.neg_sender[b]
            user.wom_pos, user.wom_neg = pos, neg
        for user in users:
            for b in range(n_brands):
                heard = user.wom_pos[b] + user.wom_neg[b]
                # one message makes the receiver aware with prob w, h messages with
                # h w / (1 + (h - 1) w)
                w = r.wom_awareness
                if heard > 0 and chance(rng, heard * w / (1.0 + (heard - 1.0) * w)):
                    user.aware[b] = True
                user.wom_signal[b] = user.wom_pos[b] / max(user.degree, 1)

    # ------------------------------------------------------------------ 10. trust
    def update_trust(self) -> None:
        """Service gains, losses (amplified by scepticism), WOM, and social influence.

        Social influence is a synchronous DeGroot step on the trust everyone held at the
        start of the day: an aware user moves social_influence * (1 - scepticism) of the gap
        between the mean start-of-day trust of their aware friends and their own.
        """
        r = self.params.rules
        n_brands = len(self.brands)
        start = {user.index: list(user.trust) for user in self.users}  # trust at day start
        for user in self.users:
            s = user.skepticism
            new = []
            for b in range(n_brands):
                T = start[user.index][b]
                service = user.serve_dose[b] * user.relevance[b]
                gain = sat(r.trust_gain * service) + r.answer_trust_gain * user.answered[b]
                loss = (
                    r.overdraft_trust_loss * user.overdraft_cost[b]
                    + r.trust_loss_irritation * user.irritation[b]
                    + r.unanswered_trust_loss * user.unanswered[b]
                    + r.deception_trust_loss * user.detected_today[b]
                )
                loss = sat(loss * (1.0 + r.skeptic_loss_multiplier * s))
                T = T + min(gain, 1.0) * (1.0 - T) - loss * T
                g = sat(r.wom_trust * user.wom_pos[b])
                lo = sat(r.wom_trust * r.negativity_bias * user.wom_neg[b])
                T = g + T * (1.0 - g - lo)
                if r.social_influence > 0 and user.aware[b]:
                    total, count = 0.0, 0
                    for friend in user.friends:
                        if friend.aware[b]:
                            total += start[friend.index][b]
                            count += 1
                    if count > 0:
                        w = r.social_influence * (1.0 - s)
                        T += w * (total / count - start[user.index][b])
                new.append(min(max(T, 0.0), 1.0))
            user.trust = new

    # ------------------------------------------------------------------ 11. follow
    def update_irritation(self, plans: list[Plan]) -> None:
        """Irritation decays and builds from excess, irrelevance, recognised pitches,
        overdraft, paid impressions to distrustful users, unanswered problems, deception."""
        r = self.params.rules
        retention = math.exp(-1.0 / r.irritation_memory_days)
        for user in self.users:
            s = user.skepticism
            for b in range(len(self.brands)):
                add = r.excess_irritation * user.excess[b]
                add += r.irrelevance_irritation * user.attended[b] * (1.0 - user.relevance[b])
                if self.recognised(user, b):
                    add += r.pitch_irritation * user.pitch_dose[b] * s * user.pitch_norm[b]
                add += r.overdraft_irritation * user.overdraft_cost[b]
                add += r.paid_irritation * user.paid_items[b] * (1.0 - user.trust[b])
                add += r.unanswered_irritation * user.unanswered[b]
                add += r.deception_irritation * user.detected_today[b]
                user.irritation[b] = user.irritation[b] * retention + add

    def follow_unfollow(self, trust_on: bool, backlash_on: bool) -> None:
        """Irritated followers unfollow (for good); aware non-followers in contact follow."""
        r, rng = self.params.rules, self.rng
        for user in self.users:
            for b in range(len(self.brands)):
                if backlash_on and user.following[b]:
                    over = max(user.irritation[b] - r.irritation_tolerance, 0.0)
                    if chance(rng, sat(r.unfollow_rate * over)):
                        user.following[b] = False
                        user.unfollowed[b] = True
                        user.unfollowed_today[b] = True
                contact = user.attended[b] > 0 or user.wom_pos[b] > 0
                if user.aware[b] and not user.following[b] and not user.unfollowed[b] and contact:
                    trust = user.trust[b] if trust_on else 1.0
                    if chance(rng, r.follow_rate * trust * user.relevance[b]):
                        user.following[b] = True
                        user.followed_today[b] = True

    # ------------------------------------------------------------------ metrics
    def hostile(self, user: RefUser, b: int) -> bool:
        """Hostile to brand b: irritation above tolerance or trust below hostile_trust."""
        r = self.params.rules
        return user.irritation[b] > r.irritation_tolerance or user.trust[b] < r.hostile_trust

    def record_metrics(self, plans: list[Plan]) -> None:
        """Append today's row per brand (definitions: socialsim.metrics.COLUMNS)."""
        r, on = self.params.rules, self.params.mechanisms
        users = self.users
        n = len(users)
        for b, brand in enumerate(self.brands):
            plan = plans[b]
            aware = [u for u in users if u.aware[b]]
            reached = [u for u in users if u.items[b] > 0]
            new = sum(u.bought_new[b] for u in users)
            repeat = sum(u.bought_repeat[b] for u in users)
            self.conversions_total[b] += new + repeat
            customers = sum(u.purchases[b] > 0 for u in users)
            active = sum(u.purchases[b] > 0 and not u.lapsed[b] for u in users)

            followers = [u for u in users if u.following[b]]
            row = {
                "step": self.steps,
                "brand": brand.name,
                "reach": len(reached),
                "engagements": sum(u.engagements[b] for u in users),
                "followers": len(followers),
                "unfollows": sum(u.unfollowed_today[b] for u in users),
                "complaints": sum(u.neg_sender[b] for u in users),
                "backlash": mean_or_nan([float(self.hostile(u, b)) for u in aware]),
                "mean_trust": sum(u.trust[b] for u in users) / n,
                "favor_balance": mean_or_nan([u.favor[b] for u in aware]),
                "conversions_new": new,
                "conversions_repeat": repeat,
                "conversions_total": self.conversions_total[b],
                "revenue": (new + repeat) * r.price,
                "cost": plan.posts_per_day * r.cost_per_post
                + sum(u.paid_items[b] for u in users) * r.cost_per_paid
                + brand.capacity * r.cost_per_agent
                + (brand.reply_capacity if reply_team(brand.config, on.replies) else 0.0)
                * r.cost_per_reply,
                "posts": plan.posts_per_day,
                "pitches": plan.posts_per_day * plan.sell_share,
                "sell_share": plan.sell_share,
                "aware": len(aware),
                "customers": customers,
                "adopter_share": customers / n,
                "active_customers": active,
                "retention": active / customers if customers else math.nan,
                "lapses": sum(u.lapsed_today[b] for u in users),
                "winbacks": sum(u.won_back[b] for u in users),
                "revenue_per_customer": (
                    self.conversions_total[b] * r.price / customers if customers else math.nan
                ),
                **self.reacting_metrics(),
                "trust_aware": mean_or_nan([u.trust[b] for u in aware]),
                "share_overdrawn": mean_or_nan([float(u.favor[b] < 0) for u in aware]),
                "share_in_credit": mean_or_nan([float(u.favor[b] > 0) for u in aware]),
                "too_frequent": (  # 0 when there are no followers
                    sum(u.excess[b] > 1e-9 for u in followers) / len(followers)
                    if followers
                    else 0.0
                ),
                "negative_wom": int(
                    sum((u.wom_neg_messages or u.wom_neg)[b] for u in users)  # [replies]
                ),
                "replies": sum(u.replied[b] for u in users),
                "negative_wom_weighted": float(sum(u.wom_neg[b] for u in users)),
                "positive_wom": int(sum(u.wom_pos[b] for u in users)),
                "problems": sum(u.problem[b] for u in users),
                "answered": sum(u.answered[b] for u in users),
                **self.community_metrics(b, sum(u.problem[b] for u in users)),
                "detections": sum(u.detected_today[b] for u in users),
                **self.share_metrics(b),
            }
            self.rows.append(row)
            brand.history.append({k: row[k] for k in OBSERVABLE})
