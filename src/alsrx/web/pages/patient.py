"""The patient and caregiver app: Today, one-tap 'done as planned', details, history.

Built for failing hands: the start page's one button per exercise logs it as planned (one
activation); details are large choices, not typing; a red-flag answer shows at once what to do
and the clinic's phone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import RED_FLAGS
from alsrx.errors import InvalidInput, NotFound
from alsrx.i18n import N_, translator
from alsrx.intake import wire
from alsrx.render import prescription_labels as labels
from alsrx.render import symptom_advice, words
from alsrx.render.messages import field_lines
from alsrx.services import access, followup, session_logs
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)
APP_ROLES = ("patient", "caregiver")
SYMPTOMS = symptom_advice.SYMPTOM_LABELS
# No choice is preselected: without one, a log is done, or stopped after a red flag
# (session_logs.default_completion).
COMPLETIONS = (
    ("done", N_("Yes, all of it")),
    ("partial", N_("Part of it")),
    ("stopped", N_("Stopped early")),
    ("skipped", N_("No, skipped")),
)
WHAT = {
    "aerobic": N_("%(modalities)s for %(minutes)s minutes."),
    "resistance": N_(
        "Strength exercises: %(sets)s set(s) of %(reps)s for the muscles your therapist "
        "showed you. Stop well before exhaustion."
    ),
    "respiratory_muscle": N_("Breathing trainer: %(sets)s sets of %(reps)s breaths."),
    "flexibility": N_(
        "Gentle stretches and moving each joint through its range, %(minutes)s minutes; "
        "ask for help where needed."
    ),
    "balance_functional": N_(
        "Balance and everyday movements (%(modalities)s), %(minutes)s minutes, "
        "with support within reach."
    ),
    "breathing": N_(
        "Breathing exercises and positions that make breathing easier, %(minutes)s minutes."
    ),
}
# How effort is judged, from the component's constraints: by talking, or, when speech is
# impaired, on the charts (the engine's rule; the page only words it).
EFFORT = {
    "talk_test": N_("You should still be able to talk."),
    "rpe_pointing_chart": N_(
        "Point to your effort on the chart: stay between 'light' and 'somewhat hard' (11–13)."
    ),
}
HR_RANGE = N_("Keep your heart rate between %(low)s and %(high)s.")
HR_CEILING = N_("Keep your heart rate below %(high)s.")
WEEK = N_("Plan week %(week)s.")


def _patients(s: Session, actor: Actor) -> list[models.Patient]:
    return list(s.scalars(access.patients_query(actor).order_by(models.Patient.code)))


def _choose(s: Session, actor: Actor, wanted: str | None) -> models.Patient:
    options = _patients(s, actor)
    if not options:
        raise NotFound("patient")
    if wanted:
        return access.patient(s, actor, wanted)
    return options[0]


def _item(component: dict[str, Any], week: int, lang: str) -> dict[str, Any]:
    _ = translator(lang)
    target = plan_mod.planned(component, week)
    separator = "、" if lang == "zh" else ", "
    names = separator.join(_(labels.MODALITIES.get(m, m)) for m in component["modalities"][:2])
    minutes = int(target.minutes_max or 10)
    template = WHAT[component["type"]]
    what = _(template) % {
        "modalities": names,
        "minutes": minutes,
        "sets": int(target.sets or 1),
        "reps": int(target.repetitions or 8),
    }
    heart = None
    if target.hr_max_bpm:
        heart = (
            _(HR_RANGE) % {"low": int(target.hr_min_bpm), "high": int(target.hr_max_bpm)}
            if target.hr_min_bpm
            else _(HR_CEILING) % {"high": int(target.hr_max_bpm)}
        )
    effort = [_(EFFORT[k]) for k in component.get("constraints", ()) if k in EFFORT]
    what = " ".join([what, *effort])
    kind = component["type"]
    title = labels.COMPONENTS[kind]
    return {
        "type": kind,
        "title": _(title),
        "what": what,
        "heart_rate": heart,
        "week": _(WEEK) % {"week": week},
    }


def _plan_view(
    s: Session, patient: models.Patient, lang: str, today: dt.date
) -> dict[str, Any] | None:
    found = followup.active_plan(s, patient.id, today=today)
    if found is None:
        return None
    row, plan = found
    week = plan.week
    _ = translator(lang)
    centre = s.get(models.Centre, patient.centre_id)
    rules_now = plan_mod.stop_rules_for_week(row.content, week)
    templates = [(labels.STOP_RULES[r["code"]], r["params"]) for r in rules_now]
    rules = [_(template).format(**params) for template, params in templates]
    order = (
        "aerobic",
        "resistance",
        "respiratory_muscle",
        "breathing",
        "balance_functional",
        "flexibility",
    )
    components = sorted(
        row.content["components"], key=lambda c: order.index(c["type"]) if c["type"] in order else 9
    )
    return {
        "entries": [_item(c, week, lang) for c in components],
        "stop_rules": rules,
        "paused": bool(row.content.get("paused")),
        "phone": centre.contact_phone if centre else None,
    }


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, patient: str | None = None, saved: str | None = None) -> Response:
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    day = deps.today()
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient)
        plan = _plan_view(s, chosen, lang, day)
        options = _patients(s, actor)
    label = translator(lang)(labels.COMPONENTS[saved]) if saved in labels.COMPONENTS else None
    return render.page(
        request, "today.html", patient=chosen, patients=options, plan=plan, today=day, saved=label
    )


@router.post("/today/done")
async def done(request: Request) -> Response:
    form, actor = await session.posted(request, *APP_ROLES)
    body = {"component": str(form.get("component", ""))}
    return _save(request, actor, str(form.get("patient", "")), body)


def _save(
    request: Request,
    actor: Actor,
    patient_id: str,
    body: dict[str, Any],
    values: dict[str, Any] | None = None,
) -> Response:
    lang = render.preferences(request)["lang"]
    try:
        with deps.write(request) as s:
            logged = session_logs.record(s, actor, patient_id, body, today=deps.today())
            if not logged.answers:
                return session.redirect(f"/today?patient={patient_id}&saved={body['component']}")
            patient = access.patient(s, actor, patient_id)
            centre = s.get(models.Centre, patient.centre_id)
            # Rendered before the commit: a page that failed after it would be retried, and the
            # session stored twice.
            answers = symptom_advice.answer_words(logged.answers, lang)
            if any(a["symptom"] in RED_FLAGS for a in answers):
                return _red_flag_page(request, patient, answers, centre, lang)
            return _advice_page(request, patient, answers, centre, lang)
    except InvalidInput as exc:
        errors = field_lines(exc, lang)
        return _details_page(
            request, patient_id, body.get("component", ""), values or {}, errors, 422
        )


def _contacts(centre: models.Centre | None, lang: str) -> dict[str, Any]:
    """The emergency number (the centre's; unset: the local one, never a guess), then the
    clinic's phone."""
    emergency = centre.emergency_number if centre else None
    return {
        "emergency": emergency,
        "emergency_text": symptom_advice.emergency_text(emergency, lang),
        "phone": centre.contact_phone if centre else None,
    }


def _red_flag_page(
    request: Request,
    patient: models.Patient,
    answers: list[dict[str, Any]],
    centre: models.Centre | None,
    lang: str,
) -> Response:
    names = words.separator(lang).join(a["label"] for a in answers if a["symptom"] in RED_FLAGS)
    return render.page(
        request,
        "redflag.html",
        symptoms=names,
        answers=answers,
        patient=patient,
        patient_id=patient.id,
        **_contacts(centre, lang),
    )


def _advice_page(
    request: Request,
    patient: models.Patient,
    answers: list[dict[str, Any]],
    centre: models.Centre | None,
    lang: str,
) -> Response:
    """Saved, and what to do about each symptom reported, in words (no red flag)."""
    return render.page(
        request,
        "advice.html",
        answers=answers,
        patient=patient,
        stop_now=any(a["stop_now"] for a in answers),
        emergency_first=any(a["emergency"] for a in answers),
        tells_clinic=any(a["tells_clinic"] for a in answers),
        **_contacts(centre, lang),
    )


def _details_page(
    request: Request,
    patient_id: str,
    component: str,
    values: dict[str, Any],
    errors: list[str],
    status: int = 200,
) -> Response:
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient_id or None)
    title = _(labels.COMPONENTS[component]) if component in labels.COMPONENTS else component
    values = {"symptoms": [], **values}
    return render.page(
        request,
        "details.html",
        status=status,
        patient=chosen,
        component=component,
        title=title,
        values=values,
        errors=errors,
        symptoms=[(k, _(v)) for k, v in SYMPTOMS],
        completions=[(k, _(v)) for k, v in COMPLETIONS],
        recovery=symptom_advice.recovery_choices(lang),
    )


