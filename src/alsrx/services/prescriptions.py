"""Prescriptions: draft from the latest assessment, approve into the active version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import assessment as core
from alsrx.domain.followup import adherence
from alsrx.domain.prescription import edits, engine
from alsrx.domain.prescription.inputs import Case
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import Conflict, FieldError, InvalidInput, PermissionDenied, PreconditionFailed
from alsrx.intake import prescription_input
from alsrx.render import prescription_json
from alsrx.services import access, assessments, audit, patients, session_weeks
from alsrx.services.actor import Actor

DRAFT, ACTIVE, SUPERSEDED, REJECTED = "draft", "active", "superseded", "rejected"


def draft(
    session: Session,
    actor: Actor,
    patient_id: str,
    *,
    today: dt.date,
    settings: EngineSettings = EngineSettings(),
    options: core.Options = core.Options(),
    weeks_completed: int = 0,
) -> models.Prescription:
    access.require_role(actor, "clinician")
    patient = access.patient(session, actor, patient_id)
    latest = assessments.latest_basis(session, patient_id)
    if latest is None:  # none at all, or only self-reports no clinician has confirmed yet
        raise InvalidInput([FieldError("assessment", "clinician_assessment_required", {})])
    case = case_for(
        session, patient, latest, today=today, options=options, weeks_completed=weeks_completed
    )
    content = prescription_json.to_stored(engine.prescribe(case, settings), settings=settings)
    row = models.Prescription(
        id=models.new_id(),
        patient_id=patient.id,
        status=DRAFT,
        assessment_id=latest.id,
        content=content,
        created_by=actor.user_id,
    )
    session.add(row)
    audit.append(
        session,
        actor,
        action="create",
        entity="prescription",
        entity_id=row.id,
        new={"status": DRAFT, "assessment_id": latest.id, "engine_status": content["status"]},
    )
    return row


def case_for(
    session: Session,
    patient: models.Patient,
    basis: models.Assessment,
    *,
    today: dt.date,
    options: core.Options = core.Options(),
    weeks_completed: int = 0,
) -> Case:
    """The engine's input: the patient's record and the assessment a draft is based on."""
    document = {
        "patient": patients.input_patient(session, patient),
        "assessment": basis.data,
        "history": _history(session, basis, weeks_completed=weeks_completed),
    }
    return prescription_input.parse(document, today=today, options=options)


def _history(session: Session, basis: models.Assessment, *, weeks_completed: int) -> dict[str, Any]:
    """The engine's `history` input: weeks done and the weight at the previous visit."""
    history: dict[str, Any] = {"weeks_completed": weeks_completed}
    previous = assessments.previous_weight_kg(session, basis)
    if previous is not None:
        history["previous_weight_kg"] = previous
    return history


def _locked_draft(
    session: Session, actor: Actor, prescription_id: str, *, if_match: int | None, verb: str
) -> models.Prescription:
    """A draft this clinician may change, row-locked, at the version the caller last saw."""
    row = access.prescription(session, actor, prescription_id)
    if actor.role != "clinician":
        raise PermissionDenied(f"only a clinician may {verb} a prescription")
    session.refresh(row, with_for_update=True)
    if if_match is not None and row.version != if_match:
        raise PreconditionFailed("the prescription was changed since this version")
    if row.status != DRAFT:
        raise Conflict(f"only a draft can be changed (this one is {row.status})")
    return row


locked_draft = _locked_draft  # for the services that change a draft's parts (exercises)


def edited(origin: str) -> str:
    """The origin of an edited draft: marked once, however often it is edited (the column holds
    30 characters, and "proposal:pause_standing+edited" fills it)."""
    return origin if origin.endswith("+edited") else f"{origin}+edited"


def points(content: dict[str, Any]) -> tuple[str, ...]:
    """The points for the clinician a draft holds (its `reasons`), by code, each once: what an
    approval must acknowledge."""
    return tuple(dict.fromkeys(str(r["code"]) for r in content.get("reasons") or ()))


def _require_acknowledged(row: models.Prescription, acknowledged: Collection[str]) -> None:
    """Every point for the clinician read and acknowledged, or the approval is refused naming
    each one that is not: a plan with a point such as a fast progression or a low FVC is not
    approved by a click that never saw it. A plan without points needs nothing."""
    missing = [code for code in points(row.content) if code not in set(acknowledged)]
    if missing:
        raise InvalidInput(
            [FieldError("acknowledge", "point_not_acknowledged", {"point": c}) for c in missing]
        )


def approve(
    session: Session,
    actor: Actor,
    prescription_id: str,
    *,
    if_match: int | None,
    today: dt.date,
    acknowledged: Collection[str],
    note: str | None = None,
) -> models.Prescription:
    """Make a draft the active plan. `acknowledged`: the codes of the points for the clinician
    (`points`) the approving clinician acknowledged; all of them are required."""
    row = _locked_draft(session, actor, prescription_id, if_match=if_match, verb="approve")
    _require_acknowledged(row, acknowledged)
    # A `not_recommended` draft is approved like any other: it holds only range of motion, and
    # NICE NG42 asks to consider an exercise programme to maintain range of movement and prevent
    # contractures, appropriate to the person's abilities (G-nice-ng42; seen via a quotation).
    # That aim stands while other exercise is contraindicated, so the patient keeps a plan.
    previous = session.scalars(
        select(models.Prescription)
        .where(
            models.Prescription.patient_id == row.patient_id, models.Prescription.status == ACTIVE
        )
        .with_for_update()
    ).all()
    for old in previous:
        old.status, old.version = SUPERSEDED, old.version + 1
        audit.append(
            session,
            actor,
            action="supersede",
            entity="prescription",
            entity_id=old.id,
            old={"status": ACTIVE},
            new={"status": SUPERSEDED, "by": row.id},
        )
    row.supersedes_id = previous[0].id if previous else None
    row.status, row.version = ACTIVE, row.version + 1
    row.approved_by, row.approved_at, row.starts_on = actor.user_id, models.utcnow(), today
    row.planned_per_week = adherence.planned_per_week(row.content["components"])
    row.planned_weeks = adherence.schedule(row.content)
    # The week's logs stay counted; the new plan judges the week from now on.
    session_weeks.replan(session, row.patient_id, row)
    audit.append(
        session,
        actor,
        action="approve",
        entity="prescription",
        entity_id=row.id,
        old={"status": DRAFT},
        new={"status": ACTIVE, "acknowledged": list(points(row.content))},
        reason=note,
    )
    return row


