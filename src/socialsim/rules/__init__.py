"""The agent rules, one module per submodel (see docs/odd.md, section 7).

Each rule is a function of the state arrays, today's :class:`Day` record, parameters and a
random stream. Rules update state in place and record the day's events on ``Day``; none of
them loops over users in Python. The order in which the model calls them is the schedule
(docs/odd.md, section 3):

0. ``budget``     brands with a budget spend within it (``[mechanisms] budget``; brand plans)
1. ``platform``   the ad load and users' time on the platform react (``reacting``,
                  ``[mechanisms] platform_reacts`` only); scepticism drifts with the ad load
2. ``attention``  brand items reach users and compete for their spare attention (community
                  posts reach members: ``community.deliver``, ``[mechanisms] community`` only)
3. ``content``    relevance, engagement, covert-promotion detection; then ``shares``:
                  users share attended items with friends, seen tomorrow
                  (``[mechanisms] shares`` only)
4. ``favor``      the favour bank: deposits, withdrawals, overdrafts, reciprocity
5. ``purchase``   persuasion: today's pitches and deals build intent
6. ``support``    problems raised; members answer members' problems (community only); the
                  rest answered up to capacity (answers deposit favour)
7. ``purchase``   needs and purchases (first and repeat; members buy again more often)
8. ``lapse``      customers lapse, lapsed buyers are won back (``[mechanisms] lapse`` only)
9. ``wom``        positive and negative word of mouth to friends; then ``community``: members
                  hear other members praise the brand (``[mechanisms] community`` only)
10. ``replies``   public replies to today's complainers, by tone (``[mechanisms] replies``
    only)
11. ``trust``     trust gains and losses, social influence
12. ``follow``    irritation, unfollows and follows; then ``community``: followers and
                  customers join, hostile members leave (community only)

Mechanism switches (``[mechanisms]``): ``favor`` off skips the favour bank (reciprocity 1,
no overdraft); ``trust`` off freezes trust at its initial value and drops it from purchase,
advocacy and follow probabilities (engagement, paid irritation and the backlash metric still
read the frozen value); ``attention`` off makes every item attended (no excess); ``backlash``
off stops irritation and unfollows; ``wom`` off silences word of mouth. ``lapse`` (off by
default) lets customers lapse: lapsed customers buy again only when persuaded. ``budget`` off
ignores the brands' budgets (it acts only on brands that have one). ``replies``
(off by default) lets brands reply publicly to complaints in a tone of their plan.
``community`` (off by default) lets brands with ``community_effort > 0`` run a community.
``platform_reacts`` (off by default) lets the ad load follow the brands' paid demand and
users' time on the platform follow the ad load. ``shares``
(off by default) lets users share brand items with friends (typed shared items in
``attention``, their doses in ``content``, ``favor`` and ``purchase``).
"""

from .day import Day, Plans, saturating

__all__ = ["Day", "Plans", "saturating"]
