"""Assessments: record a visit with the core's derived values; corrections add versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.db.session import insert_copy
from alsrx.domain import assessment as core
from alsrx.errors import FieldError, InvalidInput, PreconditionFailed
from alsrx.intake import assessment_input
from alsrx.render import assessment_json
from alsrx.services import access, audit, patients
from alsrx.services.actor import Actor

WRITERS = ("clinician", "patient", "caregiver")


def _derive(
    patient: dict[str, Any], body: object, *, today: dt.date, options: core.Options
) -> tuple[dict[str, Any], dict[str, Any], dt.date]:
    parsed = assessment_input.parse({"patient": patient, "assessment": body}, today=today)
    result = core.assess(parsed.patient, parsed.visit, options)
    derived = assessment_json.to_json(result, lang="en")
    return dict(body), derived, parsed.visit.date  # type: ignore[call-overload]


def record(
    session: Session,
    actor: Actor,
    patient_id: str,
    body: object,
    *,
    today: dt.date,
    options: core.Options = core.Options(),
) -> models.Assessment:
    """Validate, derive and store an assessment, audited in the same transaction.

    The row is written with one Core insert (this is the busiest clinical write: the ORM unit
    of work cost more than the insert, bench/bench_api.py); the returned object is a transient
    copy of the stored row, for views and follow-up rules, not attached to the session."""
    access.require_role(actor, *WRITERS)
    patient = patients.clinical_input(session, actor, patient_id)
    _require_object(body)
    data, derived, date = _derive(patient, body, today=today, options=options)
    new_id = models.new_id()
    row = models.Assessment(
        id=new_id,
        series_id=new_id,
        version=1,
        is_current=True,
        patient_id=patient_id,
        date=date,
        data=data,
        derived=derived,
        reason=None,
        entered_by=actor.user_id,
        entered_as=actor.role,
        created_at=models.utcnow(),
    )
    summarise(row)
    insert_copy(session, row)
    audit.append(session, actor, action="create", entity="assessment", entity_id=new_id, new=data)
    return row


def correct(
    session: Session,
    actor: Actor,
    assessment_id: str,
    body: object,
    *,
    reason: object,
    if_match: int | None,
    today: dt.date,
    options: core.Options = core.Options(),
) -> models.Assessment:
    """A new version replacing the current one; the old one stays, with the reason recorded."""
    access.require_role(actor, "clinician")
    old = access.assessment(session, actor, assessment_id)
    session.refresh(old, with_for_update=True)
    if not old.is_current or (if_match is not None and old.version != if_match):
        raise PreconditionFailed("the assessment was corrected since this version")
    reason = audit.reason(reason, path="reason", required=True)
    _require_object(body)
    patient = access.patient(session, actor, old.patient_id)
    data, derived, date = _derive(
        patients.input_patient(session, patient), body, today=today, options=options
    )
    old.is_current = False
    row = models.Assessment(
        id=models.new_id(),
        series_id=old.series_id,
        version=old.version + 1,
        patient_id=old.patient_id,
        date=date,
        data=data,
        derived=derived,
        reason=reason,
        entered_by=actor.user_id,
        entered_as=actor.role,
    )
    summarise(row)
    session.add(row)
    audit.append(
        session,
        actor,
        action="correct",
        entity="assessment",
        entity_id=row.id,
        old={"id": old.id, **old.data},
        new=data,
        reason=reason,
    )
    return row


def _require_object(body: object) -> None:
    if not isinstance(body, dict):
        raise InvalidInput([FieldError("(body)", "wrong_type", {"expected": "object"})])


def current(session: Session, actor: Actor, patient_id: str) -> list[models.Assessment]:
    access.patient(session, actor, patient_id)
    return list(
        session.scalars(
            select(models.Assessment)
            .where(
                models.Assessment.patient_id == patient_id, models.Assessment.is_current.is_(True)
            )
            .order_by(models.Assessment.date.desc(), models.Assessment.created_at.desc())
        )
    )


def latest(session: Session, actor: Actor, patient_id: str) -> models.Assessment | None:
    access.patient(session, actor, patient_id)
    return session.scalars(
        select(models.Assessment)
        .where(models.Assessment.patient_id == patient_id, models.Assessment.is_current.is_(True))
        .order_by(models.Assessment.date.desc(), models.Assessment.created_at.desc())
        .limit(1)  # an ORM result buffers every row before .first(): always limit
    ).first()


def history(session: Session, actor: Actor, assessment_id: str) -> list[models.Assessment]:
    row = access.assessment(session, actor, assessment_id)
    return list(
        session.scalars(
            select(models.Assessment)
            .where(models.Assessment.series_id == row.series_id)
            .order_by(models.Assessment.version)
        )
    )


def summarise(row: models.Assessment) -> None:
    """Copy the values dashboards sort and filter by into columns."""
    d = row.derived
    row.total = d["alsfrs_r"]["total"]
    row.kings_stage = d["kings_stage"]
    row.mitos_stage = d["mitos_stage"]
    row.progression_category = d["progression"]["category"]
    row.fvc_percent = d["fvc"]["percent_predicted"]
