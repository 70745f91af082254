"""The classroom page: a Mesa SolaraViz app to show the relationship myth live.

Start it with ``socialsim app`` (binds 127.0.0.1:8765 by default), or
``solara run socialsim.app``. Move the controls on the left, press *Reset* to rebuild the
model with them, then *Step* or play. The page shows trust, backlash and cumulative
conversions over time, the favour bank, a network picture of a sample of users coloured
by their status, and a "relationship myth" preset that runs pure serve, a balanced mix
and hard sell side by side on the same graph and seed.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from .api import simulate
from .model import SocialModel

#: Nodes drawn in the network picture, whatever the graph size.
SAMPLE_NODES = 200
#: The preset's three mixes: label -> sell share.
PRESET = {"pure serve": 0.0, "balanced": 0.3, "hard sell": 0.9}
STATUS_COLORS = {
    "unaware": "#d9d9d9",
    "aware": "#9ecae1",
    "follower": "#3182bd",
    "unfollowed": "#e6550d",
    "customer": "#31a354",
}


class ClassroomModel(SocialModel):
    """A :class:`SocialModel` of one brand built from the page's controls (flat keywords)."""

    def __init__(
        self,
        sell_share: float = 0.3,
        posts_per_day: float = 2.0,
        strategy: str = "static",
        skepticism: float = 0.4,
        commercialization: float = 0.2,
        support_capacity: float = 20.0,
        disclosed: bool = True,
        users: int = 2000,
        seed: int = 1,
        steps: int = 365,
    ) -> None:
        super().__init__(
            classroom_config(
                sell_share=sell_share,
                posts_per_day=posts_per_day,
                strategy=strategy,
                skepticism=skepticism,
                commercialization=commercialization,
                support_capacity=support_capacity,
                disclosed=disclosed,
                users=users,
                seed=seed,
                steps=steps,
            )
        )
        self.controls = {
            "sell_share": sell_share,
            "posts_per_day": posts_per_day,
            "strategy": strategy,
            "skepticism": skepticism,
            "commercialization": commercialization,
            "support_capacity": support_capacity,
            "disclosed": disclosed,
            "users": users,
            "seed": seed,
            "steps": steps,
        }
        self._layout: tuple[np.ndarray, dict[int, np.ndarray], list[tuple[int, int]]] | None = None

    def step(self) -> None:
        """One day; stops at the configured horizon."""
        if self.steps > self.params.steps:  # Mesa counts the step before calling it
            self.running = False
            return
        super().step()

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
            sub = G.subgraph(nodes)
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
) -> dict[str, Any]:
    """The model config behind the page's controls (one brand on a Barabasi-Albert graph)."""
    return {
        "steps": int(steps),
        "seed": int(seed),
        "graph": {"kind": "barabasi_albert", "n": int(users), "m": 5},
        "users": {"skepticism": float(skepticism)},
        "platform": {"commercialization": float(commercialization)},
        "brands": [
            {
                "name": "brand",
                "strategy": strategy,
                "sell_share": float(sell_share),
                "posts_per_day": float(posts_per_day),
                "support_capacity": float(support_capacity),
                "disclosed": bool(disclosed),
            }
        ],
    }


def run_preset(controls: dict[str, Any], graph: nx.Graph | None = None) -> pd.DataFrame:
    """Run pure serve, balanced and hard sell on the same graph and seed (one row per day).

    Every other control stays as set on the page. Returns the tidy metrics with a ``mix``
    column.
    """
    frames = []
    for label, share in PRESET.items():
        cfg = classroom_config(**{**controls, "sell_share": share})
        df = simulate(cfg, graph=graph)
        frames.append(df.assign(mix=label))
    return pd.concat(frames, ignore_index=True)


def preset_winners(df: pd.DataFrame, days: tuple[int, ...] = (30, 365)) -> pd.DataFrame:
    """Cumulative conversions of each mix on the given days, and which mix leads."""
    last = int(df["step"].max())
    rows = []
    for day in days:
        at = df[df["step"] == min(day, last)].set_index("mix")["conversions_total"]
        rows.append({"day": min(day, last), **at.to_dict(), "winner": at.idxmax()})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- components
