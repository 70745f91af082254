"""Configuration schema: defaults, TOML loading and clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialsim import Config, ConfigError, load_config


def test_defaults_are_valid():
    cfg = load_config()
    assert isinstance(cfg, Config)
    assert cfg.steps == 365
    assert all(
        getattr(cfg.mechanisms, m) for m in ("trust", "favor", "attention", "backlash", "wom")
    )


def test_toml_roundtrip(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(
        'steps = 10\nseed = 4\n[graph]\nkind = "erdos_renyi"\nn = 100\np = 0.05\n'
        '[[brands]]\nname = "a"\nsell_share = 0.7\n[[brands]]\nname = "b"\n'
    )
    cfg = load_config(path)
    assert cfg.steps == 10 and cfg.graph.kind == "erdos_renyi"
    assert [b.name for b in cfg.brands] == ["a", "b"] and cfg.brands[0].sell_share == 0.7


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"brands": [{"sell_share": 1.5}]}, "brands[0].sell_share = 1.5"),
        ({"brands": [{"support_capacity": -3}]}, "brands[0].support_capacity = -3"),
        ({"brands": [{"sel_share": 0.2}]}, "did you mean 'sell_share'"),
        ({"grahp": {}}, "did you mean 'graph'"),
        ({"graph": {"kind": "lattice"}}, "graph.kind = 'lattice'"),
        ({"graph": {"kind": "file"}}, "graph.path is required"),
        ({"users": {"skepticism": 2}}, "users.skepticism = 2"),
        ({"users": {"skepticsm": 0.2}}, "did you mean 'skepticism'"),
        ({"platform": {"commercialization": -0.1}}, "platform.commercialization = -0.1"),
        ({"steps": 0}, "steps = 0"),
        ({"steps": "many"}, "steps = 'many'"),
        ({"mechanisms": {"favour": False}}, "did you mean 'favor'"),
        ({"bass": {"p": 0.03}}, "bass.p and bass.q must be set together"),
        ({"brands": [{"name": "a"}, {"name": "a"}]}, "names must be unique"),
        ({"brands": [{"serve_mix": {"memes": 1.0}}]}, "serve_mix.memes"),
        ({"brands": [{"segment": 9}]}, "brands[0].segment = 9"),
        ({"brands": []}, "brands = []"),
        ({"users": {"segments": 2, "segment_skepticism": [0.1]}}, "segment_skepticism has 1"),
        ({"graph": {"kind": "watts_strogatz", "k": 5}}, "graph.k = 5 must be even"),
        (
            {"bass": {"p": 0.03, "q": 0.4}, "brands": [{"name": "a"}, {"name": "b"}]},
            "exactly one brand",
        ),
        ({"bass": {"p": 0.5, "q": 0.9}}, "raise bass.steps_per_period"),
    ],
)
def test_bad_input_names_field_and_value(data, expected):
    with pytest.raises(ConfigError) as info:
        load_config(data)
    assert expected in str(info.value)


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("steps = = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"brands": [{"paid_reach": float("inf")}]}, "brands[0].paid_reach = inf"),
        ({"brands": [{"support_capacity": float("nan")}]}, "brands[0].support_capacity = nan"),
        ({"users": {"attention": float("inf")}}, "users.attention = inf"),
        ({"users": {"need_rate": float("nan")}}, "users.need_rate = nan"),
        ({"rules": {"price": float("-inf")}}, "rules.price = -inf"),
        ({"platform": {"organic_reach_trend": float("nan")}}, "platform.organic_reach_trend"),
        ({"brands": [{"sell_share": True}]}, "brands[0].sell_share = True"),
        ({"brands": [{"sell_share": "0.5"}]}, "brands[0].sell_share = '0.5'"),
        ({"graph": {"n": 2000.0}}, "graph.n = 2000.0"),
        ({"mechanisms": {"favor": 1}}, "mechanisms.favor = 1"),
    ],
)
def test_non_finite_numbers_and_loose_types_are_refused(data, field):
    """One schema rule: no inf or nan anywhere, and no coercion of booleans, strings or
    floats into numbers and switches (issue 11)."""
    with pytest.raises(ConfigError) as info:
        load_config(data)
    assert field in str(info.value) and "\n" not in str(info.value)


def test_cli_refuses_inf_before_writing(tmp_path):
    from socialsim.cli import main

    out = tmp_path / "o"
    default = Path(__file__).resolve().parents[1] / "experiments" / "default.toml"
    code = main(
        [
            "run",
            str(default),
            "--set",
            "brands[0].paid_reach=inf",
            "--set",
            "steps=2",
            "--out",
            str(out),
            "-q",
        ]
    )
    assert code == 2 and not out.exists()
