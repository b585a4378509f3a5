"""The record of the daily jobs: who runs a day's job, how it went, the last runs.

A day's run is claimed by inserting its (job, day) row: the unique constraint lets exactly one
of several servers (or worker processes) sharing a database win, and the loser sees the row
and stands aside. A failed run is claimed again, by whichever runner ticks first; a run left
`running` by a process that died is taken over once it is older than STALE_AFTER. The edge
commits the claim before the work starts, so the other runners see it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models

# Longer than any day's scan takes (2,000 patients take well under a minute), short enough
# that a run whose process died is redone the same day.
STALE_AFTER = dt.timedelta(hours=2)
RUNNING, OK, FAILED = "running", "ok", "failed"


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _find(session: Session, job: str, day: dt.date, *, lock: bool) -> models.JobRun | None:
    query = select(models.JobRun).where(models.JobRun.job == job, models.JobRun.day == day)
    return session.scalars(query.with_for_update() if lock else query).first()


def needs_run(session: Session, job: str, *, day: dt.date, now: dt.datetime) -> bool:
    """Whether the day's job is still to do (a read: most ticks find it done)."""
    row = _find(session, job, day, lock=False)
    return row is None or _claimable(row, now)


def _claimable(row: models.JobRun, now: dt.datetime) -> bool:
    if row.status == FAILED:
        return True
    return row.status == RUNNING and now - _aware(row.started_at) >= STALE_AFTER


def claim(session: Session, job: str, *, day: dt.date, now: dt.datetime, runner: str) -> bool:
    """Take the day's job for this runner; False when another runner has it or it is done.
    A concurrent first claim of the same day raises IntegrityError at the flush: the edge
    treats that as lost."""
    row = _find(session, job, day, lock=True)
    if row is None:
        session.add(
            models.JobRun(
                job=job, day=day, status=RUNNING, attempts=1, runner=runner, started_at=now
            )
        )
        session.flush()
        return True
    if not _claimable(row, now):
        return False
    row.status, row.attempts, row.runner, row.started_at = RUNNING, row.attempts + 1, runner, now
    row.finished_at, row.outcome, row.counts = None, None, None
    return True


def finish(
    session: Session,
    job: str,
    *,
    day: dt.date,
    runner: str,
    now: dt.datetime,
    outcome: str | None,
    counts: dict[str, int],
) -> None:
    """Record how this runner's claimed run ended: ok when `outcome` is None, else failed."""
    row = _find(session, job, day, lock=True)
    if row is None or row.runner != runner or row.status != RUNNING:
        return  # taken over as stale meanwhile: the newer runner records its own end
    row.status = OK if outcome is None else FAILED
    row.finished_at, row.outcome, row.counts = now, outcome, dict(counts)


def recent(session: Session, *, limit: int) -> list[models.JobRun]:
    """The last runs, newest day first."""
    return list(
        session.scalars(
            select(models.JobRun).order_by(models.JobRun.day.desc(), models.JobRun.job).limit(limit)
        )
    )
