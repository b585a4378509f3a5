"""The stored week tallies (`session_weeks`): one row per patient, ISO week and component, kept
equal to the domain's recomputation from the logs (adherence.tally) in the same transaction as
every log, undo and approval; read by everyone who shows or judges adherence, so that nobody
recounts a patient's logs.

- A log adds its contribution (adherence.contribution) with one upsert that increments the
  counters in the database, atomic where two of a patient's devices log at once (PostgreSQL).
  A new row gets the planned sessions of the active plan for its week: a session is never
  logged before the active plan started, so that plan is the one in force at the week's end.
- An undo takes the same contribution back; the row stays (its planned sessions still count).
- An approval sets the planned sessions of the rows from its week on to the new plan's: the
  plan in force at the end of a week judges it, and the week's logs keep counting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Insert, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import adherence
from alsrx.domain.followup.model import SessionLog

_WEEKS = models.table(models.SessionWeek)
_KEY = ("patient_id", "week", "component")
_UPSERTS: dict[str, Insert] = {}


def _upsert(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT DO UPDATE adding the new counts (both dialects speak it)."""
    found = _UPSERTS.get(dialect)
    if found is None:
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(_WEEKS)
        found = insert.on_conflict_do_update(
            index_elements=list(_KEY),
            set_={c: _WEEKS.c[c] + insert.excluded[c] for c in adherence.COUNTERS},
        )
        _UPSERTS[dialect] = found
    return found


_MATCH = (
    _WEEKS.c.patient_id == bindparam("k_patient"),
    _WEEKS.c.week == bindparam("k_week"),
    _WEEKS.c.component == bindparam("k_component"),
)
_TAKE_BACK = (
    update(_WEEKS)
    .where(*_MATCH)
    .values({c: _WEEKS.c[c] - bindparam(f"d_{c}") for c in adherence.COUNTERS})
)
_REPLAN = update(_WEEKS).where(*_MATCH).values(planned=bindparam("planned"))


def span_of(row: models.Prescription) -> adherence.Span:
    """An approved prescription as a span of the patient's history."""
    started = row.starts_on or (row.approved_at or row.created_at).date()
    plan = row.planned_weeks or adherence.schedule(row.content)
    return adherence.Span(row.id, started, plan)


def add(
    session: Session,
    patient_id: str,
    log: SessionLog,
    *,
    active: models.Prescription,
    hr_range: adherence.HrRange,
) -> None:
    """Count a new log in its week's row (made with the active plan's planned sessions)."""
    span = span_of(active)
    monday = adherence.week_start(log.date)
    planned = adherence.planned_in_week(span.schedule, starts_on=span.starts_on, monday=monday)
    values = {
        "patient_id": patient_id,
        "week": monday,
        "component": log.component,
        "planned": planned.get(log.component, (0, None))[0],
        **adherence.contribution(log, hr_range),
    }
    conn = session.connection()
    conn.execute(_upsert(conn.dialect.name), values)


def take_back(
    session: Session, patient_id: str, log: SessionLog, *, hr_range: adherence.HrRange
) -> None:
    """Uncount an undone log: the exact contribution it added."""
    delta = adherence.contribution(log, hr_range)
    params: dict[str, Any] = {f"d_{c}": delta[c] for c in adherence.COUNTERS}
    params |= {"k_patient": patient_id, "k_week": adherence.week_start(log.date)}
    params["k_component"] = log.component
    done = cast(CursorResult[Any], session.connection().execute(_TAKE_BACK, params))
    assert done.rowcount == 1, "a log's week row is made with the log"


def replan(session: Session, patient_id: str, approved: models.Prescription) -> None:
    """After an approval: the rows from its week on are judged by the new plan."""
    span = span_of(approved)
    since = adherence.week_start(span.starts_on)
    rows = session.connection().execute(
        select(_WEEKS.c.week, _WEEKS.c.component).where(
            _WEEKS.c.patient_id == patient_id, _WEEKS.c.week >= since
        )
    )
    for monday, kind in rows.all():
        planned = adherence.planned_in_week(span.schedule, starts_on=span.starts_on, monday=monday)
        params = {"k_patient": patient_id, "k_week": monday, "k_component": kind}
        session.connection().execute(_REPLAN, {**params, "planned": planned.get(kind, (0,))[0]})


