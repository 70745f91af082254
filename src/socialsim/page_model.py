"""The classroom page's model side (no web framework here): the page's controls, the model
they build, and the relationship-myth preset with its honest verdicts.

The page (:mod:`socialsim.app`) only draws what this module computes, the way Mesa examples
keep ``model.py`` apart from ``app.py``. The preset runs each mix of
:data:`socialsim.mixes.MIXES` on the same seeds (common random numbers) and words the
comparison with :func:`socialsim.mixes.verdict`, so it never claims a lead the intervals do
not support.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .api import simulate
from .labels import label
from .mixes import MIXES, paired_interval, verdict
from .model import SocialModel

#: Nodes drawn in the network picture, whatever the graph size.
SAMPLE_NODES = 200
#: Replications per mix in the preset (seeds ``seed .. seed + 4``, the same for each mix).
PRESET_REPLICATIONS = 5
#: The preset compares this mix with each of the others.
FOCUS = "balanced"
#: Metrics the preset keeps (the rest of each run's table is dropped to save memory).
PRESET_METRICS = ("conversions_total", "mean_trust", "backlash")
#: Tones of the brand's public replies to complaints; any but ``none`` switches replies on.
REPLY_TONES = ("none", "respectful", "defensive")
#: Public replies a day when the page's brand replies (odd.md 7.11).
REPLY_CAPACITY = 2.0
#: The page's platform choice: the single platform of ``[platform]``, or one platform of
#: ``[[platforms]]`` with a friends' or a business network's norms (odd.md 7.16; the
#: values of experiments/platforms.toml). The commercialization control sets its ad load.
NETWORKS: dict[str, dict[str, Any] | None] = {
    "one network": None,
    "friends network": {"name": "friends", "sell_tolerance": 0.0, "friend_posts": 0.6},
    "business network": {"name": "business", "sell_tolerance": 0.8, "friend_posts": 0.3},
}
#: Strategies offered on the page.
STRATEGIES = ("static", "earn_then_ask", "adaptive")


@dataclass(frozen=True)
class Control:
    """One control on the page: its model keyword, schema path, default, range and format."""

    name: str
    path: str
    default: float | int | bool | str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    fmt: str = "{:.2f}"
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The control's label with its unit, from :func:`socialsim.labels.label`."""
        return label(self.path)

    def show(self, value: Any) -> str:
        """The value as the page prints it next to the control (``0.30``, ``2,000``)."""
        if isinstance(value, bool) or self.choices:
            return str(value)
        return self.fmt.format(value)


#: The page's controls, in the order shown (balanced's sell share is the default).
CONTROLS: tuple[Control, ...] = (
    Control("sell_share", "brands[0].sell_share", MIXES[FOCUS]),
    Control("posts_per_day", "brands[0].posts_per_day", 2.0, 0.0, 10.0, 0.5, "{:.1f}"),
    Control("strategy", "brands[0].strategy", "static", choices=STRATEGIES),
    Control("skepticism", "users.skepticism", 0.4, 0.0, 0.95),
    Control("commercialization", "platform.commercialization", 0.2, 0.0, 0.9),
    Control("support_capacity", "brands[0].support_capacity", 20.0, 0.0, 60.0, 1.0, "{:.0f}"),
    Control("disclosed", "brands[0].disclosed", True),
    Control("reply_tone", "brands[0].reply_tone", "none", choices=REPLY_TONES),
    Control("platform", "platforms", "one network", choices=tuple(NETWORKS)),
    Control("community_effort", "brands[0].community_effort", 0.0, 0.0, 0.6, 0.05),
    Control("users", "graph.n", 2000, 200, 20000, 200, "{:,}"),
    Control("seed", "seed", 1, 1, 100, 1, "{}"),
)
DEFAULTS: dict[str, Any] = {c.name: c.default for c in CONTROLS}