@router.get("/today/details", response_class=HTMLResponse)
def details(
    request: Request, component: str, patient: str | None = None, restored: int = 0
) -> Response:
    values: dict[str, Any] = {}
    draft = request.cookies.get("alsrx_draft")
    if restored and draft:
        try:
            values = {k: v for k, v in json.loads(draft).items() if isinstance(v, str | list)}
        except json.JSONDecodeError:
            values = {}
    response = _details_page(request, patient or "", component, values, [])
    response.delete_cookie("alsrx_draft", path="/")
    return response


NUMBERS = ("duration_min", "rpe", "fatigue_recovery_min", "max_hr_bpm")


@router.post("/today/details")
async def save_details(request: Request) -> Response:
    form, actor = await session.posted(request, *APP_ROLES)
    body: dict[str, Any] = {"component": str(form.get("component", ""))}
    if form.get("completed"):  # none chosen: the service's default (done, or stopped)
        body["completed"] = str(form["completed"])
    for name in NUMBERS:
        raw = str(form.get(name, "")).strip()
        if raw:  # anything but a plain finite number is refused by the schema, field named
            body[name] = wire.form_number(raw, integer=name == "rpe")
    symptoms = form.get("symptoms", [])
    body["symptoms"] = symptoms if isinstance(symptoms, list) else [symptoms]
    if form.get("skip_reason") and body.get("completed") == "skipped":
        body["skip_reason"] = str(form["skip_reason"])
    if str(form.get("notes", "")).strip():
        body["notes"] = str(form["notes"]).strip()
    return _save(request, actor, str(form.get("patient", "")), body, values=form)


@router.get("/history", response_class=HTMLResponse)
def history(request: Request, patient: str | None = None) -> Response:
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient)
        summary = followup.weekly_summary(s, actor, chosen.id, today=deps.today(), weeks=8)
    weeks = [
        w | {"title": _(labels.COMPONENTS.get(w["component"], w["component"]))}
        for w in reversed(summary["weeks"])
        if w["planned_sessions"] or w["done_sessions"]
    ]
    return render.page(
        request,
        "history.html",
        patient=chosen,
        weeks=weeks,
        adherence=summary.get("adherence_4_weeks"),
    )
