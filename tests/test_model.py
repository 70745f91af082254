"""The model: Mesa integration, output table, determinism and basic invariants."""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np
import pandas as pd

import socialsim
from socialsim import COLUMNS, SocialModel, simulate
from socialsim.agents import BrandAgent, UserAgent

from conftest import small


def test_output_columns_and_rows():
    df = simulate(small(brands=[{"name": "a"}, {"name": "b", "sell_share": 0.8}]))
    assert list(df.columns) == list(COLUMNS)
    assert len(df) == 60 * 2
    assert set(df["brand"]) == {"a", "b"}
    assert df["step"].min() == 1 and df["step"].max() == 60


def test_same_seed_same_result_other_seed_differs():
    a = simulate(small(), steps=120)
    b = simulate(small(), steps=120)
    pd.testing.assert_frame_equal(a, b)
    c = simulate(small(seed=99), steps=120)
    assert not a.equals(c)


def test_mesa_agents_are_views_on_state():
    model = SocialModel(small())
    assert isinstance(model, socialsim.SocialModel)
    users = model.agents_by_type[UserAgent]
    brands = model.agents_by_type[BrandAgent]
    assert len(users) == 300 and len(brands) == 1
    model.run(10)
    user = model.users[7]
    assert user.trust[0] == model.state.trust[7, 0]
    assert user.cell is model.space._cells[7]
    assert {n.coordinate for n in user.cell.neighborhood} == set(model.graph.neighbors(7))
    assert user.status() in {"customer", "follower", "unfollowed", "aware", "unaware"}


def test_cumulative_totals_and_ranges():
    df = simulate(small(), steps=120)
    total = df["conversions_new"].cumsum() + df["conversions_repeat"].cumsum()
    assert (df["conversions_total"].to_numpy() == total.to_numpy()).all()
    assert df["backlash"].between(0, 1).all() and df["mean_trust"].between(0, 1).all()
    assert (df["followers"] <= 300).all()


def test_custom_strategy_subclass():
    class Quiet(socialsim.Strategy):
        name = "test_quiet"

        def plan(self, day, history):
            return self.base_plan(posts_per_day=0.0, paid_reach=0.0)

    df = simulate(small(brands=[{"strategy": "test_quiet"}]))
    assert (df["posts"] == 0).all() and (df["reach"] == 0).all()


def test_unknown_strategy_is_a_config_error():
    try:
        SocialModel(small(brands=[{"strategy": "earn_then_asc"}]))
    except socialsim.ConfigError as exc:
        assert "earn_then_ask" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ConfigError")


def test_strategy_params_are_checked():
    import pytest

    with pytest.raises(socialsim.ConfigError, match="did you mean 'ask_threshold'"):
        SocialModel(small(brands=[{"strategy": "earn_then_ask", "params": {"ask_treshold": 2}}]))
    with pytest.raises(socialsim.ConfigError, match=r"params\.cut = True"):
        SocialModel(small(brands=[{"strategy": "adaptive", "params": {"cut": True}}]))


def test_trust_stays_in_range_with_everything_on():
    model = SocialModel(
        small(
            brands=[{"sell_share": 1.0, "posts_per_day": 8, "paid_reach": 100, "disclosed": False}]
        )
    )
    model.run(60)
    s = model.state
    assert np.all((s.trust >= 0) & (s.trust <= 1))
    assert np.all(s.irritation >= 0)


def test_metrics_before_the_first_day_are_empty():
    model = SocialModel(small())
    df = model.metrics()
    assert df.empty and list(df.columns) == list(socialsim.COLUMNS)
    model.step()
    assert len(model.metrics()) == 1


