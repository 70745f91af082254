"""The classroom page: the relationship myth, live, for a whole class at a projector.

Start it with ``socialsim app`` (binds 127.0.0.1:8765 by default) or ``solara run
socialsim.app``. Every browser tab (every session) gets its own model: a second student starts
on day 0 with the default controls and steps only their own model. Move the controls on the
left, press *Reset* to rebuild the model with them, then *Step* or *Play*. The page shows
trust and backlash, cumulative conversions, the favour bank and a picture of 200 users
coloured by status, and a *Run the relationship myth* button that runs serve only, balanced
and hard sell (:data:`socialsim.mixes.MIXES`) on the same seeds and says, from the intervals,
whether balanced is ahead, behind or shows no clear difference.

The model side (controls, model, preset, verdicts) lives in :mod:`socialsim.page_model`, the
charts in :mod:`socialsim.page_charts`; this module only lays them out with Solara.
"""

from __future__ import annotations

import html
import threading
import time
import warnings
from typing import Any

import pandas as pd
import solara

from . import page_charts as charts
from .config import ConfigError
from .mixes import MIXES
from .page_model import (
    CONTROLS,
    DEFAULTS,
    FOCUS,
    PRESET_REPLICATIONS,
    VERDICT_WORDS,
    ClassroomModel,
    Control,
    mean_with_interval,
    preset_seeds,
    preset_verdicts,
    run_preset,
    verdict_sentences,
)

TITLE = "socialsim: the relationship myth"
#: Speed of *Play*: days per second of wall time (a year in about half a minute).
DAYS_PER_SECOND = 12.0
#: Seconds between two pictures while playing.
FRAME = 0.3


def quiet_server() -> None:
    """Name the browser tab, show a plain loading bar without Solara's banner, turn off
    Solara's usage telemetry (a classroom page may run offline and should report nothing)
    and its warning about iframe cookies (the page is not embedded).

    Runs when solara imports this module, before the server starts serving pages.
    """
    from solara.server import settings

    settings.theme.show_banner = False
    settings.theme.loader = "plain"
    settings.theme.title = TITLE
    settings.telemetry.mixpanel_enable = False
    warnings.filterwarnings("ignore", "Cookies with samesite=none", UserWarning)


quiet_server()

# Compact, readable at 1024x768: 14 px body text, dense controls, no framework chrome.
CSS = """
.ss-page { font-size: 14px; line-height: 1.35; }
.v-sheet.ss-header { background: #1f5f99 !important; color: white; padding: 6px 14px; }
.ss-header h1 { font-size: 20px; font-weight: 500; margin: 0; }
.ss-day { font-size: 20px; font-weight: 600; margin-left: auto; }
.ss-side { width: 270px; min-width: 270px; padding: 8px 12px; border-right: 1px solid #ddd; }
.ss-main { flex: 1; min-width: 0; padding: 6px 12px; }
.ss-control { margin-bottom: 0; font-size: 13px; line-height: 1.2; }
.ss-control .v-input { margin-top: 0; padding-top: 0; }
.ss-control .v-input__slot { min-height: 24px; margin-bottom: 0; }
.ss-control .v-slider { margin: 0 4px; min-height: 24px; }
.ss-control .v-select .v-select__selections { min-height: 26px; padding: 0; }
.ss-control .v-input--checkbox { margin: 2px 0; }
.ss-value { font-weight: 600; font-variant-numeric: tabular-nums; }
.ss-hint { color: #b35900; font-weight: 600; }
.ss-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 12px; }
.ss-grid img { width: 100%; display: block; }
.ss-preset { border-top: 2px solid #1f5f99; margin-top: 8px; padding-top: 6px; }
.ss-preset h2 { font-size: 17px; font-weight: 600; margin: 0; }
.ss-verdicts { font-size: 14px; }
.ss-verdicts p { margin: 0 0 4px 0; }
.ss-verdicts ul { margin: 0 0 6px 0; padding-left: 18px; }
"""


def _html(text: str, tag: str = "div", classes: list[str] | None = None) -> None:
    """Escaped text with ``**bold**`` spans (no Markdown component: it pulls KaTeX from a CDN)."""
    parts = html.escape(text).split("**")
    inner = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
    solara.HTML(tag=tag, unsafe_innerHTML=inner, classes=classes or [])


def _bold_verdict(sentence: str) -> str:
    """The sentence, escaped, with its verdict words in bold."""
    text = html.escape(sentence)
    for words in VERDICT_WORDS.values():
        text = text.replace(f" {words} ", f" <b>{words}</b> ")
    return text


