"""FHIR R4B exchange: a patient's assessments imported from a Bundle (issue 17).

The body is the Bundle itself (application/fhir+json or application/json), read with its
decimals exact; the report lists every entry's outcome. 201 when an assessment was created,
200 when there was nothing new (all duplicates or context), 422 naming each entry's element
when anything is wrong, and then nothing is stored.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from alsrx.services import fhir_import
from alsrx.web import deps
from alsrx.web.api import writes
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["fhir"])

BUNDLE_SCHEMA = {
    "type": "object",
    "required": ["resourceType"],
    "description": "A FHIR R4B Bundle (type collection) as alsrx exports it.",
    "properties": {"resourceType": {"const": "Bundle"}, "entry": {"type": "array"}},
}


@endpoint(
    router,
    "POST",
    "/patients/{patient_id}/fhir",
    roles=("clinician",),
    scope="patient",
    body_schema=BUNDLE_SCHEMA,
    status_code=201,
    summary="Import ALSFRS-R responses and measurements from a FHIR R4B Bundle",
)
async def import_bundle(request: Request, patient_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    raw = await request.body()
    options = deps.settings(request).assessment_options()

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        report = fhir_import.import_bundle(
            session, actor, patient_id, raw or b"null", today=deps.today(), options=options
        )
        return (201 if report.created else 200), report.as_json(), {}

    return await writes.run(request, actor, work)
