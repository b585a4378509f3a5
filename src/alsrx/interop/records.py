"""What the FHIR export is built from: the patient's stored facts and the domain's values,
handed over by the service (interop reads no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alsrx.domain import assessment


@dataclass(frozen=True)
class PatientFacts:
    id: str
    research_id: str
    code: str  # the centre-local code: the clinic's identifier, not a name
    centre_id: int
    sex: str
    birth_date: dt.date
    symptom_onset_date: dt.date
    diagnosis_date: dt.date | None
    onset_region: str | None
    height_cm: float | None


@dataclass(frozen=True)
class AssessmentFacts:
    """One current assessment: who entered it, the input as entered, and the core's result
    recomputed from it (the domain values the resources are built from)."""

    id: str
    version: int
    data: Mapping[str, Any]
    result: assessment.Result
    entered_by: int
    entered_as: str  # clinician | patient | caregiver
    created_at: dt.datetime


@dataclass(frozen=True)
class PrescriptionFacts:
    id: str
    version: int
    status: str
    content: Mapping[str, Any]
    starts_on: dt.date | None
    created_at: dt.datetime
    approved_by: int | None
    approved_at: dt.datetime | None
    supersedes_id: str | None
    assessment_id: str | None = None  # the assessment it was drafted from


@dataclass(frozen=True)
class SessionFacts:
    id: str
    prescription_id: str
    date: dt.date
    component: str
    completed: str
    duration_min: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    rpe: float | None
    sets: int | None
    reps: int | None
    symptoms: Sequence[str]
    entered_by: int
    entered_as: str
    created_at: dt.datetime


@dataclass(frozen=True)
class PatientRecord:
    patient: PatientFacts
    assessments: Sequence[AssessmentFacts] = ()
    prescriptions: Sequence[PrescriptionFacts] = ()
    sessions: Sequence[SessionFacts] = ()
