"""Benchmark the research side at registry scale (bench/registry.py): the research export of
every patient, the D50 and slope fits, and the linear mixed model.

Each measurement runs in a fresh process of its own (spawned), so that its peak resident set
(`resource.getrusage`, ru_maxrss) is its own and not the build's or another measurement's. Each
has a baseline measured in the same run on the same machine and rows, without our logic:
- export: a plain SELECT of the rows the export reads (patients with their birth dates, current
  assessments with their documents, week tallies, skipped logs, alerts) written with
  `csv.writer`; goal: the export under 30 s for 50,000 patients, memory bounded;
- fits: grouping the same arrays per patient (`np.bincount` means); goal: D50 and slope fits
  for 10,000 patients x 15 visits under 5 s;
- mixed model: ordinary least squares of the total on time over the same visits (numpy).
Prints JSON lines. A module not yet in this tree prints {"bench": ..., "skipped": why}.

    python -m bench.bench_research [--patients N] [--fit-patients N] [--db URL] [--keep]
                                   [--only export,fits,mixed] [--session-logs N]

ALSRX_BENCH_PATIENTS sets the default of --patients. --db reuses a registry built before (by
this bench with --keep, or bench.registry.build) instead of building one.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

PATIENTS = 50_000
FIT_PATIENTS = 10_000
EXPORT_GOAL_S = 30.0
FITS_GOAL_S = 5.0
MONTH_DAYS = 365.25 / 12


def peak_rss_mb() -> float:
    """This process's peak resident set so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1e6 if sys.platform == "darwin" else 1024), 1)


def in_child(work: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(work, *args).result()


def _factory(url: str) -> Any:
    from alsrx.db.session import make_engine, session_factory
    from alsrx.settings import DEMO_AUDIT_KEY

    return session_factory(make_engine(url), audit_key=DEMO_AUDIT_KEY)


def _directory_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.iterdir()) / 1e6, 1)


# -- a. the research export ------------------------------------------------------------------


def export_child(url: str, today: str) -> dict[str, Any]:
    try:
        from alsrx.services import research_export
    except ImportError as exc:
        return {"skipped": f"alsrx.services.research_export not importable here: {exc}"}
    from alsrx.db.session import transaction
    from alsrx.errors import InvalidInput
    from alsrx.services import accounts
    from alsrx.services import actor as actor_mod
    from bench.registry import RESEARCHER

    factory = _factory(url)
    before = peak_rss_mb()
    refused: dict[str, Any] | None = None
    for k in (research_export.DEFAULT_K, 1):  # k=1: the check runs and passes every cohort
        with tempfile.TemporaryDirectory(prefix="alsrx-bench-export-") as tmp:
            started = time.perf_counter()
            try:
                with transaction(factory) as s:
                    actor = actor_mod.load(s, accounts.user_by_name(s, RESEARCHER))
                    options = research_export.ExportOptions(today=dt.date.fromisoformat(today), k=k)
                    summary = research_export.write_directory(s, actor, Path(tmp), options)
            except InvalidInput as exc:  # a group below k: the export refuses the cohort
                refused = {"k": k, "seconds": round(time.perf_counter() - started, 2)}
                refused |= {"why": [dict(e.params) for e in exc.errors][:1]}
                continue
            seconds = time.perf_counter() - started
            size = _directory_mb(Path(tmp))
            break
    else:
        return {"skipped": f"refused at every k: {refused}"}
    out = {
        "seconds": round(seconds, 2),
        "k": k,
        "patients": summary.patients,
        "rows": dict(summary.rows),
        "output_mb": size,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }
    if refused is not None:
        out["refused_first"] = refused
    return out


