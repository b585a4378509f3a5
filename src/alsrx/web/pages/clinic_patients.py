"""Patients in the clinician workspace: admit (create), edit the record, link caregivers.

Validation, the reason a safety input's change needs, and optimistic locking all live in
services/patients.py (the API's rules); caregiver links in services/caregivers.py. Equipment
at home and whether someone at home can help are recorded with each assessment (one owner:
the assessment input); this page shows the latest values and links to a new assessment."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound, PreconditionFailed
from alsrx.i18n import translator
from alsrx.intake import wire
from alsrx.render import patient_labels as words
from alsrx.render import prescription_labels as rx_labels
from alsrx.render import words as render_words
from alsrx.services import access, assessments, caregivers, patients
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import form_errors, render, session

router = APIRouter(include_in_schema=False)
TEXT = ("code", "sex", "birth_date", "symptom_onset_date", "diagnosis_date")
CHOICE = ("ethnicity", "onset_region")
NUMBERS = ("height_cm", "weight_kg")
FLAGS = ("beta_blocker", "uses_ventilation_support")
C9 = {"yes": True, "no": False}


def _list(form: dict[str, Any], name: str) -> list[str]:
    value = form.get(name, [])
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


def _fields(form: dict[str, Any]) -> dict[str, Any]:
    """Every field of the form as the record holds it (None: left empty)."""
    out: dict[str, Any] = {}
    for name in (*TEXT, *CHOICE):
        out[name] = str(form.get(name, "")).strip() or None
    for name in NUMBERS:
        raw = str(form.get(name, "")).strip()
        out[name] = wire.form_number(raw, integer=False) if raw else None
    out["conditions"] = _list(form, "conditions")
    for name in FLAGS:
        out[name] = bool(form.get(name))
    out["c9orf72"] = C9.get(str(form.get("c9orf72", "")))
    return out


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    """The record as the form shows it (strings; conditions a list)."""
    out: dict[str, Any] = {k: "" if v is None else str(v) for k, v in fields.items()}
    out["conditions"] = list(fields.get("conditions") or [])
    for name in FLAGS:
        out[name] = "1" if fields.get(name) else ""
    c9 = fields.get("c9orf72")
    out["c9orf72"] = "" if c9 is None else ("yes" if c9 else "no")
    for name in NUMBERS:
        value = fields.get(name)
        out[name] = "" if value is None else f"{value:g}"  # as stored: no rounding to compare
    return out


def _typed(form: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in form.items() if isinstance(v, str)} | {
        "conditions": _list(form, "conditions")
    }


def _choices(lang: str) -> dict[str, Any]:
    _ = translator(lang)
    return {
        "sexes": [(k, _(v)) for k, v in words.SEX.items()],
        "ethnicities": [(k, _(v)) for k, v in words.ETHNICITY.items()],
        "regions": [(k, _(v)) for k, v in words.ONSET_REGION.items()],
        "condition_groups": [
            (_(title), [(c, _(words.CONDITIONS[c])) for c in codes])
            for title, codes in words.CONDITION_GROUPS
        ],
        "c9_choices": [(k, _(v)) for k, v in words.C9ORF72.items()],
        "labels": {k: _(v) for k, v in words.FIELDS.items()},
        "separator": render_words.separator(lang),
    }


def _centres(s: Any, actor: Actor) -> list[models.Centre]:
    query = select(models.Centre).where(models.Centre.id.in_(actor.centre_ids))
    return list(s.scalars(query.order_by(models.Centre.name)))


def _home(rows: list[models.Assessment], lang: str) -> dict[str, Any]:
    """Equipment and help at home from the newest assessment that recorded each."""
    _ = translator(lang)
    kit = next((r for r in rows if "equipment" in r.data), None)
    helper = next((r for r in rows if "caregiver_at_home" in r.data), None)
    items = kit.data["equipment"] if kit else []
    return {
        "equipment": [_(rx_labels.EQUIPMENT.get(e, e)) for e in items],
        "equipment_date": kit.date if kit else None,
        "helper": None if helper is None else bool(helper.data["caregiver_at_home"]),
        "helper_date": helper.date if helper else None,
    }


def _page(request: Request, template_context: dict[str, Any], status: int = 200) -> Response:
    lang = render.preferences(request)["lang"]
    errors = template_context.get("errors", {})
    names = words.FIELDS
    order = list(names)  # the summary lists fields in the form's order
    summary = [
        (p, form_errors.label_of(p, names, lang), m)
        for p, m in sorted(errors.items(), key=lambda e: order.index(e[0]) if e[0] in order else 99)
    ]
    return render.page(
        request,
        "patient_form.html",
        status=status,
        summary=summary,
        **(_choices(lang) | {"errors": {}, "alarm": None, "notice": None} | template_context),
    )


def _new_context(request: Request, actor: Actor, values: dict[str, Any]) -> dict[str, Any]:
    with deps.read(request) as s:
        centres = _centres(s, actor)
    return {"patient": None, "values": values, "centres": centres, "action": "/clinic/patients/new"}


@router.get("/clinic/patients/new", response_class=HTMLResponse)
def new_patient(request: Request) -> Response:
    actor = session.current(request, "clinician")
    return _page(request, _new_context(request, actor, {"conditions": []}))


@router.post("/clinic/patients/new")
async def create_patient(request: Request) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    body = {k: v for k, v in _fields(form).items() if v is not None}
    if not body["conditions"]:
        body.pop("conditions")
    context = _new_context(request, actor, _typed(form))
    centres = [c.id for c in context["centres"]]
    chosen = wire.form_number(form.get("centre_id", ""), integer=True)
    centre_id = centres[0] if len(centres) == 1 else chosen
    try:
        if centre_id not in centres:
            raise InvalidInput([FieldError("centre_id", "required", {})])
        assert isinstance(centre_id, int)
        with deps.write(request) as s:
            row = patients.create(s, actor, body, centre_id=centre_id, today=deps.today())
            new_id = row.id
    except InvalidInput as exc:
        context["errors"] = form_errors.messages(exc, lang, words.FIELDS)
        return _page(request, context, 422)
    except Conflict:
        context["errors"] = {"code": _("is already used by another patient of this centre")}
        return _page(request, context, 409)
    return session.redirect(f"/clinic/patients/{new_id}/edit?notice=created")


def _edit_context(
    request: Request, s: Any, actor: Actor, patient: models.Patient
) -> dict[str, Any]:
    lang = render.preferences(request)["lang"]
    identity = s.get(models.PatientIdentity, patient.id)
    fixed = patients.clinical_view(patient) | {
        "code": patient.code,
        "birth_date": identity.birth_date.isoformat() if identity else None,
    }
    linked = caregivers.for_patient(s, actor, patient.id)
    taken = {link.caregiver_id for link in linked}
    return {
        "patient": patient,
        "fixed": fixed,
        "values": _values(fixed),
        "action": f"/clinic/patients/{patient.id}/edit",
        "links": linked,
        "accounts": [u for u in caregivers.caregiver_accounts(s, actor) if u.id not in taken],
        "home": _home(assessments.current(s, actor, patient.id), lang),
        "centres": [],
    }


@router.get("/clinic/patients/{patient_id}/edit", response_class=HTMLResponse)
def edit_patient(request: Request, patient_id: str, notice: str = "") -> Response:
    actor = session.current(request, "clinician")
    _ = translator(render.preferences(request)["lang"])
    notices = {
        "linked": _("Caregiver linked: they can now log sessions for this patient."),
        "unlinked": _("Caregiver unlinked: their access to this patient has ended."),
        "unchanged": _("Nothing was changed."),
        "saved": _("The patient's record was saved."),
        "created": _("Patient added. Next, record the first assessment."),
    }
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        context = _edit_context(request, s, actor, patient)
    return _page(request, context | {"notice": notices.get(notice)})


@router.post("/clinic/patients/{patient_id}/edit")
async def save_patient(request: Request, patient_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    version = wire.form_number(form.get("version", ""), integer=True)
    with deps.read(request) as s:
        patient = access.patient(s, actor, patient_id)
        context = _edit_context(request, s, actor, patient)
    new = {k: v for k, v in _fields(form).items() if k in patients.EDITABLE}
    changes = patients.changed(context["fixed"], new)
    if not changes:
        return session.redirect(f"/clinic/patients/{patient_id}/edit?notice=unchanged")
    context["values"] = _typed(form) | {"version": form.get("version", "")}
    try:
        with deps.write(request) as s:
            patients.update(
                s,
                actor,
                patient_id,
                changes,
                if_match=version if isinstance(version, int) else -1,
                reason=str(form.get("reason", "")).strip() or None,
                today=deps.today(),
            )
    except InvalidInput as exc:
        context["errors"] = form_errors.messages(exc, lang, words.FIELDS)
        return _page(request, context, 422)
    except PreconditionFailed:
        context["alarm"] = _(
            "Not saved: someone else changed this patient's record since you opened it. "
            "Open the form again to see their changes, then make yours."
        )
        return _page(request, context, 412)
    return session.redirect(f"/clinic/patients/{patient_id}/edit?notice=saved")


@router.post("/clinic/patients/{patient_id}/caregivers")
async def link_caregiver(request: Request, patient_id: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    caregiver = wire.form_number(form.get("caregiver_id", ""), integer=True)
    if not isinstance(caregiver, int):
        raise InvalidInput([FieldError("caregiver_id", "required", {})])
    try:
        with deps.write(request) as s:
            caregivers.link(
                s,
                actor,
                caregiver_id=caregiver,
                patient_id=patient_id,
                reason=str(form.get("link_reason", "")).strip() or None,
            )
    except Conflict:
        pass  # already linked: what was asked for holds
    return session.redirect(f"/clinic/patients/{patient_id}/edit?notice=linked#caregivers")


@router.post("/clinic/patients/{patient_id}/caregivers/{caregiver_id}/unlink")
async def unlink_caregiver(request: Request, patient_id: str, caregiver_id: int) -> Response:
    form, actor = await session.posted(request, "clinician")
    try:
        with deps.write(request) as s:
            caregivers.unlink(
                s,
                actor,
                caregiver_id=caregiver_id,
                patient_id=patient_id,
                reason=str(form.get("unlink_reason", "")).strip() or None,
            )
    except NotFound:
        with deps.read(request) as s:
            access.patient(s, actor, patient_id)  # no such patient: the page says so
    return session.redirect(f"/clinic/patients/{patient_id}/edit?notice=unlinked#caregivers")
