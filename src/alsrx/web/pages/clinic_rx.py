"""The clinician's prescription pages: draft, review, edit, approve, reject."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.db import models
from alsrx.domain.followup import proposals
from alsrx.errors import AlsrxError
from alsrx.render.messages import error_lines
from alsrx.services import access, prescriptions
from alsrx.web import deps
from alsrx.web.pages import clinic_words, render, session

router = APIRouter(include_in_schema=False)


@router.post("/clinic/patients/{patient_id}/prescriptions")
async def draft(request: Request, patient_id: str) -> Response:
    _form, actor = await session.posted(request, "clinician")
    try:
        with deps.write(request) as s:
            row = prescriptions.draft(
                s,
                actor,
                patient_id,
                today=deps.today(),
                options=deps.settings(request).assessment_options(),
            )
            s.flush()
            rx_id = row.id
    except AlsrxError as exc:
        return render.error_page(request, exc, status=422, back=f"/clinic/patients/{patient_id}")
    return session.redirect(f"/clinic/prescriptions/{rx_id}")


def _history(rows: list[models.Prescription]) -> list[dict[str, Any]]:
    ordered = sorted(rows, key=lambda r: r.created_at)
    out = []
    for i, r in enumerate(ordered):
        diff = proposals.diff(ordered[i - 1].content, r.content) if i else []
        out.append(
            {"id": r.id, "created_at": r.created_at.date(), "status": r.status, "diff": diff}
        )
    return list(reversed(out))


def _rx_page(
    request: Request,
    prescription_id: str,
    *,
    errors: list[str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    with deps.read(request) as s:
        rx = access.prescription(s, actor, prescription_id)
        patient = access.patient(s, actor, rx.patient_id)
        history = _history(prescriptions.for_patient(s, actor, rx.patient_id))
    return render.page(
        request,
        "prescription.html",
        status=status,
        rx=rx,
        patient=patient,
        history=history,
        errors=errors or [],
        notice=notice,
        **clinic_words.helpers(lang),
    )


@router.get("/clinic/prescriptions/{prescription_id}", response_class=HTMLResponse)
def prescription_page(request: Request, prescription_id: str) -> Response:
    return _rx_page(request, prescription_id)


def _version(form: dict[str, Any]) -> int | None:
    raw = str(form.get("version", ""))
    return int(raw) if raw.isdigit() else None


@router.post("/clinic/prescriptions/{prescription_id}/approve")
async def approve(request: Request, prescription_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    try:
        with deps.write(request) as s:
            row = prescriptions.approve(
                s, actor, prescription_id, if_match=_version(form), today=deps.today()
            )
            pid = row.patient_id
    except AlsrxError as exc:
        return _rx_page(
            request,
            prescription_id,
            errors=error_lines(exc, lang),
            status=409,
        )
    return session.redirect(f"/clinic/patients/{pid}?notice=approved")


@router.post("/clinic/prescriptions/{prescription_id}/reject")
async def reject(request: Request, prescription_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    try:
        with deps.write(request) as s:
            row = prescriptions.reject(s, actor, prescription_id, note=form.get("note"))
            pid = row.patient_id
    except AlsrxError as exc:
        return _rx_page(request, prescription_id, errors=error_lines(exc, lang), status=422)
    return session.redirect(f"/clinic/patients/{pid}?notice=rejected")
