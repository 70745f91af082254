"""Classroom page: the model behind the controls, the views' data, and a real browser test.

The browser test starts ``socialsim app`` and drives Debian's chromium with Playwright
(``.ci/run`` installs chromium with apt). Without chromium it is skipped with a message,
unless ``SOCIALSIM_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure. The
screenshot is saved in ``tests/artifacts/app.png``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from socialsim import ConfigError
from socialsim.app import (
    PRESET,
    SAMPLE_NODES,
    ClassroomModel,
    make_page,
    preset_winners,
    run_preset,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_controls_build_the_model():
    m = ClassroomModel(
        sell_share=0.7, strategy="adaptive", disclosed=False, users=300, seed=3, skepticism=0.6
    )
    brand = m.config.brands[0]
    assert (brand.sell_share, brand.strategy, brand.disclosed) == (0.7, "adaptive", False)
    assert m.config.users.skepticism == 0.6 and m.state.n_users == 300
    with pytest.raises(ConfigError, match=r"sell_share = 1\.5"):
        ClassroomModel(sell_share=1.5, users=300)


def test_model_stops_at_its_horizon():
    m = ClassroomModel(users=200, steps=5)
    for _ in range(8):
        m.step()
    assert len(m.metrics()) == 5 and not m.running


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


def test_preset_runs_three_mixes_on_one_graph_and_names_the_winners():
    controls = dict(
        sell_share=0.3,
        posts_per_day=2.0,
        strategy="static",
        skepticism=0.4,
        commercialization=0.2,
        support_capacity=20.0,
        disclosed=True,
        users=400,
        seed=4,
        steps=60,
    )
    df = run_preset(controls)
    assert list(df["mix"].unique()) == list(PRESET)
    assert (df.groupby("mix")["step"].max() == 60).all()
    table = preset_winners(df, days=(30, 60))
    for _, row in table.iterrows():
        values = {mix: row[mix] for mix in PRESET}
        assert row["winner"] == max(values, key=values.get)
    # same graph and seed: pure serve and hard sell start from the same users
    first = df[df["step"] == 1].set_index("mix")["aware"]
    assert np.ptp(first.to_numpy()) <= 0.2 * first.mean() + 5


def test_page_builds():
    assert make_page(ClassroomModel(users=200)) is not None


# ----------------------------------------------------------------------------- browser
def _chromium() -> str | None:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    if _chromium() is None:
        if os.environ.get("SOCIALSIM_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("browser test: chromium not installed (apt-get install chromium)")
    port = _free_port()
    cmd = [sys.executable, "-m", "socialsim.cli", "app", "--port", str(port)]
    log = open(ARTIFACTS.parent / ".app-server.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"socialsim app exited early ({proc.returncode})")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("socialsim app did not answer within 120 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _images(page) -> list[str]:
    return page.eval_on_selector_all("img", "els => els.map(e => e.src)")


def test_page_in_a_real_browser(app_url):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1400})
            page.goto(app_url, timeout=120_000)
            page.get_by_text("Day 0.").wait_for(timeout=120_000)
            before = _images(page)
            assert len(before) >= 3  # time series, favour bank, network picture

            # step: the day counter and the charts change
            page.get_by_role("button", name="Step").click()
            page.get_by_text("Day 1").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)
            after = _images(page)
            assert after != before

            # change a control, reset, step: the model is rebuilt with it
            page.get_by_text("promotion disclosed").click()
            page.get_by_role("button", name="Reset").click()
            page.get_by_text("Day 0.").wait_for(timeout=60_000)
            assert "covert" in page.inner_text("body")  # the rebuilt model is covert
            for _ in range(3):
                page.get_by_role("button", name="Step").click()
                page.wait_for_timeout(400)
            page.get_by_text("Day 3").first.wait_for(timeout=60_000)

            # the relationship-myth preset: three mixes, winners by day 30 and 365
            page.get_by_role("button", name="Run the relationship myth").click()
            page.get_by_text("by day 365").first.wait_for(timeout=180_000)
            text = page.inner_text("body")
            assert "by day 30" in text and "leads" in text
            page.screenshot(path=str(ARTIFACTS / "app.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "app.png").stat().st_size > 30_000
