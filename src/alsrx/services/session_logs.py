"""Session logs from home: the fewest possible fields (the component alone means "done as
planned"), checked against the active plan, counted in the week's tally (session_weeks.py),
then the tolerance rules and a proposal decision. An undo (within the domain's window) marks the
log and takes it out of the tally again; nothing is deleted.

A log that reports a red flag and does not say how much was done is `stopped` (no credit): a
red flag is not a completed session unless the patient says so. The patient's notes on a
symptom or red-flag log go into the alert the clinician reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.db.session import insert_copy
from alsrx.domain.followup import performed, signals, symptoms, undo
from alsrx.domain.followup import today as today_mod
from alsrx.domain.followup.model import RED_FLAGS, Completion, Plan
from alsrx.domain.followup.params import FollowupSettings
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from alsrx.intake.schema import session_log_errors
from alsrx.services import access, alerts, audit, followup, session_weeks
from alsrx.services.actor import Actor

LOGGERS = ("clinician", "patient", "caregiver")


def _validate(
    body: object, plan: Plan | None, *, today: dt.date, started: dt.date | None, now: dt.datetime
) -> dict[str, Any]:
    errors = session_log_errors(body)
    if errors:
        raise InvalidInput(errors)
    assert isinstance(body, dict)
    body = _performed(body, today=today, now=now)
    if plan is None:
        raise InvalidInput([FieldError("component", "no_active_prescription", {})])
    if plan.component(body["component"]) is None:
        allowed = tuple(c.type for c in plan.components)
        raise InvalidInput([FieldError("component", "not_one_of", {"allowed": allowed})])
    try:
        day = dt.date.fromisoformat(body.get("date", today.isoformat()))
    except ValueError:
        raise InvalidInput([FieldError("date", "bad_date", {})]) from None
    if day > today:
        raise InvalidInput([FieldError("date", "in_future", {"today": today.isoformat()})])
    if started is not None and day < started:
        raise InvalidInput(
            [FieldError("date", "not_before", {"other": "the start of the active prescription"})]
        )
    if body.get("completed") == "skipped" and not body.get("skip_reason"):
        raise InvalidInput([FieldError("skip_reason", "required", {})])
    return {**body, "date": day}


def _performed(body: dict[str, Any], *, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    """`performed_at` parsed and bounded (domain/followup/performed.py); without a `date`, the
    log counts for the performed moment's own local day."""
    if "performed_at" not in body:
        return body
    moment = performed.parse(body["performed_at"])
    days = today_mod.loggable_days(today, None)  # a day before the plan: `date`'s own check
    day = performed.day_of(moment, now=now, allowed_days=days)
    return {"date": day.isoformat(), **body, "performed_at": moment}


@dataclass(frozen=True)
class Logged:
    row: models.SessionLog  # a transient copy of the stored row, for views
    alerts: list[models.Alert]
    answers: list[symptoms.Answer]  # what the patient is told about each symptom, at once


def default_completion(clean: dict[str, Any]) -> str:
    """What was done when the log does not say: done, or stopped after a red flag."""
    if "completed" in clean:
        return str(clean["completed"])
    red = any(x in RED_FLAGS for x in clean.get("symptoms", ()))
    return Completion.STOPPED.value if red else Completion.DONE.value


def log_session(
    session: Session,
    actor: Actor,
    patient_id: str,
    body: object,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
) -> tuple[models.SessionLog, list[models.Alert]]:
    """Store one session and raise its alerts (`record` without the answers)."""
    logged = record(session, actor, patient_id, body, today=today, s=s)
    return logged.row, logged.alerts


