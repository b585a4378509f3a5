"""Printed plans: who may print which sheet of a prescription, and what the sheet says that the
stored content does not (names, phones, approval, dates).

- clinicians of the patient's centre: the patient's handout and the clinician's sheet, of any
  version (a sheet that is not the current plan says so at its top);
- the patient and their linked caregivers: the patient's handout of the ACTIVE prescription
  only (a draft or an old version is refused as a Conflict: they may know it exists, since
  they may read it, but no paper of it goes home);
- anyone else: what services/access.py answers (another centre's or patient's: NotFound).
A read: nothing is written, so nothing is audited (the project audits changes, logins and
research exports, not reads of clinical records).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, PermissionDenied
from alsrx.render import programme_view
from alsrx.services import access
from alsrx.services.actor import Actor

ACTIVE = "active"
PRINTERS = ("clinician", "patient", "caregiver")


def context(
    session: Session, actor: Actor, prescription_id: str, *, audience: str
) -> tuple[models.Prescription, programme_view.HandoutContext]:
    """The prescription this actor may print for `audience`, with its sheet's context."""
    access.require_role(actor, *PRINTERS)
    row = access.prescription(session, actor, prescription_id)
    if actor.role != "clinician":
        if audience != "patient":
            raise PermissionDenied("only a clinician may print the clinician's sheet")
        if row.status != ACTIVE:
            raise Conflict(f"only the active prescription is printed (this one is {row.status})")
    patient = session.get(models.Patient, row.patient_id)
    assert patient is not None  # access.prescription found it
    centre = session.get(models.Centre, patient.centre_id)
    approver = session.get(models.User, row.approved_by) if row.approved_by else None
    basis = session.get(models.Assessment, row.assessment_id) if row.assessment_id else None
    return row, programme_view.HandoutContext(
        prescription_id=row.id,
        version=row.version,
        status=row.status,
        patient_name=_name(session, patient) if audience == "clinician" else None,
        centre_name=centre.name if centre else None,
        clinic_phone=centre.contact_phone if centre else None,
        emergency_number=centre.emergency_number if centre else None,
        approved_by=approver.username if approver else None,
        approved_at=row.approved_at,
        started_on=row.starts_on,
        assessed_on=basis.date if basis else None,
    )


def _name(session: Session, patient: models.Patient) -> str:
    """The name the clinic files the sheet under, with the centre's code beside it."""
    identity = session.get(models.PatientIdentity, patient.id)
    if identity is None or not identity.full_name:
        return patient.code
    return f"{identity.full_name} ({patient.code})"
