"""Helpers of the command line (:mod:`socialsim.cli`): its messages (errors, sizes and
durations, the headline table, best values, where the report is), warnings shown as one line,
and the checks of calibration files and ``--fit`` windows."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .config import ConfigError

if TYPE_CHECKING:
    from .experiments.spec import Experiment


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"socialsim: error: {message}", err=True)
    return typer.Exit(code)


def size_text(nbytes: float) -> str:
    return f"{nbytes / 1e9:,.1f} GB" if nbytes >= 1e9 else f"{nbytes / 1e6:.0f} MB"


def about(seconds: float) -> str:
    text = duration(seconds)
    return text if text.startswith("under") else f"about {text}"


def duration(seconds: float) -> str:
    if seconds < 1:
        return "under a second"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def print_headline(summary) -> None:
    """Final conversions, backlash and trust (means over replications) per scenario, sweep
    point (named by its parameter values) and brand, first 15 rows; for a pattern
    experiment, the share of the space where each pattern holds."""
    from .labels import title, value_text

    if "pattern" in summary.columns:
        for _, r in summary.iterrows():
            typer.echo(
                f"{r['pattern']:>4} holds at {r['holds']:>4} of {r['samples']} points: "
                f"{r['share']:4.0%} (95% CI {r['ci_low']:.0%}-{r['ci_high']:.0%})"
            )
        return
    metrics = ["conversions_total", "backlash", "mean_trust"]
    rows = summary[summary["metric"].isin(metrics)]
    if rows.empty:
        return
    cols = list(summary.columns)
    params = cols[cols.index("point") + 1 : cols.index("brand")] if "point" in cols else []
    rows = rows.assign(**{p: [value_text(p, v) for v in rows[p]] for p in params})
    table = rows.pivot_table(
        index=["scenario", *params, "brand"], columns="metric", values="mean", sort=False
    )
    table = table[[m for m in metrics if m in table.columns]]
    table.index.names = ["scenario", *(title(p) for p in params), "brand"]
    table.columns = [title(m) for m in table.columns]
    typer.echo("final-day means over replications:")
    typer.echo(
        table.head(15).to_string(float_format=lambda v: f"{v:.0f}" if abs(v) >= 100 else f"{v:.3g}")
    )
    if len(table) > 15:
        typer.echo(f"  ... {len(table) - 15} more rows in summary.csv")


def print_best(path: Path, ensemble: bool) -> None:
    """One line per row of best.csv (first 15): the best value and where 90% of the
    replications' own best values lie (of the plausible parameter sets, with an ensemble)."""
    import pandas as pd

    from .labels import point_label, title

    best = pd.read_csv(path)
    of = "plausible parameter sets" if ensemble else "replications"
    others = list(best.columns[2 : best.columns.get_loc("parameter")])
    for _, row in best.head(15).iterrows():
        where = f"{row['scenario']}/{row['brand']}"
        if others:
            where += " at " + point_label({k: row[k] for k in others})
        typer.echo(
            f"best {title(row['parameter'])} for {where}: {row['best']:g} "
            f"(by mean {title(row['objective'])}); "
            f"{row['best_p05']:g}-{row['best_p95']:g} in 90% of {of}"
        )
    if len(best) > 15:
        typer.echo(f"  ... {len(best) - 15} more rows in best.csv")


def print_report(files: dict[str, Path]) -> None:
    """The last line of run, report, demo and calibrate: where the report page is."""
    if "report.html" in files:
        typer.echo(f"report: {files['report.html']} (open it in a browser)")


