"""Home follow-up use cases: log a session, raise alerts, propose adjustments, summarise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.assessment import Options as AssessmentOptions
from alsrx.domain.followup import adherence, course, proposals, signals
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import Completion, Plan, SessionLog, Signal
from alsrx.domain.followup.params import FollowupSettings
from alsrx.errors import FieldError, InvalidInput
from alsrx.intake.schema import session_log_errors
from alsrx.services import access, assessments, audit, prescriptions
from alsrx.services.actor import Actor

LOGGERS = ("clinician", "patient", "caregiver")
ALWAYS_NEW = ("red_flag",)  # every red flag is its own alert; others are not repeated while open
RECENT_DAYS = 14


def active_plan(
    session: Session, patient_id: str, *, today: dt.date
) -> tuple[models.Prescription, Plan] | None:
    row = prescriptions.active(session, patient_id)
    if row is None:
        return None
    started = row.starts_on or (row.approved_at or row.created_at).date()
    return row, plan_mod.from_content(row.id, row.content, started_on=started, today=today)


def _window_days(s: FollowupSettings) -> int:
    """How far back any rule looks: reading only that keeps each request's work bounded."""
    return max(s.fatigue_repeat_days, 7 * s.adherence_window_weeks, 7 * s.progress_after_weeks) + 7


def _logs(
    session: Session,
    patient_id: str,
    prescription_id: str | None = None,
    *,
    since: dt.date | None = None,
) -> list[SessionLog]:
    query = select(models.SessionLog).where(models.SessionLog.patient_id == patient_id)
    if prescription_id:
        query = query.where(models.SessionLog.prescription_id == prescription_id)
    if since is not None:
        query = query.where(models.SessionLog.date >= since)
    rows = session.scalars(query.order_by(models.SessionLog.date, models.SessionLog.created_at))
    return [to_domain(r) for r in rows]


def to_domain(row: models.SessionLog) -> SessionLog:
    return SessionLog(
        date=row.date,
        component=row.component,
        completed=Completion(row.completed),
        duration_min=row.duration_min,
        avg_hr_bpm=row.avg_hr_bpm,
        max_hr_bpm=row.max_hr_bpm,
        rpe=row.rpe,
        fatigue_recovery_min=row.fatigue_recovery_min,
        symptoms=tuple(row.symptoms or ()),
        skip_reason=row.skip_reason,
    )


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


def log_session(
    session: Session,
    actor: Actor,
    patient_id: str,
    body: object,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
) -> tuple[models.SessionLog, list[models.Alert]]:
    """Store one session (done as planned when only the component is given), raise alerts."""
    access.require_role(actor, *LOGGERS)
    patient = access.patient(session, actor, patient_id)
    found = active_plan(session, patient.id, today=today)
    row_rx, plan = found if found else (None, None)
    started = row_rx.starts_on if row_rx else None
    clean = _validate(body, plan, today=today, started=started)
    assert plan is not None and row_rx is not None
    target = plan.component(clean["component"])
    assert target is not None
    completed = clean.get("completed", "done")
    as_planned = set(clean) <= {"component", "date"}
    duration = clean.get("duration_min", target.minutes_max if completed == "done" else None)
    row = models.SessionLog(
        id=models.new_id(),
        patient_id=patient.id,
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
    )
    since = today - dt.timedelta(days=_window_days(s))
    earlier = _logs(session, patient.id, row_rx.id, since=since)
    session.add(row)
    audit.append(
        session,
        actor,
        action="create",
        entity="session_log",
        entity_id=row.id,
        new={"component": row.component, "completed": row.completed, "date": row.date.isoformat()},
    )
    raised = signals.for_session(to_domain(row), earlier, plan, s)
    alerts = raise_alerts(
        session, actor, patient.id, raised, source="session", source_id=row.id, today=today
    )
    propose(session, actor, patient, today=today, recent=raised, s=s)
    return row, alerts


def _target(c: Any) -> dict[str, Any]:
    return {
        "minutes_max": c.minutes_max,
        "sessions_per_week_min": c.sessions_per_week_min,
        "hr_max_bpm": c.hr_max_bpm,
        "rpe_max": c.rpe_max,
        "sets": c.sets,
        "repetitions": c.repetitions,
    }


def raise_alerts(
    session: Session,
    actor: Actor | None,
    patient_id: str,
    found: list[Signal],
    *,
    source: str,
    source_id: str | None,
    today: dt.date,
) -> list[models.Alert]:
    open_codes = set(
        session.scalars(
            select(models.Alert.code).where(
                models.Alert.patient_id == patient_id, models.Alert.status != "resolved"
            )
        )
    )
    made = []
    for sig in found:
        if sig.code in open_codes and sig.code not in ALWAYS_NEW:
            continue
        alert = models.Alert(
            id=models.new_id(),
            patient_id=patient_id,
            code=sig.code,
            severity=sig.severity.value,
            evidence=list(sig.evidence),
            data=_plain(dict(sig.data)),
            source=source,
            source_id=source_id,
            raised_on=today,
        )
        session.add(alert)
        open_codes.add(sig.code)
        made.append(alert)
        audit.append(
            session,
            actor,
            action="create",
            entity="alert",
            entity_id=alert.id,
            new={"code": sig.code, "severity": sig.severity.value},
        )
    return made


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


