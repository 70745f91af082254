"""The demo (``socialsim demo``): its caption says ahead, behind or no clear difference from
paired intervals, and it writes report.html with the demo figure first."""

from __future__ import annotations

import re

import pandas as pd

from socialsim.cli import main
from test_html_report import SELL, claims


def demo_runs(day30: dict[str, list[float]], last: dict[str, list[float]], steps: int = 60):
    """A runs table of the three mixes (and 0.5) whose cumulative conversions are linear to
    day 30 and from there to the last day, per replication."""
    from socialsim.mixes import MIXES

    rows = []
    shares = {**MIXES, "other": 0.5}
    for point, (name, share) in enumerate(shares.items()):
        early = day30.get(name, day30["serve only"])
        late = last.get(name, last["serve only"])
        for rep, (a, b) in enumerate(zip(early, late, strict=True)):
            for step in range(1, steps + 1):
                value = a * step / 30 if step <= 30 else a + (b - a) * (step - 30) / (steps - 30)
                rows.append(
                    {
                        "run_id": f"base/p{point:04d}/r{rep:03d}",
                        "scenario": "base",
                        "point": point,
                        "replication": rep,
                        "seed": 100 + rep,
                        SELL: share,
                        "step": step,
                        "brand": "brand",
                        "conversions_total": value,
                        "mean_trust": 0.5,
                        "backlash": 0.01,
                    }
                )
    return pd.DataFrame(rows)


def test_demo_caption_overlapping_intervals_say_no_clear_difference():
    """The case of issue 12: 14.2 (CI 8-20) against 12.5 (CI 3-22) over 4 runs."""
    from socialsim.experiments.demo import demo_caption

    runs = demo_runs(
        {
            "balanced": [8, 20, 12, 16.8],
            "hard sell": [22, 3, 15, 10],
            "serve only": [12, 9, 18, 10],
        },
        {
            "balanced": [400, 420, 390, 410],
            "hard sell": [300, 310, 280, 305],
            "serve only": [200] * 4,
        },
    )
    caption = demo_caption(runs)
    assert "vs hard sell (0.9): no clear difference by day 30 (14.2 vs 12.5 conversions" in caption
    assert "vs serve only (0): no clear difference by day 30" in caption
    assert "ahead by day 60" in caption and "clearly ahead until" not in caption


def test_demo_caption_separated_intervals_say_ahead_and_behind():
    from socialsim.experiments.demo import demo_caption

    runs = demo_runs(
        {"balanced": [10, 12, 11, 13], "hard sell": [20, 22, 21.5, 23], "serve only": [5, 6, 5, 7]},
        {
            "balanced": [400, 420, 390, 410],
            "hard sell": [300, 310, 280, 305],
            "serve only": [200, 210, 190, 205],
        },
    )
    caption = demo_caption(runs)
    assert "vs hard sell (0.9): behind by day 30" in caption
    assert "ahead by day 60" in caption and "vs serve only (0): ahead by day 30" in caption
    assert re.search(
        r"hard sell clearly ahead until day \d+, balanced clearly ahead on every day", caption
    )
    assert "Best sell share for cumulative conversions (purchases) by day 60: 0.3" in caption


def test_demo_writes_report(tmp_path, monkeypatch, capsys):
    from socialsim.experiments import demo

    small = {**demo.DEMO, "steps": 35, "replications": 2, "graph": {"n": 250, "m": 3}}
    monkeypatch.setattr(demo, "DEMO", small)
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.strip().splitlines()[-1].startswith(f"report: {out / 'report.html'}")
    page = (out / "report.html").read_text()
    assert 'id="fig-demo"' in page and page.index('id="fig-demo"') < page.index(
        'id="fig-timeseries"'
    )
    texts = [t for _, t in claims(page)]
    assert texts[0].startswith("Best sell share:")
    caption = printed.split("\nfigure:")[0]
    for text in texts[1:3]:  # the mix claims are the caption's sentences
        assert text in caption
