"""Benchmark the FHIR export of one patient with two years of follow-up (issue 17):
GET /api/v1/patients/{id}/fhir on a real `alsrx serve`, against the same server's no-op
endpoint (POST /api/v1/noop), both driven by wrk in the same run.

The patient is the demo cohort's (services/demo.py, one patient, 24 months, seed 1), written
through the services as in use: nine quarterly assessments (ALSFRS-R, FVC, resting HR, MEP,
MRC grades, 6MWT while walking), the first plan approved and every proposal the follow-up makes
approved (re-prescriptions at each visit, step-downs, progressions), and 104 weeks of session
logs for every planned component (adherence, skips with reasons, RPE, heart rates, recovery
time, the occasional symptom).

Phases, interleaved in ROUNDS rounds so that drift of the shared host hits both alike:
  noop    wrk, NOOP_CONNECTIONS connections
  export  wrk, EXPORT_CONNECTIONS connections, each round long enough for its share of
          MIN_EXPORTS requests (from the warm-up request's latency); every export is audited,
          so each request also appends one audit row and commits.
Then, in this process and once each (after a warm-up), where an export's time goes: reading
the records (with the core's re-derivation of each assessment), building the resources with
their fhir.resources validation, validating them again alone (the validation's share), the
conformance resources and the Bundle, writing the JSON, and the service's whole export. With
--profile, a cProfile of the service's export (top cumulative and own-time functions).
Prints JSON lines.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import math
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select
from tests.e2e import server

from alsrx.db import models
from alsrx.db.migrate import upgrade
from alsrx.db.models import utcnow
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.interop import fhir_bundle, fhir_json
from alsrx.interop.fhir_base import Context, validated
from alsrx.services import access, accounts, api_tokens, demo, fhir_export
from alsrx.services import actor as actor_mod
from alsrx.services.actor import SYSTEM
from alsrx.settings import DEMO_AUDIT_KEY
from bench import wrk_load as wrk
from bench.bench_api import Phase, percentile

MONTHS = 24
SEED = 1
NOOP_CONNECTIONS = 16
EXPORT_CONNECTIONS = 2
NOOP_SECONDS = 2  # per round
ROUNDS = 3
MIN_EXPORTS = 24  # over all rounds
TODAY = dt.date.today()
EXPORT = "/api/v1/patients/{}/fhir"


def build(url: str) -> tuple[str, str, dict[str, Any]]:
    """The patient's id, a bearer token of the demo clinician, and what the seed wrote."""
    engine = make_engine(url)
    factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
    started = time.perf_counter()
    seeded = demo.seed(factory, patients_n=1, months=MONTHS, seed_value=SEED, today=TODAY)
    seconds = time.perf_counter() - started
    with transaction(factory) as s:
        patient_id = s.scalars(select(models.Patient.id)).one()
        clinician = accounts.user_by_name(s, "demo-clinician")
        token = api_tokens.issue_token(s, SYSTEM, clinician)
        plans = s.scalars(
            select(models.Prescription.status).where(models.Prescription.patient_id == patient_id)
        ).all()
    engine.dispose()
    setup = {
        "months": MONTHS,
        "assessments": seeded.assessments,
        "prescriptions": len(plans),
        "approved_prescriptions": sum(status != "draft" for status in plans),
        "session_logs": seeded.sessions,
        "seconds": round(seconds, 1),
    }
    return patient_id, token, setup


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    value = fn()
    return value, (time.perf_counter() - t0) * 1000


def pieces(url: str, patient_id: str) -> dict[str, Any]:
    """Each step of services/fhir_export.export, timed once on a warm process."""
    engine = make_engine(url)
    factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
    wanted = fhir_export.ExportOptions(today=TODAY)
    with transaction(factory, write=False) as s:
        actor = actor_mod.load(s, accounts.user_by_name(s, "demo-clinician"))
        patient = access.patient(s, actor, patient_id)
        fhir_export.record(s, patient, wanted)  # warm-up: model classes, statement caches
        fhir_bundle.patient_resources(Context(), fhir_export.record(s, patient, wanted))
        s.expire_all()  # read from the database again, not the identity map
        steps: dict[str, float] = {}
        rec, steps["records_ms"] = _timed(lambda: fhir_export.record(s, patient, wanted))
        s.expire_all()
        _, steps["records_sessions_ms"] = _timed(lambda: fhir_export._sessions(s, patient.id))
        s.expire_all()
        _, steps["records_assessments_ms"] = _timed(
            lambda: fhir_export._assessments(s, patient, wanted)
        )
        ctx = Context()
        resources, steps["resources_built_and_validated_ms"] = _timed(
            lambda: fhir_bundle.patient_resources(ctx, rec) + fhir_bundle.people(ctx)
        )
        _, steps["validation_alone_ms"] = _timed(lambda: [validated(r) for r in resources])
        everything, steps["conformance_ms"] = _timed(
            lambda: fhir_bundle.conformance(ctx, resources) + resources
        )
        document = fhir_bundle.wrap(ctx, everything, at=utcnow())
        text, steps["json_ms"] = _timed(lambda: fhir_json.dumps(document))
    with transaction(factory) as s:  # the service's whole export, audited, as a request runs it
        actor = actor_mod.load(s, accounts.user_by_name(s, "demo-clinician"))
        _, steps["service_export_ms"] = _timed(
            lambda: fhir_export.export(s, actor, patient_id=patient_id, wanted=wanted, at=utcnow())
        )
    engine.dispose()
    kinds = Counter(r["resourceType"] for r in everything)
    return {
        **{k: round(v, 1) for k, v in steps.items()},
        "resources": len(everything),
        "by_type": dict(sorted(kinds.items())),
        "bytes": len(text.encode("utf-8")),
    }


