"""The clinician workspace: dashboard and patient page (assessments: clinic_assessments.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx.db import models
from alsrx.i18n import translator
from alsrx.render import (
    assessment_text,
)
from alsrx.render import prescription_labels as labels
from alsrx.services import (
    access,
    assessments,
    dashboard,
    home_weeks,
    prescriptions,
)
from alsrx.services import alerts as alerts_service
from alsrx.web import deps
from alsrx.web.pages import (
    clinic_words,
    device_lists,
    patient_charts,
    provenance,
    render,
    session,
)

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
_CENTRES = select(models.Centre).order_by(models.Centre.name)  # the export links, by name
_in = models.Centre.id.in_
CATEGORIES = assessment_text.CATEGORY


@router.get("/clinic", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    sort: str = "alerts",
    desc: int = 0,
    page: int = 1,
    q: str = "",
    alerts: str = "",
    category: str = "",
    due: str = "",
) -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    filters = {"q": q, "alerts": alerts, "category": category, "due": due}
    with deps.read(request) as s:
        all_rows = dashboard.rows(s, actor, today=deps.today())
        centres = [(c.id, c.name) for c in s.scalars(_CENTRES.where(_in(actor.centre_ids)))]
    shown, total = dashboard.view(
        all_rows,
        sort=sort,
        descending=bool(desc),
        filters=filters,
        page=max(1, page),
        per_page=PER_PAGE,
    )
    pages = max(1, -(-total // PER_PAGE))

    def url(**changes: Any) -> str:
        params = {
            k: v
            for k, v in {**filters, "sort": sort, "desc": desc, "page": page, **changes}.items()
            if v not in ("", 0, None)
        }
        return "/clinic?" + urlencode(params)

    columns = [
        ("code", _("Patient code")),
        ("alerts", _("Open alerts")),
        ("adherence", _("Adherence, 4 weeks")),
        ("last_assessment", _("Last assessment")),
        ("kings", _("King's")),
        ("mitos", _("MiToS")),
        ("category", _("Progression")),
        ("total", _("ALSFRS-R")),
    ]
    return render.page(
        request,
        "clinic_dashboard.html",
        rows=shown,
        total=total,
        page=min(page, pages),
        pages=pages,
        sort=sort,
        desc=bool(desc),
        filters=filters,
        columns=columns,
        centres=centres,
        categories=[(k, _(v)) for k, v in CATEGORIES.items()],
        sort_url=lambda key: url(sort=key, desc=0 if sort != key else int(not desc), page=1),
        page_url=lambda n: url(page=n),
        **clinic_words.helpers(lang),
    )


@router.get("/clinic/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(request: Request, patient_id: str, notice: str | None = None) -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        rows = assessments.current(s, actor, patient_id)
        summary = home_weeks.weekly_summary(s, actor, patient_id, today=deps.today(), weeks=26)
        alerts = alerts_service.alerts_for(s, actor, patient_id)
        rxs = prescriptions.for_patient(s, actor, patient_id)
        entries = provenance.rows(s, rows, lang)
        devices = device_lists.patient_rows(request, s, actor, patient_id, lang)
    weeks = [
        w | {"title": _(labels.COMPONENTS.get(w["component"], w["component"]))}
        for w in reversed(summary["weeks"])
    ]
    notices = {
        "assessment": _("Assessment saved."),
        "approved": _("Prescription approved."),
        "rejected": _("Proposal rejected."),
        "drafted": _("Draft created."),
        "confirmed": _("Assessment confirmed: drafts may now be based on it."),
        "device_revoked": _("The device was revoked: it can no longer sign in."),
    }
    return render.page(
        request,
        "clinic_patient.html",
        patient=patient,
        latest=rows[0] if rows else None,
        entries=entries,
        charts=patient_charts.for_page(rows, lang),
        weeks=weeks,
        alerts=alerts,
        prescriptions=rxs,
        devices=devices,
        show_patient=False,
        codes={},
        notice=notices.get(notice or ""),
        **clinic_words.helpers(lang),
    )
