"""Patients: create, update with optimistic concurrency, and the patient object the core reads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound, PreconditionFailed
from alsrx.i18n import N_
from alsrx.intake import assessment_input
from alsrx.intake.schema import schema_errors
from alsrx.services import access, audit
from alsrx.services.actor import Actor

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,49}")
CODE_RULE = N_("1-50 letters, digits, . _ -")  # an error's detail, in words where it is read
CLINICAL_FIELDS = (
    "sex",
    "height_cm",
    "weight_kg",
    "ethnicity",
    "symptom_onset_date",
    "diagnosis_date",
    "onset_region",
    "beta_blocker",
    "conditions",
    "c9orf72",
    "uses_ventilation_support",
)
EDITABLE = tuple(f for f in CLINICAL_FIELDS if f not in ("sex", "symptom_onset_date"))
DATE_FIELDS = ("symptom_onset_date", "diagnosis_date")
# The inputs the engine's safety rules read (contraindications, heart-rate basis, ventilation):
# a change to any of them must say why, so the audit trail explains a changed prescription.
SAFETY_FIELDS = ("conditions", "beta_blocker", "uses_ventilation_support")
# Optional fields an update may clear with None (the others are required or yes/no).
CLEARABLE = ("height_cm", "weight_kg", "ethnicity", "diagnosis_date", "onset_region", "conditions")


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def validate_patient(body: object, *, today: dt.date) -> dict[str, Any]:
    """The `patient` object of the assessment input plus `code`; InvalidInput names fields."""
    if not isinstance(body, dict):
        raise InvalidInput([FieldError("(body)", "wrong_type", {"expected": "object"})])
    fields = {k: v for k, v in body.items() if k != "code"}
    errors = schema_errors(fields, "patient")
    code = body.get("code")
    # fullmatch: with match() and "$", "CODE-1\n" passed and then read like "CODE-1".
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        errors.append(
            FieldError(
                "code",
                "required" if code is None else "invalid",
                {"detail": CODE_RULE},
            )
        )
    if not errors:
        errors += _date_errors(fields, today=today)
    if errors:
        raise InvalidInput(errors)
    return dict(body)


def _date_errors(fields: dict[str, Any], *, today: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    parsed: dict[str, dt.date | None] = {}
    for name in ("birth_date", *DATE_FIELDS):
        try:
            parsed[name] = _date(fields.get(name))
        except ValueError:
            errors.append(FieldError(name, "bad_date", {}))
            continue
        value = parsed[name]
        if value is not None and value > today:
            errors.append(FieldError(name, "in_future", {"today": today.isoformat()}))
    birth, onset, diagnosis = (parsed.get(k) for k in ("birth_date", *DATE_FIELDS))
    if birth:
        errors += assessment_input.age_errors(birth, on=today, path="birth_date")
    if birth and onset and onset < birth:
        errors.append(FieldError("symptom_onset_date", "not_before", {"other": "birth_date"}))
    if onset and diagnosis and diagnosis < onset:
        errors.append(FieldError("diagnosis_date", "not_before", {"other": "symptom_onset_date"}))
    return errors


def create(
    session: Session, actor: Actor, body: object, *, centre_id: int, today: dt.date
) -> models.Patient:
    access.require_role(actor, "clinician")
    access.require_centre(actor, centre_id)
    clean = validate_patient(body, today=today)
    taken = session.scalars(
        select(models.Patient.id).where(
            models.Patient.centre_id == centre_id, models.Patient.code == clean["code"]
        )
    ).first()
    if taken:
        raise Conflict("a patient with this code exists in this centre")
    patient = models.Patient(
        centre_id=centre_id,
        code=clean["code"],
        sex=clean["sex"],
        height_cm=clean.get("height_cm"),
        weight_kg=clean.get("weight_kg"),
        ethnicity=clean.get("ethnicity"),
        symptom_onset_date=_date(clean["symptom_onset_date"]),
        diagnosis_date=_date(clean.get("diagnosis_date")),
        onset_region=clean.get("onset_region"),
        beta_blocker=bool(clean.get("beta_blocker", False)),
        conditions=list(clean.get("conditions", [])),
        c9orf72=clean.get("c9orf72"),
        uses_ventilation_support=bool(clean.get("uses_ventilation_support", False)),
    )
    session.add(patient)
    try:
        session.flush()
    except IntegrityError:  # the same code created at the same moment by another request
        raise Conflict("a patient with this code exists in this centre") from None
    session.add(
        models.PatientIdentity(patient_id=patient.id, birth_date=_date(clean["birth_date"]))
    )
    audit.append(
        session,
        actor,
        action="create",
        entity="patient",
        entity_id=patient.id,
        new=clinical_view(patient) | {"code": patient.code},
    )
    return patient


def clinical_view(patient: models.Patient) -> dict[str, Any]:
    """The pseudonymous clinical fields (no identifying data)."""
    view: dict[str, Any] = {name: getattr(patient, name) for name in CLINICAL_FIELDS}
    for name in DATE_FIELDS:
        view[name] = view[name].isoformat() if view[name] else None
    return view


def input_patient(session: Session, patient: models.Patient) -> dict[str, Any]:
    """The `patient` object of the core's input, identity joined in (clinical use only)."""
    identity = session.get(models.PatientIdentity, patient.id)
    assert identity is not None
    fields = {name: getattr(patient, name) for name in CLINICAL_FIELDS}
    return _input_document(fields, identity.birth_date)


