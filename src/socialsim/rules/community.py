"""Brand community: followers and customers join; members help and talk to each other.

Runs only with ``[mechanisms] community`` and acts only for brands whose plan has a
``community_effort`` e_b > 0. With ``m_b`` the members of brand b's community (``M_ib``,
``state.member``) at the start of the day and ``sat(x) = x / (1 + x)``:

- Community posts (in ``attention.expose``): a share e_b of the brand's posts goes to the
  community instead of the followers' feeds. Followers are shown Poisson(posts_b * (1 - e_b) *
  reach) feed items; each member Poisson(posts_b * e_b * community_reach) community items,
  which are serve items (the brand's serve mix) and compete for spare attention like any item.
- Peer support (in ``support.raise_and_answer``): a member's problem is answered by other
  members with probability ``community_peer_help * m_b / (m_b + community_critical_mass)``
  before it reaches the brand's queue; a peer answer counts as an answered problem (trust,
  favour, good experience, value day) but does not use the brand's capacity.
- Loyalty (in ``purchase.purchase_probability``): an active customer who is a member has its
  purchase probability multiplied by ``1 + community_loyalty``.
- Member talk (:func:`talk`): each member hears Poisson(``community_talk * a_b``) positive
  messages from other members, ``a_b = sum_j M_jb C_jb T_jb / m_b`` (C: active customer, T:
  trust): the mean advocacy propensity of the members. They are added to the day's positive
  word of mouth (:func:`add_talk`), so they move trust as friends' praise does (``trust.py``)
  and count in ``positive_wom``; with ``[mechanisms] lapse`` a day on which a member hears
  one counts as a day the brand gave value. They do not enter the friends' WOM signal.
- Joining and leaving (:func:`join_leave`, at the end of the day): a follower or customer of
  b who is not a member joins with probability ``sat(community_join * e_b * T_ib)`` (T = 1
  with trust off); a hostile member (irritation above tolerance or trust below
  ``hostile_trust``) leaves with probability ``community_leave``.

With ``[[platforms]]`` the community is the brand's own space apart from the platforms:
each platform's feed shows ``P_bk (1 - e_b)`` and members get community items of today's
total posts ``posts_b = sum_k P_bk`` (``rules/platform_items.py``, odd.md 7.16).

Every draw comes from the ``community`` stream, so the other streams are the same as in a
run without communities up to the first behavioural difference.
"""

from __future__ import annotations

import numpy as np

from ..config import RulesConfig
from ..state import State, flat_view, kept
from .attention import poisson_by_brand
from .day import Day, Plans, saturating
from .indices import union


def member_index(state: State) -> np.ndarray:
    """Sorted flat indices of the members: ``np.flatnonzero(state.member)``.

    :func:`join_leave` replaces ``state.member`` by a new read-only array each day, so the
    indices are kept while ``state.member`` is that same read-only array (a change in place
    cannot go unseen); a writable ``state.member`` (the first day, tests) is read afresh."""
    member = state.member
    if member.flags.writeable:
        return np.flatnonzero(member)
    return kept(state.cache, "community member_index", (member,), lambda: np.flatnonzero(member))


def members(state: State) -> np.ndarray:
    """Members of each brand's community, (B,): ``np.count_nonzero(state.member, axis=0)``."""
    B = state.n_brands
    flat = member_index(state)
    return np.array([flat.size]) if B == 1 else np.bincount(flat % B, minlength=B)


def deliver(
    state: State, plans: Plans, rules: RulesConfig, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Today's community items: flat indices of the members who get any and their counts."""
    B = state.n_brands
    flat = member_index(state)
    lam = plans.posts_per_day * plans.community_effort * rules.community_reach
    k = poisson_by_brand(rng, lam, flat, B)
    got = k > 0
    return flat[got], k[got].astype(float)


def peer_answers(
    state: State, problems: np.ndarray, rules: RulesConfig, rng: np.random.Generator
) -> np.ndarray:
    """The problems (sorted flat indices) that other members answer: members' problems, each
    with probability ``community_peer_help * m_b / (m_b + community_critical_mass)``."""
    B = state.n_brands
    m = members(state)
    p = rules.community_peer_help * m / (m + rules.community_critical_mass)
    at = problems[flat_view(state.member)[problems]]
    return at[rng.random(at.size) < (p[0] if B == 1 else p[at % B])]


def talk(
    state: State, day: Day, rules: RulesConfig, trust_on: bool, rng: np.random.Generator
) -> None:
    """Draw the positive messages each member hears from other members today; sets
    ``day.community_heard`` (flat indices) and ``day.community_messages`` (their counts)."""
    B = state.n_brands
    flat = member_index(state)
    m = members(state)
    advocate = (flat_view(state.purchases)[flat] > 0) & ~flat_view(state.lapsed)[flat]
    weight = flat_view(state.trust)[flat] * advocate if trust_on else advocate.astype(float)
    # sum_j M_jb C_jb T_jb / m_b; 0 without members (the sum is then 0.0)
    a = np.bincount(flat % B, weights=weight, minlength=B) / np.maximum(m, 1)
    k = poisson_by_brand(rng, rules.community_talk * a, flat, B)
    heard = k > 0
    day.community_heard, day.community_messages = flat[heard], k[heard].astype(float)


def add_talk(day: Day) -> None:
    """Add today's member messages to the day's positive word of mouth (after ``wom``)."""
    flat = day.community_heard
    if flat is None or flat.size == 0:
        return
    size = day.wom_pos.size
    wom_pos = day.wom_pos.copy()  # with wom off, wom_pos and wom_neg are one zeros array
    wom_pos.reshape(-1)[flat] += day.community_messages
    heard_pos = union(size, day.where("wom_pos"), flat)
    day.record("wom_pos", wom_pos, heard_pos)
    heard = day.heard if day.heard is not None else np.flatnonzero(day.wom_neg)
    day.heard = union(size, heard, flat)


def join_leave(
    state: State,
    day: Day,
    plans: Plans,
    rules: RulesConfig,
    trust_on: bool,
    rng: np.random.Generator,
) -> None:
    """Followers and customers join, hostile members leave (one uniform per user x brand);
    sets ``day.joined`` and ``day.left`` (flat indices)."""
    B = state.n_brands
    u = rng.random(state.member.size)  # one uniform per (user, brand): aligned across scenarios
    fan = state.purchases > 0  # followers and customers who are not members (in place:
    fan |= state.following  # one temporary, not four)
    cand = np.flatnonzero(fan > state.member)  # fan and not member
    effort = plans.community_effort
    rate = rules.community_join * (effort[0] if B == 1 else effort[cand % B])
    if trust_on:
        rate = rate * flat_view(state.trust)[cand]
    joined = cand[u[cand] < saturating(rate)]
    at = member_index(state)
    at = at[u[at] < rules.community_leave]  # of these, the hostile members leave:
    hostile = (flat_view(state.irritation)[at] > rules.irritation_tolerance) | (
        flat_view(state.trust)[at] < rules.hostile_trust
    )  # irritated or distrusting
    left = at[hostile]
    member = state.member.copy()  # a new array, read-only (see member_index)
    flat_view(member)[joined] = True
    flat_view(member)[left] = False
    member.flags.writeable = False
    state.member = member
    day.joined, day.left = joined, left
