"""The clinician workspace: dashboard, patient page, assessment entry."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.db import models
from alsrx.domain import assessment as core
from alsrx.errors import InvalidInput
from alsrx.i18n import N_, translator
from alsrx.intake import assessment_input, wire
from alsrx.render import (
    alsfrs_anchors,
    assessment_json,
    assessment_text,
)
from alsrx.render import prescription_labels as labels
from alsrx.render.messages import field_error_message, field_lines
from alsrx.services import (
    access,
    assessments,
    dashboard,
    followup,
    home_weeks,
    patients,
    prescriptions,
)
from alsrx.services import alerts as alerts_service
from alsrx.web import deps
from alsrx.web.pages import clinic_words, patient_charts, provenance, render, session

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
CATEGORIES = assessment_text.CATEGORY
MEASURES = (
    ("fvc_l", N_("FVC"), "L"),
    ("six_minute_walk_m", N_("Six-minute walk"), "m"),
    ("resting_hr_bpm", N_("Resting heart rate"), "bpm"),
    ("weight_kg", N_("Weight"), "kg"),
    ("cpet.peak_hr_bpm", N_("CPET peak heart rate"), "bpm"),
    ("cpet.anaerobic_threshold_hr_bpm", N_("CPET anaerobic-threshold heart rate"), "bpm"),
    ("cpet.vo2peak_ml_kg_min", N_("CPET VO2peak"), "mL/kg/min"),
    ("mep_cmh2o", N_("MEP"), "cmH2O"),
    ("mip_cmh2o", N_("MIP"), "cmH2O"),
)
MODES = (
    ("clinician", N_("Clinician")),
    ("self", N_("Patient (self)")),
    ("caregiver", N_("Caregiver")),
    ("telephone", N_("Telephone")),
)


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
        show_patient=False,
        codes={},
        notice=notices.get(notice or ""),
        **clinic_words.helpers(lang),
    )


def _items(lang: str) -> list[tuple[str, str, dict[int, str]]]:
    _ = translator(lang)
    return [
        (key, _(title), {4 - i: _(text) for i, text in enumerate(reversed(anchors))})
        for key, title, anchors in alsfrs_anchors.ITEMS
    ]


def _document(form: dict[str, Any]) -> dict[str, Any]:
    """The assessment object from the form; bad numbers go through as text, to be named."""
    doc: dict[str, Any] = {"date": form.get("date") or deps.today().isoformat(), "alsfrs_r": {}}
    for key, _title, _anchors in alsfrs_anchors.ITEMS:
        if form.get(key, "") != "":
            doc["alsfrs_r"][key] = _number(form[key], integer=True)
    if form.get("mode"):
        doc["alsfrs_r"]["mode"] = form["mode"]
    for name, _label, _unit in MEASURES:
        raw = str(form.get(name, "")).strip()
        if raw:
            target = doc
            parts = name.split(".")
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = _number(raw, integer=False)
    mrc = {
        k.split(".", 1)[1]: _number(v, integer=True)
        for k, v in form.items()
        if k.startswith("mrc.") and v != ""
    }
    if mrc:
        doc["mrc"] = mrc
    return doc


def _number(raw: Any, *, integer: bool) -> Any:
    return wire.form_number(raw, integer=integer)


def _form_page(
    request: Request,
    patient: models.Patient,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    restored: bool = False,
) -> Response:
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    from alsrx.domain.prescription.inputs import MRC_KEYS

    mrc = [
        (k, f"{_(labels.MUSCLES[k.rsplit('_', 1)[0]])} ({_(labels.SIDES[k.rsplit('_', 1)[1]])})")
        for k in MRC_KEYS
    ]
    return render.page(
        request,
        "assessment_form.html",
        status=status,
        patient=patient,
        values=values,
        errors=errors,
        items=_items(lang),
        measures=[(n, _(lbl), u) for n, lbl, u in MEASURES],
        mrc=mrc,
        modes=[(m, _(lbl)) for m, lbl in MODES],
        today=deps.today().isoformat(),
        derived=None,
        preview_errors=None,
        restored=restored,
    )


@router.get("/clinic/patients/{patient_id}/assessments/new", response_class=HTMLResponse)
def new_assessment(request: Request, patient_id: str, restored: int = 0) -> Response:
    actor = session.current(request, "clinician")
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
    values: dict[str, Any] = {}
    draft = request.cookies.get("alsrx_draft")
    if restored and draft:
        try:
            values = {k: v for k, v in json.loads(draft).items() if isinstance(v, str)}
        except json.JSONDecodeError:
            values = {}
    response = _form_page(request, patient, values, {}, restored=bool(values))
    response.delete_cookie("alsrx_draft", path="/")
    return response


@router.post("/clinic/patients/{patient_id}/preview", response_class=HTMLResponse)
async def preview(request: Request, patient_id: str) -> Response:
    """Derived values for the form as it stands (nothing stored)."""
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        document = {"patient": patients.input_patient(s, patient), "assessment": _document(form)}
    try:
        parsed = assessment_input.parse(document, today=deps.today())
        derived = assessment_json.to_json(core.assess(parsed.patient, parsed.visit), lang=lang)
        errors = None
    except InvalidInput as exc:
        derived, errors = None, field_lines(exc, lang)
    env = render.environment()
    from alsrx.i18n import translations

    t = translations(lang)
    env.install_gettext_callables(t.gettext, t.ngettext, newstyle=True)  # type: ignore[attr-defined]
    html = env.get_template("derived_partial.html").render(
        derived=derived, preview_errors=errors, lang=lang, format_number=render.format_number
    )
    return HTMLResponse(html)


@router.post("/clinic/patients/{patient_id}/assessments")
async def save_assessment(request: Request, patient_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    try:
        with deps.write(request) as s:
            followup.record_assessment(
                s,
                actor,
                patient_id,
                _document(form),
                today=deps.today(),
                options=deps.settings(request).assessment_options(),
            )
    except InvalidInput as exc:
        errors = {e.path: field_error_message(e, lang) for e in exc.errors}
        with deps.read(request) as s:
            patient = access.patient(s, actor, patient_id)
        return _form_page(
            request, patient, {k: v for k, v in form.items() if isinstance(v, str)}, errors, 422
        )
    return session.redirect(f"/clinic/patients/{patient_id}?notice=assessment")
