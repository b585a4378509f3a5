"""Patients, assessments and prescriptions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from alsrx.domain.exercises import edits as exercise_edits
from alsrx.errors import FieldError, InvalidInput, PreconditionRequired
from alsrx.intake import schema as schema_mod
from alsrx.intake.schema import assessment_input_schema
from alsrx.services import (
    access,
    assessments,
    audit,
    followup,
    patients,
    prescription_exercises,
    prescriptions,
)
from alsrx.web import deps
from alsrx.web.api import views, writes
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["clinical"])
CLINICAL = ("clinician", "patient", "caregiver")
WRITERS = ("clinician", "patient", "caregiver")


def _patient_body_schema() -> dict[str, Any]:
    schema = dict(assessment_input_schema()["properties"]["patient"])
    schema["properties"] = dict(schema["properties"]) | {
        "code": {
            "type": "string",
            "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$",
            "description": "Centre-local pseudonymous code.",
        },
        "centre_id": {
            "type": "integer",
            "description": "Needed when you belong to several centres.",
        },
    }
    schema["required"] = [*schema["required"], "code"]
    return schema


def _assessment_body_schema() -> dict[str, Any]:
    return dict(assessment_input_schema()["properties"]["assessment"])


def _centre_for(actor_centres: frozenset[int], body: Any) -> int:
    requested = body.get("centre_id") if isinstance(body, dict) else None
    if requested is None and len(actor_centres) == 1:
        return next(iter(actor_centres))
    if requested is None:
        raise InvalidInput([FieldError("centre_id", "required", {})])
    if not isinstance(requested, int) or isinstance(requested, bool):
        raise InvalidInput([FieldError("centre_id", "wrong_type", {"expected": "integer"})])
    return requested


@endpoint(
    router,
    "POST",
    "/patients",
    roles=("clinician",),
    scope="centre",
    body_schema=_patient_body_schema(),
    status_code=201,
)
async def create_patient(request: Request) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        centre_id = _centre_for(actor.centre_ids, body)
        fields = (
            {k: v for k, v in body.items() if k != "centre_id"} if isinstance(body, dict) else body
        )
        row = patients.create(session, actor, fields, centre_id=centre_id, today=deps.today())
        return (
            201,
            views.patient(session, actor, row),
            {"ETag": deps.etag(row.version), "Location": f"/api/v1/patients/{row.id}"},
        )

    return await writes.run(request, actor, work)


@endpoint(router, "GET", "/patients", roles=CLINICAL, scope="patient")
def list_patients(request: Request) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        rows = session.scalars(access.patients_query(actor).order_by("code")).all()
        return {"patients": [views.patient(session, actor, r) for r in rows]}


@endpoint(router, "GET", "/patients/{patient_id}", roles=CLINICAL, scope="patient")
def get_patient(request: Request, patient_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        row = access.patient(session, actor, patient_id)
        return JSONResponse(
            views.patient(session, actor, row), headers={"ETag": deps.etag(row.version)}
        )


@endpoint(
    router,
    "PATCH",
    "/patients/{patient_id}",
    roles=("clinician",),
    scope="patient",
    body_schema={
        "type": "object",
        "properties": {k: {} for k in patients.EDITABLE}
        | {"reason": {"type": "string", "minLength": 1, "maxLength": audit.REASON_MAX}},
        "additionalProperties": False,
    },
)
async def update_patient(request: Request, patient_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)
    version = deps.if_match(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        access.patient(session, actor, patient_id)  # 404 before anything else is revealed
        if version is None:
            raise PreconditionRequired("send If-Match with the patient's ETag")
        changes = dict(body) if isinstance(body, dict) else body
        reason = changes.pop("reason", None) if isinstance(changes, dict) else None
        row = patients.update(
            session, actor, patient_id, changes, if_match=version, reason=reason, today=deps.today()
        )
        return 200, views.patient(session, actor, row), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)


@endpoint(
    router,
    "POST",
    "/patients/{patient_id}/assessments",
    roles=WRITERS,
    scope="patient",
    body_schema=_assessment_body_schema(),
    status_code=201,
)
async def create_assessment(request: Request, patient_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)
    options = deps.settings(request).assessment_options()

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        row, _ = followup.record_assessment(
            session, actor, patient_id, body, today=deps.today(), options=options
        )
        return (
            201,
            views.assessment(row),
            {"ETag": deps.etag(row.version), "Location": f"/api/v1/assessments/{row.id}"},
        )

    return await writes.run(request, actor, work)


@endpoint(router, "GET", "/patients/{patient_id}/assessments", roles=CLINICAL, scope="patient")
def list_assessments(request: Request, patient_id: str) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        return {
            "assessments": [
                views.assessment(r) for r in assessments.current(session, actor, patient_id)
            ]
        }


@endpoint(router, "GET", "/assessments/{assessment_id}", roles=CLINICAL, scope="assessment")
def get_assessment(request: Request, assessment_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        row = access.assessment(session, actor, assessment_id)
        return JSONResponse(views.assessment(row), headers={"ETag": deps.etag(row.version)})


@endpoint(
    router, "GET", "/assessments/{assessment_id}/versions", roles=CLINICAL, scope="assessment"
)
def assessment_versions(request: Request, assessment_id: str) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        return {
            "versions": [
                views.assessment(r) for r in assessments.history(session, actor, assessment_id)
            ]
        }


@endpoint(
    router,
    "POST",
    "/assessments/{assessment_id}/confirm",
    roles=("clinician",),
    scope="assessment",
    summary="Confirm a patient's or caregiver's own assessment as a basis for drafts",
)
async def confirm_assessment(request: Request, assessment_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    version = deps.if_match(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        row = assessments.confirm(session, actor, assessment_id, if_match=version)
        return 200, views.assessment(row), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)


@endpoint(
    router,
    "POST",
    "/assessments/{assessment_id}/corrections",
    roles=("clinician",),
    scope="assessment",
    status_code=201,
    body_schema={
        "type": "object",
        "required": ["assessment", "reason"],
        "additionalProperties": False,
        "properties": {
            "assessment": _assessment_body_schema(),
            "reason": {"type": "string", "minLength": 1, "maxLength": audit.REASON_MAX},
        },
    },
)
async def correct_assessment(request: Request, assessment_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)
    version = deps.if_match(request)
    options = deps.settings(request).assessment_options()

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        if not isinstance(body, dict):
            raise InvalidInput([FieldError("(body)", "wrong_type", {"expected": "object"})])
        row, _ = followup.correct_assessment(
            session,
            actor,
            assessment_id,
            body.get("assessment"),
            reason=body.get("reason"),
            if_match=version,
            today=deps.today(),
            options=options,
        )
        session.flush()
        return 201, views.assessment(row), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)


@endpoint(
    router,
    "POST",
    "/patients/{patient_id}/prescriptions",
    roles=("clinician",),
    scope="patient",
    status_code=201,
)
async def draft_prescription(request: Request, patient_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    options = deps.settings(request).assessment_options()

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        row = prescriptions.draft(session, actor, patient_id, today=deps.today(), options=options)
        session.flush()
        return 201, views.prescription(row, actor.lang), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)


@endpoint(router, "GET", "/patients/{patient_id}/prescriptions", roles=CLINICAL, scope="patient")
def list_prescriptions(request: Request, patient_id: str) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        rows = prescriptions.for_patient(session, actor, patient_id)
        return {"prescriptions": [views.prescription(r, actor.lang) for r in rows]}


@endpoint(router, "GET", "/prescriptions/{prescription_id}", roles=CLINICAL, scope="prescription")
def get_prescription(request: Request, prescription_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        row = access.prescription(session, actor, prescription_id)
        return JSONResponse(
            views.prescription(row, actor.lang), headers={"ETag": deps.etag(row.version)}
        )


APPROVE_BODY = {
    "type": "object",
    "additionalProperties": False,
    "description": "The points for the clinician the approving clinician has read. A plan whose "
    "`prescription.reasons` is empty may be approved without a body; otherwise every reason's "
    "`code` must be listed, or the approval is refused (422) naming each point not listed.",
    "properties": {
        "acknowledge": {
            "type": "array",
            "maxItems": 100,
            "items": {"type": "string", "maxLength": 80},
            "description": "The `code` of each point for the clinician (prescription.reasons).",
        }
    },
}


@endpoint(
    router,
    "POST",
    "/prescriptions/{prescription_id}/approve",
    roles=("clinician",),
    scope="prescription",
    body_schema=APPROVE_BODY,
    summary="Approve a draft, acknowledging its points for the clinician",
)
async def approve_prescription(request: Request, prescription_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)
    version = deps.if_match(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        access.prescription(session, actor, prescription_id)  # 404 before the body is judged
        row = prescriptions.approve(
            session,
            actor,
            prescription_id,
            if_match=version,
            today=deps.today(),
            acknowledged=_acknowledged(body),
        )
        return 200, views.prescription(row, actor.lang), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)


def _acknowledged(body: object) -> list[str]:
    """The approval body's `acknowledge` list (APPROVE_BODY); no body acknowledges nothing."""
    if body is None:
        return []
    errors = schema_mod.document_errors(body, APPROVE_BODY)
    if errors:
        raise InvalidInput(errors)
    assert isinstance(body, dict)
    return [str(code) for code in body.get("acknowledge") or ()]