_PATIENT, _IDENTITY = models.table(models.Patient), models.table(models.PatientIdentity)
_CLINICAL_INPUT = (
    select(
        _PATIENT.c.id,
        _PATIENT.c.centre_id,
        *(_PATIENT.c[name] for name in CLINICAL_FIELDS),
        _IDENTITY.c.birth_date,
    )
    .join(_IDENTITY, _IDENTITY.c.patient_id == _PATIENT.c.id)
    .where(_PATIENT.c.id == bindparam("patient_id"))
)


def clinical_input(session: Session, actor: Actor, patient_id: str) -> dict[str, Any]:
    """`input_patient` for a patient within the actor's reach, else NotFound: the access check
    and the read in one Core query (it runs on every assessment write)."""
    row = session.connection().execute(_CLINICAL_INPUT, {"patient_id": patient_id}).first()
    if row is None or not access.reaches(actor, row.id, row.centre_id):
        raise NotFound("patient")
    fields = row._mapping
    return _input_document({name: fields[name] for name in CLINICAL_FIELDS}, row.birth_date)


def _input_document(fields: dict[str, Any], birth_date: dt.date) -> dict[str, Any]:
    doc = {k: v for k, v in fields.items() if v is not None}
    for name in DATE_FIELDS:
        if name in doc:
            doc[name] = doc[name].isoformat()
    if not doc.get("conditions"):
        doc.pop("conditions", None)
    doc["birth_date"] = birth_date.isoformat()
    return doc


def update(
    session: Session,
    actor: Actor,
    patient_id: str,
    changes: object,
    *,
    if_match: int,
    reason: object,
    today: dt.date,
) -> models.Patient:
    """Apply `changes`; `reason` (1-2000 characters) goes to the audit event. It is required
    when a safety input (SAFETY_FIELDS) changes value; optional otherwise. An optional field set
    to None is cleared."""
    access.require_role(actor, "clinician")
    patient = access.patient(session, actor, patient_id)
    session.refresh(patient, with_for_update=True)  # lock, then compare: no lost update
    if patient.version != if_match:
        raise PreconditionFailed("the patient was changed since this version")
    if not isinstance(changes, dict):
        raise InvalidInput([FieldError("(body)", "wrong_type", {"expected": "object"})])
    unknown = [k for k in changes if k not in EDITABLE]
    if unknown:
        raise InvalidInput([FieldError(k, "not_allowed", {"allowed": EDITABLE}) for k in unknown])
    old = clinical_view(patient)
    try:
        why = audit.reason(reason, path="reason", required=bool(safety_changes(old, changes)))
    except InvalidInput as missing:  # named together with any field errors below
        why, reason_errors = None, list(missing.errors)
    else:
        reason_errors = []
    # None clears an optional field: the stored record omits it, as a new patient would.
    merged = {
        k: v
        for k, v in (input_patient(session, patient) | changes).items()
        if v is not None or k not in CLEARABLE
    }
    errors = schema_errors(merged, "patient") + _date_errors(merged, today=today)
    if errors or reason_errors:
        raise InvalidInput(errors + reason_errors)
    for name, value in changes.items():
        if name == "conditions" and value is None:
            value = []
        setattr(patient, name, _date(value) if name in DATE_FIELDS else value)
    patient.version += 1
    audit.append(
        session,
        actor,
        action="update",
        entity="patient",
        entity_id=patient.id,
        old={k: old[k] for k in changes},
        new={k: clinical_view(patient)[k] for k in changes},
        reason=why,
    )
    return patient


def _same(name: str, old: Any, new: Any) -> bool:
    if name == "conditions":  # a set: the order of the checkboxes is not a change
        try:
            return sorted(old or []) == sorted(new or [])
        except TypeError:  # not a list of codes: a change, which the schema check refuses
            return False
    return bool(old == new)


def safety_changes(old: dict[str, Any], changes: dict[str, Any]) -> list[str]:
    """The safety inputs whose value `changes` would change (what needs a reason)."""
    return [k for k in SAFETY_FIELDS if k in changes and not _same(k, old.get(k), changes[k])]


def changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The fields of `new` whose value differs from `old` (clinical_view's shape)."""
    return {k: v for k, v in new.items() if not _same(k, old.get(k), v)}
