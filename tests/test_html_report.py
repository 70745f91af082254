"""report.html: written by run, report, demo and calibrate; its headline numbers equal the
CSVs; it is self-contained (no network reference, every image a data URI) and opens from
file:// in chromium without console errors (the demo's report: tests/test_demo_report.py).

The browser test drives Debian's chromium with Playwright; without chromium it is skipped
with a message, unless ``SOCIALSIM_REQUIRE_BROWSER=1`` makes that a failure. The
screenshot is saved in ``tests/artifacts/report.png``.
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from socialsim.cli import main
from socialsim.experiments import run_experiment
from socialsim.experiments.answers import fmt
from socialsim.experiments.report import rebuild

from conftest import ARTIFACTS, CHROMIUM_ARGS

SELL = "brands[0].sell_share"
GRAPH = {"kind": "barabasi_albert", "n": 200, "m": 3}


def sweep_experiment(**over) -> dict:
    """A grid over the three mixes' sell shares with optimize: 9 runs of 200 users x 40 days."""
    exp = {
        "name": "mix_sweep",
        "description": "Sell share against conversions.",
        "steps": 40,
        "seed": 3,
        "replications": 3,
        "graph": GRAPH,
        "brands": [{"name": "brand", "posts_per_day": 2.0}],
        "sweep": {"method": "grid", "parameters": {SELL: [0.0, 0.3, 0.9]}, "optimize": SELL},
    }
    exp.update(over)
    return exp


def scenario_experiment() -> dict:
    """Two scenarios x a 2-point grid x 3 replications on 150 users for 30 days."""
    return {
        "name": "two_scenarios",
        "steps": 30,
        "seed": 11,
        "replications": 3,
        "graph": {"kind": "barabasi_albert", "n": 150, "m": 2},
        "scenarios": [
            {"name": "serve", "brands": [{"sell_share": 0.1}]},
            {"name": "sell", "set": {"brands[0].sell_share": 0.9}},
        ],
        "sweep": {"method": "grid", "parameters": {"users.skepticism": [0.2, 0.6]}},
    }


@pytest.fixture(scope="module")
def sweep_run(tmp_path_factory):
    return run_experiment(
        sweep_experiment(), out=tmp_path_factory.mktemp("sweep") / "out", progress=False
    )


@pytest.fixture(scope="module")
def scenario_run(tmp_path_factory):
    return run_experiment(
        scenario_experiment(), out=tmp_path_factory.mktemp("scen") / "out", progress=False
    )


# ----------------------------------------------------------------------------------------
# reading the page


def plain(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).replace(" :", ":")


def claims(page: str, with_items: bool = False) -> list[tuple[str, str]]:
    """(source, plain text) of every claim of the answer (its lines below it only when
    ``with_items``)."""
    found = re.findall(r'<li class="claim" data-source="([^"]*)">(.*?)</li>', page, re.S)
    out = []
    for src, body in found:
        body = re.sub(r'<span class="source">.*?</span>', "", body, flags=re.S)
        if not with_items:
            body = re.sub(r'<div class="item">.*?</div>', "", body, flags=re.S)
        out.append((src, plain(body)))
    return out


NUMBER = r"[+-]?\d[\d,]*(?:\.\d+)?(?:e[+-]\d+)?"


def numbers(text: str) -> list[float]:
    """Every number of ``text`` but the '95' of '95% interval'."""
    text = text.replace("95% interval", "").replace("95% Wilson interval", "")
    return [float(x.replace(",", "")) for x in re.findall(NUMBER, text)]


def shown(value: float, text_value: float) -> bool:
    """``text_value`` is ``value`` rounded to 3 significant digits."""
    if value == 0:
        return text_value == 0
    step = 10 ** (math.floor(math.log10(abs(value))) - 2)
    return abs(text_value - value) <= 0.5 * step * (1 + 1e-9)


def test_fmt_rounds_to_three_significant_digits():
    assert [fmt(v) for v in (96.2345, 104.9, 1234.5, 0.30000000000000004, 0.000849747)] == [
        "96.2",
        "105",
        "1,230",
        "0.3",
        "0.00085",
    ]
    assert fmt(3.0, signed=True) == "+3" and fmt(-0.5, signed=True) == "-0.5"
    assert fmt(float("nan")) == "n/a" and fmt(True) == "on" and fmt(0.0) == "0"


# ----------------------------------------------------------------------------------------
# written by run and report; headline numbers equal the CSVs


