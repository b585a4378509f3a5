"""Session logs from home: the fewest possible fields (the component alone means "done as
planned"), checked against the active plan, then the tolerance rules and a proposal decision.

A log that reports a red flag and does not say how much was done is `stopped` (no credit): a
red flag is not a completed session unless the patient says so. The patient's notes on a
symptom or red-flag log go into the alert the clinician reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.db.session import insert_copy
from alsrx.domain.followup import signals, symptoms
from alsrx.domain.followup.model import RED_FLAGS, Completion, Plan
from alsrx.domain.followup.params import FollowupSettings
from alsrx.errors import FieldError, InvalidInput
from alsrx.intake.schema import session_log_errors
from alsrx.services import access, alerts, audit, followup
from alsrx.services.actor import Actor

LOGGERS = ("clinician", "patient", "caregiver")


def _validate(
    body: object, plan: Plan | None, *, today: dt.date, started: dt.date | None
) -> dict[str, Any]:
    errors = session_log_errors(body)
    if errors:
        raise InvalidInput(errors)
    assert isinstance(body, dict)
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
) -> Logged:
    """Store one session (done as planned when only the component is given), raise alerts.

    The row is written with one Core insert (patients' phones send these all day); the returned
    row is a transient copy of it for views, not attached to the session."""
    access.require_role(actor, *LOGGERS)
    access.require_patient(session, actor, patient_id)
    found = followup.active_plan(session, patient_id, today=today)
    row_rx, plan = found if found else (None, None)
    started = row_rx.starts_on if row_rx else None
    clean = _validate(body, plan, today=today, started=started)
    assert plan is not None and row_rx is not None
    target = plan.component(clean["component"])
    assert target is not None
    completed = default_completion(clean)
    as_planned = set(clean) <= {"component", "date"}
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
    )
    since = today - dt.timedelta(days=followup.window_days(s))
    earlier = followup.logs(session, patient_id, row_rx.id, since=since)
    insert_copy(session, row)
    audit.append(
        session,
        actor,
        action="create",
        entity="session_log",
        entity_id=row.id,
        new={"component": row.component, "completed": row.completed, "date": row.date.isoformat()},
    )
    alerts.after_session(session, patient_id, completed=row.completed)  # ends a silence
    logged = followup.to_domain(row)
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
        "rpe_max": c.rpe_max,
        "sets": c.sets,
        "repetitions": c.repetitions,
    }
