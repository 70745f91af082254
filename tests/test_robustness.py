"""The robustness map: pattern battery, predicates, shares and the canonical experiment file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialsim import ConfigError, run_experiment
from socialsim.config import Config
from socialsim.experiments.patterns import (
    METRICS,
    PATTERNS,
    SHARES,
    battery,
    pattern_table,
    robustness,
    wilson,
)
from socialsim.experiments.robustness import ACCOUNTING, OFF_BY_DEFAULT, plausible_ranges
from socialsim.experiments.spec import load_experiment

ROOT = Path(__file__).resolve().parents[1]


def _pct(x):
    return round(100 * x)


def test_robustness_file_samples_the_documented_ranges():
    exp = load_experiment(ROOT / "experiments" / "robustness.toml")
    assert exp.patterns and exp.sweep.method == "lhs" and len(exp.points) >= 500
    assert exp.replications >= 2 and exp.crn
    ranges = {k: (v.low, v.high) for k, v in exp.sweep.parameters.items()}
    documented = plausible_ranges()
    assert list(ranges) == list(documented)
    assert np.allclose([ranges[k] for k in ranges], [documented[k] for k in ranges], rtol=1e-9)
    rules = {f"rules.{name}" for name in type(Config().rules).model_fields}
    # every behavioural coefficient of a mechanism on by default is sampled
    assert rules - set(ranges) == set(ACCOUNTING) | set(OFF_BY_DEFAULT)
    for path, (lo, hi) in ranges.items():
        section, name = path.split(".")
        default = getattr(getattr(Config(), section), name)
        if default:
            assert lo == pytest.approx(max(0.5 * default, lo)) and lo <= default <= hi, path


def test_battery_scenarios_and_matched_pitch_budget():
    scen = battery(Config(brands=[{"name": "b"}]))
    names = [s["name"] for s in scen]
    assert len(names) == len(set(names)) == 30
    assert [f"sell_{_pct(s)}" for s in SHARES] == names[:11]
    budget = next(s for s in scen if s["name"] == "pitch_first_on")["set"]["brands[0].params"]
    # earn_then_ask at 2 posts a day and share 0.6 pitches 174 times a year (reciprocity.toml)
    cfg = Config(brands=[{"name": "b", "posts_per_day": 2.0}])
    budget = battery(cfg)[12]["set"]["brands[0].params"]["pitch_budget"]
    assert budget == pytest.approx(174.0)
    with pytest.raises(ConfigError, match="exactly one brand"):
        battery(Config(brands=[{"name": "a"}, {"name": "b"}]))


def _tiny(**extra):
    data = {
        "name": "tiny_patterns",
        "patterns": True,
        "steps": 35,
        "graph": {"kind": "barabasi_albert", "n": 150, "m": 3},
        "brands": [{"name": "brand"}],
        "sweep": {
            "method": "lhs",
            "samples": 3,
            "parameters": {"users.skepticism": {"low": 0.2, "high": 0.6}},
        },
    }
    data.update(extra)
    return data


def test_pinned_battery_values_win_over_the_sweep_point():
    exp = load_experiment(_tiny())
    runs = {(r.scenario, r.point): r for r in exp.runs()}
    for p, point in enumerate(exp.points):
        sampled = point["users.skepticism"]
        assert runs[("sell_50", p)].config["users"]["skepticism"] == pytest.approx(sampled)
        trusting = runs[("trusting_sell_10", p)]
        assert trusting.config["users"]["skepticism"] == 0.15
        assert trusting.params["users.skepticism"] == pytest.approx(sampled)  # for PRIM
    assert exp.output.every == 30 and set(METRICS) <= set(exp.output.metrics)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"patterns": "yes"}, "patterns = 'yes'"),
        ({"scenarios": [{"name": "a"}]}, "remove \\[\\[scenarios\\]\\]"),
        ({"output": {"every": 7}}, "output.every = 7"),
        ({"output": {"metrics": ["conversions_total"]}}, "needs conversions_new"),
        ({"brands": [{"name": "a"}, {"name": "b"}]}, "exactly one brand"),
    ],
)
def test_bad_pattern_experiments_are_refused(extra, message):
    with pytest.raises(ConfigError, match=message):
        load_experiment(_tiny(**extra))


# ----------------------------------------------------------------------------------------
# predicates on a hand-made runs table: point 0 shows every pattern, point 1 none


def _outcomes(good: bool) -> dict[str, dict[str, float]]:
    """Per scenario: final and day-30 conversions and the other outcomes."""
    out = {}

    def put(name, conv, early=10.0, backlash=0.01, unf=10.0, trust=0.5, **kw):
        out[name] = dict(conv=conv, early=early, backlash=backlash, unf=unf, trust=trust, **kw)

    for s in SHARES:
        hump = 100 + 1200 * s * (1 - s) if good else 100 + 300 * s
        put(
            f"sell_{_pct(s)}",
            hump,
            early=10 + 20 * s if good else 20 - 10 * s,
            backlash=0.01 + s if good else 0.2,
            unf=10 + 100 * s if good else 50 - 10 * s,
            trust=0.5 - 0.3 * s if good else 0.4,
        )
    put("earn_then_ask_on", 300 if good else 200, backlash=0.01)
    put("pitch_first_on", 200, backlash=0.02 if good else 0.01)
    put("earn_then_ask_off", 220)
    put("pitch_first_off", 200)
    put("commercialization_0", 100, engagements=100, new=50, repeat=20)
    put("commercialization_60", 80, engagements=80 if good else 99, new=40, repeat=10)
    for level, peak in (("trusting", 0.7), ("sceptical", 0.3 if good else 0.7)):
        for s in (0.1, 0.3, 0.5, 0.7, 0.9):
            put(f"{level}_sell_{_pct(s)}", 300 - 400 * abs(s - peak))
    put("support_1", 100, complaints=100 if good else 20, backlash=0.1)
    put("support_200", 100, complaints=10, backlash=0.01)
    put("covert", 100, early=25 if good else 5, trust=0.3, detections=5)
    return out


def _runs_table() -> tuple[pd.DataFrame, dict]:
    rows = []
    scenarios = list(_outcomes(True))
    for point, good in ((0, True), (1, False)):
        for scen, o in _outcomes(good).items():
            for step in (30, 365):
                last = step == 365
                rows.append(
                    {
                        "run_id": f"{scen}/p{point}/r0",
                        "scenario": scen,
                        "point": point,
                        "replication": 0,
                        "seed": 1,
                        "x": float(point),
                        "step": step,
                        "brand": "brand",
                        "conversions_total": o["conv"] if last else o["early"],
                        "conversions_new": o.get("new", 1.0) * last,
                        "conversions_repeat": o.get("repeat", 1.0) * last,
                        "backlash": o["backlash"],
                        "mean_trust": o["trust"] if last else 0.5,
                        "unfollows": o["unf"] * last,
                        "engagements": o.get("engagements", 1.0) * last,
                        "complaints": o.get("complaints", 1.0) * last,
                        "detections": o.get("detections", 0.0) * last,
                        "pitches": 1.0 * last,
                    }
                )
    manifest = {
        "scenarios": scenarios,
        "patterns": True,
        "replications": 1,
        "sweep": {"method": "lhs", "parameters": ["x"]},
    }
    return pd.DataFrame(rows), manifest


def test_each_predicate_tells_a_pattern_from_its_absence():
    runs, manifest = _runs_table()
    table = pattern_table(runs, manifest)
    assert list(table["point"]) == [0, 1] and list(table["x"]) == [0.0, 1.0]
    for name in PATTERNS:
        assert table.loc[0, name], (name, table.iloc[0].to_dict())
        assert not table.loc[1, name], (name, table.iloc[1].to_dict())
    assert table["all"].tolist() == [True, False]
    assert table.loc[0, "best_share"] == 0.5
    assert table.loc[0, "best_sceptical"] < table.loc[0, "best_trusting"]


def test_shares_with_wilson_intervals():
    runs, manifest = _runs_table()
    shares = robustness(pattern_table(runs, manifest)).set_index("pattern")
    assert shares.loc["P1", "holds"] == 1 and shares.loc["P1", "share"] == 0.5
    low, high = wilson(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert low[0] == 0 and high[2] == pytest.approx(1)
    assert low[1] == pytest.approx(0.2366, abs=1e-3) and high[1] == pytest.approx(0.7634, abs=1e-3)


def test_pattern_experiment_runs_and_reports(tmp_path):
    result = run_experiment(_tiny(), out=tmp_path / "rb", progress=False)
    files = set(result.files)
    assert {"summary.csv", "patterns.csv", "figures/robustness.png"} <= files
    assert "differences.csv" not in files  # the battery's scenarios are not compared pairwise
    table = pd.read_csv(result.files["patterns.csv"])
    assert len(table) == 3 and set(PATTERNS) <= set(table.columns)
    shares = result.summary.set_index("pattern")
    for name in PATTERNS:
        assert shares.loc[name, "holds"] == table[name].sum()
    assert result.manifest["patterns"] is True
    assert sorted(pd.read_parquet(result.files["runs.parquet"])["step"].unique()) == [30, 35]


# ----------------------------------------------------------------------------------------
# scenario discovery


def _box_table(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 4)), columns=["rules.a", "rules.b", "users.c", "d"])
    outcome = np.where((x["rules.a"] > 0.6) & (x["users.c"] < 0.3), 5.0, 1.0)
    return x.assign(**{"hard-sell.conversions_total": outcome + rng.normal(0, 0.1, n)})


def test_prim_finds_the_box_where_a_condition_holds():
    from socialsim.experiments.discover import discover

    table = _box_table()
    params = ["rules.a", "rules.b", "users.c", "d"]
    found = discover(table, "`hard-sell.conversions_total` > 3", parameters=params)
    found_plain = discover(table, "hard-sell.conversions_total > 3", parameters=params)
    assert found.boxes.equals(found_plain.boxes)  # names with dots and dashes need no quotes
    first = found.boxes[found.boxes["box"] == 1].set_index("parameter")
    assert set(first.index) == {"rules.a", "users.c"}  # b and d are not restricted
    assert first.loc["rules.a", "min"] == pytest.approx(0.6, abs=0.05)
    assert first.loc["users.c", "max"] == pytest.approx(0.3, abs=0.05)
    assert first["coverage"].iloc[0] > 0.8 and first["density"].iloc[0] > 0.8
    assert (first["qp"] < 0.05).all()
    assert "coverage" in found.summary() and found.cases == int((table.iloc[:, -1] > 3).sum())


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("hard_sell.conversions_total > 3", "unknown name 'hard_sell.conversions_total'"),
        ("rules.a + 1", "not a true/false condition"),
        ("rules.a >", "--where = 'rules.a >'"),
        ("  ", "give a condition"),
    ],
)
def test_bad_conditions_get_one_clear_line(where, message):
    from socialsim.experiments.discover import DiscoverError, discover

    with pytest.raises(DiscoverError, match=message):
        discover(_box_table(50), where, parameters=["rules.a"])


def test_prim_among_many_noise_parameters_finds_the_driver_or_no_box():
    """75 parameters as in the robustness map, 500 points, a noisy condition driven by one
    of them: the screen keeps PRIM off the noise; a condition driven by none gives no box."""
    from socialsim.experiments.discover import discover, screened

    rng = np.random.default_rng(3)
    names = [f"rules.p{i:02d}" for i in range(75)]
    x = pd.DataFrame(rng.uniform(size=(500, 75)), columns=names)
    noisy = rng.uniform(size=500) < np.where(x["rules.p07"] < 0.4, 0.7, 0.2)
    table = x.assign(fails=noisy, coin=rng.uniform(size=500) < 0.4)
    assert screened(x, noisy, 0.05, 8)[0] == "rules.p07"
    found = discover(table, "fails", parameters=names, boxes=1)
    box = found.boxes.set_index("parameter")
    assert list(box.index) == ["rules.p07"] and box.loc["rules.p07", "max"] < 0.5
    assert box["density"].iloc[0] > 0.55 and (box["qp"] < 0.05).all()
    unrelated = discover(table, "coin", parameters=names, boxes=1)
    assert unrelated.boxes.empty or unrelated.boxes["parameter"].isna().all()
    assert "no restriction" in unrelated.summary() or unrelated.boxes.empty


def test_discover_command(tmp_path):
    from typer.testing import CliRunner

    from socialsim.cli import app

    result = run_experiment(_tiny(), out=tmp_path / "rb", progress=False)
    cli = CliRunner()
    done = cli.invoke(app, ["discover", str(result.out), "--where", "sell_50.backlash >= 0"])
    assert done.exit_code == 0, done.output
    out = result.out / "discovery" / "sell_50_backlash_0"
    assert {p.name for p in out.iterdir()} >= {"boxes.csv", "points.csv", "boxes.png"}
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 3 and points["case"].all() and "P1" in points.columns
    bad = cli.invoke(app, ["discover", str(result.out), "--where", "sell_50.backlsh > 0"])
    assert bad.exit_code == 2 and "did you mean sell_50.backlash" in bad.output
    assert "Traceback" not in bad.output
    none = cli.invoke(app, ["discover", str(tmp_path), "--where", "P1"])
    assert none.exit_code == 2 and "runs.parquet not found" in none.output
    nosweep = tmp_path / "plain"
    run_experiment({**_tiny(), "patterns": False, "sweep": None}, out=nosweep, progress=False)
    flat = cli.invoke(app, ["discover", str(nosweep), "--where", "backlash > 0"])
    assert flat.exit_code == 2 and "needs a sweep" in flat.output


def test_toml_booleans_in_a_condition_leave_names_alone():
    from socialsim.experiments.discover import discover

    table = _box_table().rename(columns={"hard-sell.conversions_total": "true_story.sales"})
    params = ["rules.a", "rules.b", "users.c", "d"]
    found = discover(table, "(true_story.sales > 3) == true", parameters=params)
    assert found.cases == int((table["true_story.sales"] > 3).sum())


def test_plausible_ranges_sample_every_rule_but_accounting_and_off_by_default():
    """Every [rules] coefficient is sampled except the money units and the coefficients of
    mechanisms off by default (customer lapse, public replies, brand community, shares,
    reacting platform, several platforms), whose 75 ranges the committed map used."""
    from socialsim.config import RulesConfig

    ranges = plausible_ranges()
    sampled = {k for k in ranges if k.startswith("rules.")}
    every = {f"rules.{name}" for name in RulesConfig.model_fields}
    assert sampled == every - set(ACCOUNTING) - set(OFF_BY_DEFAULT)
    prefixes = ("rules.lapse_", "rules.reply_", "rules.cost_per_reply", "rules.community_")
    prefixes += ("rules.share_",)
    from socialsim.config.reacting import ReactingRules

    prefixes += tuple(f"rules.{name}" for name in ReactingRules.model_fields)
    prefixes += ("rules.platform_norm_effect",)  # [[platforms]]: none by default
    assert not Config().platforms
    assert OFF_BY_DEFAULT and all(k.startswith(prefixes) for k in OFF_BY_DEFAULT)
    assert Config().mechanisms.lapse is False and Config().mechanisms.replies is False
    assert Config().mechanisms.community is False and Config().mechanisms.shares is False
    assert Config().mechanisms.platform_reacts is False
    assert len(ranges) == 75