def describe(controls: dict[str, Any]) -> str:
    """The model's settings in one line (shown above the charts)."""
    c = controls
    return (
        f"sell share **{c['sell_share']:.2f}**, **{c['posts_per_day']:g}** posts/day, "
        f"**{c['strategy']}**, scepticism **{c['skepticism']:.2f}**, commercialization "
        f"**{c['commercialization']:.2f}**, support **{c['support_capacity']:g}**/day, "
        f"{'disclosed' if c['disclosed'] else 'covert'}, replies "
        f"**{c.get('reply_tone', 'none')}**, community "
        f"**{c.get('community_effort', 0.0):.2f}**, **{c.get('platform', 'one network')}**, "
        f"**{c['users']:,}** users, "
        f"seed {c['seed']}"
    )


def today_line(model: ClassroomModel) -> str:
    """Today's numbers for the brand (Day 0 before the first step)."""
    df = model.metrics()
    if df.empty:
        return "**Day 0.** Press Step or Play."
    r = df.iloc[-1]
    return (
        f"**Day {int(r['step'])}**: conversions **{int(r['conversions_total'])}**, "
        f"followers **{int(r['followers'])}**, mean trust **{r['mean_trust']:.2f}**, "
        f"backlash **{r['backlash']:.1%}**, customers **{int(r['customers'])}**"
    )


# ----------------------------------------------------------------------------- components
@solara.component
def ControlInput(control: Control, values: solara.Reactive[dict[str, Any]]) -> None:
    """One control with its current value printed next to its label."""
    value = values.value[control.name]

    def set_value(new: Any) -> None:
        if isinstance(control.default, int) and not isinstance(control.default, bool):
            new = round(new)
        values.value = {**values.value, control.name: new}

    with solara.Div(classes=["ss-control"]):
        if isinstance(control.default, bool):
            solara.Checkbox(label=control.label, value=bool(value), on_value=set_value)
        elif control.choices:
            solara.Select(
                label=control.label,
                values=list(control.choices),
                value=value,
                on_value=set_value,
                dense=True,
            )
        else:
            with solara.Row(justify="space-between", style={"align-items": "baseline"}):
                solara.Text(control.label)
                solara.Text(control.show(value), classes=["ss-value"])
            solara.v.Slider(
                v_model=value,
                on_v_model=set_value,
                min=control.low,
                max=control.high,
                step=control.step,
                dense=True,
                hide_details=True,
            )


@solara.component
def LiveCharts(model: ClassroomModel, version: int) -> None:
    """Trust and backlash, conversions, the favour bank and the network sample."""

    def draw() -> list[bytes]:
        df = model.metrics()
        h = model.horizon
        return [
            charts.png(charts.trust_backlash_figure(df, h)),
            charts.png(charts.conversions_figure(df, h)),
            charts.png(charts.favour_figure(df, h)),
            charts.png(charts.network_figure(model)),
        ]

    images = solara.use_memo(draw, [model, version])
    with solara.Div(classes=["ss-grid"]):
        for image in images:
            solara.Image(image, width="100%")


@solara.component
def Verdicts(result: pd.DataFrame) -> None:
    """Means with 95% intervals on day 30 and the last day, and balanced's verdicts."""
    table = solara.use_memo(lambda: preset_verdicts(result), [id(result)])
    sentences = verdict_sentences(table)
    with solara.Div(classes=["ss-verdicts"]):
        for day, rows in table.groupby("day", sort=True):
            first = rows.iloc[0]
            means = [f"{FOCUS} {mean_with_interval(first['focus_mean'], first['focus_ci'])}"]
            means += [
                f"{r['rival']} {mean_with_interval(r['rival_mean'], r['rival_ci'])}"
                for _, r in rows.iterrows()
            ]
            _html(f"**By day {day}**: purchases, mean (95% CI): " + ", ".join(means), "p")
            items = "".join(f"<li>{_bold_verdict(s)}</li>" for d, s in sentences if d == day)
            solara.HTML(tag="ul", unsafe_innerHTML=items)


