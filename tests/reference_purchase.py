"""Reference (docking) implementation of intent, support and purchases, and of customers'
lapse: a mixin of :class:`reference.RefModel` (schedule steps 5-8, odd.md 7.5, 7.6, 7.10),
one user at a time."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from reference_draws import chance, sat

if TYPE_CHECKING:
    from socialsim.strategies import Plan

    from reference import RefUser


class PurchaseReference:
    """Intent, problems and their answers, needs and purchases, lapses (plain Python)."""

    # ------------------------------------------------------------------ 5. purchase: intent
    def update_intent(self, plans: list[Plan]) -> None:
        """Intent decays and grows with pitches (discounted, times reciprocity) and deals."""
        r = self.params.rules
        retention = math.exp(-1.0 / r.intent_memory_days)
        for user in self.users:
            for b in range(len(self.brands)):
                discount = 1.0
                if self.recognised(user, b):
                    discount = 1.0 - r.persuasion_discount * user.skepticism * user.pitch_norm[b]
                pitch = user.pitch_dose[b] * discount * user.reciprocity[b]
                deal = self.serve_weighted(user, b, plans[b], 0.0, 0.0, r.deal_persuasion)
                user.intent[b] = user.intent[b] * retention + (pitch + deal) * user.relevance[b]

    # ------------------------------------------------------------------ 6. support
    def raise_and_answer(self) -> None:
        """Problems arrive; each brand answers a random subset up to its capacity."""
        r, rng = self.params.rules, self.rng
        for b, brand in enumerate(self.brands):
            raised = []
            for user in self.users:
                if user.purchases[b] > 0:
                    rate = r.problem_rate_customer
                elif user.aware[b]:
                    rate = r.problem_rate_aware
                else:
                    rate = 0.0
                if chance(rng, rate):
                    user.problem[b] = True
                    raised.append(user)
            queue = self.peer_answer(b, raised)  # members answer members [community]
            capacity = brand.capacity  # rounded stochastically
            whole = int(capacity)
            capacity = whole + int(chance(rng, capacity - whole))
            answered = queue if len(queue) <= capacity else rng.sample(queue, capacity)
            for user in answered:
                user.answered[b] = True
            for user in raised:
                user.unanswered[b] = not user.answered[b]

    # ------------------------------------------------------------------ 7. purchase
    def purchase_probability(
        self, user: RefUser, b: int, trust_on: bool, lapse_on: bool = False
    ) -> float:
        """Probability that ``user``, having a need, buys from brand ``b`` today. A lapsed
        customer (lapse on) has no base conversion and no repeat bonus: only persuasion."""
        r = self.params.rules
        if not user.aware[b]:
            return 0.0
        lapsed = lapse_on and user.lapsed[b]
        pi = 0.0 if lapsed else r.base_conversion
        pi += r.pitch_conversion * user.intent[b]
        pi += r.wom_conversion * user.wom_signal[b]
        pi = min(max(pi, 0.0), 1.0)
        if trust_on:
            pi *= user.trust[b]
        pi /= 1.0 + user.irritation[b] / r.irritation_scale
        if user.purchases[b] > 0 and not lapsed:
            pi *= (1.0 + r.repeat_bonus) * self.loyalty(user, b)
        return min(max(pi, 0.0), 1.0)

    def buy(self, trust_on: bool, lapse_on: bool = False) -> None:
        """A need arrives with prob 1 - exp(-need_rate); the user buys at most once a day,
        at all with prob 1 - prod(1 - pi_b), from brand b with prob proportional to pi_b."""
        rng = self.rng
        p_need = 1.0 - math.exp(-self.params.users.need_rate)
        n_brands = len(self.brands)
        for user in self.users:
            if not chance(rng, p_need):
                continue
            pi = [self.purchase_probability(user, b, trust_on, lapse_on) for b in range(n_brands)]
            if n_brands == 1:
                choice = 0 if chance(rng, pi[0]) else None
            else:
                none = 1.0
                for value in pi:
                    none *= 1.0 - value
                choice = None
                if chance(rng, 1.0 - none):
                    choice = rng.choices(range(n_brands), weights=pi)[0]
            if choice is not None:
                if user.purchases[choice] == 0:
                    user.bought_new[choice] = True
                else:
                    user.bought_repeat[choice] = True
                user.purchases[choice] += 1

    # ------------------------------------------------------------------ 8. lapse
    def lapse(self) -> None:
        """Value days, win-backs, then each active customer lapses with probability
        sat(lapse_base + lapse_recency * days since value + lapse_unanswered * [unanswered
        today] + lapse_distrust * (1 - trust at the start of the day))."""
        r, rng, today = self.params.rules, self.rng, self.steps
        for user in self.users:
            for b in range(len(self.brands)):
                bought = user.bought_new[b] or user.bought_repeat[b]
                served = user.serve_dose[b] * user.relevance[b] >= r.lapse_value_dose
                if served or user.answered[b] or bought or self.community_value(user, b):
                    user.last_value[b] = today
                if user.lapsed[b] and user.bought_repeat[b]:
                    user.lapsed[b] = False
                    user.won_back[b] = True
                if user.purchases[b] > 0 and not user.lapsed[b]:
                    x = r.lapse_base + r.lapse_recency * (today - user.last_value[b])
                    x += r.lapse_unanswered * user.unanswered[b]
                    x += r.lapse_distrust * (1.0 - user.trust[b])
                    if chance(rng, sat(x)):
                        user.lapsed[b] = True
                        user.lapsed_today[b] = True