_DOSE_NUMBER = {"type": ["integer", "null"], "minimum": 1}
EXERCISES_BODY = {
    "type": "object",
    "required": ["exercises"],
    "additionalProperties": False,
    "properties": {
        "exercises": {
            "type": "array",
            "maxItems": exercise_edits.MAX_EXERCISES,
            "description": "The component's whole new list, in the order the exercises are done.",
            "items": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "maxLength": 61},
                    "sets": {"type": "integer", "minimum": 1, "maximum": 5},
                    "repetitions": _DOSE_NUMBER | {"maximum": 30},
                    "hold_seconds": _DOSE_NUMBER | {"maximum": 1800},
                    "load": {"type": ["string", "null"], "description": "The library's; optional."},
                    "side": {"type": "string", "enum": ["both", "left", "right", "none"]},
                    "minutes": {
                        "type": ["number", "null"],
                        "description": "Only for a continuous exercise; otherwise computed.",
                    },
                },
            },
        }
    },
}


@endpoint(
    router,
    "PUT",
    "/prescriptions/{prescription_id}/components/{component}/exercises",
    roles=("clinician",),
    scope="prescription",
    body_schema=EXERCISES_BODY,
    summary="Replace a draft component's exercises, checked against the patient",
)
async def put_exercises(request: Request, prescription_id: str, component: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)
    version = deps.if_match(request)
    options = deps.settings(request).assessment_options()

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        access.prescription(session, actor, prescription_id)  # 404 before the body is judged
        if version is None:
            raise PreconditionRequired("send If-Match with the prescription's ETag")
        if not isinstance(body, dict) or "exercises" not in body:
            raise InvalidInput([FieldError("exercises", "required", {})])
        allowed = {"allowed": ("exercises",)}
        extra = [FieldError(k, "not_allowed", allowed) for k in body if k != "exercises"]
        if extra:
            raise InvalidInput(extra)
        row = prescription_exercises.edit(
            session,
            actor,
            prescription_id,
            component,
            body.get("exercises"),
            if_match=version,
            today=deps.today(),
            options=options,
        )
        return 200, views.prescription(row), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)
