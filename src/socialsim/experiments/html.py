"""``report.html``: one self-contained page that leads with the answer.

The page has the answer in plain words (:mod:`.answers`), the figures with captions (every
PNG embedded as a base64 data URI), the tables with parameter values as columns and numbers
rounded to 3 significant digits, the settings and the caveats. It is rendered from the
Jinja2 template ``socialsim/templates/report.html.j2`` with inline CSS and no script, font or
link to the network, so it opens offline, and written atomically
(:func:`.files.atomic_write`).

:func:`write_experiment_html` writes it for an experiment (``run``, ``report``, ``demo``);
:mod:`socialsim.calibration.report` builds the page of a calibration with :class:`Page`.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import htmltables as ht
from . import htmltext
from .answers import Claim, experiment_claims
from .files import atomic_write
from .htmltables import Column, Table

__all__ = [
    "REPORT",
    "Column",
    "Figure",
    "Page",
    "Table",
    "render",
    "write_experiment_html",
    "write_page",
]

#: File name of the report in an output folder.
REPORT = "report.html"
#: CSV tables the experiment page reads (when written).
CSV_TABLES = (
    "summary.csv",
    "differences.csv",
    "best.csv",
    "sensitivity.csv",
    "bass.csv",
    "discovery.csv",
)


@dataclass(frozen=True)
class Figure:
    """An embedded PNG: its file name, caption and data URI."""

    name: str
    file: str
    caption: str
    uri: str
    alt: str


@dataclass
class Page:
    """Everything the template shows."""

    title: str
    subtitle: str
    claims: list[Claim]
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    settings: list[tuple[str, str]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    details: str = ""
    answer_note: str = ""
    version: str = ""


def figure(path: Path, caption: str, root: Path | None = None) -> Figure:
    """Embed the PNG at ``path`` as a data URI."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    file = path.relative_to(root).as_posix() if root is not None else path.name
    return Figure(path.stem, file, caption, f"data:image/png;base64,{data}", caption[:150])


_WORDS = re.compile(r"\b(ahead|behind|no clear difference)\b")


def _verdicts(text: str) -> Any:
    """Escape ``text`` and colour the verdict words."""
    from markupsafe import Markup, escape

    css = {"ahead": "word-ahead", "behind": "word-behind", "no clear difference": "word-unclear"}
    html = _WORDS.sub(
        lambda m: f'<span class="{css[m.group(1)]}">{m.group(1)}</span>', escape(text)
    )
    return Markup(html)


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("socialsim", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["verdicts"] = _verdicts
    return env


def render(page: Page) -> str:
    """The HTML text of ``page``."""
    from .. import __version__

    page.version = page.version or __version__
    return _environment().get_template("report.html.j2").render(page=page)


def write_page(path: str | Path, page: Page) -> Path:
    """Render ``page`` and write it atomically to ``path``."""
    text = render(page)
    return atomic_write(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def read_tables(outdir: str | Path) -> dict[str, pd.DataFrame]:
    """The report's CSV tables present in ``outdir`` (see :data:`CSV_TABLES`)."""
    outdir = Path(outdir)
    return {name: pd.read_csv(outdir / name) for name in CSV_TABLES if (outdir / name).is_file()}


def write_experiment_html(
    outdir: str | Path,
    runs: pd.DataFrame,
    manifest: dict[str, Any],
    tables: dict[str, pd.DataFrame | None] | None = None,
    figure_captions: dict[str, str] | None = None,
) -> Path:
    """Write ``outdir/report.html`` for an experiment.

    ``tables`` are the report's tables keyed by CSV name (the DataFrames written as
    ``summary.csv``, ``best.csv``, ...; read from ``outdir`` when None); every PNG in
    ``outdir/figures`` is embedded, captioned by file name (``figure_captions`` overrides a
    caption, keyed by file name).
    """
    outdir = Path(outdir)
    if tables is None:
        tables = read_tables(outdir)
    present = {k: v for k, v in tables.items() if v is not None}
    claims = experiment_claims(runs, manifest, present)
    figs = []
    for path in htmltext.ordered(sorted((outdir / "figures").glob("*.png"))):
        text = (figure_captions or {}).get(path.name) or htmltext.caption(path, runs, manifest)
        figs.append(figure(path, text, outdir))
    reps = int(manifest.get("replications") or runs["replication"].nunique())
    page = Page(
        title=f"{manifest.get('name', outdir.name)}: report",
        subtitle=str(manifest.get("description") or ""),
        claims=claims,
        figures=figs,
        tables=tables_for(present, manifest),
        settings=htmltext.experiment_settings(manifest, runs),
        caveats=htmltext.experiment_caveats(manifest, reps),
        details=json.dumps(htmltext.slim(manifest), indent=2, default=str),
        answer_note=_answer_note(reps, manifest),
    )
    return write_page(outdir / REPORT, page)


def tables_for(present: dict[str, pd.DataFrame], manifest: dict[str, Any]) -> list[Table]:
    """The page's tables, in the order a reader wants them."""
    out = []
    if manifest.get("patterns"):
        out.append(ht.pattern_table(present["summary.csv"]))
        if "discovery.csv" in present:
            out.append(ht.plain_table(present["discovery.csv"], "discovery.csv"))
        return out
    if "best.csv" in present:
        out.append(ht.best_table(present["best.csv"]))
    if "differences.csv" in present and not present["differences.csv"].empty:
        out.append(ht.differences_table(present["differences.csv"], manifest))
    out.append(ht.summary_table(present["summary.csv"], manifest))
    if "sensitivity.csv" in present:
        out.append(ht.plain_table(present["sensitivity.csv"], "sensitivity.csv"))
    if "bass.csv" in present:
        out.append(ht.bass_table(present["bass.csv"]))
    return out


def _answer_note(reps: int, manifest: dict[str, Any]) -> str:
    if manifest.get("patterns"):
        return (
            f"A pattern is judged at each sample point on the means of {reps} replication"
            f"{'s' if reps != 1 else ''}; the interval is the 95% Wilson interval of the share."
        )
    if reps < 2:
        return "A single run has no interval: rerun with more replications before relying on it."
    return (
        f"Intervals are 95% intervals over {reps} replications; differences are paired by "
        "replication (the same seeds in every scenario and sweep point). A difference whose "
        "interval includes 0 is reported as no clear difference."
    )
