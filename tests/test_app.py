"""Classroom page: the model behind the controls, the preset's honest verdicts and the charts
(the page itself in a real browser: tests/test_app_browser.py)."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest

from socialsim import ConfigError
from socialsim.api import simulate
from socialsim.labels import label
from socialsim.mixes import MIXES, verdict
from socialsim.page_charts import (
    conversions_figure,
    day_limit,
    day_step,
    favour_figure,
    network_figure,
    png,
    preset_figure,
    trust_backlash_figure,
)
from socialsim.page_model import (
    CONTROLS,
    DEFAULTS,
    SAMPLE_NODES,
    ClassroomModel,
    classroom_config,
    preset_verdicts,
    run_preset,
    verdict_sentences,
)

SMALL = {**DEFAULTS, "users": 300, "seed": 4}


def test_controls_build_the_model():
    m = ClassroomModel(
        sell_share=0.7, strategy="adaptive", disclosed=False, users=300, seed=3, skepticism=0.6
    )
    brand = m.config.brands[0]
    assert (brand.sell_share, brand.strategy, brand.disclosed) == (0.7, "adaptive", False)
    assert m.config.users.skepticism == 0.6 and m.state.n_users == 300
    assert m.controls == {
        **DEFAULTS,
        "sell_share": 0.7,
        "strategy": "adaptive",
        "disclosed": False,
        "users": 300,
        "seed": 3,
        "skepticism": 0.6,
    }
    with pytest.raises(ConfigError, match=r"sell_share = 1\.5"):
        ClassroomModel(sell_share=1.5, users=300)
    with pytest.raises(TypeError, match="sell_shar"):
        ClassroomModel(sell_shar=0.5)


def test_controls_show_their_values_and_labels():
    shown = {c.name: c.show(c.default) for c in CONTROLS}
    assert shown["sell_share"] == "0.30" and shown["users"] == "2,000"
    assert DEFAULTS["sell_share"] == MIXES["balanced"]  # the page opens on the balanced mix
    assert {c.name: c.label for c in CONTROLS}["sell_share"] == label("brands[0].sell_share")


def test_model_stops_at_its_horizon():
    m = ClassroomModel(users=200, steps=5)
    for _ in range(4):
        m.step()
    assert m.running and m.today == 4
    m.step()
    assert not m.running and m.today == 5  # Play and Step stop on the last day itself
    for _ in range(3):
        m.step()
    assert len(m.metrics()) == 5 and m.today == 5


def test_status_partitions_users_consistently_with_state():
    m = ClassroomModel(users=400, seed=2)
    for _ in range(60):
        m.step()
    status = m.status()
    s = m.state
    assert set(status) <= {"unaware", "aware", "follower", "unfollowed", "customer"}
    assert (status == "customer").sum() == (s.purchases[:, 0] > 0).sum()
    assert ((status == "unaware") == ~s.aware[:, 0]).all()
    followers = (status == "follower").sum()
    assert followers == (s.following[:, 0] & (s.purchases[:, 0] == 0)).sum()


def test_network_sample_is_small_and_cached_on_10k_users():
    m = ClassroomModel(users=10_000)
    t0 = time.perf_counter()
    nodes, pos, edges = m.sample_layout()
    first = time.perf_counter() - t0
    assert 50 <= len(nodes) <= SAMPLE_NODES and len(set(nodes)) == len(nodes)
    assert set(pos) == set(nodes.tolist()) and all(a in pos and b in pos for a, b in edges)
    assert m.sample_layout()[0] is nodes  # computed once per model
    assert first < 5.0, first  # generous: the page must stay responsive


# ----------------------------------------------------------------------------- the preset
def test_preset_runs_every_mix_on_the_same_seeds():
    calls = []
    settings = {**SMALL, "steps": 41}  # settings no other test runs: not cached yet
    df = run_preset(settings, replications=3, progress=lambda *a: calls.append(a))
    assert list(df["mix"].unique()) == list(MIXES)
    assert calls[-1] == (9, 9) and len(calls) == 9  # progress after every run
    seeds = df.groupby("mix")["seed"].unique().map(sorted)
    assert all(s == [4, 5, 6] for s in seeds)  # common random numbers: the same seeds
    assert (df.groupby(["mix", "seed"])["step"].max() == 41).all()
    # each run is the plain simulation of that mix and seed (graph and users from the seed)
    one = df[(df["mix"] == "hard sell") & (df["seed"] == 5)].reset_index(drop=True)
    cfg = classroom_config(**{**settings, "sell_share": MIXES["hard sell"], "seed": 5})
    expect = simulate(cfg)["conversions_total"]
    assert (one["conversions_total"].to_numpy() == expect.to_numpy()).all()
    # the same settings again come from the cache, identical
    again = run_preset(settings, replications=3, progress=lambda *a: calls.append(a))
    pd.testing.assert_frame_equal(df, again)
    assert calls[-1] == (9, 9)


def test_preset_verdicts_follow_the_paired_intervals():
    df = run_preset({**SMALL, "steps": 40}, replications=3)
    table = preset_verdicts(df)
    assert sorted(set(table["day"])) == [30, 40]
    assert set(table["rival"]) == {"serve only", "hard sell"}
    for _, row in table.iterrows():
        a = df[(df["mix"] == "balanced") & (df["step"] == row["day"])].sort_values("seed")
        b = df[(df["mix"] == row["rival"]) & (df["step"] == row["day"])].sort_values("seed")
        a, b = a["conversions_total"].to_numpy(), b["conversions_total"].to_numpy()
        assert row["verdict"] == verdict(a, b)
        assert row["diff"] == pytest.approx((a - b).mean())
    for _, sentence in verdict_sentences(table):
        assert "lead" not in sentence and "95% CI" in sentence


def _synthetic(balanced, serve, hard, day=30):
    rows = []
    for mix, values in (("serve only", serve), ("balanced", balanced), ("hard sell", hard)):
        rows += [
            {"mix": mix, "seed": seed, "step": day, "conversions_total": v}
            for seed, v in enumerate(values)
        ]
    return pd.DataFrame(rows)


def test_overlapping_intervals_give_no_clear_difference():
    # balanced beats serve only on average (11 vs 10.6) but the paired interval spans zero;
    # it beats hard sell in every pair
    df = _synthetic([10, 14, 8, 12, 11], [12, 9, 11, 10, 11], [5, 6, 4, 7, 5])
    table = preset_verdicts(df).set_index("rival")
    assert table.loc["serve only", "verdict"] == "no clear difference"
    assert table.loc["serve only", "low"] < 0 < table.loc["serve only", "high"]
    assert table.loc["hard sell", "verdict"] == "ahead"
    text = dict((s.split(":")[0], s) for _, s in verdict_sentences(table.reset_index()))
    assert "balanced shows no clear difference from serve only" in text
    assert "balanced is ahead of hard sell" in text
    behind = preset_verdicts(_synthetic([1, 2, 1, 2, 1], [5, 6, 5, 6, 5], [1, 2, 1, 2, 1]))
    assert list(behind["verdict"]) == ["behind", "no clear difference"]


# ----------------------------------------------------------------------------- charts
def test_charts_have_fixed_ranges_whole_days_and_labels():
    m = ClassroomModel(users=300, seed=2)
    for _ in range(40):
        m.step()
    df = m.metrics()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warnings while drawing
        tb = trust_backlash_figure(df, m.horizon)
        conv = conversions_figure(df, m.horizon)
        fav = favour_figure(df, m.horizon)
        net = network_figure(m)
        empty = trust_backlash_figure(ClassroomModel(users=300).metrics(), 365)
        images = [png(f) for f in (tb, conv, fav, net, empty)]
    assert all(image.startswith(b"\x89PNG") for image in images)
    for fig in (tb, fav, empty):
        assert fig.axes[0].get_ylim() == (0.0, 1.0)  # shares and trust: always 0-1
    assert conv.axes[0].get_ylim()[0] == 0.0
    for fig in (tb, conv, fav):
        ax = fig.axes[0]
        assert ax.get_xlim() == (0.0, 90.0)  # the day axis grows in stages
        ticks = [t for t in ax.get_xticks() if 0 <= t <= 90]
        assert all(float(t).is_integer() for t in ticks) and len(ticks) >= 4
    legend = [t.get_text() for t in tb.legends[0].get_texts()]
    assert legend == [label("mean_trust"), label("backlash")]
    assert conv.axes[0].get_title() == label("conversions_total")


def test_day_axis_helpers():
    assert [day_limit(d, 365) for d in (0, 30, 31, 200, 365)] == [30, 30, 90, 365, 365]
    assert day_limit(50, 40) == 40
    assert [day_step(x) for x in (5, 30, 90, 365)] == [1, 5, 15, 60]


def test_preset_figure_draws_bands_clipped_at_zero():
    df = run_preset({**SMALL, "steps": 40}, replications=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = preset_figure(df)
        png(fig)
    ax = fig.axes[0]
    assert ax.get_ylim()[0] == 0.0 and len(ax.collections) == len(MIXES)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        f"{mix} ({share:.1f})" for mix, share in MIXES.items()
    ]
    for band in ax.collections:
        assert np.nanmin(band.get_paths()[0].vertices[:, 1]) >= 0.0


def test_page_module_quiets_solara():
    pytest.importorskip("solara")
    from solara.server import settings

    import socialsim.app as app

    assert app.page is app.Page
    assert settings.theme.show_banner is False and settings.theme.loader == "plain"
    assert settings.telemetry.mixpanel_enable is False


def test_community_effort_acts_on_every_platform_choice():
    """The community control acts with a friends' or business network too (odd.md 7.12)."""
    for platform in ("one network", "business network"):
        cfg = classroom_config(
            **{**SMALL, "steps": 60, "community_effort": 0.4, "platform": platform}
        )
        assert cfg["mechanisms"]["community"] and cfg["brands"][0]["community_effort"] == 0.4
        assert ("platforms" in cfg) == (platform != "one network")
        df = simulate(cfg)
        assert df["members"].iloc[-1] > 0, platform
