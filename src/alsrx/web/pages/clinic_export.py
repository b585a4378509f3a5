"""The clinic export's downloads from the clinician workspace: the same files as the API
(web/api/clinic_export.py), in the page's language, signed in with the browser session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from alsrx.services import clinic_export, fhir_export
from alsrx.web.api import clinic_export as api
from alsrx.web.api import fhir_export as fhir_api
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)


@router.get("/clinic/patients/{patient_id}/export.zip")
def patient_export(request: Request, patient_id: str) -> Response:
    actor = session.current(request, *clinic_export.EXPORTERS)
    lang = render.preferences(request)["lang"]
    return api.response(
        request,
        actor,
        lambda s, a: clinic_export.patient_scope(s, a, patient_id),
        table=None,
        lang=lang,
    )


@router.get("/clinic/centres/{centre_id}/export.zip")
def centre_export(request: Request, centre_id: int) -> Response:
    actor = session.current(request, *clinic_export.EXPORTERS)
    lang = render.preferences(request)["lang"]
    return api.response(
        request,
        actor,
        lambda s, a: clinic_export.centre_scope(s, a, centre_id),
        table=None,
        lang=lang,
    )


@router.get("/clinic/patients/{patient_id}/fhir.json")
def patient_fhir(request: Request, patient_id: str) -> Response:
    """The patient's record as a FHIR R4B Bundle, for a hospital record system."""
    actor = session.current(request, *fhir_export.EXPORTERS)
    lang = render.preferences(request)["lang"]
    return fhir_api.response(request, actor, patient_id, lang=lang, deidentified=False)