def for_patient(session: Session, actor: Actor, patient_id: str) -> list[models.Prescription]:
    access.patient(session, actor, patient_id)
    return list(
        session.scalars(
            select(models.Prescription)
            .where(models.Prescription.patient_id == patient_id)
            .order_by(models.Prescription.created_at.desc())
        )
    )


def active(session: Session, patient_id: str) -> models.Prescription | None:
    return session.scalars(
        select(models.Prescription)
        .where(models.Prescription.patient_id == patient_id, models.Prescription.status == ACTIVE)
        .limit(1)  # one active plan per patient; LIMIT spares the ORM buffering the result
    ).first()


_PRESCRIPTIONS = models.table(models.Prescription)
_ACTIVE = (
    select(_PRESCRIPTIONS)
    .where(
        _PRESCRIPTIONS.c.patient_id == bindparam("patient_id"),
        _PRESCRIPTIONS.c.status == ACTIVE,
    )
    .limit(1)
)


def active_snapshot(session: Session, patient_id: str) -> models.Prescription | None:
    """The active prescription as a transient copy, from one Core read, for code that only reads
    it (every logged session does). Changing the copy changes nothing stored: use `active`."""
    session.flush()  # a Core read: an approval earlier in this transaction must be in it
    row = session.connection().execute(_ACTIVE, {"patient_id": patient_id}).first()
    return None if row is None else models.Prescription(**row._mapping)


def reject(
    session: Session, actor: Actor, prescription_id: str, *, note: object
) -> models.Prescription:
    """Decline a draft (usually a proposal); it stays in the history with the reason."""
    row = _locked_draft(session, actor, prescription_id, if_match=None, verb="reject")
    note = audit.reason(note, path="note", required=True)
    row.status, row.version = REJECTED, row.version + 1
    audit.append(
        session,
        actor,
        action="reject",
        entity="prescription",
        entity_id=row.id,
        old={"status": DRAFT},
        new={"status": REJECTED},
        reason=note,
    )
    return row


def rejections(
    session: Session, actor: Actor, patient_id: str
) -> dict[str, tuple[str | None, dt.date | None]]:
    """Each rejected version of the patient's plan -> (the reason given, the day it was
    rejected): the audit trail holds both (`reject` writes them there, nowhere else)."""
    access.patient(session, actor, patient_id)
    ids = select(models.Prescription.id).where(
        models.Prescription.patient_id == patient_id, models.Prescription.status == REJECTED
    )
    events = session.execute(
        select(models.AuditEvent.entity_id, models.AuditEvent.reason, models.AuditEvent.at)
        .where(
            models.AuditEvent.entity == "prescription",
            models.AuditEvent.action == "reject",
            models.AuditEvent.entity_id.in_(ids),
        )
        .order_by(models.AuditEvent.seq)
    ).all()
    return {str(e.entity_id): (e.reason, _day(e.at)) for e in events}


def _day(at: str | None) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(at).date() if at else None
    except ValueError:
        return None


def engine_content(
    session: Session,
    patient: models.Patient,
    *,
    today: dt.date,
    settings: EngineSettings = EngineSettings(),
    options: core.Options = core.Options(),
) -> dict[str, Any] | None:
    """The engine's prescription from the patient's latest assessment a draft may be based on
    (assessments.latest_basis; None without one)."""
    latest = assessments.latest_basis(session, patient.id)
    if latest is None:
        return None
    case = case_for(session, patient, latest, today=today, options=options)
    return prescription_json.to_stored(engine.prescribe(case, settings), settings=settings)


EDITABLE = edits.EDITABLE
# The aerobic edit's old field names, as paths of the component edit (prescription_edits).
AEROBIC_PATHS = {
    "sessions_max": "sessions_per_week.max",
    "minutes_max": "minutes_per_session.max",
    "hr_max": "intensity.hr_bpm.max",
    "rpe_max": "intensity.rpe.max",
}


def edit_aerobic(
    session: Session,
    actor: Actor,
    prescription_id: str,
    changes: dict[str, Any],
    *,
    if_match: int | None,
    today: dt.date | None = None,
    settings: EngineSettings = EngineSettings(),
) -> models.Prescription:
    """Adjust a draft's aerobic maxima: the component edit (services/prescription_edits.py,
    checked whole by domain/prescription/whole_check.py) under the old field names."""
    from alsrx.services import prescription_edits  # it builds on this module

    unknown = [k for k in changes if k not in AEROBIC_PATHS]
    if unknown:
        raise InvalidInput([FieldError(k, "not_allowed", {"allowed": EDITABLE}) for k in unknown])
    if if_match is None:  # the old form sent no version: the one it was shown
        if_match = access.prescription(session, actor, prescription_id).version
    return prescription_edits.edit_component(
        session,
        actor,
        prescription_id,
        "aerobic",
        {AEROBIC_PATHS[k]: v for k, v in changes.items()},
        if_match=if_match,
        today=today or dt.date.today(),
        settings=settings,
    )
