"""Benchmark: durable writes per second through the API, as ratios measured in one run.

A real `alsrx serve` process on a temporary SQLite file (WAL, synchronous=FULL) receives
16 concurrent clients, phase after phase:
  noop          POST /api/v1/noop (the same server doing nothing: the baseline)
  assessments   POST /api/v1/patients/{id}/assessments (auth, validation, the assessment core,
                insert, audit append, course rules, fsync'd commit)
  session_logs  POST /api/v1/patients/{id}/sessions over 512 patients whose plans' five-week
                windows are full (bench/api_world.py)
  session_logs_keyed  the same, each request with a fresh Idempotency-Key (as phones send)
and, in this process, a bare SQLite insert loop with the same pragmas (one commit per row).
Two load generators drive the same phases, interleaved: this process's 16 threads on httpx
("api.*", the harness the earlier figures were taken with) and, when it is installed, wrk
("api.wrk.*", bench/wrk_load.py), which costs a few microseconds per request. Against the no-op
the Python client saturates before the server does, so its no-op rate measures the client and
flatters every ratio taken against it; wrk's ratios are the server's own.
The phases are interleaved in ROUNDS short rounds, so that drift in the machine's speed (a
shared, noisy host) hits every phase alike; each ratio is reported per round and as the ratio
of the totals. Prints JSON lines: rate, p50/p95/p99 latency (ms) per phase, and the ratios.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from tests.db_fixtures import build_world
from tests.e2e import server
from tests.web.test_api_basics import VISIT

from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory
from alsrx.settings import DEMO_AUDIT_KEY
from bench import wrk_load as wrk
from bench.api_world import planned_patients

CLIENTS = 16
SECONDS = 8.0  # per phase in all, split over the rounds
ROUNDS = 4


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Phase:
    label: str
    keyed: bool = False  # each request carries a fresh Idempotency-Key, as patients' phones send
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    rounds: list[float] = field(default_factory=list)  # requests per second in each round

    def report(self) -> float:
        rate = len(self.latencies) / self.seconds
        print(
            json.dumps(
                {
                    "bench": f"api.{self.label}",
                    "clients": CLIENTS,
                    "rounds": len(self.rounds),
                    "requests": len(self.latencies),
                    "errors": self.errors,
                    "per_second": round(rate, 1),
                    "p50_ms": round(statistics.median(self.latencies), 2),
                    "p95_ms": round(percentile(self.latencies, 0.95), 2),
                    "p99_ms": round(percentile(self.latencies, 0.99), 2),
                }
            )
        )
        return rate


def load(
    phase: Phase, urls: list[str], headers: dict[str, str], body: dict | None, seconds: float
) -> None:
    """Post as fast as CLIENTS clients can for `seconds`; several URLs are taken in turn.
    Each client first opens its connection with one untimed request, so that the steady state
    is measured, not the TCP handshakes that every round would otherwise start with."""
    latencies: list[float] = []
    errors = [0]
    window: dict[str, float] = {}

    def open_window() -> None:  # run once, as every client has connected
        window["started"] = time.perf_counter()
        window["stop"] = time.monotonic() + seconds

    ready = threading.Barrier(CLIENTS, action=open_window)

    prefix = uuid.uuid4().hex[:8]

    def client(offset: int) -> None:
        def key(turn: int) -> dict[str, str]:
            return {"Idempotency-Key": f"{prefix}-{offset}-{turn}"} if phase.keyed else {}

        with httpx.Client(timeout=30) as http:
            http.post(urls[offset % len(urls)], json=body, headers=headers | key(0))
            ready.wait()
            turn = offset + 1
            while time.monotonic() < window["stop"]:
                t0 = time.perf_counter()
                r = http.post(urls[turn % len(urls)], json=body, headers=headers | key(turn))
                turn += 1
                latencies.append((time.perf_counter() - t0) * 1000)
                if r.status_code >= 300:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    started = window["started"]
    elapsed = time.perf_counter() - started
    phase.latencies += latencies
    phase.errors += errors[0]
    phase.seconds += elapsed
    phase.rounds.append(len(latencies) / elapsed)


def bare_sqlite(path: Path) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE rows (id TEXT PRIMARY KEY, data TEXT)")
    payload = json.dumps(VISIT)
    n, stop = 0, time.monotonic() + SECONDS / 2
    started = time.perf_counter()
    while time.monotonic() < stop:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO rows VALUES (?, ?)", (f"r{n}", payload))
        conn.execute("COMMIT")
        n += 1
    rate = n / (time.perf_counter() - started)
    print(json.dumps({"bench": "sqlite.bare_insert_commit", "per_second": round(rate, 1)}))
    return rate


def main() -> None:
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
            patients = planned_patients(base, headers, db)
            logs = [f"/api/v1/patients/{p}/sessions" for p in patients]
            assessments = [f"/api/v1/patients/{world.patient_a}/assessments"]
            session_body = {"component": "aerobic", "rpe": 12, "fatigue_recovery_min": 5}
            work = [("noop", ["/api/v1/noop"], None, None)]
            work += [("assessments", assessments, token, VISIT)]
            work += [("session_logs", logs, token, session_body)]
            work += [("session_logs_keyed", logs, token, session_body)]
            keyed = {"session_logs_keyed"}
            ours = {label: Phase(label, label in keyed) for label, *_ in work}
            theirs = (
                {label: Phase(f"wrk.{label}", label in keyed) for label, *_ in work}
                if wrk.available()
                else {}
            )
            # The load generator's own full collections (it imports the app and its tests) would
            # show up as latency of whatever request was in flight: keep its heap out of them.
            gc.collect()
            gc.freeze()
            for turn in range(ROUNDS):
                # Every phase adds logs that later session-log phases read: odd rounds run the
                # phases and the two clients in reverse, so neither always comes later.
                order = work if turn % 2 == 0 else work[::-1]
                clients = (
                    [_python(ours, base), _wrk(theirs, base)] if theirs else [_python(ours, base)]
                )
                for drive in clients if turn % 2 == 0 else clients[::-1]:
                    for label, paths, bearer, body in order:
                        drive(label, paths, bearer, body)
        bare = bare_sqlite(Path(tmp) / "bare.db")
    for client, phases in (("python", ours), ("wrk", theirs)):
        if phases:
            print(json.dumps(_ratios(client, phases, bare)))
        else:
            print(json.dumps({"bench": "api.wrk", "skipped": "wrk is not installed"}))
    failed = {p.label: p.errors for p in [*ours.values(), *theirs.values()] if p.errors}
    if failed:  # a phase answered with errors measured something else: say so, and fail
        print(json.dumps({"bench": "api.errors", "phases": failed}))
        sys.exit(1)


Drive = Callable[[str, list[str], str | None, dict | None], None]


def _python(phases: dict[str, Phase], base: str) -> Drive:
    def drive(label: str, paths: list[str], bearer: str | None, body: dict | None) -> None:
        auth = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        load(phases[label], [base + path for path in paths], auth, body, SECONDS / ROUNDS)

    return drive


def _wrk(phases: dict[str, Phase], base: str) -> Drive:
    def drive(label: str, paths: list[str], bearer: str | None, body: dict | None) -> None:
        wrk.load(
            phases[label], base, paths, bearer, body, clients=CLIENTS, seconds=SECONDS / ROUNDS
        )

    return drive


def _ratios(client: str, phases: dict[str, Phase], bare: float) -> dict[str, object]:
    rates = {label: phase.report() for label, phase in phases.items()}
    noop, writes, sessions = (phases[k] for k in ("noop", "assessments", "session_logs"))
    return {
        "bench": "api.ratios" if client == "python" else "api.wrk.ratios",
        "client": client,
        "assessments_over_noop": round(rates["assessments"] / rates["noop"], 3),
        "session_logs_over_noop": round(rates["session_logs"] / rates["noop"], 3),
        "keyed_session_logs_over_noop": round(rates["session_logs_keyed"] / rates["noop"], 3),
        "assessments_over_noop_per_round": _per_round(writes, noop),
        "session_logs_over_noop_per_round": _per_round(sessions, noop),
        "assessments_over_bare_sqlite": round(rates["assessments"] / bare, 3),
        "python": sys.version.split()[0],
    }


def _per_round(phase: Phase, baseline: Phase) -> list[float]:
    return [round(a / b, 3) for a, b in zip(phase.rounds, baseline.rounds, strict=True)]


if __name__ == "__main__":
    main()
