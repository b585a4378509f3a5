"""The clinician's alerts inbox."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx.db import models
from alsrx.services import alerts as alerts_service
from alsrx.web import deps
from alsrx.web.pages import clinic_words, render, session

router = APIRouter(include_in_schema=False)


@router.get("/clinic/alerts", response_class=HTMLResponse)
def alerts_page(request: Request) -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    with deps.read(request) as s:
        rows = [a for a in alerts_service.inbox(s, actor) if a.status != "resolved"]
        codes = dict(
            s.execute(
                select(models.Patient.id, models.Patient.code).where(
                    models.Patient.centre_id.in_(actor.centre_ids)
                )
            ).all()
        )
        waiting = list(
            s.scalars(
                select(models.Prescription)
                .join(models.Patient, models.Patient.id == models.Prescription.patient_id)
                .where(
                    models.Patient.centre_id.in_(actor.centre_ids),
                    models.Prescription.status == "draft",
                    models.Prescription.origin.like("proposal:%"),
                )
            )
        )
    return render.page(
        request,
        "alerts.html",
        alerts=rows,
        codes=codes,
        proposals=waiting,
        **clinic_words.helpers(lang),
    )


@router.post("/clinic/alerts/{alert_id}/{action}")
async def alert_action(request: Request, alert_id: str, action: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    with deps.write(request) as s:
        if action == "acknowledge":
            alerts_service.acknowledge(s, actor, alert_id)
        elif action == "resolve":
            alerts_service.resolve(s, actor, alert_id, form.get("note"))
    back = request.headers.get("referer", "")
    return session.redirect(back if back.startswith(str(request.base_url)) else "/clinic/alerts")
