"""FHIR export: a patient's record, or every patient of a clinician's centres, as FHIR R4B.

Clinicians of the patient's centre only (another centre's patient answers NotFound), audited
in the caller's transaction with counts, never values. Assessments are exported from their
current versions, each re-derived by the core from its stored input and the patient's record
(the same computation as when it was entered; a corrected height gives today's predicted
values). Undone session logs are left out: they count nowhere else either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.analytics import dateshift
from alsrx.db import models
from alsrx.domain import assessment as core
from alsrx.intake import assessment_input
from alsrx.interop import fhir_bundle, fhir_json
from alsrx.interop.fhir_base import Context
from alsrx.interop.records import (
    AssessmentFacts,
    PatientFacts,
    PatientRecord,
    PrescriptionFacts,
    SessionFacts,
)
from alsrx.services import access, audit, patients
from alsrx.services.actor import Actor

EXPORTERS = ("clinician",)
FORMATS = ("bundle", "ndjson")


@dataclass(frozen=True)
class ExportOptions:
    today: dt.date
    lang: str = "en"
    deidentified: bool = False
    assessment_options: core.Options = core.Options()


def _facts(session: Session, patient: models.Patient) -> PatientFacts:
    identity = session.get(models.PatientIdentity, patient.id)
    assert identity is not None  # every patient is created with one (services/patients.py)
    return PatientFacts(
        id=patient.id,
        research_id=patient.research_id,
        code=patient.code,
        centre_id=patient.centre_id,
        sex=patient.sex,
        birth_date=identity.birth_date,
        symptom_onset_date=patient.symptom_onset_date,
        diagnosis_date=patient.diagnosis_date,
        onset_region=patient.onset_region,
        height_cm=patient.height_cm,
    )


def _assessments(
    session: Session, patient: models.Patient, wanted: ExportOptions
) -> list[AssessmentFacts]:
    rows = session.scalars(
        select(models.Assessment)
        .where(models.Assessment.patient_id == patient.id, models.Assessment.is_current.is_(True))
        .order_by(models.Assessment.date, models.Assessment.created_at)
    )
    document = patients.input_patient(session, patient)
    out = []
    for row in rows:
        parsed = assessment_input.parse(
            {"patient": document, "assessment": row.data}, today=max(wanted.today, row.date)
        )
        result = core.assess(parsed.patient, parsed.visit, wanted.assessment_options)
        out.append(
            AssessmentFacts(
                id=row.id,
                version=row.version,
                data=row.data,
                result=result,
                entered_by=row.entered_by,
                entered_as=row.entered_as,
                created_at=row.created_at,
            )
        )
    return out


def _prescriptions(session: Session, patient_id: str) -> list[PrescriptionFacts]:
    rows = session.scalars(
        select(models.Prescription)
        .where(models.Prescription.patient_id == patient_id)
        .order_by(models.Prescription.created_at, models.Prescription.version)
    )
    return [
        PrescriptionFacts(
            id=r.id,
            version=r.version,
            status=r.status,
            content=r.content,
            starts_on=r.starts_on,
            created_at=r.created_at,
            approved_by=r.approved_by,
            approved_at=r.approved_at,
            supersedes_id=r.supersedes_id,
            assessment_id=r.assessment_id,
        )
        for r in rows
    ]


def _sessions(session: Session, patient_id: str) -> list[SessionFacts]:
    rows = session.scalars(
        select(models.SessionLog)
        .where(models.SessionLog.patient_id == patient_id, models.SessionLog.undone_at.is_(None))
        .order_by(models.SessionLog.date, models.SessionLog.created_at)
    )
    return [
        SessionFacts(
            id=r.id,
            prescription_id=r.prescription_id,
            date=r.date,
            component=r.component,
            completed=r.completed,
            duration_min=r.duration_min,
            avg_hr_bpm=r.avg_hr_bpm,
            max_hr_bpm=r.max_hr_bpm,
            rpe=r.rpe,
            sets=r.sets,
            reps=r.reps,
            symptoms=tuple(r.symptoms or ()),
            entered_by=r.entered_by,
            entered_as=r.entered_as,
            created_at=r.created_at,
        )
        for r in rows
    ]


def record(session: Session, patient: models.Patient, wanted: ExportOptions) -> PatientRecord:
    return PatientRecord(
        patient=_facts(session, patient),
        assessments=_assessments(session, patient, wanted),
        prescriptions=_prescriptions(session, patient.id),
        sessions=_sessions(session, patient.id),
    )


def _patients(session: Session, actor: Actor, patient_id: str | None) -> list[models.Patient]:
    access.require_role(actor, *EXPORTERS)
    if patient_id is not None:
        return [access.patient(session, actor, patient_id)]
    query = access.patients_query(actor).order_by(models.Patient.centre_id, models.Patient.code)
    return list(session.scalars(query))


def _context(wanted: ExportOptions) -> Context:
    if not wanted.deidentified:
        return Context(lang=wanted.lang)
    return Context(lang=wanted.lang, namespace=uuid.uuid4(), deidentified=True)


def _shifted(
    ctx: Context, records: Iterable[PatientRecord]
) -> Iterable[tuple[Context, PatientRecord]]:
    """Each patient's own date shift in a de-identified export (a new secret per export)."""
    shift = dateshift.DateShift(secrets.token_bytes(32)) if ctx.deidentified else None
    for rec in records:
        days = shift.days(rec.patient.research_id) if shift else 0
        yield dataclasses.replace(ctx, shift_days=days), rec


def export(
    session: Session,
    actor: Actor,
    *,
    patient_id: str | None,
    wanted: ExportOptions,
    fmt: str = "bundle",
    at: dt.datetime,
) -> str | dict[str, str]:
    """The Bundle's JSON text, or NDJSON texts per resource type; audited per patient."""
    chosen = _patients(session, actor, patient_id)
    ctx = _context(wanted)
    resources = []
    for patient_ctx, rec in _shifted(ctx, (record(session, p, wanted) for p in chosen)):
        resources += fhir_bundle.patient_resources(patient_ctx, rec)
        _audit(session, actor, rec, fmt=fmt, wanted=wanted)
    resources += fhir_bundle.people(ctx)
    everything = fhir_bundle.conformance(ctx, resources) + resources
    document = fhir_bundle.wrap(ctx, everything, at=at)
    return fhir_bundle.as_ndjson(document) if fmt == "ndjson" else fhir_json.dumps(document)


def _audit(
    session: Session, actor: Actor, rec: PatientRecord, *, fmt: str, wanted: ExportOptions
) -> None:
    counts = {
        "format": f"fhir-{fmt}",
        "deidentified": wanted.deidentified,
        "assessments": len(rec.assessments),
        "prescriptions": len(rec.prescriptions),
        "session_logs": len(rec.sessions),
    }
    audit.append(
        session, actor, action="export", entity="patient", entity_id=rec.patient.id, new=counts
    )
