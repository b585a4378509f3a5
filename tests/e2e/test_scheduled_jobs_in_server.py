"""`alsrx serve` with ALSRX_SCHEDULER=true runs the day's jobs itself: two servers started at
the same time on one database run each job once (the in-server scheduler, end to end)."""

import os
import signal
import subprocess
import sys
import threading
import time

from sqlalchemy import select
from tests.db_fixtures import build_world
from tests.e2e import server

from alsrx.db import models
from alsrx.db.session import transaction

SCHEDULED = {"ALSRX_SCHEDULER": "true", "ALSRX_JOBS_AT": "00:00"}  # due from midnight on


def finished_runs(factory):
    with transaction(factory, write=False) as s:
        rows = s.scalars(select(models.JobRun).where(models.JobRun.status != "running"))
        return [(r.job, r.status, r.attempts) for r in rows]


def test_two_servers_started_together_run_the_days_jobs_once(db_url, factory):
    build_world(factory, None)
    procs, failures = [], []

    def start():
        try:
            procs.append(server.start(db_url, server.free_port(), **SCHEDULED))
        except RuntimeError as exc:  # did not start (in time): say so, not "no runs"
            failures.append(exc)

    starters = [threading.Thread(target=start) for _ in range(2)]
    for t in starters:
        t.start()
    for t in starters:
        t.join(timeout=60)
    try:
        assert failures == [], failures
        deadline = time.monotonic() + 60
        while len(finished_runs(factory)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # time enough for a second run, were there one
        assert sorted(finished_runs(factory)) == [
            ("followup-scan", "ok", 1),
            ("purge-idempotency-keys", "ok", 1),
        ]
        with transaction(factory, write=False) as s:
            assert len(list(s.scalars(select(models.Alert.id)))) == 2  # one scan, 2 patients
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def test_alsrx_worker_runs_the_days_jobs_and_stops_on_sigterm(db_url, factory):
    build_world(factory, None)
    env = dict(os.environ, ALSRX_DATABASE_URL=db_url, ALSRX_JOBS_AT="00:00", ALSRX_DEMO_MODE="true")
    worker = subprocess.Popen(
        [sys.executable, "-m", "alsrx", "worker"], env=env, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while len(finished_runs(factory)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sorted(finished_runs(factory)) == [
            ("followup-scan", "ok", 1),
            ("purge-idempotency-keys", "ok", 1),
        ]
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
