"""Benchmark: a logged session against the same server's no-op, with 100 and with 1,000 logs in
each patient's five-week window, in one run (issue 13: a logged session should cost the same in
week 1 and in year 2, and at least 0.15x the no-op).

A real `alsrx serve` process on a temporary SQLite file (WAL, synchronous=FULL). Two groups of
PATIENTS patients with an active plan started five weeks ago and kept to since
(bench/api_world.py): one with the plan's own sessions (about 100 logs in the window), one with
each of them logged ten times over (about 1,000). wrk (bench/wrk_load.py, 16 connections) drives
three phases, interleaved in ROUNDS rounds (odd rounds in reverse) so that the host's drift hits
them alike: POST /api/v1/noop, and POST /api/v1/patients/{id}/sessions over each group (the body
bench_api.py sends: done, RPE 12, 5 min to recover). Prints JSON lines: rate and latency per
phase, then each log phase over the no-op, per round and in total, and 1,000 over 100.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.db_fixtures import build_world
from tests.e2e import server

from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory
from alsrx.settings import DEMO_AUDIT_KEY
from bench import wrk_load as wrk
from bench.api_world import planned_patients
from bench.bench_api import CLIENTS, Phase, _per_round

PATIENTS = 128
SIZES = (100, 1000)
SECONDS = 12.0  # per phase in all, split over the rounds
ROUNDS = 4
BODY = {"component": "aerobic", "rpe": 12, "fatigue_recovery_min": 5}


def main() -> None:
    if not wrk.available():
        print(json.dumps({"bench": "log_sizes", "skipped": "wrk is not installed"}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        url = f"sqlite:///{db}"
        upgrade(url)
        engine = make_engine(url)
        world = build_world(session_factory(engine, audit_key=DEMO_AUDIT_KEY), None)
        engine.dispose()
        token = world.tokens["clinician"]
        headers = {"Authorization": f"Bearer {token}"}
        with server.running(url) as base:
            work = [("noop", ["/api/v1/noop"], None, None)]
            for size in SIZES:
                ids = planned_patients(
                    base, headers, db, count=PATIENTS, window_logs=size, prefix=f"W{size}"
                )
                work.append(
                    (f"logs_{size}", [f"/api/v1/patients/{p}/sessions" for p in ids], token, BODY)
                )
            phases = {label: Phase(f"log_sizes.{label}") for label, *_ in work}
            for turn in range(ROUNDS):
                for label, paths, bearer, body in work if turn % 2 == 0 else work[::-1]:
                    wrk.load(
                        phases[label],
                        base,
                        paths,
                        bearer,
                        body,
                        clients=CLIENTS,
                        seconds=SECONDS / ROUNDS,
                    )
    rates = {label: phase.report() for label, phase in phases.items()}
    noop = phases["noop"]
    print(
        json.dumps(
            {
                "bench": "log_sizes.ratios",
                "client": "wrk",
                **{
                    f"logs_{n}_over_noop": round(rates[f"logs_{n}"] / rates["noop"], 3)
                    for n in SIZES
                },
                **{
                    f"logs_{n}_over_noop_per_round": _per_round(phases[f"logs_{n}"], noop)
                    for n in SIZES
                },
                "logs_1000_over_logs_100": round(rates["logs_1000"] / rates["logs_100"], 3),
                "python": sys.version.split()[0],
            }
        )
    )
    failed = {p.label: p.errors for p in phases.values() if p.errors}
    if failed:
        print(json.dumps({"bench": "log_sizes.errors", "phases": failed}))
        sys.exit(1)


if __name__ == "__main__":
    main()