@solara.component
def Preset(controls: dict[str, Any]) -> None:
    """Run every mix on the same seeds; draw mean lines with bands and say who is ahead."""
    request, set_request = solara.use_state(None)
    progress = solara.use_reactive((0, 0))

    def work() -> pd.DataFrame | None:
        if request is None:
            return None
        return run_preset(
            dict(request[1]), progress=lambda done, total: progress.set((done, total))
        )

    result = solara.use_thread(work, dependencies=[request], intrusive_cancel=False)
    busy = request is not None and result.state in (
        solara.ResultState.STARTING,
        solara.ResultState.WAITING,
        solara.ResultState.RUNNING,
    )
    value = result.value
    chart = solara.use_memo(
        lambda: None if value is None else charts.png(charts.preset_figure(value)), [id(value)]
    )
    seeds = preset_seeds(controls)
    mixes = ", ".join(f"{m} ({s:.1f})" for m, s in MIXES.items())

    def start() -> None:
        progress.set((0, len(MIXES) * PRESET_REPLICATIONS))
        set_request((0 if request is None else request[0] + 1, tuple(sorted(controls.items()))))

    with solara.Div(classes=["ss-preset"]):
        with solara.Row(style={"align-items": "center"}):
            solara.HTML(tag="h2", unsafe_innerHTML="Relationship myth: which mix sells more?")
            solara.Button(
                "Run the relationship myth", on_click=start, color="primary", disabled=busy
            )
        _html(
            f"Mixes (sell share): {mixes}. {PRESET_REPLICATIONS} runs each on the same seeds "
            f"({seeds[0]}-{seeds[-1]}) and this model's settings, {controls['steps']} days."
        )
        if busy:
            done, total = progress.value
            solara.ProgressLinear(100 * done / total if done and total else True)
            solara.Text(f"running: {done} of {total} runs done ...")
        elif result.error is not None:
            solara.Error(f"the preset failed: {result.error}")
        elif value is not None and dict(request[1]) != controls:
            solara.Text("The model's settings changed since this run: run the preset again.")
        elif value is not None:
            with solara.Row(style={"align-items": "flex-start"}):
                with solara.Div(style={"flex": "0 0 440px"}):
                    solara.Image(chart, width="100%")
                with solara.Div(style={"flex": "1"}):
                    Verdicts(result.value)


@solara.component
def Page() -> None:
    """The page of one browser session: its own model, controls, charts and preset."""
    first = solara.use_memo(lambda: ClassroomModel(**DEFAULTS), [])
    model = solara.use_reactive(first)
    values = solara.use_reactive(dict(DEFAULTS))
    version = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    error = solara.use_reactive("")
    lock = solara.use_memo(threading.Lock, [])

    def advance(days: int) -> None:
        with lock:
            m = model.value
            for _ in range(days):
                if not m.running:
                    break
                m.step()
        version.value += 1

    def play(cancel: threading.Event) -> None:
        last = time.monotonic()
        while playing.value and not cancel.wait(FRAME):
            now = time.monotonic()
            advance(max(1, round((now - last) * DAYS_PER_SECOND)))
            last = now
            if not model.value.running:
                playing.value = False

    solara.use_thread(play, dependencies=[playing.value], intrusive_cancel=False)

    def reset() -> None:
        playing.value = False
        try:
            with lock:
                model.value = ClassroomModel(**values.value)
            error.value = ""
        except ConfigError as exc:
            error.value = str(exc)
        version.value += 1

    m = model.value
    solara.Title(TITLE)
    solara.Style(CSS)
    with solara.Column(gap="0px", classes=["ss-page"]):
        with solara.Row(classes=["ss-header"], style={"align-items": "center"}):
            solara.HTML(tag="h1", unsafe_innerHTML=html.escape(TITLE))
            solara.Text(f"Day {m.today} of {m.horizon}", classes=["ss-day"])
        with solara.Row(gap="0px", style={"align-items": "flex-start"}):
            with solara.Column(gap="4px", classes=["ss-side"]):
                with solara.Row(gap="6px"):
                    solara.Button(
                        "Step",
                        on_click=lambda: advance(1),
                        color="primary",
                        disabled=playing.value or not m.running,
                    )
                    solara.Button(
                        "Pause" if playing.value else "Play",
                        color="primary",
                        on_click=lambda: playing.set(not playing.value),
                        disabled=not m.running,
                    )
                    solara.Button("Reset", on_click=reset, outlined=True)
                for control in CONTROLS:
                    ControlInput(control, values)
                if values.value != m.controls:
                    solara.Text("Controls changed: press Reset to apply.", classes=["ss-hint"])
                if error.value:
                    solara.Error(error.value)
            with solara.Column(gap="4px", classes=["ss-main"]):
                _html(today_line(m))
                _html("Model: " + describe(m.controls) + ". Change the controls, then Reset.")
                LiveCharts(m, version.value)
                Preset({**m.controls, "steps": m.horizon})


page = Page