def record(
    session: Session,
    actor: Actor,
    patient_id: str,
    body: object,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
    now: dt.datetime | None = None,
) -> Logged:
    """Store one session (done as planned when only the component is given), raise alerts.

    The row is written with one Core insert (patients' phones send these all day); the returned
    row is a transient copy of it for views, not attached to the session."""
    access.require_role(actor, *LOGGERS)
    access.require_patient(session, actor, patient_id)
    found = followup.active_plan(session, patient_id, today=today)
    row_rx, plan = found if found else (None, None)
    started = row_rx.starts_on if row_rx else None
    clean = _validate(body, plan, today=today, started=started, now=now or models.utcnow())
    assert plan is not None and row_rx is not None
    target = plan.component(clean["component"])
    assert target is not None
    completed = default_completion(clean)
    as_planned = set(clean) <= {"component", "date", "performed_at"}
    duration = clean.get("duration_min", target.minutes_max if completed == "done" else None)
    row = models.SessionLog(
        id=models.new_id(),
        patient_id=patient_id,
        prescription_id=row_rx.id,
        date=clean["date"],
        component=clean["component"],
        completed=completed,
        skip_reason=clean.get("skip_reason"),
        duration_min=duration,
        avg_hr_bpm=clean.get("avg_hr_bpm"),
        max_hr_bpm=clean.get("max_hr_bpm"),
        rpe=clean.get("rpe"),
        sets=clean.get("sets", target.sets if as_planned else None),
        reps=clean.get("reps", target.repetitions if as_planned else None),
        fatigue_recovery_min=clean.get("fatigue_recovery_min"),
        symptoms=list(clean.get("symptoms", [])),
        notes=clean.get("notes"),
        planned=_target(target),
        filled_from_plan=as_planned,
        entered_by=actor.user_id,
        entered_as=actor.role,
        created_at=models.utcnow(),
        performed_at=clean.get("performed_at"),
    )
    since = followup.session_rules_since(clean["date"], today, s)
    earlier = followup.logs(session, patient_id, since=since)
    insert_copy(session, row)
    logged = followup.to_domain(row)
    hr_range = (target.hr_min_bpm, target.hr_max_bpm)
    session_weeks.add(session, patient_id, logged, active=row_rx, hr_range=hr_range)
    audit.append(
        session,
        actor,
        action="create",
        entity="session_log",
        entity_id=row.id,
        new={"component": row.component, "completed": row.completed, "date": row.date.isoformat()},
    )
    alerts.after_session(session, patient_id, completed=row.completed)  # ends a silence
    raised = [
        symptoms.with_notes(x, row.notes) for x in signals.for_session(logged, earlier, plan, s)
    ]
    raised_alerts = alerts.raise_alerts(
        session, actor, patient_id, raised, source="session", source_id=row.id, today=today
    )
    followup.propose(
        session,
        actor,
        patient_id,
        today=today,
        recent=raised,
        s=s,
        active=(row_rx, plan),
        recent_logs=sorted([*earlier, logged], key=lambda log: log.date),
    )
    return Logged(row, raised_alerts, symptoms.answers(row.symptoms, plan))


def _target(c: Any) -> dict[str, Any]:
    return {
        "minutes_max": c.minutes_max,
        "sessions_per_week_min": c.sessions_per_week_min,
        "hr_max_bpm": c.hr_max_bpm,
        "hr_min_bpm": c.hr_min_bpm,
        "rpe_max": c.rpe_max,
        "sets": c.sets,
        "repetitions": c.repetitions,
    }


def undo_session(
    session: Session,
    actor: Actor,
    log_id: str,
    *,
    now: dt.datetime,
    patient_id: str | None = None,
) -> models.SessionLog:
    """Take back a logged session: whoever logged it, or a clinician of the patient's centre,
    within the domain's window (undo.UNDO_WINDOW); audited. The log is kept, marked undone, and
    leaves the week's tally, adherence and the rules. With `patient_id`, the log must be that
    patient's (a page's form names both)."""
    access.require_role(actor, *LOGGERS)
    row = session.scalars(
        select(models.SessionLog).where(models.SessionLog.id == log_id).with_for_update()
    ).first()
    if row is None or patient_id not in (None, row.patient_id):
        raise NotFound("session")
    access.require_patient(session, actor, row.patient_id)
    if not undo.may_undo(logged_by=row.entered_by, actor_id=actor.user_id, actor_role=actor.role):
        raise PermissionDenied("only whoever logged a session, or its clinic, may undo it")
    if row.undone_at is not None:
        raise Conflict("this session was already undone")
    if not undo.within_window(_aware(row.created_at), now):
        window = {"minutes": undo.UNDO_WINDOW_MIN}
        raise InvalidInput([FieldError("logged_at", "undo_window_passed", window)])
    row.undone_at, row.undone_by = now, actor.user_id
    hr_range = session_weeks.target_hr(row.planned)
    session_weeks.take_back(session, row.patient_id, followup.to_domain(row), hr_range=hr_range)
    audit.append(
        session,
        actor,
        action="undo",
        entity="session_log",
        entity_id=row.id,
        old={"undone": False},
        new={"undone": True, "component": row.component, "date": row.date.isoformat()},
    )
    return row


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored one is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