def test_run_writes_report_and_rebuild_gives_the_same_page(sweep_run, tmp_path):
    out = sweep_run.out
    page = out / "report.html"
    assert sweep_run.files["report.html"] == page and page.is_file()
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("runs.parquet", "manifest.json"):
        shutil.copy(out / name, copy / name)
    files = rebuild(copy)
    assert files["report.html"].read_text() == page.read_text()  # deterministic


def test_best_claim_equals_best_csv(sweep_run):
    best = pd.read_csv(sweep_run.out / "best.csv").iloc[0]
    text = next(
        t for src, t in claims((sweep_run.out / "report.html").read_text()) if src == "best.csv"
    )
    m = re.search(
        rf"Best sell share: ({NUMBER}) \(95% interval ({NUMBER}) to ({NUMBER})\).*mean ({NUMBER})",
        text,
    )
    assert m, text
    for got, key in zip(
        m.groups(), ("best", "best_ci_low", "best_ci_high", "best_mean"), strict=True
    ):
        assert shown(best[key], float(got.replace(",", ""))), (key, got, best[key])


def test_mix_claims_equal_the_summary_means(sweep_run):
    """Balanced's and the other mix's means by day 30 and the last day are summary.csv's
    conversions_day30 and conversions_total means at those sell shares."""
    summary = pd.read_csv(sweep_run.out / "summary.csv")
    page = (sweep_run.out / "report.html").read_text()
    mixes = [t for src, t in claims(page) if t.startswith("Balanced (sell share 0.3) vs")]
    assert len(mixes) == 2

    def mean(share: float, metric: str) -> float:
        row = summary[np.isclose(summary[SELL], share) & (summary["metric"] == metric)]
        return float(row["mean"].iloc[0])

    for text, other in zip(mixes, (0.0, 0.9), strict=True):
        for day, metric in ((30, "conversions_day30"), (40, "conversions_total")):
            m = re.search(rf"by day {day} \(({NUMBER}) vs ({NUMBER}) conversions", text)
            assert m, text
            assert shown(mean(0.3, metric), float(m.group(1)))
            assert shown(mean(other, metric), float(m.group(2)))
        assert re.search(r"(ahead|behind|no clear difference) by day 30", text)


def test_difference_claims_equal_differences_csv(scenario_run):
    diff = pd.read_csv(scenario_run.out / "differences.csv")
    page = (scenario_run.out / "report.html").read_text()
    found = re.findall(r'<li class="claim" data-source="differences.csv">(.*?)</li>', page, re.S)
    assert len(found) == 1 and plain(found[0]).startswith("sell vs serve:")
    items = [plain(i) for i in re.findall(r'<div class="item">(.*?)</div>', found[0], re.S)]
    assert len(items) == 3  # conversions, trust, backlash
    for text, metric in zip(items, ("conversions_total", "mean_trust", "backlash"), strict=True):
        rows = diff[diff["metric"] == metric]
        if "no clear difference at any of the 2 sweep points" in text:
            assert ((rows["ci_low"] <= 0) & (rows["ci_high"] >= 0)).all(), text
            continue
        segments = text.split(": ", 1)[1].split("; ")
        assert len(segments) == len(rows) == 2
        for segment, (_, row), level in zip(segments, rows.iterrows(), ("0.2", "0.6"), strict=True):
            assert segment.startswith(f"audience scepticism {level}:"), segment
            got = numbers(segment.split(":", 1)[1])
            assert len(got) == 3, segment
            for g, key in zip(got, ("mean_diff", "ci_low", "ci_high"), strict=True):
                assert shown(row[key], g), (segment, key, row[key])
            includes_zero = row["ci_low"] <= 0 <= row["ci_high"]
            assert ("no clear difference" in segment) == includes_zero, segment


def test_summary_claims_equal_summary_csv_and_a_single_run_has_no_interval(tmp_path):
    exp = sweep_experiment(name="one", sweep=None, replications=1, steps=20)
    res = run_experiment(exp, out=tmp_path / "one", progress=False)
    summary = pd.read_csv(res.out / "summary.csv").set_index("metric")
    page = (res.out / "report.html").read_text()
    found = dict((t.split(":", 1)[0], t) for src, t in claims(page) if src == "summary.csv")
    text = found["Cumulative conversions (purchases)"]
    assert "a single run has no interval" in text
    assert shown(summary.loc["conversions_total", "mean"], numbers(text.split(": ", 1)[1])[0])
    assert "A single run has no interval" in page  # the caveat


