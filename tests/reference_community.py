"""Reference implementation of the brand community (``[mechanisms] community``, odd.md 7.12):
one user at a time, plain Python. A mixin of :class:`reference.RefModel`, which calls these
methods at their places in the schedule; with the switch off they draw nothing and change
nothing.

- community posts: a share e_b = ``community_effort`` of the posts goes to the community;
  followers get Poisson(posts * (1 - e_b) * reach) feed items, each member Poisson(posts *
  e_b * community_reach) community items, which are serve items;
- peer support: before the brand's queue, a member's problem is answered by other members
  with probability community_peer_help * m_b / (m_b + community_critical_mass), m_b the
  members at the start of the day; it counts as answered and uses no capacity;
- loyalty: an active customer who is a member buys with probability times
  1 + community_loyalty;
- talk (after purchases): each member hears Poisson(community_talk * a_b) positive messages,
  a_b = (sum over members who are active customers of their trust) / m_b (trust 1 with the
  trust mechanism off); they are added to the day's positive WOM after the WOM rule, and with
  lapse on a day with such a message is a value day;
- joining and leaving (end of the day): a follower or customer who is not a member joins with
  probability sat(community_join * e_b * T) (T = 1 with trust off); a hostile member leaves
  with probability community_leave.
"""

from __future__ import annotations

from typing import Any

from reference_draws import chance, poisson, sat


class CommunityReference:
    """Community methods of the reference model (``self`` is a :class:`reference.RefModel`)."""

    params: Any
    users: list[Any]
    brands: list[Any]
    rng: Any

    @property
    def _community_on(self) -> bool:
        return bool(self.params.mechanisms.community)

    def _effort(self, b: int) -> float:
        return self.brands[b].config.community_effort

    def init_community(self) -> None:
        """Nobody is a member at day 0."""
        for user in self.users:
            user.member = [False] * len(self.brands)

    def community_new_day(self) -> None:
        """Clear today's community events."""
        n_brands = len(self.brands)
        for user in self.users:
            user.community_items = [0.0] * n_brands
            user.peer_answered = [False] * n_brands
            user.community_heard = [0.0] * n_brands

    def feed_share(self, b: int) -> float:
        """Share of brand b's posts that go to the followers' feeds."""
        return 1.0 - self._effort(b) if self._community_on else 1.0

    def draw_community_items(self, user: Any, b: int, posts_per_day: float) -> float:
        """Community items a member gets today (0 for others, or with the switch off)."""
        if not (self._community_on and user.member[b]):
            return 0.0
        lam = posts_per_day * self._effort(b) * self.params.rules.community_reach
        user.community_items[b] = float(poisson(self.rng, lam))
        return user.community_items[b]

    def peer_answer(self, b: int, raised: list[Any]) -> list[Any]:
        """Members answer members' problems; returns the problems left to the brand."""
        if not self._community_on:
            return raised
        r = self.params.rules
        m = sum(u.member[b] for u in self.users)
        p = r.community_peer_help * m / (m + r.community_critical_mass)
        queue = []
        for user in raised:
            if user.member[b] and chance(self.rng, p):
                user.answered[b] = True
                user.peer_answered[b] = True
            else:
                queue.append(user)
        return queue

    def loyalty(self, user: Any, b: int) -> float:
        """Purchase-probability factor of an active customer (1 unless a member)."""
        if self._community_on and user.member[b]:
            return 1.0 + self.params.rules.community_loyalty
        return 1.0

    def community_talk(self, trust_on: bool) -> None:
        """Members hear Poisson(community_talk * a_b) positive messages from members."""
        if not self._community_on:
            return
        r = self.params.rules
        for b in range(len(self.brands)):
            members = [u for u in self.users if u.member[b]]
            if not members:
                continue
            advocacy = sum(
                (u.trust[b] if trust_on else 1.0)
                for u in members
                if u.purchases[b] > 0 and not u.lapsed[b]
            )
            lam = r.community_talk * advocacy / len(members)
            for user in members:
                user.community_heard[b] = float(poisson(self.rng, lam))

    def add_community_talk(self) -> None:
        """Members' messages join the day's positive word of mouth."""
        if not self._community_on:
            return
        for user in self.users:
            user.wom_pos = [w + k for w, k in zip(user.wom_pos, user.community_heard, strict=True)]

    def community_value(self, user: Any, b: int) -> bool:
        """A member who heard members today got value from the brand (lapse)."""
        return self._community_on and user.community_heard[b] > 0

    def join_leave(self, trust_on: bool) -> None:
        """Followers and customers join; hostile members leave."""
        if not self._community_on:
            return
        r = self.params.rules
        for user in self.users:
            for b in range(len(self.brands)):
                if user.member[b]:
                    if self.hostile(user, b) and chance(self.rng, r.community_leave):
                        user.member[b] = False
                elif user.following[b] or user.purchases[b] > 0:
                    trust = user.trust[b] if trust_on else 1.0
                    rate = r.community_join * self._effort(b) * trust
                    if chance(self.rng, sat(rate)):
                        user.member[b] = True

    def community_metrics(self, b: int, problems: int) -> dict[str, int]:
        """Members, peer answers and support load of brand b today."""
        users = self.users
        peer = sum(u.peer_answered[b] for u in users)
        return {
            "members": sum(u.member[b] for u in users),
            "peer_answers": peer,
            "support_load": problems - peer,
        }
