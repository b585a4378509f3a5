"""FHIR export over HTTP: a patient's record as a FHIR R4B Bundle (application/fhir+json)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from alsrx.db.models import utcnow
from alsrx.services import fhir_export
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.api.handouts import choice
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["interoperability"])
FHIR_JSON = "application/fhir+json"
LANGS = ("en", "zh")


@endpoint(
    router,
    "GET",
    "/patients/{patient_id}/fhir",
    roles=fhir_export.EXPORTERS,
    scope="patient",
    summary="The patient's record as a FHIR R4B (4.3.0) collection Bundle: Patient, Condition, "
    "the ALSFRS-R Questionnaire and one QuestionnaireResponse per assessment, measurement "
    "Observations, the exercise prescriptions as CarePlan and ServiceRequests, session logs as "
    "activity Observations, and alsrx's code systems and StructureDefinitions; audited",
)
def export_patient(
    request: Request,
    patient_id: str,
    lang: str | None = Query(None, description="Language of texts (en or zh); the reader's"),
    deidentified: bool = Query(
        False, description="Research id instead of the centre code, no birth date, dates shifted"
    ),
) -> Response:
    actor = deps.authenticate(request)
    reader = "zh" if actor.lang.startswith("zh") else "en"
    lang = choice("lang", reader if lang is None else lang, LANGS)
    return response(request, actor, patient_id, lang=lang, deidentified=deidentified)


def response(
    request: Request, actor: Actor, patient_id: str, *, lang: str, deidentified: bool
) -> Response:
    """The export as a download (the API's and the clinic page's)."""
    wanted = fhir_export.ExportOptions(
        today=deps.today(),
        lang=lang,
        deidentified=deidentified,
        assessment_options=deps.settings(request).assessment_options(),
    )
    with deps.write(request) as session:  # the export is audited in its own transaction
        text = fhir_export.export(session, actor, patient_id=patient_id, wanted=wanted, at=utcnow())
    assert isinstance(text, str)
    name = f"alsrx-fhir-{'deidentified' if deidentified else 'patient'}.json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(text.encode("utf-8"), media_type=FHIR_JSON, headers=headers)