def test_finished_models_are_freed():
    """Mesa 3.3 keeps every model alive through Agent._ids (mesa#3179); a calibration of
    thousands of runs then ran out of memory. Our agents number themselves without it."""
    import gc
    import weakref

    model = socialsim.SocialModel({"steps": 2, "graph": {"n": 100}})
    model.run()
    assert [a.unique_id for a in model.users[:3]] == [1, 2, 3]
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def test_model_level_reporters_serve_mesa_tools():
    """Every metric is also a model-level reporter (Mesa's plot components and batch_run read
    those), equal to the tidy table's values."""
    model = socialsim.SocialModel({"steps": 5, "graph": {"n": 200}})
    tidy = model.run()
    mesa_df = model.datacollector.get_model_vars_dataframe()
    assert len(mesa_df) == 5
    np.testing.assert_array_equal(mesa_df["followers"].to_numpy(), tidy["followers"].to_numpy())
    two = socialsim.SocialModel(
        {"steps": 3, "graph": {"n": 200}, "brands": [{"name": "a"}, {"name": "b"}]}
    )
    two.run()
    cols = two.datacollector.get_model_vars_dataframe().columns
    assert "followers (a)" in cols and "backlash (b)" in cols


def test_user_agents_space_and_graph_are_built_on_first_access():
    """A run needs only the state arrays and the adjacency: no UserAgent, cell or NetworkX
    graph exists until asked for; then they are the same as if built at once."""
    from socialsim.config import load_config
    from socialsim.graphs import build_graph
    from socialsim.state import random_streams

    cfg = {"steps": 5, "seed": 4, "graph": {"n": 10_000}, "brands": [{"name": "a"}]}
    model = SocialModel(cfg)
    model.run()
    registered = mesa.Model.agents.fget(model)  # Mesa's own registry, without our property
    assert len(registered) == 1 and model._users is None and model._space is None
    assert not model.friendships.built
    assert len(model.agents) == 10_001  # users + brands, created now
    assert len(registered) == 10_001 and len(model.agents_by_type[UserAgent]) == 10_000
    agents = list(model.agents)
    assert agents[0] is model.users[0] and agents[-1] is model.brands[0]  # users first
    assert [a.unique_id for a in agents[:2]] == [1, 2] and model.brands[0].unique_id == 10_001
    user = model.users[4321]
    assert user.index == 4321 and user.cell is model.space._cells[4321]
    assert (
        user.trust[0] == model.state.trust[4321, 0]
        and user.skepticism == model.state.skepticism[4321]
    )
    assert user.status() in {"customer", "follower", "unfollowed", "aware", "unaware"}
    G = build_graph(load_config(cfg).graph, random_streams(4)["graph"])
    assert nx.utils.graphs_equal(model.graph, G)
    assert {c.coordinate for c in user.cell.neighborhood} == set(G.neighbors(4321))
    model.step()  # still runs, and the agents still read the state
    assert user.trust[0] == model.state.trust[4321, 0]


def test_metrics_do_not_depend_on_the_blas_thread_count():
    """Sums over users are NumPy reductions, not BLAS dot products, whose threaded
    summation order depends on the machine (large populations only)."""
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, socialsim\n"
        "df = socialsim.simulate({'steps': 8, 'seed': 3, 'graph': {'n': 60000, 'm': 5}})\n"
        "print(hashlib.sha256(df.drop(columns=['brand']).to_numpy().tobytes()).hexdigest())\n"
    )
    digests = set()
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_organic_engagements_split_the_days_engagements_by_delivery():
    """engagements_organic: all of them without paid reach, none without posts, in between
    and never above the total with both."""
    base = {"steps": 40, "seed": 3, "graph": {"n": 400, "m": 3}}
    organic = socialsim.simulate({**base, "brands": [{"paid_reach": 0.0}]})
    assert np.allclose(organic["engagements_organic"], organic["engagements"])
    paid = socialsim.simulate({**base, "brands": [{"posts_per_day": 0.0, "paid_reach": 80.0}]})
    assert paid["engagements"].sum() > 0 and np.allclose(paid["engagements_organic"], 0.0)
    both = socialsim.simulate({**base, "brands": [{"paid_reach": 80.0}]})
    share = both["engagements_organic"].sum() / both["engagements"].sum()
    assert 0.05 < share < 0.95, share
    assert (both["engagements_organic"] <= both["engagements"] + 1e-9).all()