_ASSESSMENTS = models.Assessment.__table__
_PREVIOUS = (
    select(_ASSESSMENTS.c.derived)
    .where(
        _ASSESSMENTS.c.patient_id == bindparam("patient_id"),
        _ASSESSMENTS.c.is_current.is_(True),
        _ASSESSMENTS.c.id != bindparam("new_id"),
        _ASSESSMENTS.c.date <= bindparam("date"),
    )
    .order_by(_ASSESSMENTS.c.date.desc(), _ASSESSMENTS.c.created_at.desc())
    .limit(1)
)


def record_assessment(
    session: Session,
    actor: Actor,
    patient_id: str,
    body: object,
    *,
    today: dt.date,
    options: AssessmentOptions = AssessmentOptions(),
    s: FollowupSettings = FollowupSettings(),
) -> tuple[models.Assessment, list[models.Alert]]:
    """Store a visit and apply the course rules to it, in the caller's transaction. Every edge
    (API, pages, demo) records assessments through here, so a decline or an FVC below the
    threshold raises its alert however the visit was entered."""
    row = assessments.record(session, actor, patient_id, body, today=today, options=options)
    return row, after_assessment(session, actor, patient_id, row, today=today, s=s)


def after_assessment(
    session: Session,
    actor: Actor,
    patient_id: str,
    new: models.Assessment,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
) -> list[models.Alert]:
    """Course signals when a new assessment arrives; a changed picture proposes a new draft."""
    previous = (
        session.connection()
        .execute(_PREVIOUS, {"patient_id": patient_id, "new_id": new.id, "date": new.date})
        .scalar()
    )
    found = course.change(previous, new.derived, s=s)
    if not found:
        return []
    alerts = raise_alerts(
        session, actor, patient_id, found, source="assessment", source_id=new.id, today=today
    )
    if course.changes_the_picture(found) and prescriptions.active(session, patient_id) is not None:
        patient = access.patient(session, actor, patient_id)
        propose(session, actor, patient, today=today, recent=found, s=s, represcribe=True)
    return alerts


def scan(
    session: Session,
    actor: Actor | None,
    patient: models.Patient,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
) -> list[models.Alert]:
    """Time-driven signals: reassessment due, adherence, drop-out; and progress proposals."""
    last = session.scalars(
        select(models.Assessment.date)
        .where(models.Assessment.patient_id == patient.id, models.Assessment.is_current.is_(True))
        .order_by(models.Assessment.date.desc())
        .limit(1)
    ).first()
    found = course.reassessment(last, today=today, s=s)
    active = active_plan(session, patient.id, today=today)
    if active is not None:
        recent_logs = _logs(
            session, patient.id, active[0].id, since=today - dt.timedelta(days=_window_days(s))
        )
        last_ever = session.scalars(
            select(models.SessionLog.date)
            .where(models.SessionLog.prescription_id == active[0].id)
            .order_by(models.SessionLog.date.desc())
            .limit(1)
        ).first()
        found += adherence.signals(active[1], recent_logs, today=today, s=s, last_logged=last_ever)
    alerts = raise_alerts(
        session, actor, patient.id, found, source="scan", source_id=None, today=today
    )
    if active is not None:
        propose(session, actor, patient, today=today, recent=[], s=s)
    return alerts


def _recent_signals(session: Session, patient_id: str, today: dt.date) -> list[Signal]:
    from alsrx.domain.followup.model import Severity

    since = today - dt.timedelta(days=RECENT_DAYS)
    rows = session.scalars(
        select(models.Alert).where(
            models.Alert.patient_id == patient_id,
            models.Alert.status != "resolved",
            models.Alert.raised_on >= since,
        )
    ).all()
    return [Signal(r.code, Severity(r.severity), tuple(r.evidence), r.data) for r in rows]


def propose(
    session: Session,
    actor: Actor | None,
    patient: models.Patient,
    *,
    today: dt.date,
    recent: list[Signal],
    s: FollowupSettings,
    represcribe: bool = False,
) -> models.Prescription | None:
    found = active_plan(session, patient.id, today=today)
    if found is None:
        return None
    row, plan = found
    logs = _logs(session, patient.id, row.id, since=today - dt.timedelta(days=_window_days(s)))
    known = recent + [
        x
        for x in _recent_signals(session, patient.id, today)
        if x.code not in {r.code for r in recent}
    ]
    decision = proposals.decide(plan, logs, known, today=today, represcribe=represcribe, s=s)
    if decision is None or _open_proposal(session, patient.id, decision.kind):
        return None
    week = plan_mod.weeks_into(plan.started_on, today, int(row.content.get("current_week", 1)))
    content = _content_for(session, actor, patient, row, decision.kind, week, today)
    if content is None:
        return None
    draft = models.Prescription(
        id=models.new_id(),
        patient_id=patient.id,
        status=prescriptions.DRAFT,
        content=content,
        assessment_id=row.assessment_id,
        origin=f"proposal:{decision.kind.value}",
        created_by=actor.user_id if actor else row.created_by,
        proposal={
            "kind": decision.kind.value,
            "because": list(decision.because),
            "evidence": list(proposals.EVIDENCE[decision.kind]),
            "replaces": row.id,
            "diff": proposals.diff(row.content, content),
        },
    )
    session.add(draft)
    audit.append(
        session,
        actor,
        action="propose",
        entity="prescription",
        entity_id=draft.id,
        new={"kind": decision.kind.value, "because": list(decision.because)},
    )
    return draft


