"""Assessments: record a visit with the core's derived values; corrections add versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.db.session import insert_copy
from alsrx.domain import assessment as core
from alsrx.errors import Conflict, FieldError, InvalidInput, PreconditionFailed
from alsrx.intake import assessment_input
from alsrx.render import assessment_json
from alsrx.services import access, audit, patients
from alsrx.services.actor import Actor

WRITERS = ("clinician", "patient", "caregiver")
# What patients and caregivers can measure at home: the ALSFRS-R as a self- or caregiver-report,
# and weight. Measurements that set exercise targets (CPET, resting heart rate, FVC, MRC grades,
# respiratory pressures, the walk test) and the equipment at hand are a clinician's to enter: a
# patient-entered peak heart rate of 220 once produced targets of 130-175 bpm.
HOME_FIELDS = frozenset({"date", "alsfrs_r", "weight_kg"})
HOME_MODES = {"patient": "self", "caregiver": "caregiver"}


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
    assert isinstance(body, dict)
    if actor.role in HOME_MODES:
        body = _home_entry(body, actor.role)
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
        confirmed_by=None,
        confirmed_at=None,
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


def _home_entry(body: dict[str, Any], role: str) -> dict[str, Any]:
    """A patient's or caregiver's assessment: home measures only, its mode of administration
    stated (a self- or caregiver-report; unstated, the role's own)."""
    errors = [
        FieldError(f"assessment.{name}", "clinician_only", {"allowed": tuple(sorted(HOME_FIELDS))})
        for name in body
        if name not in HOME_FIELDS
    ]
    items = body.get("alsfrs_r")
    if isinstance(items, dict) and items.get("mode", HOME_MODES[role]) not in ("self", "caregiver"):
        path = "assessment.alsfrs_r.mode"
        errors.append(FieldError(path, "not_one_of", {"allowed": ("self", "caregiver")}))
    if errors:
        raise InvalidInput(errors)
    if isinstance(items, dict) and "mode" not in items:
        return {**body, "alsfrs_r": {**items, "mode": HOME_MODES[role]}}
    return body


def confirm(
    session: Session, actor: Actor, assessment_id: str, *, if_match: int | None
) -> models.Assessment:
    """A clinician confirms a patient's or caregiver's own assessment, so that it may become
    the basis of a draft. Audited; a clinician's own entries need no confirmation."""
    access.require_role(actor, "clinician")
    row = access.assessment(session, actor, assessment_id)
    session.refresh(row, with_for_update=True)
    if not row.is_current or (if_match is not None and row.version != if_match):
        raise PreconditionFailed("the assessment was corrected since this version")
    if is_trusted(row):
        raise Conflict("this assessment needs no confirmation")
    row.confirmed_by, row.confirmed_at = actor.user_id, models.utcnow()
    audit.append(
        session,
        actor,
        action="confirm",
        entity="assessment",
        entity_id=row.id,
        new={"entered_as": row.entered_as},
    )
    return row


def is_trusted(row: models.Assessment) -> bool:
    """Entered by a clinician, or confirmed by one: what a draft may be based on."""
    return row.entered_as == "clinician" or row.confirmed_at is not None


def latest_basis(session: Session, patient_id: str) -> models.Assessment | None:
    """The newest current assessment a draft may be based on (see `is_trusted`): the one rule
    for every draft, the clinician's and the follow-up's re-prescription alike. The caller has
    checked access to the patient."""
    return session.scalars(
        select(models.Assessment)
        .where(
            models.Assessment.patient_id == patient_id,
            models.Assessment.is_current.is_(True),
            or_(
                models.Assessment.entered_as == "clinician",
                models.Assessment.confirmed_at.is_not(None),
            ),
        )
        .order_by(models.Assessment.date.desc(), models.Assessment.created_at.desc())
        .limit(1)
    ).first()


_ROWS = models.table(models.Assessment)
# The visit a new one is compared with: the newest other current one dated on or before it.
_PREVIOUS = (
    select(_ROWS.c.derived, _ROWS.c.data)
    .where(
        _ROWS.c.patient_id == bindparam("patient_id"),
        _ROWS.c.is_current.is_(True),
        _ROWS.c.id != bindparam("new_id"),
        _ROWS.c.date <= bindparam("date"),
    )
    .order_by(_ROWS.c.date.desc(), _ROWS.c.created_at.desc())
    .limit(1)
)
_NEWEST_DATE = (
    select(_ROWS.c.date)
    .where(_ROWS.c.patient_id == bindparam("patient_id"), _ROWS.c.is_current.is_(True))
    .order_by(_ROWS.c.date.desc())
    .limit(1)
)


def previous_current(session: Session, new: models.Assessment) -> Any | None:
    """(derived, data) of the visit the course rules compare `new` with, or None."""
    session.flush()  # a Core read: a correction added earlier in this transaction must be in it
    params = {"patient_id": new.patient_id, "new_id": new.id, "date": new.date}
    return session.connection().execute(_PREVIOUS, params).first()


def newest_date(session: Session, patient_id: str) -> dt.date | None:
    """The date of the patient's newest current assessment (what reassessment counts from)."""
    session.flush()
    return session.connection().execute(_NEWEST_DATE, {"patient_id": patient_id}).scalar()


def earlier_versions(session: Session, row: models.Assessment) -> list[str]:
    """The ids of the versions `row` replaced (its series but itself)."""
    return list(
        session.scalars(
            select(models.Assessment.id).where(
                models.Assessment.series_id == row.series_id, models.Assessment.id != row.id
            )
        )
    )


def previous_weight_kg(session: Session, before: models.Assessment) -> float | None:
    """The weight recorded at the patient's newest current assessment dated before `before`
    (any source: it can only add an energy-balance review, never remove one)."""
    rows = session.scalars(
        select(models.Assessment)
        .where(
            models.Assessment.patient_id == before.patient_id,
            models.Assessment.is_current.is_(True),
            models.Assessment.date < before.date,
        )
        .order_by(models.Assessment.date.desc(), models.Assessment.created_at.desc())
        .limit(12)
    )
    for row in rows:
        weight = row.data.get("weight_kg")
        if isinstance(weight, int | float) and not isinstance(weight, bool):
            return float(weight)
    return None


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


def authors(session: Session, rows: list[models.Assessment]) -> dict[int, str]:
    """The user names of the accounts that entered `rows` (the caller has checked access)."""
    ids = {r.entered_by for r in rows}
    if not ids:
        return {}
    query = select(models.User.id, models.User.username).where(models.User.id.in_(ids))
    return {int(uid): str(name) for uid, name in session.execute(query).all()}


def on_day(
    session: Session, actor: Actor, patient_id: str, day: dt.date
) -> list[models.Assessment]:
    """The patient's current assessments dated `day` (a second one that day is usually the
    first entered twice: the form asks before storing it)."""
    return [r for r in current(session, actor, patient_id) if r.date == day]
