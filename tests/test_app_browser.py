"""Classroom page in a real browser: one model per session, readable at 1024x768, no framework
internals, no console errors, the controls, play, reset and the preset.

The tests start ``socialsim app`` and drive Debian's chromium with Playwright (``.ci/run``
installs chromium with apt). Without chromium they are skipped with a message, unless
``SOCIALSIM_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure. Screenshots are
saved in ``tests/artifacts/`` (``app_1024x768.png``, ``app.png``).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from socialsim.page_model import CONTROLS

from conftest import ARTIFACTS, CHROMIUM_ARGS

#: Framework internals the page must not show (Mesa's SolaraViz controls, Solara's banners).
INTERNALS = ("PAGE 0", "Page 0", "Play Interval", "Render Interval", "Use Threads")
INTERNALS += ("runs on Solara", "Made with", "New version")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(chromium_path):
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
    server_log = (ARTIFACTS.parent / ".app-server.log").read_text()
    assert "New version of Solara" not in server_log  # no version nag, no PyPI look-up


@pytest.fixture(scope="module")
def browser(app_url, chromium_path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Session:
    """One browser context (one student) on the page, recording console errors and failed
    requests (the page must load nothing from a CDN and nothing that 404s)."""

    def __init__(self, browser, url: str, width: int = 1024, height: int = 768) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None,
        )
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on(  # offline: everything comes from the page's own server
            "request",
            lambda r: (
                None
                if r.url.startswith((url, "data:", "blob:"))
                else self.problems.append(f"elsewhere: {r.url}")
            ),
        )
        self.page.on(
            "response",
            lambda r: self.problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
        )
        self.page.goto(url, timeout=120_000)
        self.page.get_by_text("Day 0.").wait_for(timeout=120_000)

    def day(self) -> str:
        return self.page.inner_text(".ss-day")

    def step(self, to_day: int) -> None:
        self.page.get_by_role("button", name="Step").click()
        self.page.get_by_text(f"Day {to_day} of").wait_for(timeout=60_000)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


def _within_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def test_page_is_readable_at_1024x768(browser, app_url):
    s = Session(browser, app_url)
    page = s.page
    page.wait_for_timeout(1500)  # charts drawn
    page.screenshot(path=str(ARTIFACTS / "app_1024x768.png"))
    button = page.get_by_role("button", name="Run the relationship myth")
    heading = page.get_by_role("heading", name="Relationship myth: which mix sells more?")
    assert _within_viewport(page, button) and _within_viewport(page, heading)
    last = page.get_by_text(CONTROLS[-1].label, exact=True)  # every control fits (no scrolling)
    assert _within_viewport(page, last), CONTROLS[-1].label
    text = page.inner_text("body")
    for internal in INTERNALS:
        assert internal not in text, internal
    for c in CONTROLS:  # every slider's (and the select's) value is printed next to it
        assert isinstance(c.default, bool) or c.show(c.default) in text, c.name
    assert "0.30" in text  # the sell-share slider's value
    images = page.eval_on_selector_all("img", "els => els.map(e => e.getBoundingClientRect())")
    assert len(images) == 4 and all(r["width"] >= 330 and r["height"] >= 200 for r in images)
    s.close()


def test_each_session_has_its_own_model(browser, app_url):
    a = Session(browser, app_url)
    for day in (1, 2, 3):
        a.step(day)
    b = Session(browser, app_url)  # a second student, opened afterwards
    assert b.day() == "Day 0 of 365" and a.day() == "Day 3 of 365"
    b.step(1)
    a.page.wait_for_timeout(1000)
    assert a.day() == "Day 3 of 365" and b.day() == "Day 1 of 365"
    a.step(4)
    assert b.day() == "Day 1 of 365"
    a.close()
    b.close()


def test_controls_play_reset_and_the_preset(browser, app_url):
    s = Session(browser, app_url, width=1024, height=1500)
    page = s.page
    before = page.eval_on_selector_all("img", "els => els.map(e => e.src)")
    s.step(1)
    page.wait_for_timeout(1000)
    assert page.eval_on_selector_all("img", "els => els.map(e => e.src)") != before

    # play, then pause: days advance on their own
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => parseInt(document.querySelector('.ss-day').innerText.split(' ')[1]) >= 3",
        timeout=60_000,
    )
    page.get_by_role("button", name="Pause").click()

    # change a control, reset: the model is rebuilt with it
    page.get_by_text("promotion disclosed").click()
    page.get_by_text("press Reset to apply").wait_for(timeout=30_000)
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Day 0.").wait_for(timeout=60_000)
    assert "covert" in page.inner_text("body")  # the rebuilt model is covert
    s.step(1)

    # the relationship-myth preset: every mix on the same seeds, verdicts from intervals
    page.get_by_role("button", name="Run the relationship myth").click()
    page.get_by_text("runs done").wait_for(timeout=30_000)  # the progress message
    page.get_by_text("By day 365").first.wait_for(timeout=180_000)
    text = page.inner_text(".ss-verdicts")
    assert "By day 30" in text and "95% CI" in text and "lead" not in text
    said = [w for w in ("is ahead of", "is behind", "shows no clear difference from") if w in text]
    assert said and text.count("balanced") >= 4  # versus serve only and hard sell, twice
    page.screenshot(path=str(ARTIFACTS / "app.png"), full_page=True)
    s.close()
    assert (ARTIFACTS / "app.png").stat().st_size > 30_000