def profile(url: str, patient_id: str, top: int) -> dict[str, Any]:
    """cProfile of one service export (warm): the functions that cost most."""
    engine = make_engine(url)
    factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
    wanted = fhir_export.ExportOptions(today=TODAY)

    def run() -> None:
        with transaction(factory) as s:
            actor = actor_mod.load(s, accounts.user_by_name(s, "demo-clinician"))
            fhir_export.export(s, actor, patient_id=patient_id, wanted=wanted, at=utcnow())

    run()
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    engine.dispose()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = stats.stats  # type: ignore[attr-defined]
    total = max(ct for _, _, _, ct, _ in rows.values())

    def named(key: tuple[str, int, str]) -> str:
        path, line, name = key
        return f"{'/'.join(Path(path).parts[-2:])}:{line}({name})" if line else name

    def ranked(index: int) -> list[dict[str, Any]]:
        order = sorted(rows.items(), key=lambda kv: kv[1][index], reverse=True)[:top]
        return [
            {
                "fn": named(k),
                "calls": v[1],
                "own_ms": round(v[2] * 1000),
                "cum_ms": round(v[3] * 1000),
            }
            for k, v in order
        ]

    return {"total_ms": round(total * 1000), "by_cumulative": ranked(3), "by_own": ranked(2)}


def _bundle(base: str, path: str, token: str) -> tuple[float, httpx.Response]:
    with httpx.Client(base_url=base, timeout=60) as http:
        t0 = time.perf_counter()
        r = http.get(path, headers={"Authorization": f"Bearer {token}"})
        elapsed = time.perf_counter() - t0
    assert r.status_code == 200, (r.status_code, r.text[:200])
    return elapsed, r


def served(url: str, patient_id: str, token: str) -> tuple[dict[str, Phase], dict[str, Any]]:
    path = EXPORT.format(patient_id)
    with server.running(url, ready_within=120) as base:
        _bundle(base, path, token)  # cold: imports, model classes, caches
        warm, response = _bundle(base, path, token)
        document = response.json()
        shown = {
            "resources": len(document["entry"]),
            "bytes": len(response.content),
            "warm_single_ms": round(warm * 1000, 1),
        }
        # Each round long enough for its share of MIN_EXPORTS at the warm latency (the
        # connections share one process: no faster than one at a time), with a margin.
        per_round = math.ceil(MIN_EXPORTS / ROUNDS)
        export_seconds = max(2, math.ceil(per_round * warm * 1.3))
        phases = {"noop": Phase("noop"), "export": Phase("export")}
        work = [
            ("noop", ["/api/v1/noop"], None, "POST", NOOP_CONNECTIONS, NOOP_SECONDS),
            ("export", [path], token, "GET", EXPORT_CONNECTIONS, export_seconds),
        ]
        for turn in range(ROUNDS):
            for label, paths, bearer, method, clients, seconds in (
                work if turn % 2 == 0 else work[::-1]
            ):
                wrk.load(
                    phases[label],
                    base,
                    paths,
                    bearer,
                    None,
                    clients=clients,
                    seconds=seconds,
                    method=method,
                )
                if label == "export":
                    # wrk stops with requests in flight, which the server still finishes:
                    # let them end before the next phase, so they are not counted against it.
                    time.sleep(warm * EXPORT_CONNECTIONS * 1.5)
    return phases, shown | {"export_seconds_per_round": export_seconds}


def summary(phase: Phase, connections: int) -> dict[str, Any]:
    return {
        "bench": f"fhir.wrk.{phase.label}",
        "connections": connections,
        "rounds": len(phase.rounds),
        "requests": len(phase.latencies),
        "errors": phase.errors,
        "per_second": round(len(phase.latencies) / phase.seconds, 2),
        "p50_ms": round(percentile(phase.latencies, 0.5), 2),
        "p95_ms": round(percentile(phase.latencies, 0.95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=int, default=0, help="top N functions of a cProfile")
    args = parser.parse_args()
    if not wrk.available():
        print(json.dumps({"bench": "fhir", "skipped": "wrk is not installed"}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'fhir.db'}"
        upgrade(url)
        patient_id, token, setup = build(url)
        print(json.dumps({"bench": "fhir.setup", **setup}), flush=True)
        phases, shown = served(url, patient_id, token)
        print(json.dumps({"bench": "fhir.bundle", **shown}), flush=True)
        noop, export = (
            summary(phases["noop"], NOOP_CONNECTIONS),
            summary(phases["export"], EXPORT_CONNECTIONS),
        )
        for line in (noop, export):
            print(json.dumps(line), flush=True)
        ratio = {
            "bench": "fhir.wrk.ratio",
            "export_over_noop": round(export["per_second"] / noop["per_second"], 5),
            "per_round": [
                round(a / b, 5)
                for a, b in zip(phases["export"].rounds, phases["noop"].rounds, strict=True)
            ],
            "python": sys.version.split()[0],
            # Other work on the machine slows a CPU-bound export: say how busy it was.
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(ratio), flush=True)
        print(json.dumps({"bench": "fhir.in_process", **pieces(url, patient_id)}), flush=True)
        if args.profile:
            print(json.dumps({"bench": "fhir.profile", **profile(url, patient_id, args.profile)}))
    failed = {p.label: p.errors for p in phases.values() if p.errors}
    if failed or export["requests"] < 20:
        print(json.dumps({"bench": "fhir.errors", "phases": failed, "exports": export["requests"]}))
        sys.exit(1)


if __name__ == "__main__":
    main()