class ClassroomModel(SocialModel):
    """A :class:`SocialModel` of one brand built from the page's controls (flat keywords)."""

    def __init__(self, steps: int = 365, **controls: Any) -> None:
        unknown = set(controls) - set(DEFAULTS)
        if unknown:
            raise TypeError(f"unknown control(s): {', '.join(sorted(unknown))}")
        self.controls: dict[str, Any] = {**DEFAULTS, **controls}
        super().__init__(classroom_config(steps=steps, **self.controls))
        self._layout: tuple[np.ndarray, dict[int, np.ndarray], list[tuple[int, int]]] | None = None

    @property
    def horizon(self) -> int:
        """The last day of the run."""
        return int(self.params.steps)

    @property
    def today(self) -> int:
        """Days simulated so far (0 before the first step)."""
        return min(int(self.steps), self.horizon)

    def step(self) -> None:
        """One day; stops at the configured horizon."""
        if self.steps > self.params.steps:  # Mesa counts the step before calling it
            self.running = False
            return
        super().step()
        if self.steps >= self.params.steps:
            self.running = False

    def status(self, brand: int = 0) -> np.ndarray:
        """Each user's status towards a brand: unaware, aware, follower, unfollowed, customer.

        Customer wins over follower, follower over aware; ``unfollowed`` marks users who
        unfollowed and did not buy.
        """
        s = self.state
        out = np.full(s.n_users, "unaware", dtype=object)
        out[s.aware[:, brand]] = "aware"
        out[s.following[:, brand]] = "follower"
        out[s.unfollowed[:, brand] & ~s.following[:, brand]] = "unfollowed"
        out[s.purchases[:, brand] > 0] = "customer"
        return out

    def sample_layout(self) -> tuple[np.ndarray, dict[int, np.ndarray], list[tuple[int, int]]]:
        """A snowball sample of at most :data:`SAMPLE_NODES` users, its layout and edges.

        Computed once per model (the graph does not change), so the picture stays fast on
        graphs of 10k users and more.
        """
        if self._layout is None:
            rng = np.random.default_rng(self.params.seed)
            G = self.graph
            nodes: list[int] = []
            seen: set[int] = set()
            frontier = list(rng.choice(G.number_of_nodes(), size=3, replace=False))
            while frontier and len(nodes) < SAMPLE_NODES:
                node = int(frontier.pop(0))
                if node in seen:
                    continue
                seen.add(node)
                nodes.append(node)
                nbrs = list(G.adj[node])
                rng.shuffle(nbrs)
                frontier.extend(nbrs[:6])
            sub: nx.Graph = G.subgraph(nodes)
            pos = nx.spring_layout(sub, seed=int(self.params.seed), iterations=40)
            self._layout = (np.array(nodes), pos, list(sub.edges()))
        return self._layout


def classroom_config(
    *,
    sell_share: float,
    posts_per_day: float,
    strategy: str,
    skepticism: float,
    commercialization: float,
    support_capacity: float,
    disclosed: bool,
    users: int,
    seed: int,
    steps: int,
    community_effort: float = 0.0,
    reply_tone: str = "none",
    platform: str = "one network",
) -> dict[str, Any]:
    """The model config behind the page's controls (one brand on a Barabasi-Albert graph);
    a community effort above 0 switches brand communities on (odd.md 7.12), a reply tone
    other than ``none`` public replies, :data:`REPLY_CAPACITY` a day (odd.md 7.11); a
    platform other than ``one network`` is one ``[[platforms]]`` entry with that network's
    norms (:data:`NETWORKS`, odd.md 7.16); the community is the brand's own space apart
    from it (odd.md 7.12)."""
    network = NETWORKS[platform]
    cfg = {
        "steps": int(steps),
        "seed": int(seed),
        "graph": {"kind": "barabasi_albert", "n": int(users), "m": 5},
        "users": {"skepticism": float(skepticism)},
        "platform": {"commercialization": float(commercialization)},
        "mechanisms": {"community": float(community_effort) > 0, "replies": reply_tone != "none"},
        "brands": [
            {
                "name": "brand",
                "strategy": strategy,
                "sell_share": float(sell_share),
                "posts_per_day": float(posts_per_day),
                "support_capacity": float(support_capacity),
                "disclosed": bool(disclosed),
                "community_effort": float(community_effort),
                "reply_tone": reply_tone,
                "reply_capacity": REPLY_CAPACITY,
            }
        ],
    }
    if network is not None:
        cfg["platforms"] = [{**network, "commercialization": float(commercialization)}]
    return cfg


# ----------------------------------------------------------------------------- the preset
Progress = Callable[[int, int], None]
_CACHE: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_CACHE_SIZE = 16
_RUNNING = threading.Lock()


def preset_seeds(controls: dict[str, Any], replications: int = PRESET_REPLICATIONS) -> list[int]:
    """The preset's seeds: the page's seed and the next ones, the same for every mix."""
    return [int(controls.get("seed", DEFAULTS["seed"])) + i for i in range(replications)]


