"""Bad input ends cleanly: exit 2, one line naming the field, file or option and the value,
no traceback, nothing written. (More cases in test_cli.py's BAD_INPUTS.)"""

from __future__ import annotations

import pytest

import socialsim
from socialsim import ConfigError
from socialsim.cli import main

BASE = "steps = 5\nreplications = 1\ngraph = { n = 60, m = 2 }\n"
PLATFORMS = '[[platforms]]\nname = "friends"\n[[platforms]]\nname = "business"\n'

# (id, file text appended to BASE (None: the whole file is given by the id's fixture),
#  extra command-line arguments, text the message must contain)
FILE_CASES = [
    ("inf_paid_reach", "[[brands]]\npaid_reach = inf", [], "brands[0].paid_reach = inf"),
    ("nan_attention", "[users]\nattention = nan", [], "users.attention = nan"),
    ("bool_for_number", "[[brands]]\nsell_share = true", [], "brands[0].sell_share = True"),
    ("string_for_number", '[[brands]]\nsell_share = "0.5"', [], "brands[0].sell_share = '0.5'"),
    ("float_for_whole_number", "[users]\nsegments = 4.0", [], "users.segments = 4.0"),
    ("number_for_switch", "[mechanisms]\nfavor = 1", [], "mechanisms.favor = 1"),
    ("negative_need_rate", "[users]\nneed_rate = -0.1", [], "users.need_rate = -0.1"),
    ("negative_price", "[rules]\nprice = -1.0", [], "rules.price = -1.0"),
    ("negative_lapse_rate", "[rules]\nlapse_recency = -0.001", [], "rules.lapse_recency = -0.001"),
    ("nan_lapse_dose", "[rules]\nlapse_value_dose = nan", [], "rules.lapse_value_dose = nan"),
    ("zero_lapse_dose", "[rules]\nlapse_value_dose = 0.0", [], "rules.lapse_value_dose = 0.0"),
    ("number_for_lapse_switch", "[mechanisms]\nlapse = 1", [], "mechanisms.lapse = 1"),
    (
        "negative_budget",
        "[[brands]]\nbudget = { money = -5.0 }",
        [],
        "brands[0].budget.money = -5.0",
    ),
    (
        "budget_split_not_one",
        "[[brands]]\nbudget = { money = 5.0, paid = 0.5, content = 0.3, support = 0.3 }",
        [],
        "brands[0].budget: paid + content + support = 1.1 must be 1",
    ),
    (
        "unknown_reply_tone",
        '[[brands]]\nreply_tone = "rude"',
        [],
        "brands[0].reply_tone = 'rude'",
    ),
    (
        "negative_reply_capacity",
        "[[brands]]\nreply_capacity = -1.0",
        [],
        "brands[0].reply_capacity = -1.0",
    ),
    (
        "inf_reply_capacity",
        "[[brands]]\nreply_capacity = inf",
        [],
        "brands[0].reply_capacity = inf",
    ),
    ("number_for_replies_switch", "[mechanisms]\nreplies = 1", [], "mechanisms.replies = 1"),
    (
        "community_effort_above_one",
        "[[brands]]\ncommunity_effort = 1.5",
        [],
        "brands[0].community_effort = 1.5",
    ),
    (
        "nan_community_effort",
        "[[brands]]\ncommunity_effort = nan",
        [],
        "brands[0].community_effort = nan",
    ),
    ("negative_peer_help", "[rules]\ncommunity_peer_help = -0.1", [], "community_peer_help = -0.1"),
    ("number_for_community_switch", "[mechanisms]\ncommunity = 1", [], "mechanisms.community = 1"),
    ("negative_share_rate", "[rules]\nshare_useful = -0.1", [], "rules.share_useful = -0.1"),
    ("share_visibility_above_one", "[rules]\nshare_visibility = 1.5", [], "share_visibility = 1.5"),
    ("string_for_shares_switch", '[mechanisms]\nshares = "yes"', [], "mechanisms.shares = 'yes'"),
    (
        "negative_time_sensitivity",
        "[rules]\ntime_sensitivity = -0.02",
        [],
        "rules.time_sensitivity = -0.02",
    ),
    ("leave_threshold_above_one", "[rules]\nleave_threshold = 1.5", [], "leave_threshold = 1.5"),
    ("zero_feed_items", "[rules]\nfeed_items_per_hour = 0.0", [], "feed_items_per_hour = 0.0"),
    (
        "number_for_reacts_switch",
        "[mechanisms]\nplatform_reacts = 1",
        [],
        "mechanisms.platform_reacts = 1",
    ),
    ("fraction_above_one", "[platform]\ncommercialization = 1.5", [], "commercialization = 1.5"),
    (
        "brand_on_unknown_platform",
        PLATFORMS + "[[brands]]\nplatforms = { linkedin = {} }",
        [],
        "brands[0].platforms.linkedin: unknown platform 'linkedin'",
    ),
    (
        "audiences_not_summing_to_one",
        PLATFORMS + '[users]\naudiences = { "friends" = 0.5, "friends+business" = 0.3 }',
        [],
        "users.audiences: shares sum to 0.8, not 1",
    ),
    (
        "audience_of_unknown_platform",
        PLATFORMS + '[users]\naudiences = { "friends" = 0.5, "friends+tiktok" = 0.5 }',
        [],
        "users.audiences.'friends+tiktok': unknown platform 'tiktok'",
    ),
    (
        "negative_audience_share",
        PLATFORMS + '[users]\naudiences = { "friends" = 1.5, "business" = -0.5 }',
        [],
        "users.audiences.'business' = -0.5",
    ),
    (
        "unknown_platform_key",
        '[[platforms]]\nname = "friends"\nsell_tolerence = 0.5',
        [],
        "unknown key 'platforms[0].sell_tolerence'; did you mean 'sell_tolerance'",
    ),
    (
        "unknown_brand_platform_key",
        PLATFORMS + "[[brands]]\nplatforms = { friends = { sell = 0.5 } }",
        [],
        "unknown key 'brands[0].platforms.friends.sell'",
    ),
    (
        "sell_tolerance_above_one",
        '[[platforms]]\nname = "friends"\nsell_tolerance = 1.5',
        [],
        "platforms[0].sell_tolerance = 1.5",
    ),
    (
        "duplicate_platform_names",
        '[[platforms]]\nname = "a"\n[[platforms]]\nname = "a"',
        [],
        "platforms: names must be unique",
    ),
    (
        "audiences_without_platforms",
        '[users]\naudiences = { "friends" = 1.0 }',
        [],
        "users.audiences = {'friends': 1.0}: needs [[platforms]]",
    ),
    (
        "platforms_community_effort_out_of_range",
        PLATFORMS + "[mechanisms]\ncommunity = true\n[[brands]]\ncommunity_effort = 1.5",
        [],
        "brands[0].community_effort = 1.5",
    ),
    (
        "platforms_reacting_bad_ad_load_max",
        PLATFORMS + "[mechanisms]\nplatform_reacts = true\n[rules]\nad_load_max = 1.5",
        [],
        "rules.ad_load_max = 1.5",
    ),
    ("unknown_rule", "[rules]\nengage_pich = 0.1", [], "'rules.engage_pich'"),
    ("zero_segments", "[users]\nsegments = 0", [], "users.segments = 0"),
    (
        "duplicate_brand_names",
        '[[brands]]\nname = "a"\n[[brands]]\nname = "a"',
        [],
        "names must be unique",
    ),
    ("unknown_metric_kept", '[output]\nmetrics = ["conversion"]', [], "'conversion' is not"),
    ("keep_every_zero_days", "[output]\nevery = 0", [], "output.every = 0"),
    ("keep_no_metric", "[output]\nmetrics = []", [], "output.metrics = []"),
    ("patterns_not_bool", 'patterns = "yes"', [], "patterns = 'yes'"),
    (
        "patterns_with_scenarios",
        'patterns = true\n[[scenarios]]\nname = "a"',
        [],
        "remove [[scenarios]]",
    ),
    (
        "patterns_two_brands",
        'patterns = true\n[[brands]]\nname = "a"\n[[brands]]\nname = "b"',
        [],
        "exactly one brand",
    ),
    ("missing_ensemble_file", 'ensemble = "/no/such/ensemble.parquet"', [], "ensemble"),
    (
        "ensemble_parameters_alone",
        'ensemble_parameters = ["rules.engage_pitch"]',
        [],
        "ensemble_parameters is given but ensemble is not",
    ),
    ("description_not_text", "description = 3", [], "description = 3"),
    ("name_with_space", 'name = "my run"', [], "name = 'my run'"),
    ("name_too_long", f'name = "{"x" * 81}"', [], "at most 80"),
    (
        "sweep_zero_samples",
        '[sweep]\nmethod = "lhs"\nsamples = 0\n[sweep.parameters]\n'
        '"users.skepticism" = { low = 0.1, high = 0.5 }',
        [],
        "sweep.samples = 0",
    ),
    (
        "sweep_misspelt_key",
        '[sweep]\nmethd = "lhs"\n[sweep.parameters]\n"users.skepticism" = [0.1]',
        [],
        "unknown key 'sweep.methd'; did you mean 'method'",
    ),
    ("sweep_no_parameters", "[sweep]\n[sweep.parameters]", [], "sweep.parameters"),
    ("sweep_over_seed", '[sweep.parameters]\n"seed" = [1, 2]', [], "sweep over seed"),
    (
        "grid_range_without_num",
        '[sweep.parameters]\n"users.skepticism" = { low = 0.1, high = 0.5 }',
        [],
        "needs num",
    ),
    (
        "morris_one_parameter",
        '[sweep]\nmethod = "morris"\n[sweep.parameters]\n'
        '"users.skepticism" = { low = 0.1, high = 0.5 }',
        [],
        "at least 2 parameters",
    ),
    ("sweep_value_inf", '[sweep.parameters]\n"users.skepticism" = [0.1, inf]', [], "inf"),
    ("scenario_bad_name", '[[scenarios]]\nname = "a b"', [], "scenarios[0].name = 'a b'"),
    ("scenarios_not_tables", "scenarios = 3", [], "scenarios"),
    (
        "calendar_missing",
        '[[brands]]\nstrategy = "calendar"\ncalendar = "/no/such/calendar.csv"',
        [],
        "/no/such/calendar.csv",
    ),
    ("bass_p_above_one", "[bass]\np = 2.0\nq = 0.3", [], "bass.p = 2.0"),
    (
        "negative_pitch_budget",
        '[[brands]]\nstrategy = "pitch_first"\nparams = { pitch_budget = -5.0 }',
        [],
        "pitch_budget",
    ),
    ("graph_m_not_below_n", "", ["--set", "graph.m=60"], "graph.m = 60 must be smaller"),
    # command-line options
    ("set_index_past_the_end", "", ["--set", "brands[3].sell_share=0.5"], "'brands[3]"),
    ("set_unknown_path", "", ["--set", "users.skeptisism=0.3"], "users.skeptisism"),
    ("set_value_not_toml", "", ["--set", "steps=[1"], "steps = '[1'"),
    ("set_value_out_of_range", "", ["--set", "rules.trust_gain=2"], "rules.trust_gain = 2"),
    ("executor_unknown", "", ["--executor", "threads"], "executor = 'threads'"),
    ("scheduler_not_an_address", "", ["--scheduler", "not an address"], "--scheduler"),
    ("workers_not_a_number", "", ["--workers", "two"], "'--workers'"),
    ("replications_zero_option", "", ["--replications", "0"], "'--replications'"),
    ("seed_negative_option", "", ["--seed", "-1"], "'--seed'"),
    ("unknown_option", "", ["--bogus"], "--bogus"),
    ("ensemble_option_missing_file", "", ["--ensemble", "/no/such.parquet"], "/no/such.parquet"),
]