# A row as read: the key, planned, then the counters in adherence.COUNTERS' order.
_ROW = (
    _WEEKS.c.patient_id,
    _WEEKS.c.week,
    _WEEKS.c.component,
    _WEEKS.c.planned,
    *(_WEEKS.c[c] for c in adherence.COUNTERS),
)


def _tally(row: Any) -> adherence.Tally:
    counts = dict(zip(adherence.COUNTERS, row[4:], strict=True))
    return adherence.Tally(row[1], row[2], int(row[3]), counts)


# What other readers of the stored weeks (the research export) select, and how a row is read.
TABLE, ROW, tally_of = _WEEKS, _ROW, _tally


# Prebuilt: readers of one patient's weeks (pages, the summary API) run it on every view.
_STORED = (
    select(*_ROW)
    .where(_WEEKS.c.patient_id == bindparam("patient_id"), _WEEKS.c.week >= bindparam("since"))
    .order_by(_WEEKS.c.week, _WEEKS.c.component)
)


def stored(
    session: Session, patient_id: str, *, since: dt.date | None = None
) -> list[adherence.Tally]:
    """A patient's stored rows (from the week of `since`), oldest first."""
    monday = dt.date.min if since is None else adherence.week_start(since)
    rows = session.connection().execute(_STORED, {"patient_id": patient_id, "since": monday})
    return [_tally(r) for r in rows]


def for_centres(
    session: Session, centre_ids: Iterable[int], *, since: dt.date, until: dt.date
) -> dict[str, list[adherence.Tally]]:
    """The stored rows of every patient of the centres, weeks `since` to `until` (Mondays):
    what the dashboard judges."""
    patients = models.table(models.Patient)
    rows = session.connection().execute(
        select(*_ROW)
        .join(patients, patients.c.id == _WEEKS.c.patient_id)
        .where(
            patients.c.centre_id.in_(list(centre_ids)),
            _WEEKS.c.week >= since,
            _WEEKS.c.week <= until,
        )
    )
    found: dict[str, list[adherence.Tally]] = {}
    for r in rows:
        found.setdefault(r[0], []).append(_tally(r))
    return found


APPROVED = ("active", "superseded")


def spans(session: Session, patient_id: str) -> list[adherence.Span]:
    """Every plan the patient has had, oldest first."""
    rows = session.scalars(
        select(models.Prescription)
        .where(
            models.Prescription.patient_id == patient_id,
            models.Prescription.status.in_(APPROVED),
        )
        .order_by(models.Prescription.starts_on, models.Prescription.approved_at)
    )
    return sorted((span_of(r) for r in rows), key=lambda s: s.starts_on)


def history(session: Session, patient_id: str, mondays: Sequence[dt.date]) -> list[adherence.Tally]:
    """Every component planned or logged in each of `mondays`, whichever plan was in force."""
    since = min(mondays) if mondays else None
    return adherence.weeks(
        spans(session, patient_id), stored(session, patient_id, since=since), mondays
    )


def target_hr(planned: dict[str, Any] | None) -> adherence.HrRange:
    """The heart-rate target a log was made against (stored with it as `planned`)."""
    planned = planned or {}
    return planned.get("hr_min_bpm"), planned.get("hr_max_bpm")


def recount(
    spans_: Sequence[adherence.Span], logs: Iterable[tuple[SessionLog, bool, adherence.HrRange]]
) -> list[adherence.Tally]:
    """What the stored rows of a patient must equal: the tallies of the live logs, planned by the
    plan in force at each week's end, and an empty row for a week-component whose every log was
    undone. `logs`: (log, undone, the target it was made against)."""
    every = list(logs)
    targets = {id(g): hr for g, _, hr in every}

    def planned(monday: dt.date, kind: str) -> int:
        return adherence.planned_by(spans_, monday).get(kind, (0, None))[0]

    live = [g for g, undone, _ in every if not undone]
    found = adherence.tally(live, planned=planned, hr_range=lambda g: targets[id(g)])
    for g, _, _ in every:
        key = (adherence.week_start(g.date), g.component)
        found.setdefault(key, adherence.Tally(key[0], key[1], planned(*key)))
    return sorted(found.values(), key=lambda t: (t.week, t.component))
