"""Command line: ``socialsim validate | run | report | demo``.

Exit codes: 0 success; 1 a run failed (finished runs are kept); 2 bad input (a one-paragraph
message on stderr, nothing written); 130 interrupted (finished runs are kept; run the same
command again to resume).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .cli_text import (
    fail,
    is_calibration,
    note_if_empty,
    plain_warnings,
    print_best,
    print_headline,
    print_plan,
    print_report,
    validate_calibration,
    window,
)
from .config import ConfigError
from .experiments.report import ReportError
from .experiments.runner import RunError, run_experiment
from .experiments.spec import load_experiment

app = typer.Typer(
    name="socialsim",
    help="Agent-based simulation of brands on social media: run experiments, read results.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

FileArg = Annotated[
    Path, typer.Argument(help="Experiment (or model config) TOML file.", show_default=False)
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a value: key.path=value (TOML value), e.g. brands[0].sell_share=0.5. "
        "Repeatable.",
        show_default=False,
    ),
]
EnsembleOpt = Annotated[
    Path | None,
    typer.Option(
        "--ensemble",
        help="Parquet file of parameter sets (a calibration's ensemble.parquet): each "
        "replication draws one, the same in every scenario. Overrides the file's ensemble.",
        show_default=False,
    ),
]
WorkersOpt = Annotated[
    int, typer.Option("--workers", "-w", min=1, help="Parallel workers (>1: local Dask cluster).")
]


OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Output directory [default: results/<name>]."),
]
SchedulerOpt = Annotated[
    str | None, typer.Option(help="Address of an existing Dask scheduler (tcp://host:8786).")
]
ExecutorOpt = Annotated[
    str | None,
    typer.Option(help="serial | processes | dask [default: serial for 1 worker, else dask]."),
]

INTERRUPTED = "interrupted; finished runs are saved: run the same command again to resume"


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"socialsim {__version__}")
        raise typer.Exit(0)


@app.command()
def validate(
    file: FileArg,
    set_: SetOpt = None,
    workers: WorkersOpt = 1,
    ensemble: EnsembleOpt = None,
) -> None:
    """Check an experiment or calibration file and print what it would run.

    Example: socialsim validate experiments/relationship_myth.toml
    """
    if is_calibration(file):
        validate_calibration(file, set_ or [])
        return
    note_if_empty(file)
    try:
        with plain_warnings():
            exp = load_experiment(file, assignments=set_ or [], ensemble=ensemble)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    print_plan(file, exp, workers)


@app.command()
def run(
    file: FileArg,
    out: OutOpt = None,
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    executor: ExecutorOpt = None,
    replications: Annotated[
        int | None, typer.Option("--replications", "-r", min=1, help="Override replications.")
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Override the master seed.")] = None,
    set_: SetOpt = None,
    ensemble: EnsembleOpt = None,
    fresh: Annotated[bool, typer.Option(help="Discard saved runs and start over.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    force: Annotated[
        bool, typer.Option(help="Run even if the memory estimate exceeds what is available.")
    ] = False,
) -> None:
    """Run every scenario, sweep point and replication; write tables and figures.

    Saved runs are reused: after an interruption, the same command resumes.

    Example: socialsim run experiments/relationship_myth.toml --workers 2 --set replications=5

    With parameter uncertainty: socialsim run FILE --ensemble results/calib/ensemble.parquet
    """
    note_if_empty(file)
    try:
        with plain_warnings():
            result = run_experiment(
                file,
                out=out,
                workers=workers,
                executor=executor,  # type: ignore[arg-type]
                scheduler=scheduler,
                replications=replications,
                seed=seed,
                assignments=set_ or [],
                ensemble=ensemble,
                fresh=fresh,
                progress=False if quiet else None,
                force=force,
            )
    except ConfigError as exc:
        raise fail(str(exc)) from None
    except RunError as exc:
        raise fail(str(exc), 1) from None
    except KeyboardInterrupt:
        raise fail(INTERRUPTED, 130) from None
    m = result.manifest
    typer.echo(f"{m['runs']} runs ({m['runs_resumed']} resumed) of '{m['name']}' -> {result.out}/")
    if result.kept:
        typer.echo(
            f"note: {result.kept} saved runs in {result.out}/runs were made with a different "
            "config (or socialsim version) and were not reused; they are kept until --fresh"
        )
    print_headline(result.summary)
    if "best.csv" in result.files:
        print_best(result.files["best.csv"], m.get("ensemble") is not None)
    for name in sorted(result.files):
        typer.echo(f"  {result.files[name]}")
    print_report(result.files)


@app.command()
def report(
    directory: Annotated[Path, typer.Argument(help="A results directory of 'socialsim run'.")],
) -> None:
    """Rebuild tables, figures and report.html from the saved runs in DIRECTORY (or the
    report.html of a calibration's folder).

    Example: socialsim report results/relationship_myth
    """
    from .calibration.report import rebuild_calibration_html
    from .experiments.report import rebuild

    calibration = (directory / "fit.csv").is_file() and not (directory / "runs.parquet").exists()
    try:
        files = rebuild_calibration_html(directory) if calibration else rebuild(directory)
    except (ReportError, ConfigError) as exc:
        raise fail(str(exc)) from None
    typer.echo(f"rebuilt the report in {directory}/")
    for name in sorted(files):
        typer.echo(f"  {files[name]}")
    print_report(files)


@app.command()
def discover(
    directory: Annotated[Path, typer.Argument(help="A results directory of a sweep.")],
    where: Annotated[
        str,
        typer.Option(
            "--where",
            "-w",
            help='Condition on outcomes per point, e.g. "backlash > 0.2", "not P1", '
            '"hard_sell.conversions_total > serve_first.conversions_total".',
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Default: DIRECTORY/discovery/<name>.")
    ] = None,
    density: Annotated[
        float, typer.Option(min=0.01, max=1.0, help="Minimum density of a box (PRIM).")
    ] = 0.8,
    boxes: Annotated[int, typer.Option(min=1, max=20, help="At most this many boxes.")] = 3,
) -> None:
    """Find the parameter boxes where a condition holds (scenario discovery with PRIM).

    Example: socialsim discover results/robustness --where "not P1"
    """
    from .experiments.discover import DiscoverError, write_discovery
    from .experiments.discover import discover as find

    try:
        found = find(directory, where, density=density, boxes=boxes)
        files = write_discovery(found, out, directory)
    except (DiscoverError, ConfigError) as exc:
        raise fail(str(exc)) from None
    typer.echo(found.summary())
    for name in sorted(files):
        typer.echo(f"  {files[name]}")


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "results/demo"
    ),
    workers: WorkersOpt = 1,
    fresh: Annotated[bool, typer.Option(help="Discard saved runs and start over.")] = False,
) -> None:
    """Run the relationship-myth demo (under a minute) and draw its one-slide figure.

    Example: socialsim demo --out results/demo
    """
    from .experiments.demo import run_demo

    try:
        path, caption = run_demo(out, workers=workers, fresh=fresh)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    except RunError as exc:
        raise fail(str(exc), 1) from None
    except KeyboardInterrupt:
        raise fail(INTERRUPTED, 130) from None
    typer.echo(caption)
    typer.echo(f"figure: {path}")
    typer.echo(f"tables: {out / 'summary.csv'}, {out / 'best.csv'}, {out / 'runs.parquet'}")
    print_report({"report.html": out / "report.html"})


@app.command()
def calibrate(
    file: Annotated[Path, typer.Argument(help="Calibration TOML file.", show_default=False)],
    out: OutOpt = None,
    workers: WorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    executor: ExecutorOpt = None,
    fit: Annotated[
        str | None, typer.Option(help="Fit window: first-last period (month), e.g. 1-8.")
    ] = None,
    validate_: Annotated[
        str | None,
        typer.Option("--validate", help="Validation window: first-last period, e.g. 9-12."),
    ] = None,
    trials: Annotated[int | None, typer.Option(min=2, help="Override the trial budget.")] = None,
    set_: SetOpt = None,
    fresh: Annotated[bool, typer.Option(help="Discard the saved study and start over.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Calibrate the model to a brand's data; write the ensemble, fit table and config.

    An interrupted calibration resumes when the same command is run again.

    Example: socialsim calibrate experiments/calibrate_facebook_brand.toml --workers 2
    """
    from .calibration.calibrate import calibrate as run_calibration
    from .experiments.spec import parse_assignment

    try:
        assignments = dict(parse_assignment(a) for a in set_ or [])
        result = run_calibration(
            file,
            out=out,
            workers=workers,
            executor=executor,
            scheduler=scheduler,
            assignments=assignments,
            fit=window("--fit", fit),
            validate=window("--validate", validate_),
            trials=trials,
            fresh=fresh,
            progress=False if quiet else None,
        )
    except ConfigError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail(INTERRUPTED.replace("runs", "trials"), 130) from None
    m = result.manifest
    for note in m["data_warnings"]:
        typer.echo(f"socialsim: note: {note}", err=True)
    cover = ", ".join(f"{w} {v:.0%}" for w, v in m["coverage_90"].items())
    typer.echo(
        f"{m['trials']} trials of '{m['name']}' -> {result.out}/: ensemble of "
        f"{m['ensemble_size']} parameter sets, best distance {m['best_distance']:.3g}; "
        f"observations inside the 90% band: {cover}"
    )
    for name in sorted(result.files):
        typer.echo(f"  {result.files[name]}")
    print_report(result.files)


@app.command("app")
def app_command(
    host: Annotated[
        str,
        typer.Option(
            help="Interface to bind (localhost by default). 0.0.0.0 opens the page to anyone "
            "who can reach this machine on the network."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8765,
) -> None:
    """Start the classroom page (Solara; one model per browser tab) in the browser.

    Example: socialsim app --port 8765   # then open http://127.0.0.1:8765
    """
    import importlib.util
    import os

    if importlib.util.find_spec("solara") is None:
        raise fail('the page needs solara: pip install -e ".[app]"')
    typer.echo(f"socialsim page on http://{host}:{port} (Ctrl-C to stop)")
    cmd = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "socialsim.app:page",
        "--host",
        host,
        "--port",
        str(port),
        "--no-open",
        "--production",
        "--no-check-version",  # no PyPI look-up and no upgrade nag (offline classrooms)
    ]
    sys.stdout.flush()
    # the server replaces this process (same pid): SIGTERM or Ctrl-C stop the server itself,
    # and no child is left behind when this process is stopped
    os.execv(sys.executable, cmd)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (``kill PID``) stops like Ctrl-C: workers are shut down, the output folder's
    lock is released, finished runs are kept."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``socialsim`` console script; returns the exit code."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        code = app(args=argv, prog_name="socialsim", standalone_mode=False)
    except typer.Abort:
        typer.echo("socialsim: interrupted", err=True)
        return 130
    except typer.TyperException as exc:  # usage errors (click's): one line and exit 2
        ctx = getattr(exc, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        typer.echo(f"socialsim: error: {exc.format_message()}{where}", err=True)
        return int(getattr(exc, "exit_code", 2))
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
