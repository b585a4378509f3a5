"""JSON views of stored records, per role (no identifying field leaves without a reason)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.render import prescription_json
from alsrx.services import assessments, patients
from alsrx.services.actor import Actor


def patient(session: Session, actor: Actor, row: models.Patient) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": row.id,
        "code": row.code,
        "centre_id": row.centre_id,
        "version": row.version,
        **patients.clinical_view(row),
    }
    if actor.role in ("clinician", "patient", "caregiver"):
        identity = session.get(models.PatientIdentity, row.id)
        doc["birth_date"] = identity.birth_date.isoformat() if identity else None
    return doc


def assessment(row: models.Assessment) -> dict[str, Any]:
    return {
        "id": row.id,
        "series_id": row.series_id,
        "version": row.version,
        "is_current": row.is_current,
        "patient_id": row.patient_id,
        "date": row.date.isoformat(),
        "assessment": row.data,
        "derived": row.derived,
        "reason": row.reason,
        "entered_by": row.entered_by,
        "entered_as": row.entered_as,
        "confirmed_by": row.confirmed_by,
        "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None,
        "basis_for_drafts": assessments.is_trusted(row),
        "created_at": row.created_at.isoformat(),
    }


def prescription(row: models.Prescription, lang: str = "en") -> dict[str, Any]:
    """A stored prescription for the API: its notes worded in the caller's language."""
    return {
        "id": row.id,
        "patient_id": row.patient_id,
        "status": row.status,
        "version": row.version,
        "assessment_id": row.assessment_id,
        "supersedes_id": row.supersedes_id,
        "origin": row.origin,
        "created_by": row.created_by,
        "approved_by": row.approved_by,
        "approved_at": row.approved_at.isoformat() if row.approved_at else None,
        "created_at": row.created_at.isoformat(),
        "prescription": prescription_json.worded(row.content, lang),
        "proposal": row.proposal,
        "starts_on": row.starts_on.isoformat() if row.starts_on else None,
    }
