"""Home follow-up: the active plan and its logs, the course rules on new assessments, the
time-driven scan and proposals to adjust a plan. (Logging a session is in session_logs.py,
alerts in alerts.py, the patient's weeks in home_weeks.py.)"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Text, bindparam, cast, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import reassessment
from alsrx.domain.assessment import Options as AssessmentOptions
from alsrx.domain.followup import adherence, course, proposals, skips
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import Completion, Plan, SessionLog, Signal
from alsrx.domain.followup.params import FollowupSettings
from alsrx.services import alerts, assessments, audit, prescriptions
from alsrx.services.actor import Actor


def active_plan(
    session: Session, patient_id: str, *, today: dt.date
) -> tuple[models.Prescription, Plan] | None:
    """The active prescription (a read-only transient copy) and its plan as of today."""
    row = prescriptions.active_snapshot(session, patient_id)
    if row is None:
        return None
    started = row.starts_on or (row.approved_at or row.created_at).date()
    return row, plan_mod.from_content(row.id, row.content, started_on=started, today=today)


def window_days(s: FollowupSettings) -> int:
    """How far back any rule looks: reading only that keeps each request's work bounded."""
    longest = max(s.fatigue_repeat_days, s.symptom_repeat_days)
    return max(longest, 7 * s.adherence_window_weeks, 7 * s.progress_after_weeks) + 7


def session_rules_since(day: dt.date, today: dt.date, s: FollowupSettings) -> dt.date:
    """The first day the rules run on a session logged for `day` read: the fatigue rule's
    repeat window before that day and the progress decision's judged weeks
    (tests/unit/test_adherence_definition.py: they decide as on the whole window)."""
    judged = adherence.week_start(today) - dt.timedelta(weeks=s.progress_after_weeks)
    return min(day - dt.timedelta(days=s.fatigue_repeat_days), judged)


_LOGS = models.table(models.SessionLog)
_COLUMNS = (
    _LOGS.c.date,
    _LOGS.c.component,
    _LOGS.c.completed,
    _LOGS.c.duration_min,
    _LOGS.c.avg_hr_bpm,
    _LOGS.c.max_hr_bpm,
    _LOGS.c.rpe,
    _LOGS.c.fatigue_recovery_min,
    # As text, decoded only when not empty: most logs report no symptom, and decoding every
    # row's JSON cost a third of the read.
    cast(_LOGS.c.symptoms, Text),
    _LOGS.c.skip_reason,
)
# A patient's (or a plan's) live logs since a day, oldest first. Prebuilt: every logged session
# runs one, and building the statement anew cost more than running it.
_PATIENT_LOGS = (
    select(*_COLUMNS)
    .where(
        _LOGS.c.patient_id == bindparam("patient_id"),
        _LOGS.c.date >= bindparam("since"),
        _LOGS.c.undone_at.is_(None),
    )
    .order_by(_LOGS.c.date, _LOGS.c.created_at)
)
_PLAN_LOGS = _PATIENT_LOGS.where(_LOGS.c.prescription_id == bindparam("prescription_id"))


_COMPLETION = {c.value: c for c in Completion}  # a dict lookup: the enum's call costs 10x more


def logs(
    session: Session,
    patient_id: str,
    prescription_id: str | None = None,
    *,
    since: dt.date | None = None,
) -> list[SessionLog]:
    """A patient's live (not undone) logs since a day, oldest first, as the rules see them;
    with `prescription_id`, one plan's only."""
    session.flush()  # a Core read: logs added earlier in this transaction must be in it
    params = {"patient_id": patient_id, "since": since or dt.date.min}
    if prescription_id is not None:
        params["prescription_id"] = prescription_id
    statement = _PATIENT_LOGS if prescription_id is None else _PLAN_LOGS
    rows = session.connection().execute(statement, params)
    # Unpacked as tuples: a Row's attribute lookups cost more than the rest of the conversion.
    return [
        SessionLog(
            date=day,
            component=kind,
            completed=_COMPLETION[done],
            duration_min=minutes,
            avg_hr_bpm=hr,
            max_hr_bpm=hr_max,
            rpe=rpe,
            fatigue_recovery_min=recovery,
            symptoms=_symptoms(symptoms),
            skip_reason=skip,
        )
        for day, kind, done, minutes, hr, hr_max, rpe, recovery, symptoms, skip in rows
    ]