@contextmanager
def plain_warnings() -> Iterator[None]:
    """Show graph-file warnings as one ``warning: ...`` line each (not Python's format)."""
    from .graphs import GraphFileWarning

    previous = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, GraphFileWarning):
            typer.echo(f"warning: {message}", err=True)
        else:
            previous(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.simplefilter("always", GraphFileWarning)  # every command shows them
        warnings.showwarning = show
        try:
            yield
        finally:
            warnings.showwarning = previous


def note_if_empty(file: Path) -> None:
    """Say so when a file sets nothing: it then means the embedded default model."""
    from .config import read_toml

    try:
        empty = not read_toml(file, "experiment")
    except ConfigError:
        return  # the run or validation reports it
    if empty:
        typer.echo(
            f"note: {file} sets nothing, so this is the embedded default model "
            "(written out in experiments/default.toml)",
            err=True,
        )


def is_calibration(file: Path) -> bool:
    """A calibration file has [data] and [parameters] tables (an experiment has neither)."""
    from .config import read_toml

    try:
        data = read_toml(file, "experiment")
    except ConfigError:
        return False  # load_experiment reports the problem
    return isinstance(data.get("data"), dict) and isinstance(data.get("parameters"), dict)


def validate_calibration(file: Path, assignments: list[str]) -> None:
    from .calibration.spec import load_calibration
    from .experiments.spec import parse_assignment

    try:
        cal = load_calibration(file, assignments=dict(parse_assignment(a) for a in assignments))
    except ConfigError as exc:
        raise fail(str(exc)) from None
    m, obs = cal.method, cal.observed
    fitted = obs[obs.weight > 0]
    typer.echo(f"{file}: valid calibration '{cal.name}'")
    for note in cal.warnings:
        typer.echo(f"  note:         {note}")
    typer.echo(f"  data:         {', '.join(cal.data_files)}")
    typer.echo(
        f"  targets:      {len(obs)} ({', '.join(obs.kind.unique())}); {len(fitted)} fitted "
        f"in periods {cal.fit[0]}-{cal.fit[1]}"
        + (f", validation {cal.validate[0]}-{cal.validate[1]}" if cal.validate else "")
    )
    typer.echo(f"  parameters:   {len(cal.priors)} ({', '.join(cal.priors)})")
    typer.echo(
        f"  method:       {m.name}, up to {m.trials:,} trials x {m.replications} replications "
        f"of {cal.plan.steps} days; master seed {cal.seed}"
    )


def window(option: str, text: str | None) -> tuple[int, int] | None:
    """Parse ``--fit 1-8`` into (1, 8); a single number is a one-period window."""
    if text is None:
        return None
    parts = text.replace(" ", "").split("-")
    try:
        first, last = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, -1)
    except ValueError:
        first, last = 0, -1
    if not 1 <= first <= last:
        raise fail(f"{option} {text!r}: expected FIRST-LAST periods, e.g. 1-8")
    return first, last


def print_plan(file: Path, exp: Experiment, workers: int) -> None:
    """What ``validate`` prints for a valid experiment: scenarios, sweep, replications,
    ensemble, runs, and the time and memory estimate (a warning when it would not fit)."""
    from .experiments.estimate import available_memory, check_fits, estimate

    g = exp.base.graph
    users = f"graph file {g.path}" if g.kind == "file" else f"{g.kind} graph of {g.n:,} users"
    sweep = (
        f"{exp.sweep.method} sweep of {', '.join(exp.sweep.parameters)}: {len(exp.points)} points"
        if exp.sweep
        else "no sweep"
    )
    names = ", ".join(name for name, _ in exp.scenarios)
    typer.echo(f"{file}: valid experiment '{exp.name}'")
    typer.echo(f"  scenarios:    {len(exp.scenarios)} ({names})")
    typer.echo(f"  sweep:        {sweep}")
    typer.echo(f"  replications: {exp.replications}; master seed {exp.seed}")
    if exp.ensemble is not None:
        ens = exp.ensemble
        drawn = "by weight" if ens.weights is not None else "uniformly"
        typer.echo(
            f"  ensemble:     {len(ens)} parameter sets x {len(ens.parameters)} parameters "
            f"({', '.join(ens.parameters)}) from {ens.path}; each replication draws one "
            f"{drawn}"
        )
    steps = sorted({cfg["steps"] for _, cfg in exp.scenarios})
    days = f"{steps[0]}" if len(steps) == 1 else f"{steps[0]}-{steps[-1]}"
    typer.echo(f"  runs:         {exp.n_runs:,} x {days} days on a {users}")
    est = estimate(exp, workers)
    free = available_memory()
    typer.echo(
        f"  estimated:    {about(est.seconds)} with {workers} worker"
        f"{'s' if workers > 1 else ''}; peak memory about {size_text(est.peak_bytes)}"
        + (f" of {size_text(free)} available" if free else "")
    )
    try:
        check_fits(est, free)
    except ConfigError as exc:
        typer.echo(f"warning: {exc}; 'run' will refuse it", err=True)