@pytest.mark.parametrize("case", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_bad_file_or_option_exits_2_with_one_line(case, tmp_path, capsys):
    _, text, extra, expected = case
    cfg = tmp_path / "bad.toml"
    cfg.write_text(BASE + text + "\n")
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_shares_and_community_run_with_platforms(tmp_path, capsys):
    """Shares and brand communities work with [[platforms]] (odd.md 7.12, 7.13, 7.16)."""
    cfg = tmp_path / "ok.toml"
    brand = "[[brands]]\ncommunity_effort = 0.3\n"
    cfg.write_text(BASE + PLATFORMS + "[mechanisms]\nshares = true\ncommunity = true\n" + brand)
    assert main(["run", str(cfg), "--out", str(tmp_path / "out")]) == 0, capsys.readouterr().err


# Python API


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: socialsim.simulate({"steps": 2, "replications": 3}), "is an experiment key"),
        (lambda: socialsim.simulate({"steps": 2, "graph": 5}), "graph = 5: expected a table"),
        (lambda: socialsim.simulate({"steps": -1}), "steps = -1"),
        (lambda: socialsim.simulate({"users": {"attention": float("inf")}}), "attention = inf"),
        (lambda: socialsim.SocialModel(3), "config must be a dict"),
        (lambda: socialsim.run_experiment(3), "an experiment is a TOML path or a dict"),
        (lambda: socialsim.run_experiment({"steps": 2}, workers=0), "workers = 0"),
        (lambda: socialsim.run_experiment({"steps": 2}, executor="x"), "executor = 'x'"),
        (
            lambda: socialsim.run_experiment({"steps": 2}, assignments=["brands[4].name=z"]),
            "'brands[4].name'",
        ),
        (
            lambda: socialsim.run_experiment({"steps": 2, "sweep": {"parameters": {}}}),
            "sweep.parameters",
        ),
    ],
)
def test_python_api_raises_config_error_naming_the_field(call, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        call()
    assert expected in str(info.value)
    assert not (tmp_path / "results").exists()


def test_platforms_with_the_reacting_platform_now_run(tmp_path, capsys):
    """[[platforms]] with mechanisms.platform_reacts (refused before odd.md 7.15 gave each
    platform its own ad load and time) runs: exit 0 and a results folder."""
    cfg = tmp_path / "ok.toml"
    cfg.write_text(BASE + PLATFORMS + "[mechanisms]\nplatform_reacts = true\n")
    out = tmp_path / "out"
    assert main(["run", str(cfg), "--out", str(out)]) == 0
    assert (out / "summary.csv").exists()
