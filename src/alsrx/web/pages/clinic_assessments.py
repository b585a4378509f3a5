"""Assessments in the clinician workspace: record, preview, list, correct.

One form serves a new assessment and a correction; a correction saves through
`followup.correct_assessment`, a new version with its reason (the earlier ones are kept)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.db import models
from alsrx.domain import assessment as core
from alsrx.domain.prescription.inputs import MRC_KEYS
from alsrx.errors import InvalidInput
from alsrx.i18n import N_, translator
from alsrx.intake import assessment_input, wire
from alsrx.render import alsfrs_anchors, assessment_json, words
from alsrx.render import prescription_labels as labels
from alsrx.services import access, assessments, followup, patients
from alsrx.web import deps
from alsrx.web.pages import form_errors, render, session

router = APIRouter(include_in_schema=False)
MEASURES = (
    ("fvc_l", N_("FVC"), "L"),
    ("six_minute_walk_m", N_("Six-minute walk"), "m"),
    ("resting_hr_bpm", N_("Resting heart rate"), "bpm"),
    ("weight_kg", N_("Weight"), "kg"),
    ("cpet.peak_hr_bpm", N_("CPET peak heart rate"), "bpm"),
    ("cpet.anaerobic_threshold_hr_bpm", N_("CPET anaerobic-threshold heart rate"), "bpm"),
    ("cpet.vo2peak_ml_kg_min", N_("CPET VO2peak"), "mL/kg/min"),
    ("cpet.peak_work_w", N_("CPET peak work rate"), "W"),
    ("mep_cmh2o", N_("MEP"), "cmH2O"),
    ("mip_cmh2o", N_("MIP"), "cmH2O"),
    ("snip_cmh2o", N_("SNIP"), "cmH2O"),
)
MODES = (
    ("clinician", N_("Clinician")),
    ("self", N_("Patient (self)")),
    ("caregiver", N_("Caregiver")),
    ("telephone", N_("Telephone")),
)
# Yes/no screening facts the engine reads (intake schema); ticked means true, else left out.
FLAGS = (
    ("lip_seal_poor", N_("The lips cannot hold a seal around a mouthpiece")),
    ("sialorrhoea_severe", N_("Severe drooling or saliva pooling")),
)
HOME = {"yes": True, "no": False}
NO_EQUIPMENT = "none"
NAMES: dict[str, str] = {
    "date": N_("Date"),
    "alsfrs_r": "ALSFRS-R",
    "mode": N_("Administered by"),
    "equipment": N_("Equipment at home"),
    "caregiver_at_home": N_("Someone at home can help with the exercises"),
    "reason": N_("Reason for the correction"),
    **{k: t for k, t, _a in alsfrs_anchors.ITEMS},
    **{n: t for n, t, _u in MEASURES},
    **dict(FLAGS),
}


def _items(lang: str) -> list[tuple[str, str, dict[int, str]]]:
    _ = translator(lang)
    return [
        (key, _(title), {4 - i: _(text) for i, text in enumerate(reversed(anchors))})
        for key, title, anchors in alsfrs_anchors.ITEMS
    ]


def _list(form: dict[str, Any], name: str) -> list[str]:
    value = form.get(name, [])
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def _document(form: dict[str, Any]) -> dict[str, Any]:
    """The assessment object from the form; bad numbers go through as text, to be named."""
    doc: dict[str, Any] = {"date": form.get("date") or deps.today().isoformat(), "alsfrs_r": {}}
    for key, _title, _anchors in alsfrs_anchors.ITEMS:
        if form.get(key, "") != "":  # "not answered" sends "": the item is left out
            doc["alsfrs_r"][key] = wire.form_number(form[key], integer=True)
    if form.get("mode"):
        doc["alsfrs_r"]["mode"] = form["mode"]
    for name, _label, _unit in MEASURES:
        raw = str(form.get(name, "")).strip()
        if raw:
            target = doc
            parts = name.split(".")
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = wire.form_number(raw, integer=False)
    mrc = {
        k.split(".", 1)[1]: wire.form_number(v, integer=True)
        for k, v in form.items()
        if k.startswith("mrc.") and v != ""
    }
    if mrc:
        doc["mrc"] = mrc
    equipment = [e for e in _list(form, "equipment") if e != NO_EQUIPMENT]
    if equipment or NO_EQUIPMENT in _list(form, "equipment"):  # nothing ticked: not recorded
        doc["equipment"] = equipment
    if form.get("caregiver_at_home") in HOME:
        doc["caregiver_at_home"] = HOME[form["caregiver_at_home"]]
    for name, _label in FLAGS:
        if form.get(name):
            doc[name] = True
    return doc


def form_values(data: dict[str, Any]) -> dict[str, Any]:
    """A stored assessment as the form's fields (what a correction starts from)."""
    values: dict[str, Any] = {"date": data.get("date", "")}
    frs = data.get("alsfrs_r", {})
    values |= {k: str(v) for k, v in frs.items() if k != "mode"}
    values["mode"] = frs.get("mode", "")
    for name, _label, _unit in MEASURES:
        value: Any = data
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            values[name] = str(value)
    values |= {f"mrc.{k}": str(v) for k, v in data.get("mrc", {}).items()}
    if "equipment" in data:
        values["equipment"] = list(data["equipment"]) or [NO_EQUIPMENT]
    home = data.get("caregiver_at_home")
    values["caregiver_at_home"] = "" if home is None else ("yes" if home else "no")
    values |= {name: "1" for name, _label in FLAGS if data.get(name)}
    return values


