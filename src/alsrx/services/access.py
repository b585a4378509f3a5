"""Object-level access, in one place.

- clinician: patients of their own centre(s), read and write;
- patient: only themself; caregiver: only linked patients (their entries are stamped);
- researcher: no identifiable patient object at all (de-identified research views only);
- admin: centres and users, not clinical records.
Another centre's or patient's object answers NotFound (404), so its existence is not disclosed;
PermissionDenied (403) is for what the caller may know exists but may not do.
"""

from __future__ import annotations

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import NotFound, PermissionDenied
from alsrx.services.actor import Actor

CLINICAL_READERS = ("clinician", "patient", "caregiver")


def patients_query(actor: Actor) -> Select[models.Patient]:
    """The patients this actor may see (an empty set for roles without clinical access)."""
    query = select(models.Patient)
    if actor.role == "clinician":
        return query.where(models.Patient.centre_id.in_(actor.centre_ids))
    if actor.role in ("patient", "caregiver"):
        return query.where(models.Patient.id.in_(actor.patient_ids))
    return query.where(models.Patient.id.is_(None))


def can_see(actor: Actor, patient: models.Patient) -> bool:
    """The rule of `patients_query`, for one patient already loaded."""
    return reaches(actor, patient.id, patient.centre_id)


def reaches(actor: Actor, patient_id: str, centre_id: int) -> bool:
    """The rule of `patients_query`, for one patient's id and centre."""
    if actor.role == "clinician":
        return centre_id in actor.centre_ids
    if actor.role in ("patient", "caregiver"):
        return patient_id in actor.patient_ids
    return False


def patient(session: Session, actor: Actor, patient_id: str) -> models.Patient:
    """The patient if this actor may see it, else NotFound. (A primary-key get: the session's
    identity map answers repeated checks within one request without a query.)"""
    found = session.get(models.Patient, patient_id)
    if found is None or not can_see(actor, found):
        raise NotFound("patient")
    return found


_PATIENTS = models.table(models.Patient)
_REACH = select(_PATIENTS.c.id, _PATIENTS.c.centre_id).where(
    _PATIENTS.c.id == bindparam("patient_id")
)


def require_patient(session: Session, actor: Actor, patient_id: str) -> None:
    """`patient` for a caller that needs only the check: one Core query, no object loaded."""
    row = session.connection().execute(_REACH, {"patient_id": patient_id}).first()
    if row is None or not reaches(actor, row.id, row.centre_id):
        raise NotFound("patient")


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"role {actor.role} may not do this")


def require_centre(actor: Actor, centre_id: int) -> None:
    if actor.role != "clinician" or centre_id not in actor.centre_ids:
        raise NotFound("centre")


def prescription(session: Session, actor: Actor, prescription_id: str) -> models.Prescription:
    found = session.get(models.Prescription, prescription_id)
    if found is None:
        raise NotFound("prescription")
    patient(session, actor, found.patient_id)  # NotFound when the patient is out of reach
    return found


def assessment(session: Session, actor: Actor, assessment_id: str) -> models.Assessment:
    found = session.get(models.Assessment, assessment_id)
    if found is None:
        raise NotFound("assessment")
    patient(session, actor, found.patient_id)
    return found
