"""``report.html`` of a calibration: the fit in plain words, the figure, the tables.

Built from what the calibration writes (``manifest.json``, ``fit.csv``,
``ensemble.parquet``, ``fit.png``), with the page of :mod:`socialsim.experiments.html`.
Coverage of the simulated 90% band is given per window with its 95% Wilson interval; the
calibrated values are the best set and the ensemble's weighted 5-95% range.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..experiments.answers import Claim, fmt
from ..experiments.html import REPORT, Page, figure, write_page
from ..experiments.htmltables import Column, Table
from ..experiments.htmltext import MODEL
from ..experiments.patterns import wilson
from ..labels import label
from .results import LABELS, weighted_quantiles

__all__ = ["write_calibration_html"]

WINDOWS = {"fit": "fit window", "validate": "validation window", "check": "check (not fitted)"}


def _periods(manifest: dict[str, Any], window: str) -> str:
    span = (manifest.get("windows") or {}).get(window) or []
    return f" (periods {span[0]}-{span[1]})" if len(span) == 2 else ""


def coverage_claims(fit: pd.DataFrame, manifest: dict[str, Any]) -> list[Claim]:
    """Share of observations inside the simulated 90% band per window, with its interval,
    and the targets that miss it most often."""
    out = []
    for window, rows in fit[fit["observed"].notna()].groupby("window", sort=False):
        k, n = int(rows["inside"].astype(bool).sum()), len(rows)
        low, high = wilson(np.array([k]), np.array([n]))
        out.append(
            Claim(
                f"Inside the 90% band, {WINDOWS.get(str(window), window)}"
                f"{_periods(manifest, str(window))}",
                f"{fmt(100 * k / n)}% of observations ({k} of {n}; 95% Wilson interval "
                f"{fmt(100 * low[0])}% to {fmt(100 * high[0])}%); a model that fits would "
                "have about 90%",
                "fit.csv",
            )
        )
    fitted = fit[(fit["window"] != "check") & fit["observed"].notna()]
    by_kind = fitted.groupby("kind", sort=False)["inside"].agg(lambda s: s.astype(bool).mean())
    worst = by_kind[by_kind < 0.5].sort_values(kind="mergesort")
    if len(worst):
        text = "; ".join(
            f"{LABELS.get(k, k)} inside in {fmt(100 * v)}% of periods" for k, v in worst.items()
        )
        out.append(Claim("Targets the model misses most", text, "fit.csv"))
    return out


def parameter_table(ensemble: pd.DataFrame, manifest: dict[str, Any]) -> Table:
    """Best set, weighted median and 5-95% range of each calibrated parameter."""
    priors = manifest.get("priors") or {}
    params = [p for p in priors if p in ensemble]
    w = ensemble["weight"].to_numpy(float) if "weight" in ensemble else np.ones(len(ensemble))
    q = weighted_quantiles(ensemble[params].to_numpy(float), w, [0.05, 0.5, 0.95])
    rows = []
    for j, p in enumerate(params):
        prior = priors[p]
        scale = "log" if prior.get("log") else "uniform"
        rows.append(
            [
                label(p),
                fmt(ensemble[p].iloc[0]),
                fmt(q[1, j]),
                f"{fmt(q[0, j])} to {fmt(q[2, j])}",
                f"{fmt(prior.get('low'))} to {fmt(prior.get('high'))} ({scale})",
            ]
        )
    columns = [
        Column("parameter", text=True),
        Column("best set"),
        Column("ensemble median"),
        Column("90% of the ensemble"),
        Column("prior range", text=True),
    ]
    note = (
        f"The best set is the accepted parameter set closest to the data (calibrated.toml); "
        f"the ensemble holds {len(ensemble)} weighted sets (ensemble.parquet)."
    )
    return Table("Calibrated parameters (ensemble.parquet)", columns, rows, note)


def fit_table(fit: pd.DataFrame) -> Table:
    """Observed against the simulated median and 90% band, per target and period."""
    columns = [
        Column("target", text=True),
        Column("window", text=True),
        Column("period"),
        Column("observed"),
        Column("simulated median"),
        Column("simulated 90% band"),
        Column("inside", text=True),
    ]
    rows = [
        [
            LABELS.get(r.kind, str(r.kind).replace("_", " ")),
            str(r.window),
            fmt(r.period),
            fmt(r.observed),
            fmt(r.sim_median),
            f"{fmt(r.sim_low)} to {fmt(r.sim_high)}",
            "n/a" if pd.isna(r.inside) else ("yes" if bool(r.inside) else "no"),
        ]
        for r in fit.itertuples(index=False)
    ]
    return Table("Fit per target and period (fit.csv)", columns, rows)


def _settings(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    method = manifest.get("method") or {}
    out = [
        ("calibration", str(manifest.get("name", ""))),
        (
            "method",
            f"{method.get('name')}: {manifest.get('trials')} trials x "
            f"{method.get('replications')} runs each",
        ),
        (
            "windows",
            ", ".join(
                f"{k} {v[0]}-{v[1]}" for k, v in (manifest.get("windows") or {}).items() if v
            ),
        ),
        ("master seed", str(manifest.get("master_seed"))),
    ]
    for d in manifest.get("data") or []:
        out.append(("data", f"{d.get('path')} (sha256 {str(d.get('sha256'))[:12]}...)"))
    out += [
        ("socialsim version", str(manifest.get("socialsim_version", ""))),
        ("git commit", str(manifest.get("git_commit") or "")),
        ("started", str(manifest.get("started", ""))),
        ("finished", str(manifest.get("finished", ""))),
        ("executor", f"{manifest.get('executor')}, {manifest.get('workers')} worker(s)"),
    ]
    return out


def _caveats(manifest: dict[str, Any]) -> list[str]:
    method = manifest.get("method") or {}
    out = [
        "The simulated 90% band holds both the accepted parameter sets and the model's own "
        "noise: if the model fitted the data, about 90% of the observations would fall "
        "inside. The validation window was not used in the fit, so its coverage is the "
        "honest test.",
        f"An approximate Bayesian calibration ({method.get('name')}) with "
        f"{manifest.get('trials')} trials of {method.get('replications')} runs each: the "
        "ensemble is a set of plausible parameter sets, not a unique truth; parameters that "
        "trade off against each other have wide ranges.",
    ]
    ess = manifest.get("ensemble_ess")
    if ess is not None:
        out.append(
            f"The ensemble's effective size is {fmt(ess)} of {manifest.get('ensemble_size')} "
            "sets: the fewer, the more a handful of sets carry the weight."
        )
    out += [str(w) for w in manifest.get("data_warnings") or []]
    out.append(MODEL)
    return out


def write_calibration_html(
    out: str | Path,
    manifest: dict[str, Any],
    fit: pd.DataFrame,
    ensemble: pd.DataFrame,
    figures: list[Path] | None = None,
) -> Path:
    """Write ``out/report.html`` of a calibration; returns its path."""
    out = Path(out)
    method = manifest.get("method") or {}
    kinds = ", ".join(
        LABELS.get(k, k) for k in dict.fromkeys(fit.loc[fit["window"] == "fit", "kind"])
    )
    ess = manifest.get("ensemble_ess")
    summary = Claim(
        "Fit",
        f"{len(manifest.get('priors') or {})} parameters fitted to {kinds}"
        f"{_periods(manifest, 'fit')} with {method.get('name')} ({manifest.get('trials')} "
        f"trials): an ensemble of {manifest.get('ensemble_size')} parameter sets"
        + (f" (effective size {fmt(ess)})" if ess is not None else "")
        + f", best distance {fmt(manifest.get('best_distance'))}, largest accepted "
        f"{fmt(manifest.get('accept_distance'))}",
        "manifest.json",
    )
    caption = (
        "Observed values (black) against the calibrated ensemble's simulated median and 90% "
        "band, per target; grey: the validation window."
    )
    page = Page(
        title=f"{manifest.get('name', out.name)}: calibration report",
        subtitle=str(manifest.get("description") or ""),
        claims=[summary, *coverage_claims(fit, manifest)],
        figures=[figure(p, caption, out) for p in figures or [] if Path(p).is_file()],
        tables=[parameter_table(ensemble, manifest), fit_table(fit)],
        settings=_settings(manifest),
        caveats=_caveats(manifest),
        details=json.dumps(
            {k: v for k, v in manifest.items() if k != "calibration"}, indent=2, default=str
        ),
        answer_note=(
            "Coverage is the share of observed values inside the simulated 90% band; its "
            "interval is the 95% Wilson interval of that share."
        ),
    )
    return write_page(out / REPORT, page)


def rebuild_calibration_html(outdir: str | Path) -> dict[str, Path]:
    """Rewrite ``report.html`` of a finished calibration from its saved files.

    Reads ``manifest.json``, ``fit.csv``, ``ensemble.parquet`` and embeds ``fit.png``;
    raises :class:`~socialsim.experiments.outcomes.ReportError` naming a missing or
    unreadable file.
    """
    import json

    from ..experiments.outcomes import ReportError

    outdir = Path(outdir)
    paths = {name: outdir / name for name in ("manifest.json", "fit.csv", "ensemble.parquet")}
    for path in paths.values():
        if not path.is_file():
            raise ReportError(f"cannot rebuild the calibration report: {path} not found")
    try:
        manifest = json.loads(paths["manifest.json"].read_text(encoding="utf-8"))
        fit = pd.read_csv(paths["fit.csv"])
        ensemble = pd.read_parquet(paths["ensemble.parquet"])
    except Exception as exc:  # json, pandas and pyarrow raise several unrelated types
        raise ReportError(f"cannot read the calibration in {outdir}: {exc}") from None
    figure = outdir / "fit.png"
    html = write_calibration_html(
        outdir, manifest, fit, ensemble, [figure] if figure.is_file() else []
    )
    return {"report.html": html}