def run_preset(
    controls: dict[str, Any],
    replications: int = PRESET_REPLICATIONS,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Run every mix of :data:`MIXES` on the same seeds (common random numbers).

    Each replication builds its graph and users from its seed, so serve only, balanced and
    hard sell meet the same audience; every other control stays as set on the page. Returns
    one row per mix, seed and day with ``mix``, ``sell_share``, ``seed``, ``step`` and
    :data:`PRESET_METRICS`. ``progress(done, total)`` is called after each run. Results are
    cached per controls (runs are deterministic), so a class pressing the button together
    computes each setting once; runs are serialised so they do not slow each other down.
    """
    settings = {**DEFAULTS, "steps": 365, **controls}
    settings.pop("sell_share")  # each mix sets its own
    key = (tuple(sorted(settings.items())), int(replications))
    total = len(MIXES) * replications
    with _RUNNING:
        if key not in _CACHE:
            frames = []
            for i, seed in enumerate(preset_seeds(settings, replications)):
                for j, (mix, share) in enumerate(MIXES.items()):
                    cfg = classroom_config(**{**settings, "sell_share": share, "seed": seed})
                    df = simulate(cfg)[["step", *PRESET_METRICS]]
                    frames.append(df.assign(mix=mix, sell_share=share, seed=seed))
                    if progress is not None:
                        progress(i * len(MIXES) + j + 1, total)
            _CACHE[key] = pd.concat(frames, ignore_index=True)
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        elif progress is not None:
            progress(total, total)
        _CACHE.move_to_end(key)
        return _CACHE[key].copy()


def _at(df: pd.DataFrame, mix: str, day: int, metric: str) -> np.ndarray:
    """Values of ``metric`` of one mix on one day, ordered by seed (for pairing)."""
    rows = df[(df["mix"] == mix) & (df["step"] == day)].sort_values("seed")
    return rows[metric].to_numpy(dtype=float)


def preset_verdicts(
    df: pd.DataFrame,
    days: tuple[int, ...] | None = None,
    metric: str = "conversions_total",
    focus: str = FOCUS,
) -> pd.DataFrame:
    """How ``focus`` (balanced) compares with each other mix on the given days.

    ``days`` defaults to day 30 and the last day. One row per day and rival: the means and
    95% intervals of both mixes, the paired difference ``focus - rival`` with its interval
    (same seeds) and the :func:`~socialsim.mixes.verdict`: ``ahead``, ``behind`` or
    ``no clear difference``.
    """
    last = int(df["step"].max())
    if days is None:
        days = (30, last) if last > 30 else (last,)
    rows = []
    for day in sorted({min(int(d), last) for d in days}):
        a = _at(df, focus, day, metric)
        for rival in (m for m in df["mix"].unique() if m != focus):
            b = _at(df, rival, day, metric)
            zeros = np.zeros_like(a)
            diff, low, high = paired_interval(a, b)
            rows.append(
                {
                    "day": day,
                    "rival": rival,
                    "focus_mean": a.mean(),
                    "focus_ci": paired_interval(a, zeros)[1:],
                    "rival_mean": b.mean(),
                    "rival_ci": paired_interval(b, zeros)[1:],
                    "diff": diff,
                    "low": low,
                    "high": high,
                    "verdict": verdict(a, b),
                    "n": len(a),
                }
            )
    return pd.DataFrame(rows)


def _signed(x: float) -> str:
    return "n/a" if np.isnan(x) else f"{x:+.1f}"


#: How a sentence words each verdict of :func:`socialsim.mixes.verdict`.
VERDICT_WORDS = {
    "ahead": "is ahead of",
    "behind": "is behind",
    "no clear difference": "shows no clear difference from",
}


def verdict_sentences(table: pd.DataFrame, focus: str = FOCUS) -> list[tuple[int, str]]:
    """One plain sentence per row of :func:`preset_verdicts`, as ``(day, sentence)``.

    ``"balanced is ahead of serve only: +9.2 purchases (95% CI +4.1 to +14.3)"``; the
    words come from the verdict alone, so overlapping intervals never read as a lead.
    """
    words = VERDICT_WORDS
    out = []
    for _, r in table.iterrows():
        out.append(
            (
                int(r["day"]),
                f"{focus} {words[r['verdict']]} {r['rival']}: {_signed(r['diff'])} purchases "
                f"(95% CI {_signed(r['low'])} to {_signed(r['high'])})",
            )
        )
    return out


def mean_with_interval(mean: float, ci: tuple[float, float]) -> str:
    """``"12.4 (9.8-15.0)"``: a mean and its 95% interval, counts clipped at zero."""
    low, high = ci
    if np.isnan(low):
        return f"{mean:.1f}"
    return f"{mean:.1f} ({max(low, 0.0):.1f}-{high:.1f})"