def _typed(form: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in form.items() if isinstance(v, str | list)} | {
        "equipment": _list(form, "equipment")
    }


def form_page(
    request: Request,
    patient: models.Patient,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    **extra: Any,
) -> Response:
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    mrc = [(k, words.muscle(k, _)) for k in MRC_KEYS]
    summary = [(p, form_errors.label_of(p, NAMES, lang), m) for p, m in errors.items()]
    context: dict[str, Any] = {
        "action": f"/clinic/patients/{patient.id}/assessments",
        "heading": _("Record an assessment"),
        "same_day": [],
        "correcting": None,
        "versions": [],
        "restored": False,
    }
    return render.page(
        request,
        "assessment_form.html",
        status=status,
        patient=patient,
        values=values,
        errors=errors,
        summary=summary,
        items=_items(lang),
        measures=[(n, _(lbl), u) for n, lbl, u in MEASURES],
        mrc=mrc,
        modes=[(m, _(lbl)) for m, lbl in MODES],
        equipment=[(k, _(v)) for k, v in labels.EQUIPMENT.items()],
        flags=[(k, _(v)) for k, v in FLAGS],
        today=deps.today().isoformat(),
        derived=None,
        preview_errors=None,
        **(context | extra),
    )


def _same_day(s: Any, actor: Any, patient_id: str, day: str) -> list[models.Assessment]:
    try:
        wanted = dt.date.fromisoformat(day)
    except ValueError:  # the save names the bad date at its field
        return []
    return assessments.on_day(s, actor, patient_id, wanted)


@router.get("/clinic/patients/{patient_id}/assessments/new", response_class=HTMLResponse)
def new_assessment(request: Request, patient_id: str, restored: int = 0) -> Response:
    actor = session.current(request, "clinician")
    values: dict[str, Any] = {}
    draft = request.cookies.get("alsrx_draft")
    if restored and draft:
        try:
            values = {k: v for k, v in json.loads(draft).items() if isinstance(v, str | list)}
        except json.JSONDecodeError:
            values = {}
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        same = _same_day(s, actor, patient_id, values.get("date") or deps.today().isoformat())
    response = form_page(request, patient, values, {}, restored=bool(values), same_day=same)
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
        found = form_errors.messages(exc, lang, NAMES).items()
        derived = None
        errors = [f"{form_errors.label_of(p, NAMES, lang)}: {m}" for p, m in found]
    html = (
        render.environment(lang)
        .get_template("derived_partial.html")
        .render(
            derived=derived, preview_errors=errors, lang=lang, format_number=render.format_number
        )
    )
    return HTMLResponse(html)


