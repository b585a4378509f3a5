"""Benchmark the clinician's workspace at clinic scale: the alerts inbox with 20,000 open
alerts in the clinician's centre and the dashboard with 5,000 patients.

A real `alsrx serve` on a temporary SQLite file seeded by bench/workspace_world.py; wrk
(bench/wrk_load.py) GETs the pages with a clinician's session cookie, signed in through the
login form as a browser is. The dashboard's requests take its sorts and first pages in turn.
The same server's no-op endpoint (`POST /api/v1/noop`) runs in the same rounds, interleaved
with the pages, so drift of the shared host hits all phases alike. Pages are measured with
CONNECTIONS connections (one clinician's browser at a time is the latency a person sees; the
rate says what the server sustains). Prints JSON lines: p50/p95/p99 (ms), requests/s, and the
rate as a ratio of the no-op's. Target: p95 under 100 ms for each page.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import httpx
from tests.db_fixtures import PASSWORD, build_world
from tests.e2e import server

from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory
from alsrx.settings import DEMO_AUDIT_KEY
from bench import wrk_load as wrk
from bench.bench_api import Phase, percentile
from bench.bench_pages import login_cookie
from bench.workspace_world import seed

PATIENTS = 5000
ALERTS = 20000
CONNECTIONS = 1
SECONDS = 12.0  # per phase in all, split over the rounds
ROUNDS = 3
SORTS = ("alerts", "code", "adherence", "last_assessment", "kings", "mitos", "category", "total")
DASHBOARD = [f"/clinic?sort={s}&page={1 + i % 3}" for i, s in enumerate(SORTS)]
DASHBOARD += ["/clinic?alerts=urgent", "/clinic?due=1&sort=code", "/clinic?q=P01&desc=1"]
INBOX = ["/clinic/alerts"]


def report(phase: Phase, noop_rate: float, extra: dict[str, object]) -> None:
    if not phase.latencies:  # no answer came back within a round: slower than the round itself
        line = {"bench": f"workspace.{phase.label}", **extra, "connections": CONNECTIONS}
        print(json.dumps(line | {"requests": 0, "slower_than_s": SECONDS / ROUNDS, "met": False}))
        return
    rate = len(phase.latencies) / phase.seconds
    line = {
        "bench": f"workspace.{phase.label}",
        **extra,
        "connections": CONNECTIONS,
        "requests": len(phase.latencies),
        "errors": phase.errors,
        "per_second": round(rate, 1),
        "p50_ms": round(percentile(phase.latencies, 0.5), 1),
        "p95_ms": round(percentile(phase.latencies, 0.95), 1),
        "p99_ms": round(percentile(phase.latencies, 0.99), 1),
        "over_noop": round(rate / noop_rate, 4),
        "target_p95_ms": 100,
        "met": percentile(phase.latencies, 0.95) < 100,
    }
    print(json.dumps(line), flush=True)


def _check(base: str, cookie: str, paths: list[str]) -> None:
    """wrk counts only 4xx/5xx as errors: make sure every page answers 200 signed in (not a
    redirect to the sign-in form), and times the first, cold request apart."""
    with httpx.Client(base_url=base, headers={"Cookie": cookie}, timeout=60) as http:
        for path in paths:
            r = http.get(path)
            assert r.status_code == 200 and "P0" in r.text, (path, r.status_code)


def main() -> None:
    if not wrk.available():
        print(json.dumps({"bench": "workspace", "skipped": "wrk is not installed"}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'workspace.db'}"
        upgrade(url)
        engine = make_engine(url)
        factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
        started = time.perf_counter()
        world = build_world(factory, None)
        seed(factory, world, patients_n=PATIENTS, alerts_n=ALERTS)
        engine.dispose()
        setup = {"patients": PATIENTS, "open_alerts": ALERTS}
        seconds = round(time.perf_counter() - started, 1)
        print(json.dumps({"bench": "workspace.setup", **setup, "seconds": seconds}), flush=True)
        # A clinician without a second factor (as the tests' world): MFA has its own bench.
        with server.running(url, ALSRX_MFA_REQUIRED_ROLES="admin") as base:
            cookie = "alsrx_session=" + login_cookie(base, "clinician", PASSWORD)["alsrx_session"]
            _check(base, cookie, [*DASHBOARD, *INBOX])
            phases = {k: Phase(k) for k in ("noop", "dashboard", "inbox")}
            work = [
                ("noop", ["/api/v1/noop"], "POST", "", 16),
                ("dashboard", DASHBOARD, "GET", cookie, CONNECTIONS),
                ("inbox", INBOX, "GET", cookie, CONNECTIONS),
            ]
            for turn in range(ROUNDS):
                for label, paths, method, with_cookie, clients in (
                    work if turn % 2 == 0 else work[::-1]
                ):
                    wrk.load(
                        phases[label],
                        base,
                        paths,
                        None,
                        None,
                        clients=clients,
                        seconds=SECONDS / ROUNDS,
                        method=method,
                        cookie=with_cookie,
                    )
    noop = phases["noop"]
    noop_rate = len(noop.latencies) / noop.seconds
    print(
        json.dumps(
            {
                "bench": "workspace.noop",
                "connections": 16,
                "per_second": round(noop_rate, 1),
                "p50_ms": round(percentile(noop.latencies, 0.5), 2),
                "p99_ms": round(percentile(noop.latencies, 0.99), 2),
            }
        )
    )
    report(phases["dashboard"], noop_rate, {"patients": PATIENTS})
    report(phases["inbox"], noop_rate, {"open_alerts": ALERTS})
    failed = {p.label: p.errors for p in phases.values() if p.errors}
    if failed:
        print(json.dumps({"bench": "workspace.errors", "phases": failed}))
        sys.exit(1)


if __name__ == "__main__":
    main()