def _open_proposal(session: Session, patient_id: str, kind: proposals.Kind) -> bool:
    return (
        session.scalars(
            select(models.Prescription.id)
            .where(
                models.Prescription.patient_id == patient_id,
                models.Prescription.status == prescriptions.DRAFT,
                models.Prescription.origin == f"proposal:{kind.value}",
            )
            .limit(1)
        ).first()
        is not None
    )


def _content_for(
    session: Session,
    actor: Actor | None,
    patient: models.Patient,
    row: models.Prescription,
    kind: proposals.Kind,
    week: int,
    today: dt.date,
) -> dict[str, Any] | None:
    if kind is proposals.Kind.PROGRESS:
        return proposals.progress(row.content, week)
    if kind is proposals.Kind.STEP_DOWN:
        return proposals.step_down(row.content, week)
    if kind is proposals.Kind.PAUSE:
        return proposals.pause(row.content)
    return prescriptions.engine_content(session, patient, today=today)


def alerts_for(session: Session, actor: Actor, patient_id: str) -> list[models.Alert]:
    access.patient(session, actor, patient_id)
    return list(
        session.scalars(
            select(models.Alert)
            .where(models.Alert.patient_id == patient_id)
            .order_by(models.Alert.created_at.desc())
        )
    )


SEVERITY_ORDER = {"urgent": 0, "warning": 1, "info": 2}


def inbox(
    session: Session, actor: Actor, *, status: str | None = None, severity: str | None = None
) -> list[models.Alert]:
    access.require_role(actor, "clinician")
    query = (
        select(models.Alert)
        .join(models.Patient, models.Patient.id == models.Alert.patient_id)
        .where(models.Patient.centre_id.in_(actor.centre_ids))
    )
    if status:
        query = query.where(models.Alert.status == status)
    if severity:
        query = query.where(models.Alert.severity == severity)
    rows = list(session.scalars(query.order_by(models.Alert.created_at.desc())))
    return sorted(rows, key=lambda a: SEVERITY_ORDER.get(a.severity, 9))


def _alert(session: Session, actor: Actor, alert_id: str) -> models.Alert:
    from alsrx.errors import NotFound

    row = session.get(models.Alert, alert_id)
    if row is None:
        raise NotFound("alert")
    access.patient(session, actor, row.patient_id)
    access.require_role(actor, "clinician")
    return row


def acknowledge(session: Session, actor: Actor, alert_id: str) -> models.Alert:
    row = _alert(session, actor, alert_id)
    if row.status == "open":
        row.status, row.acknowledged_by, row.acknowledged_at = (
            "acknowledged",
            actor.user_id,
            models.utcnow(),
        )
        audit.append(
            session,
            actor,
            action="acknowledge",
            entity="alert",
            entity_id=row.id,
            old={"status": "open"},
            new={"status": "acknowledged"},
        )
    return row


def resolve(session: Session, actor: Actor, alert_id: str, note: object) -> models.Alert:
    row = _alert(session, actor, alert_id)
    if not isinstance(note, str) or not note.strip():
        raise InvalidInput([FieldError("note", "required", {})])
    old = row.status
    row.status, row.resolved_by, row.resolved_at, row.resolution_note = (
        "resolved",
        actor.user_id,
        models.utcnow(),
        note,
    )
    audit.append(
        session,
        actor,
        action="resolve",
        entity="alert",
        entity_id=row.id,
        old={"status": old},
        new={"status": "resolved"},
        reason=note,
    )
    return row


def weekly_summary(
    session: Session, actor: Actor, patient_id: str, *, today: dt.date, weeks: int
) -> dict[str, Any]:
    access.patient(session, actor, patient_id)
    found = active_plan(session, patient_id, today=today)
    if found is None:
        return {"weeks": [], "prescription_id": None}
    row, plan = found
    mondays = [
        adherence.week_start(today) - dt.timedelta(weeks=i) for i in range(weeks - 1, -1, -1)
    ]
    mondays = [m for m in mondays if m + dt.timedelta(days=6) >= plan.started_on]
    rows = adherence.weekly(plan, _logs(session, patient_id, row.id), weeks=mondays)
    return {
        "prescription_id": row.id,
        "adherence_4_weeks": adherence.rolling(
            plan, _logs(session, patient_id, row.id), today=today, weeks=4
        ),
        "weeks": [{**r.__dict__, "week": r.week.isoformat()} for r in rows],
    }