def _symptoms(text: str | None) -> tuple[str, ...]:
    return () if not text or text == "[]" else tuple(json.loads(text) or ())


def to_domain(row: models.SessionLog) -> SessionLog:
    """A stored log as the rules see it."""
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


def correct_assessment(
    session: Session,
    actor: Actor,
    assessment_id: str,
    body: object,
    *,
    reason: object,
    if_match: int | None,
    today: dt.date,
    options: AssessmentOptions = AssessmentOptions(),
    s: FollowupSettings = FollowupSettings(),
) -> tuple[models.Assessment, list[models.Alert]]:
    """Correct a visit (a new version) and run the course rules on the corrected values: the
    superseded version's alerts that no longer hold close, the ones that still hold stay."""
    row = assessments.correct(
        session,
        actor,
        assessment_id,
        body,
        reason=reason,
        if_match=if_match,
        today=today,
        options=options,
    )
    raised = after_assessment(session, actor, row.patient_id, row, today=today, s=s)
    return row, raised


def after_assessment(
    session: Session,
    actor: Actor,
    patient_id: str,
    new: models.Assessment,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
) -> list[models.Alert]:
    """Course signals when an assessment arrives or is corrected; a changed picture proposes a
    new draft; the alerts the visit answers close. A corrected visit that is no longer the
    newest raises nothing (its findings are the past) but still closes what it no longer shows."""
    active = active_plan(session, patient_id, today=today)
    found = course_signals(session, new, active, s=s)
    newest = assessments.newest_date(session, patient_id)
    is_newest = newest is None or new.date >= newest
    replaced = set(assessments.earlier_versions(session, new)) if new.version > 1 else set()
    due = course.reassessment(newest, today=today, s=s, every_weeks=_review_weeks(active))
    alerts.close_after_assessment(session, patient_id, replaced=replaced, found=found, due=due)
    if not found or not is_newest:
        return []
    raised = alerts.raise_alerts(
        session, actor, patient_id, found, source="assessment", source_id=new.id, today=today
    )
    # An unconfirmed self-report raises its alerts, but a re-prescription would be drafted from
    # an older clinician's assessment (assessments.latest_basis): the clinician confirms first.
    if course.changes_the_picture(found) and assessments.is_trusted(new) and active is not None:
        propose(
            session,
            actor,
            patient_id,
            today=today,
            recent=found,
            s=s,
            represcribe=True,
            active=active,
        )
    return raised


def course_signals(
    session: Session,
    new: models.Assessment,
    active: tuple[models.Prescription, Plan] | None,
    *,
    s: FollowupSettings,
) -> list[Signal]:
    """The course rules on a visit against the one before it and the active plan."""
    previous = assessments.previous_current(session, new)
    found = course.change(previous.derived if previous else None, new.derived, s=s)
    if active is not None:
        content = active[0].content
        found += course.mrc_decline(
            previous.data.get("mrc") if previous else None,
            new.data.get("mrc"),
            trained=course.trained_groups(content),
            antigravity=course.antigravity_line(content),
        )
    return found


