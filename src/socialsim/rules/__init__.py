"""The agent rules, one module per submodel (see docs/odd.md, section 7).

Each rule is a function of the state arrays, today's :class:`Day` record, parameters and a
random stream. Rules update state in place and record the day's events on ``Day``; none of
them loops over users in Python. The order in which the model calls them is the schedule
(docs/odd.md, section 3):

1. ``platform``   scepticism drifts with commercialization
2. ``attention``  brand items reach users and compete for their spare attention
3. ``content``    relevance, engagement, covert-promotion detection
4. ``favor``      the favour bank: deposits, withdrawals, overdrafts, reciprocity
5. ``support``    problems raised and answered up to capacity
6. ``purchase``   needs, persuasion and purchases (first and repeat)
7. ``wom``        positive and negative word of mouth to friends
8. ``trust``      trust gains and losses, social influence
9. ``follow``     irritation, unfollows and follows
"""

from .day import Day, Plans

__all__ = ["Day", "Plans"]
