"""Benchmark: durable writes per second through the API, as ratios measured in one run.

A real `alsrx serve` process on a temporary SQLite file (WAL, synchronous=FULL) receives
16 concurrent clients for a fixed time per phase:
  noop         POST /api/v1/noop (the same server doing nothing: the baseline)
  assessments  POST /api/v1/patients/{id}/assessments (auth, validation, the assessment core,
               insert, audit append, fsync'd commit)
and, in this process, a bare SQLite insert loop with the same pragmas (one commit per row).
Prints JSON lines: rate, p50/p95/p99 latency (ms) per phase, and the ratios.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from tests.db_fixtures import build_world
from tests.e2e import server
from tests.web.test_api_basics import VISIT

from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory

CLIENTS = 16
SECONDS = 8.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load(label: str, url: str | list[str], headers: dict[str, str], body: dict | None) -> float:
    """Post as fast as 16 clients can for SECONDS; several URLs are taken in turn."""
    urls = [url] if isinstance(url, str) else url
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + SECONDS

    def client(offset: int) -> None:
        with httpx.Client(timeout=30) as http:
            turn = offset
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = http.post(urls[turn % len(urls)], json=body, headers=headers)
                turn += 1
                latencies.append((time.perf_counter() - t0) * 1000)
                if r.status_code >= 300:
                    errors[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    rate = len(latencies) / elapsed
    print(
        json.dumps(
            {
                "bench": f"api.{label}",
                "clients": CLIENTS,
                "requests": len(latencies),
                "errors": errors[0],
                "per_second": round(rate, 1),
                "p50_ms": round(statistics.median(latencies), 2),
                "p95_ms": round(percentile(latencies, 0.95), 2),
                "p99_ms": round(percentile(latencies, 0.99), 2),
            }
        )
    )
    return rate


LOG_PATIENTS = 64  # sessions spread over many patients, as in a clinic (a few a day each)


def planned_patients(base: str, headers: dict[str, str]) -> list[str]:
    """Patients with an active plan, made through the API before the timed phase."""
    ids = []
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for i in range(LOG_PATIENTS):
            body = {
                "code": f"BENCH-{i}",
                "sex": "female",
                "birth_date": "1960-01-01",
                "symptom_onset_date": "2025-06-01",
                "height_cm": 160,
                "ethnicity": "other",
            }
            pid = http.post("/api/v1/patients", json=body).json()["id"]
            http.post(f"/api/v1/patients/{pid}/assessments", json=VISIT)
            draft = http.post(f"/api/v1/patients/{pid}/prescriptions").json()
            http.post(f"/api/v1/prescriptions/{draft['id']}/approve")
            ids.append(pid)
    return ids


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
        world = build_world(session_factory(engine), None)
        engine.dispose()
        headers = {"Authorization": f"Bearer {world.tokens['clinician']}"}
        with server.running(url) as base:
            noop = load("noop", f"{base}/api/v1/noop", {}, None)
            writes = load(
                "assessments",
                f"{base}/api/v1/patients/{world.patient_a}/assessments",
                headers,
                VISIT,
            )
            session_body = {"component": "aerobic", "rpe": 12, "fatigue_recovery_min": 5}
            urls = [
                f"{base}/api/v1/patients/{pid}/sessions" for pid in planned_patients(base, headers)
            ]
            logs = load("session_logs", urls, headers, session_body)
        bare = bare_sqlite(Path(tmp) / "bare.db")
    print(
        json.dumps(
            {
                "bench": "api.ratios",
                "assessments_over_noop": round(writes / noop, 3),
                "session_logs_over_noop": round(logs / noop, 3),
                "assessments_over_bare_sqlite": round(writes / bare, 3),
                "python": sys.version.split()[0],
            }
        )
    )


if __name__ == "__main__":
    main()
