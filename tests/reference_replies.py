"""Reference implementation of public replies to complaints (``[mechanisms] replies``,
``socialsim.rules.replies``, odd.md 7.11): one user at a time, plain Python.

A mixin of :class:`reference.RefModel`; ``RefModel.step`` calls :meth:`reply_to_complaints`
after word of mouth and before trust, when the switch is on. Each brand with a tone other
than ``none`` replies to up to its capacity (fractional part rounded stochastically) of
today's complainers, a random subset when there are more. A respectful reply multiplies the
complainer's irritation by ``1 - reply_relief`` and closes ``reply_trust_recovery`` of their
trust's gap to 1 (trust on); a defensive one adds ``reply_defensive_irritation`` to it
(backlash on). Every friend then counts each complaint received with a weight: ``1 -
reply_calm`` if its sender got a respectful reply, ``1 + reply_fuel`` if a defensive one,
1 otherwise; the weighted count replaces ``wom_neg`` in the trust update, and the message
count is kept for the metric ``negative_wom``.
"""

from __future__ import annotations

import math


class RepliesReference:
    """Public replies to complaints, for :class:`reference.RefModel`."""

    def reply_to_complaints(self, trust_on: bool, backlash_on: bool) -> None:
        """Choose today's replied complainers per brand and apply each reply's tone."""
        r, rng = self.params.rules, self.rng
        for b, brand in enumerate(self.brands):
            tone = brand.config.reply_tone
            if tone == "none":
                continue
            complainers = [u for u in self.users if u.neg_sender[b]]
            cap = brand.reply_capacity  # today's (a budget may shrink it)
            whole = math.floor(cap)
            cap = whole + (1 if rng.random() < cap - whole else 0)
            if len(complainers) > cap:
                complainers = rng.sample(complainers, cap)
            for user in complainers:
                user.replied[b] = True
                if tone == "respectful":
                    user.irritation[b] *= 1.0 - r.reply_relief
                    if trust_on:
                        user.trust[b] += r.reply_trust_recovery * (1.0 - user.trust[b])
                elif backlash_on:
                    user.irritation[b] += r.reply_defensive_irritation
        weight = {"none": 1.0, "respectful": 1.0 - r.reply_calm, "defensive": 1.0 + r.reply_fuel}
        for user in self.users:
            user.wom_neg_messages = list(user.wom_neg)
            for b, brand in enumerate(self.brands):
                w = weight[brand.config.reply_tone]
                user.wom_neg[b] = sum(
                    (w if friend.replied[b] else 1.0)
                    for friend in user.friends
                    if friend.neg_sender[b]
                )