@solara.component
def Summary(model: ClassroomModel) -> None:
    """Today's numbers for the brand."""
    update_counter.get()
    c = model.controls
    solara.Markdown(
        f"Model: sell share **{c['sell_share']:.2f}**, **{c['posts_per_day']:g}** posts/day, "
        f"strategy **{c['strategy']}**, scepticism **{c['skepticism']:.2f}**, "
        f"commercialization **{c['commercialization']:.2f}**, support "
        f"**{c['support_capacity']:g}**/day, {'disclosed' if c['disclosed'] else 'covert'}, "
        f"**{c['users']:,}** users, seed {c['seed']}. Change the controls, then *Reset*."
    )
    df = model.metrics()
    if df.empty:
        solara.Markdown("**Day 0.** Press *Step* or play.")
        return
    row = df.iloc[-1]
    solara.Markdown(
        f"**Day {int(row['step'])}** &nbsp; conversions: **{int(row['conversions_total'])}** "
        f"&nbsp; followers: **{int(row['followers'])}** &nbsp; mean trust: "
        f"**{row['mean_trust']:.3f}** &nbsp; backlash: **{row['backlash']:.1%}** &nbsp; "
        f"customers: **{int(row['customers'])}**"
    )


@solara.component
def TimeSeries(model: ClassroomModel) -> None:
    """Trust, backlash and cumulative conversions over time."""
    update_counter.get()
    df = model.metrics()
    fig = Figure(figsize=(9, 3.0), layout="constrained")
    axes = fig.subplots(1, 3)
    panels = [
        ("mean_trust", "mean trust (0-1)", "#3182bd"),
        ("backlash", "backlash (share hostile)", "#e6550d"),
        ("conversions_total", "cumulative conversions", "#31a354"),
    ]
    for ax, (col, label, color) in zip(axes, panels, strict=True):
        if not df.empty:
            ax.plot(df["step"], df[col], color=color, lw=2)
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("day")
        ax.grid(alpha=0.3)
    solara.FigureMatplotlib(fig, format="png")