def scan(
    session: Session,
    actor: Actor | None,
    patient: models.Patient,
    *,
    today: dt.date,
    s: FollowupSettings = FollowupSettings(),
) -> list[models.Alert]:
    """Time-driven signals: reassessment due, adherence, drop-out; and progress proposals.
    The scan's alerts whose cause has gone close first (closing.after_scan)."""
    last = assessments.newest_date(session, patient.id)
    active = active_plan(session, patient.id, today=today)
    found = course.reassessment(last, today=today, s=s, every_weeks=_review_weeks(active))
    rate = None
    if active is not None:
        recent_logs = logs(session, patient.id, since=today - dt.timedelta(days=window_days(s)))
        last_ever = session.scalars(
            select(models.SessionLog.date)
            .where(  # both columns, so the plan-window index answers it (migration 0005)
                models.SessionLog.patient_id == patient.id,
                models.SessionLog.prescription_id == active[0].id,
                models.SessionLog.undone_at.is_(None),
            )
            .order_by(models.SessionLog.date.desc())
            .limit(1)
        ).first()
        signals = adherence.signals(active[1], recent_logs, today=today, s=s, last_logged=last_ever)
        days = 7 * s.adherence_window_weeks
        found += skips.with_reasons(signals, recent_logs, today=today, window_days=days)
        weeks = s.adherence_window_weeks
        rate = adherence.rolling(active[1], recent_logs, today=today, weeks=weeks)
    alerts.close_after_scan(
        session, patient.id, found, plan_active=active is not None, adherence=rate, s=s
    )
    raised = alerts.raise_alerts(
        session, actor, patient.id, found, source="scan", source_id=None, today=today
    )
    if active is not None:
        propose(session, actor, patient.id, today=today, recent=[], s=s)
    return raised


def _review_weeks(active: tuple[models.Prescription, Plan] | None) -> int:
    """The active plan's reassessment interval; the domain default without one."""
    weeks = active[0].content.get("review_after_weeks") if active else None
    return int(weeks) if weeks else reassessment.EVERY_WEEKS


def propose(
    session: Session,
    actor: Actor | None,
    patient_id: str,
    *,
    today: dt.date,
    recent: list[Signal],
    s: FollowupSettings,
    represcribe: bool = False,
    active: tuple[models.Prescription, Plan] | None = None,
    recent_logs: list[SessionLog] | None = None,
) -> models.Prescription | None:
    """A draft adjusting the active plan when the rules call for one (and none is open).
    A caller that has just read the active plan and its recent logs passes them in."""
    found = active or active_plan(session, patient_id, today=today)
    if found is None:
        return None
    row, plan = found
    if recent_logs is None:
        since = today - dt.timedelta(days=window_days(s))
        recent_logs = logs(session, patient_id, since=since)
    known = recent + [
        x
        for x in alerts.recent_signals(session, patient_id, today)
        if x.code not in {r.code for r in recent}
    ]
    decision = proposals.decide(plan, recent_logs, known, today=today, represcribe=represcribe, s=s)
    if decision is None or _open_proposal(session, patient_id, decision.kind):
        return None
    content = _content_for(session, actor, patient_id, row, decision.kind, plan.week, today)
    if content is None:
        return None
    draft = models.Prescription(
        id=models.new_id(),
        patient_id=patient_id,
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


_RX = models.table(models.Prescription)
# Prebuilt: once a proposal is open, every logged session that calls for it again asks this.
_OPEN_PROPOSAL = (
    select(_RX.c.id)
    .where(
        _RX.c.patient_id == bindparam("patient_id"),
        _RX.c.status == prescriptions.DRAFT,
        _RX.c.origin == bindparam("origin"),
    )
    .limit(1)
)


def _open_proposal(session: Session, patient_id: str, kind: proposals.Kind) -> bool:
    session.flush()  # a Core read: a draft added earlier in this transaction must be in it
    params = {"patient_id": patient_id, "origin": f"proposal:{kind.value}"}
    return session.connection().execute(_OPEN_PROPOSAL, params).first() is not None


def _content_for(
    session: Session,
    actor: Actor | None,
    patient_id: str,
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
    if kind is proposals.Kind.PAUSE_STANDING:
        return proposals.pause_standing(row.content)
    patient = session.get(models.Patient, patient_id)  # the caller checked access
    assert patient is not None
    return prescriptions.engine_content(session, patient, today=today)