def test_report_is_self_contained(sweep_run):
    page = (sweep_run.out / "report.html").read_text()
    refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page)
    assert not [r for r in refs if re.match(r"\s*(https?:)?//", r)], refs
    assert not re.search(r"<(script|link|iframe|object)\b", page)
    assert "@import" not in page and "url(" not in page
    images = re.findall(r'<img[^>]*src="([^"]*)"', page)
    figures = sorted((sweep_run.out / "figures").glob("*.png"))
    assert len(images) == len(figures) >= 2
    assert all(src.startswith("data:image/png;base64,") for src in images)


def test_stale_report_is_removed_when_the_page_fails(sweep_run, tmp_path, monkeypatch):
    from socialsim.experiments import html

    out = tmp_path / "copy"
    shutil.copytree(sweep_run.out, out)
    assert (out / "report.html").is_file()

    def broken(*args, **kwargs):
        raise RuntimeError("template trouble")

    monkeypatch.setattr(html, "write_experiment_html", broken)
    with pytest.raises(RuntimeError, match="template trouble"):
        rebuild(out)
    assert not (out / "report.html").exists()
    assert not list(out.glob(".report.html.*"))


def test_report_command_prints_the_page(sweep_run, tmp_path, capsys):
    out = tmp_path / "copy"
    shutil.copytree(sweep_run.out, out)
    assert main(["report", str(out)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith(f"report: {out / 'report.html'}")


def test_pattern_experiment_shows_the_robustness_shares(tmp_path):
    from test_robustness import _tiny

    res = run_experiment(_tiny(), out=tmp_path / "rb", progress=False)
    shares = pd.read_csv(res.out / "summary.csv").set_index("pattern")
    found = claims((res.out / "report.html").read_text())
    assert len(found) == len(shares)
    for (_, text), (name, row) in zip(found, shares.iterrows(), strict=True):
        got = numbers(text.split("samples)", 1)[0].split("holds in", 1)[1])
        assert len(got) == 5, text  # share, low, high (in %), holds, samples
        for g, v in zip(got[:3], row[["share", "ci_low", "ci_high"]], strict=True):
            assert shown(100 * v, g), (name, g, v)
        assert got[3:] == [row["holds"], row["samples"]]


def test_calibration_writes_its_report(tmp_path):
    from socialsim.calibration.calibrate import calibrate
    from test_calibration import small

    res = calibrate(small(tmp_path), out=tmp_path / "cal", trials=4, progress=False)
    page = (tmp_path / "cal" / "report.html").read_text()
    assert res.files["report.html"] == tmp_path / "cal" / "report.html"
    fit = pd.read_csv(tmp_path / "cal" / "fit.csv")
    texts = [t for src, t in claims(page) if t.startswith("Inside the 90% band")]
    for window, text in zip(("fit", "validate"), texts, strict=False):
        rows = fit[(fit["window"] == window) & fit["observed"].notna()]
        k = int(rows["inside"].astype(bool).sum())
        assert f"({k} of {len(rows)};" in text
        assert shown(100 * k / len(rows), numbers(text.split("):", 1)[1])[0])
    assert page.count('src="data:image/png;base64,') == 1  # fit.png

    # `socialsim report` rebuilds a calibration's page from its saved files, the same page
    (tmp_path / "cal" / "report.html").unlink()
    assert main(["report", str(tmp_path / "cal")]) == 0
    assert (tmp_path / "cal" / "report.html").read_text() == page
    (tmp_path / "cal" / "ensemble.parquet").unlink()
    assert main(["report", str(tmp_path / "cal")]) == 2  # names the missing file


# ----------------------------------------------------------------------------------------
# the browser


def test_report_opens_offline_in_chromium(sweep_run, chromium_path):
    from playwright.sync_api import sync_playwright

    page_file = sweep_run.out / "report.html"
    best = pd.read_csv(sweep_run.out / "best.csv").iloc[0]
    errors: list[str] = []
    requests: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            headline = page.get_by_text(f"Best sell share: {fmt(best['best'])}").first
            assert headline.is_visible()
            assert page.locator("#answer").is_visible()
            sizes = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
            assert sizes and all(w > 100 for w in sizes)  # every figure decoded
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


def test_manifest_of_the_sweep_is_in_the_settings(sweep_run):
    page = (sweep_run.out / "report.html").read_text()
    manifest = json.loads((sweep_run.out / "manifest.json").read_text())
    assert str(manifest["master_seed"]) in page and manifest["socialsim_version"] in page
    assert "3 replications" in page
