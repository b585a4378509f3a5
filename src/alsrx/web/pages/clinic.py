"""The clinician workspace: dashboard, patient page, assessment entry, prescriptions, alerts."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx.db import models
from alsrx.domain import assessment as core
from alsrx.domain.followup import proposals
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.evidence import base as evidence_base
from alsrx.i18n import N_, translator
from alsrx.intake import assessment_input, wire
from alsrx.render import (
    alert_words,
    alsfrs_anchors,
    assessment_json,
    assessment_text,
    exercise_view,
    prescription_json,
    prescription_md,
    words,
)
from alsrx.render import prescription_labels as labels
from alsrx.render.messages import error_lines, field_error_message, field_lines
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
from alsrx.web.pages import charts, provenance, render, session, today_view
from alsrx.web.pages import patient as patient_pages

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
CATEGORIES = assessment_text.CATEGORY
STATUSES = {
    "draft": N_("Draft"),
    "active": N_("Active"),
    "superseded": N_("Superseded"),
    "rejected": N_("Rejected"),
}
ALERT_STATUSES = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "resolved": N_("resolved"),
}
SEVERITIES = {"urgent": N_("urgent"), "warning": N_("warning"), "info": N_("info")}
ALERT_TEXT = {
    "red_flag": N_("Red flag reported: %(symptoms)s"),
    "fatigue_prolonged": N_("Fatigue lasted %(fatigue_recovery_min)s min"),
    "fatigue_repeated": N_("Prolonged fatigue %(times_in_window)s times in %(window_days)s days"),
    "fatigue_overwork": N_(
        "Fatigue lasted %(fatigue_recovery_min)s min: beyond %(overwork_min)s min or into the "
        "next day"
    ),
    "fall_reported": N_("A fall without injury"),
    "falls_repeated": N_("%(times_in_window)s falls in %(window_days)s days"),
    "dyspnea_reported": N_("Breathlessness during exercise"),
    "dyspnea_repeated": N_("Breathlessness %(times_in_window)s times in %(window_days)s days"),
    "cramps_persisting": N_("Cramps that did not settle"),
    "cramps_repeated": N_(
        "Cramps that did not settle, %(times_in_window)s times in %(window_days)s days"
    ),
    "muscle_pain_next_day": N_("Muscle pain the next day"),
    "muscle_pain_repeated": N_(
        "Muscle pain the next day, %(times_in_window)s times in %(window_days)s days"
    ),
    "new_weakness_next_day": N_("New weakness the day after exercise"),
    "unusual_fatigue": N_("Unusual tiredness"),
    "unusual_fatigue_repeated": N_(
        "Unusual tiredness %(times_in_window)s times in %(window_days)s days"
    ),
    "hr_above_ceiling": N_("Heart rate %(max_hr_bpm)s above ceiling %(ceiling_bpm)s"),
    "rpe_above_target": N_("RPE %(rpe)s above target %(target_max)s"),
    # Low adherence asks why (a question for the team to ask, not a reproach), with the
    # reasons the patient gave for skipping.
    "adherence_low": N_(
        "About %(adherence)s of the planned sessions done over %(weeks)s weeks (the plan's aim: "
        "%(threshold)s). What is getting in the way? Reasons given for skipping: "
        "%(skip_reasons)s."
    ),
    "missed_streak": N_(
        "%(skipped_in_a_row)s sessions skipped in a row. Is something making the plan hard to "
        "keep? Reasons given for skipping: %(skip_reasons)s."
    ),
    "no_sessions_logged": N_("Nothing logged for %(days_since_last)s days"),
    "reassessment_due": N_("Reassessment due (%(days)s days)"),
    "reassessment_overdue": N_("Reassessment overdue (%(days)s days)"),
    "alsfrs_r_decline": N_("ALSFRS-R fell from %(from)s to %(to)s"),
    "kings_stage_changed": N_("King's stage %(from)s → %(to)s"),
    "mitos_stage_changed": N_("MiToS stage %(from)s → %(to)s"),
    "progression_category_changed": N_("Progression %(from)s → %(to)s"),
    "fvc_low": N_("FVC %(percent_predicted)s%% predicted"),
    "fvc_decline": N_("FVC fell from %(from)s%% to %(to)s%% predicted in %(days)s days"),
    "mrc_below_antigravity": N_(
        "A trained muscle group is below antigravity strength (MRC %(below)s): %(groups)s. "
        "A new draft is proposed for review."
    ),
    "walking_lost": N_("Walking lost (item 8: %(item8_to)s)"),
    "assessment_missing": N_("No assessment yet"),
}
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


def _helpers(lang: str) -> dict[str, Any]:
    _ = translator(lang)
    base = evidence_base.load()

    def evidence_text(record_id: str) -> str:
        if record_id not in base:
            return record_id
        record = base.get(record_id)
        if isinstance(record, evidence_base.Recommendation):
            return record.statement_zh if lang == "zh" else record.statement_en
        return f"{record.citation()} — {record.summary_zh if lang == 'zh' else record.summary_en}"

    def alert_text(alert: models.Alert) -> str:
        template = ALERT_TEXT.get(alert.code)
        shown = alert_words.data_in_words(alert.code, alert.data or {}, lang, _)
        data = {k: _alert_value(k, v, lang) for k, v in shown.items()}
        try:
            return _(template) % data if template else alert.code
        except (KeyError, ValueError, TypeError):
            return alert.code

    return {
        "category_label": lambda c: _(CATEGORIES[c]) if c in CATEGORIES else "—",
        "status_label": lambda s: _(STATUSES[s]) if s in STATUSES else s,
        "alert_status_label": lambda s: _(ALERT_STATUSES[s]) if s in ALERT_STATUSES else s,
        "severity_label": lambda s: _(SEVERITIES[s]) if s in SEVERITIES else s,
        "component_label": lambda t: _(labels.COMPONENTS[t]) if t in labels.COMPONENTS else t,
        "engine_status_label": lambda c: _(labels.STATUS[c]) if c in labels.STATUS else c,
        "proposal_label": lambda k: (
            _(labels.PROPOSAL_KINDS[k]) if k in labels.PROPOSAL_KINDS else k
        ),
        "hr_basis_label": lambda b: _(labels.HR_BASIS[b]) if b in labels.HR_BASIS else b,
        "words": lambda name, codes: words.param_text(name, codes, lang, _),
        "muscles_by_load": lambda c: words.muscles_by_load(c, lang, _),
        "span": prescription_md.range_text,
        "weeks_label": lambda w: _(prescription_md.WEEKS_RANGE).format(
            first=w["from"], last=w["to"]
        ),
        "note_text": lambda n, table=None: prescription_json.code_message(
            n["code"], n.get("params", {}), lang, labels.STOP_RULES if table == "stop" else None
        ),
        "evidence_text": evidence_text,
        "evidence_link": lambda e: e,
        "alert_text": alert_text,
        "resolution_text": lambda a: alert_words.resolution(a.resolution_note, _),
        "exercise_cards": lambda c: exercise_view.cards(c, lang=lang),
        "dose_line": lambda card: today_view.dose_line(card, lang),
        "handout_url": lambda rx_id, audience: today_view.handout_url(
            rx_id, lang=lang, audience=audience
        ),
    }


# Alert data that hold codes, and the words for them (the rest are numbers or stages).
ALERT_CODE_WORDS: dict[str, dict[str, str]] = {
    "symptoms": dict(patient_pages.SYMPTOMS),
    "from": assessment_text.CATEGORY,
    "to": assessment_text.CATEGORY,
}


def _alert_value(key: str, value: object, lang: str) -> object:
    _ = translator(lang)
    table = ALERT_CODE_WORDS.get(key, {})

    def word(v: object) -> str:
        return _(table[v]) if isinstance(v, str) and v in table else str(v)

    if isinstance(value, list | tuple):
        return words.separator(lang).join(word(v) for v in value)
    return word(value) if isinstance(value, str) else words.param_text(key, value, lang, _)


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
        **_helpers(lang),
    )


def _charts(rows: list[models.Assessment], lang: str) -> list[dict[str, Any]]:
    _ = translator(lang)
    rows = sorted(rows, key=lambda r: r.date)
    dates = [r.date for r in rows]
    d = [r.derived for r in rows]
    specs = [
        (
            _("ALSFRS-R total and domains"),
            [
                (_("Total"), [x["alsfrs_r"]["total"] for x in d]),
                (_("bulbar"), [x["alsfrs_r"]["bulbar"] for x in d]),
                (_("fine motor"), [x["alsfrs_r"]["fine_motor"] for x in d]),
                (_("gross motor"), [x["alsfrs_r"]["gross_motor"] for x in d]),
                (_("respiratory"), [x["alsfrs_r"]["respiratory"] for x in d]),
            ],
            0,
            48,
        ),
        (_("FVC % predicted"), [(_("FVC %"), [x["fvc"]["percent_predicted"] for x in d])], 0, None),
        (
            _("Six-minute walk (m)"),
            [(_("metres"), [x["six_minute_walk"]["measured_m"] for x in d])],
            0,
            None,
        ),
        (_("Weight (kg)"), [(_("kg"), [r.data.get("weight_kg") for r in rows])], None, None),
    ]
    out = []
    for title, series, low, high in specs:
        svg = charts.line_chart(title, dates, series, y_min=low, y_max=high)
        if svg:
            table = [(day, *[vs[i] for _, vs in series]) for i, day in enumerate(dates)]
            out.append(
                {
                    "title": title,
                    "svg": svg,
                    "series": [{"name": n} for n, _ in series],
                    "table": table,
                }
            )
    return out


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
        charts=_charts(rows, lang),
        weeks=weeks,
        alerts=alerts,
        prescriptions=rxs,
        show_patient=False,
        codes={},
        notice=notices.get(notice or ""),
        **_helpers(lang),
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
        **_helpers(lang),
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


@router.post("/clinic/prescriptions/{prescription_id}/edit")
async def edit(request: Request, prescription_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    changes = {
        k: _number(form[k], integer=True)
        for k in prescriptions.EDITABLE
        if str(form.get(k, "")).strip()
    }
    try:
        with deps.write(request) as s:
            prescriptions.edit_aerobic(s, actor, prescription_id, changes, if_match=_version(form))
    except AlsrxError as exc:
        return _rx_page(request, prescription_id, errors=error_lines(exc, lang), status=422)
    return _rx_page(request, prescription_id, notice=translator(lang)(N_("Changes applied.")))


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
        request, "alerts.html", alerts=rows, codes=codes, proposals=waiting, **_helpers(lang)
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


@router.get("/research", response_class=HTMLResponse)
def research_page(request: Request) -> Response:
    actor = session.current(request, "researcher")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    from alsrx.services import research

    with deps.write(request) as s:
        rows = research.assessments(s, actor)
    table = [
        (
            r["research_id"][:8],
            r["sex"],
            r["age_years"],
            r["assessment_year"],
            r["alsfrs_r"]["total"],
            r["kings_stage"],
            r["mitos_stage"],
            r["delta_frs_per_month"],
            r["fvc_percent_predicted"],
        )
        for r in rows
    ]
    return render.page(
        request,
        "simple_table.html",
        heading=_("Research data"),
        intro=_(
            "De-identified: random research ids, ages in years (90 or older folded), "
            "years instead of dates."
        ),
        headers=[
            _("Research id"),
            _("Sex"),
            _("Age"),
            _("Year"),
            "ALSFRS-R",
            "King's",
            "MiToS",
            "ΔFRS",
            "FVC %",
        ],
        rows=table,
    )


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request) -> Response:
    session.current(request, "admin")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        centres = [
            (c.id, c.name) for c in s.scalars(select(models.Centre).order_by(models.Centre.name))
        ]
    return render.page(
        request,
        "simple_table.html",
        heading=_("Administration"),
        intro=_("Centres; create centres and users with the alsrx command line or the API."),
        headers=[_("Id"), _("Centre")],
        rows=centres,
    )
