"""The clinician's prescription pages: draft, review, edit, approve, reject."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.db import models
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.i18n import N_, translator
from alsrx.render import prescription_review
from alsrx.render.messages import error_lines
from alsrx.services import access, assessments, handouts, prescriptions
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


def _assessed(row: models.Assessment | None) -> prescription_review.Assessed | None:
    return None if row is None else prescription_review.Assessed(row.id, row.date, row.is_current)


def _rx_page(
    request: Request,
    prescription_id: str,
    *,
    errors: list[str] | None = None,
    missing: list[str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    with deps.read(request) as s:
        rx, context = handouts.context(s, actor, prescription_id, audience="clinician")
        patient = access.patient(s, actor, rx.patient_id)
        basis = s.get(models.Assessment, rx.assessment_id) if rx.assessment_id else None
        review = prescription_review.build(
            rx,
            context,
            versions=prescriptions.for_patient(s, actor, rx.patient_id),
            rejections=prescriptions.rejections(s, actor, rx.patient_id),
            basis=_assessed(basis),
            newest=_assessed(assessments.latest_basis(s, rx.patient_id)),
            patient_url=f"/clinic/patients/{patient.id}#as-h",
            lang=lang,
            missing=missing or (),
        )
    return render.page(
        request,
        "prescription.html",
        status=status,
        rx=rx,
        patient=patient,
        review=review,
        p=review.programme,
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
                s,
                actor,
                prescription_id,
                if_match=_version(form),
                today=deps.today(),
                acknowledged=_ticked(form),
            )
            pid = row.patient_id
    except InvalidInput as exc:
        # A point left unticked is shown at its checkbox; other errors above the form.
        unread = [str(e.params["point"]) for e in exc.errors if e.code == UNREAD]
        others = [e for e in exc.errors if e.code != UNREAD]
        lines = error_lines(InvalidInput(others), lang) if others else []
        if unread:
            lines.append(translator(lang)(NOT_ACKNOWLEDGED))
        return _rx_page(request, prescription_id, errors=lines, missing=unread, status=422)
    except AlsrxError as exc:
        return _rx_page(request, prescription_id, errors=error_lines(exc, lang), status=409)
    return session.redirect(f"/clinic/patients/{pid}?notice=approved")


UNREAD = "point_not_acknowledged"
NOT_ACKNOWLEDGED = N_(
    "Not approved: tick each point for the clinician to confirm you have read it, then approve."
)


def _ticked(form: dict[str, Any]) -> list[str]:
    """The points the clinician ticked: one `acknowledge` field, or a list of them."""
    value = form.get("acknowledge")
    values = value if isinstance(value, list) else [value] if value else []
    return [str(v) for v in values]


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