def plain_export_child(url: str) -> dict[str, Any]:
    """The baseline: the same tables' rows, streamed and written by csv.writer, no logic."""
    from sqlalchemy import select

    from alsrx.db import models

    t = models.table
    p, i, a = t(models.Patient), t(models.PatientIdentity), t(models.Assessment)
    w, g, al = t(models.SessionWeek), t(models.SessionLog), t(models.Alert)
    queries = {
        "patients": select(p, i.c.birth_date).join(i, i.c.patient_id == p.c.id).order_by(p.c.id),
        "assessments": select(a.c.patient_id, a.c.date, a.c.data, a.c.derived)
        .where(a.c.is_current.is_(True))
        .order_by(a.c.patient_id, a.c.date),
        "weeks": select(w).order_by(w.c.patient_id, w.c.week),
        "skipped": select(g.c.patient_id, g.c.date, g.c.component, g.c.skip_reason)
        .where(g.c.completed == "skipped")
        .order_by(g.c.patient_id),
        "alerts": select(al.c.patient_id, al.c.code, al.c.severity, al.c.raised_on).order_by(
            al.c.patient_id
        ),
    }
    factory = _factory(url)
    before = peak_rss_mb()
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="alsrx-bench-plain-") as tmp:
        started = time.perf_counter()
        with factory() as s:
            conn = s.connection(execution_options={"yield_per": 2000})
            for name, query in queries.items():
                with (Path(tmp) / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
                    out = csv.writer(f)
                    n = 0
                    for row in conn.execute(query):
                        out.writerow(row)
                        n += 1
                rows[name] = n
        seconds = time.perf_counter() - started
        size = _directory_mb(Path(tmp))
    return {
        "seconds": round(seconds, 2),
        "rows": rows,
        "output_mb": size,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }


def bench_export(url: str, patients: int, today: str) -> None:
    plain = in_child(plain_export_child, url)
    print(json.dumps({"bench": "research.export_plain_select_csv", **plain}), flush=True)
    found = in_child(export_child, url, today)
    line: dict[str, Any] = {"bench": "research.export", "registry_patients": patients}
    if "skipped" in found:
        print(json.dumps(line | found), flush=True)
        return
    line |= found
    line["over_plain"] = round(found["seconds"] / plain["seconds"], 2)
    line["goal_s"] = EXPORT_GOAL_S * patients / PATIENTS  # the goal, scaled to this registry
    line["met"] = found["seconds"] < line["goal_s"]
    print(json.dumps(line), flush=True)


# -- b., c. the analytics --------------------------------------------------------------------


def visits(url: str, n: int, *, labels: bool = False) -> tuple[Any, ...]:
    """The current visits of the first `n` patients (by code): patient index, months since
    onset, ALSFRS-R total, as numpy arrays in patient order; with `labels` also each visit's
    centre and onset region."""
    import numpy as np
    from sqlalchemy import select

    from alsrx.db import models

    p, a = models.table(models.Patient), models.table(models.Assessment)
    query = (
        select(
            a.c.patient_id,
            a.c.date,
            p.c.symptom_onset_date,
            a.c.total,
            p.c.centre_id,
            p.c.onset_region,
        )
        .join(p, p.c.id == a.c.patient_id)
        .where(a.c.is_current.is_(True), p.c.code.like("R%"), p.c.code < f"R{n:06d}")
        .order_by(a.c.patient_id, a.c.date)
    )
    with _factory(url)() as s:
        rows = s.connection().execute(query).all()
    ids = [r[0] for r in rows]
    _, patient = np.unique(np.array(ids), return_inverse=True)
    months = np.array([(r[1] - r[2]).days / MONTH_DAYS for r in rows])
    total = np.array([r[3] for r in rows], dtype=float)
    if labels:
        return patient, months, total, [str(r[4]) for r in rows], [r[5] for r in rows]
    return patient, months, total


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def fits_child(url: str, n: int) -> list[dict[str, Any]]:
    import numpy as np

    patient, months, total = visits(url, n)
    size = {"patients": int(patient.max()) + 1 if len(patient) else 0, "visits": len(patient)}

    def grouping() -> Any:
        counts = np.bincount(patient)
        return np.bincount(patient, weights=total) / counts

    base_s, _ = _timed(grouping)
    out = [{"bench": "research.fits_grouping_baseline", **size, "seconds": round(base_s, 4)}]
    for name, module, call in (
        (
            "d50",
            "alsrx.analytics.d50",
            lambda m: m.fit(patient, months, total, anchor_at_onset=True),
        ),
        ("slopes", "alsrx.analytics.slopes", lambda m: m.slopes(patient, months, total)),
    ):
        try:
            found = importlib.import_module(module)
        except ImportError as exc:
            out.append({"bench": f"research.{name}", "skipped": f"{module}: {exc}"})
            continue
        seconds, result = _timed(lambda: call(found))  # noqa: B023 (called at once)
        line = {"bench": f"research.{name}", **size, "seconds": round(seconds, 3)}
        line["over_grouping"] = round(seconds / base_s, 1)
        statuses = getattr(result, "status", ())
        line["ok"] = sum(1 for s in statuses if str(s) == "ok")
        line["goal_s"], line["met"] = FITS_GOAL_S, seconds < FITS_GOAL_S
        out.append(line)
    out.append({"bench": "research.fits_process", "peak_rss_mb": peak_rss_mb()})
    return out


def mixed_child(url: str, n: int) -> list[dict[str, Any]]:
    """analytics.mixed.compare: ALSFRS-R slopes by onset region, patients random, centres in."""
    import numpy as np

    patient, months, total, centre, region = visits(url, n, labels=True)
    size = {"patients": int(patient.max()) + 1 if len(patient) else 0, "visits": len(patient)}
    design = np.column_stack([np.ones_like(months), months])
    base_s, _ = _timed(lambda: np.linalg.lstsq(design, total, rcond=None))
    out = [{"bench": "research.mixed_ols_baseline", **size, "seconds": round(base_s, 4)}]
    try:
        mixed = importlib.import_module("alsrx.analytics.mixed")
    except ImportError as exc:
        return [*out, {"bench": "research.mixed", "skipped": f"alsrx.analytics.mixed: {exc}"}]
    compare = getattr(mixed, "compare", None)
    if compare is None:
        return [*out, {"bench": "research.mixed", "skipped": "no compare() in analytics.mixed"}]
    data = {"patient": patient, "group": region, "months": months, "outcome": total}
    seconds, result = _timed(lambda: compare(data | {"centre": centre}))
    line = {
        "bench": "research.mixed",
        **size,
        "groups": "onset_region",
        "seconds": round(seconds, 2),
    }
    line |= {"over_ols": round(seconds / base_s, 1), "peak_rss_mb": peak_rss_mb()}
    line["caveats"] = list(getattr(result, "caveats", ()))
    return [*out, line]


# -- the run ---------------------------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_research")
    default = int(os.environ.get("ALSRX_BENCH_PATIENTS", PATIENTS))
    parser.add_argument("--patients", type=int, default=default)
    parser.add_argument("--fit-patients", type=int, default=FIT_PATIENTS)
    parser.add_argument("--session-logs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", help="a registry built before (SQLAlchemy URL)")
    parser.add_argument("--keep", action="store_true", help="keep the built registry")
    parser.add_argument("--only", default="export,fits,mixed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    only = set(args.only.split(","))
    tmp = None
    url = args.db
    patients = args.patients
    if url is None:
        tmp = tempfile.mkdtemp(prefix="alsrx-bench-registry-")
        url = f"sqlite:///{Path(tmp) / 'registry.db'}"
        from bench import registry

        built = registry.build(
            url, patients=patients, seed=args.seed, session_logs=args.session_logs
        )
        built = {k: v for k, v in built.items() if k not in ("password", "researcher")}
        print(json.dumps({"bench": "research.registry", "url": url, **built}), flush=True)
    else:
        patients = _count_patients(url)
    from bench.registry import TODAY

    try:
        if "export" in only:
            bench_export(url, patients, TODAY.isoformat())
        fit_n = min(args.fit_patients, patients)
        if "fits" in only:
            for line in in_child(fits_child, url, fit_n):
                print(json.dumps(line), flush=True)
        if "mixed" in only:
            for line in in_child(mixed_child, url, fit_n):
                print(json.dumps(line), flush=True)
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def _count_patients(url: str) -> int:
    from sqlalchemy import func, select

    from alsrx.db import models

    p = models.table(models.Patient)
    with _factory(url)() as s:
        return int(s.connection().execute(select(func.count()).where(p.c.code.like("R%"))).one()[0])


if __name__ == "__main__":
    main()
