"""The daily jobs and their scheduler, without cron.

Two jobs run once a day at the configured local time (ALSRX_JOBS_AT): the follow-up scan
(time-driven alerts and proposals for every patient) and the purge of old Idempotency-Keys.
A runner ticks every POLL_SECONDS; each tick works out the day that is due (today once the
time has passed, else yesterday, so a day missed while no server ran is run at the next
start) and runs each job whose (job, day) row it manages to claim (services/jobs.py). A failed
run is recorded and claimed again at a later tick. The runner is a background thread of
`alsrx serve` (ALSRX_SCHEDULER=true) or the whole of `alsrx worker`; `alsrx jobs run` is the
one-shot form for systemd timers.

This is an edge: it opens the transactions. On SQLite each one queues on the process's writer
lock (db/session.py), so the web app's requests and the jobs take turns, a patient at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.services import followup, idempotency, jobs

log = logging.getLogger("alsrx.jobs")  # job names, days and counts: never patient data
POLL_SECONDS = 60.0
Clock = Callable[[], dt.datetime]
Factory = sessionmaker[Session]


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def default_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def scan_all(factory: Factory, *, day: dt.date, now: dt.datetime) -> dict[str, int]:
    """`followup scan` for every patient, a transaction each, so one patient's failure keeps
    neither the others' alerts nor the whole day's work from being committed."""
    with transaction(factory, write=False) as session:
        ids = list(session.scalars(select(models.Patient.id)))
    raised = failed = 0
    for pid in ids:
        try:
            with transaction(factory) as session:
                patient = session.get(models.Patient, pid)
                if patient is not None:  # gone since the ids were read
                    raised += len(followup.scan(session, None, patient, today=day))
        except Exception:  # any one patient's error: count it, scan the rest, retry later
            log.exception("follow-up scan failed for one patient")
            failed += 1
    return {"patients": len(ids), "alerts": raised, "failed": failed}


def purge_keys(factory: Factory, *, day: dt.date, now: dt.datetime) -> dict[str, int]:
    with transaction(factory) as session:
        gone = idempotency.purge(session, keep_days=idempotency.KEEP_DAYS_DEFAULT, now=now)
    return {"purged": gone}


JOBS: dict[str, Callable[..., dict[str, int]]] = {
    "followup-scan": scan_all,
    "purge-idempotency-keys": purge_keys,
}


def due_day(now: dt.datetime, at: dt.time) -> dt.date:
    """The latest day whose run time has come."""
    today = now.date()
    return today if now.time().replace(tzinfo=None) >= at else today - dt.timedelta(days=1)


@dataclass(frozen=True)
class Run:
    job: str
    day: dt.date
    outcome: str | None  # None: ok
    counts: dict[str, int] = field(default_factory=dict)


def _utc(clock: Clock) -> dt.datetime:
    return clock().astimezone(dt.UTC)


def _claim(factory: Factory, job: str, *, day: dt.date, clock: Clock, runner: str) -> bool:
    with transaction(factory, write=False) as session:
        if not jobs.needs_run(session, job, day=day, now=_utc(clock)):
            return False
    try:
        with transaction(factory) as session:
            return jobs.claim(session, job, day=day, now=_utc(clock), runner=runner)
    except IntegrityError:  # another runner inserted the day's row first
        return False


def _outcome(counts: dict[str, int]) -> str | None:
    return f"{counts['failed']} patients failed" if counts.get("failed") else None


def run_job(factory: Factory, job: str, *, day: dt.date, clock: Clock, runner: str) -> Run | None:
    """Run the day's job if this runner claims it; None when it is done or another runner
    has it. A failure is recorded (its class, never its message: it may quote data)."""
    if not _claim(factory, job, day=day, clock=clock, runner=runner):
        return None
    counts: dict[str, int] = {}
    try:
        counts = JOBS[job](factory, day=day, now=_utc(clock))
        outcome = _outcome(counts)
    except Exception as exc:  # recorded and retried at the next tick; the runner lives on
        log.exception("job %s for %s failed", job, day)
        outcome = type(exc).__name__
    with transaction(factory) as session:
        jobs.finish(
            session, job, day=day, runner=runner, now=_utc(clock), outcome=outcome, counts=counts
        )
    log.info("job %s for %s: %s %s", job, day, outcome or "ok", counts)
    return Run(job, day, outcome, counts)


def tick(
    factory: Factory, *, at: dt.time, clock: Clock = local_now, runner: str | None = None
) -> list[Run]:
    """One look at the schedule: run every job due and not yet done; return what ran here."""
    day = due_day(clock(), at)
    who = runner or default_runner()
    runs = (run_job(factory, job, day=day, clock=clock, runner=who) for job in JOBS)
    return [run for run in runs if run is not None]


class Scheduler:
    """A background thread that ticks until stopped: `alsrx serve` starts one in its lifespan,
    off the event loop, so no request waits for a job except on SQLite's writer lock."""

    def __init__(
        self,
        factory: Factory,
        *,
        at: dt.time,
        clock: Clock = local_now,
        poll_s: float = POLL_SECONDS,
    ) -> None:
        self._factory, self._at, self._clock, self._poll_s = factory, at, clock, poll_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.loop, name="alsrx-jobs", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def loop(self) -> None:
        while not self._stop.is_set():
            try:
                tick(self._factory, at=self._at, clock=self._clock)
            except Exception:  # e.g. the database is unreachable: try again at the next tick
                log.exception("scheduler tick failed")
            self._stop.wait(self._poll_s)

    def request_stop(self) -> None:
        self._stop.set()