@router.post("/clinic/patients/{patient_id}/assessments")
async def save_assessment(request: Request, patient_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    document = _document(form)
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        same = _same_day(s, actor, patient_id, str(document["date"]))
        whole = {"patient": patients.input_patient(s, patient), "assessment": document}
    try:
        if same and not form.get("second_today"):
            # A second visit on one day is most often the first one entered twice: ask first
            # (after naming any bad field, so that the answer is not asked for twice).
            assessment_input.parse(whole, today=deps.today())
            return form_page(request, patient, _typed(form), {}, 409, same_day=same, ask=True)
        with deps.write(request) as s:
            followup.record_assessment(
                s,
                actor,
                patient_id,
                document,
                today=deps.today(),
                options=deps.settings(request).assessment_options(),
            )
    except InvalidInput as exc:
        errors = form_errors.messages(exc, lang, NAMES)
        return form_page(request, patient, _typed(form), errors, 422, same_day=same)
    return session.redirect(f"/clinic/patients/{patient_id}?notice=assessment")


@router.get("/clinic/patients/{patient_id}/assessments", response_class=HTMLResponse)
def assessment_list(request: Request, patient_id: str, notice: str = "") -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        rows = assessments.current(s, actor, patient_id)
        names = assessments.authors(s, rows)
    modes = {m: _(label) for m, label in MODES}
    return render.page(
        request,
        "assessment_list.html",
        patient=patient,
        rows=[
            {
                "row": r,
                "mode": modes.get(r.data.get("alsfrs_r", {}).get("mode", ""), "—"),
                "by": names.get(r.entered_by, "—"),
                "trusted": assessments.is_trusted(r),
            }
            for r in rows
        ],
        notice=_("Correction saved; the earlier version is kept.") if notice else None,
    )


def _correction_page(
    request: Request, s: Any, actor: Any, row: models.Assessment, **extra: Any
) -> Response:
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    patient = access.patient(s, actor, row.patient_id)
    versions = assessments.history(s, actor, row.id)
    names = assessments.authors(s, versions)
    extra.setdefault("values", form_values(row.data))
    errors = extra.pop("errors", {})
    return form_page(
        request,
        patient,
        extra.pop("values"),
        errors,
        extra.pop("status", 200),
        action=f"/clinic/assessments/{row.id}/correct",
        heading=_("Correct an assessment"),
        correcting=row,
        versions=[(v, names.get(v.entered_by, "—")) for v in reversed(versions)],
        **extra,
    )


@router.get("/clinic/assessments/{assessment_id}/correct", response_class=HTMLResponse)
def correction_form(request: Request, assessment_id: str) -> Response:
    actor = session.current(request, "clinician")
    with deps.read(request) as s:
        row = access.assessment(s, actor, assessment_id)
        return _correction_page(request, s, actor, row)


@router.post("/clinic/assessments/{assessment_id}/correct")
async def save_correction(request: Request, assessment_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    version = wire.form_number(form.get("version", ""), integer=True)
    try:
        with deps.write(request) as s:
            row, _raised = followup.correct_assessment(
                s,
                actor,
                assessment_id,
                _document(form),
                reason=form.get("reason") or None,
                if_match=version if isinstance(version, int) else None,
                today=deps.today(),
                options=deps.settings(request).assessment_options(),
            )
            patient_id = row.patient_id
    except InvalidInput as exc:
        errors = form_errors.messages(exc, lang, NAMES)
        with deps.read(request) as s:
            old = access.assessment(s, actor, assessment_id)
            return _correction_page(
                request, s, actor, old, values=_typed(form), errors=errors, status=422
            )
    return session.redirect(f"/clinic/patients/{patient_id}/assessments?notice=corrected")