@solara.component
def FavorBank(model: ClassroomModel) -> None:
    """The favour bank: share of aware users in credit vs overdrawn, over time."""
    update_counter.get()
    df = model.metrics()
    fig = Figure(figsize=(4.5, 3.0), layout="constrained")
    ax = fig.subplots()
    if not df.empty:
        over = df["share_overdrawn"].fillna(0.0)
        credit = df["share_in_credit"].fillna(0.0)
        ax.stackplot(
            df["step"],
            credit,
            over,
            labels=["in credit (served more than asked)", "overdrawn (asked too much)"],
            colors=["#31a354", "#de2d26"],
            alpha=0.8,
        )
        ax.legend(loc="upper left", fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_title("favour bank of aware users", fontsize=10)
    ax.set_xlabel("day")
    ax.set_ylabel("share of aware users")
    solara.FigureMatplotlib(fig, format="png")


@solara.component
def NetworkPicture(model: ClassroomModel) -> None:
    """A sample of at most 200 users and their friendships, coloured by status."""
    update_counter.get()
    nodes, pos, edges = model.sample_layout()
    status = model.status()[nodes]
    fig = Figure(figsize=(4.5, 4.0), layout="constrained")
    ax = fig.subplots()
    xy = np.array([pos[n] for n in nodes])
    index = {n: i for i, n in enumerate(nodes)}
    for a, b in edges:
        ax.plot(*xy[[index[a], index[b]]].T, color="#bbbbbb", lw=0.4, zorder=1)
    for label, color in STATUS_COLORS.items():
        mask = status == label
        ax.scatter(*xy[mask].T, s=22, color=color, label=f"{label} ({mask.sum()})", zorder=2)
    ax.legend(loc="lower left", fontsize=7, framealpha=0.8)
    ax.set_title(f"{len(nodes)} of {model.state.n_users:,} users", fontsize=10)
    ax.set_axis_off()
    solara.FigureMatplotlib(fig, format="png")


@solara.component
def MythPreset(model: ClassroomModel) -> None:
    """Run pure serve, balanced and hard sell side by side; who wins by day 30 and 365?"""
    result, set_result = solara.use_state(None)
    running, set_running = solara.use_state(False)

    def run() -> None:
        set_running(True)
        try:
            controls = {**model.controls, "steps": 365}
            set_result(run_preset(controls, graph=model.graph))
        finally:
            set_running(False)

    with solara.Column():
        solara.Markdown(
            "**Relationship myth preset**: the same graph and seed, three content mixes."
        )
        solara.Button("Run the relationship myth", on_click=run, color="primary", disabled=running)
        if running:
            solara.Markdown("running 3 x 365 days ...")
        if result is not None:
            fig = Figure(figsize=(6, 3.2), layout="constrained")
            ax = fig.subplots()
            colors = {"pure serve": "#3182bd", "balanced": "#31a354", "hard sell": "#de2d26"}
            for label, grp in result.groupby("mix", sort=False):
                ax.plot(
                    grp["step"],
                    grp["conversions_total"],
                    color=colors[label],
                    lw=2,
                    label=f"{label} (sell share {PRESET[label]:.1f})",
                )
            ax.axvline(30, color="grey", ls=":", lw=1)
            ax.set_xlabel("day")
            ax.set_ylabel("cumulative conversions")
            ax.legend(fontsize=8)
            ax.grid(alpha=0.3)
            solara.FigureMatplotlib(fig, format="png")
            table = preset_winners(result)
            lines = [
                f"- by day {int(r['day'])}: **{r['winner']}** leads ("
                + ", ".join(f"{k} {int(r[k])}" for k in PRESET)
                + ")"
                for _, r in table.iterrows()
            ]
            solara.Markdown("\n".join(lines))


MODEL_PARAMS: dict[str, dict[str, Any]] = {
    "sell_share": {
        "type": "SliderFloat",
        "value": 0.3,
        "label": "sell share",
        "min": 0.0,
        "max": 1.0,
        "step": 0.05,
    },
    "posts_per_day": {
        "type": "SliderFloat",
        "value": 2.0,
        "label": "posts per day",
        "min": 0.0,
        "max": 10.0,
        "step": 0.5,
    },
    "strategy": {
        "type": "Select",
        "value": "static",
        "label": "strategy",
        "values": ["static", "earn_then_ask", "adaptive"],
    },
    "skepticism": {
        "type": "SliderFloat",
        "value": 0.4,
        "label": "audience scepticism",
        "min": 0.0,
        "max": 0.95,
        "step": 0.05,
    },
    "commercialization": {
        "type": "SliderFloat",
        "value": 0.2,
        "label": "platform commercialization",
        "min": 0.0,
        "max": 0.9,
        "step": 0.05,
    },
    "support_capacity": {
        "type": "SliderFloat",
        "value": 20.0,
        "label": "support capacity (answers/day)",
        "min": 0.0,
        "max": 60.0,
        "step": 1.0,
    },
    "disclosed": {"type": "Checkbox", "value": True, "label": "promotion disclosed"},
    "users": {
        "type": "SliderInt",
        "value": 2000,
        "label": "users",
        "min": 200,
        "max": 20000,
        "step": 200,
    },
    "seed": {"type": "SliderInt", "value": 1, "label": "seed", "min": 1, "max": 100, "step": 1},
}


def make_page(model: ClassroomModel | None = None) -> Any:
    """The page: controls, summary, time series, favour bank, network and the preset."""
    return SolaraViz(
        model if model is not None else ClassroomModel(),
        components=[
            (Summary, 0),
            (TimeSeries, 0),
            (FavorBank, 0),
            (NetworkPicture, 0),
            (MythPreset, 0),
        ],
        model_params=MODEL_PARAMS,
        name="socialsim: the relationship myth",
        play_interval=50,
    )


page = make_page()
