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
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup.model import RED_FLAGS
from alsrx.errors import InvalidInput, NotFound
from alsrx.i18n import N_, translator
from alsrx.intake import wire
from alsrx.render import prescription_labels as labels
from alsrx.render.messages import field_lines
from alsrx.services import access, followup, idempotency, session_logs
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)
APP_ROLES = ("patient", "caregiver")
SYMPTOMS = (
    ("cramps", N_("Cramps")),
    ("muscle_pain_next_day", N_("Muscle pain")),
    ("dyspnea", N_("Short of breath")),
    ("unusual_fatigue", N_("Unusually tired")),
    ("fall", N_("A fall")),
    ("dizziness", N_("Dizzy or faint")),
    ("chest_pain", N_("Chest pain")),
    ("fall_with_injury", N_("Fell and got hurt")),
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
    week = plan_mod.weeks_into(plan.started_on, today, int(row.content.get("current_week", 1)))
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
    """One tap: done as planned. The button's form carries an `idempotency_key` made when the
    page was rendered: a double tap or a retried post stores the session once, and the repeat
    answers as the first did."""
    form, actor = await session.posted(request, *APP_ROLES)
    patient_id = str(form.get("patient", ""))
    body = {"component": str(form.get("component", ""))}
    key = str(form.get("idempotency_key", ""))
    if not key:
        return _save(request, actor, patient_id, body)
    digest = idempotency.request_hash("POST", "/today/done", f"{patient_id}\n{body}".encode())
    location = f"/today?patient={patient_id}&saved={body['component']}"
    try:
        with deps.write(request) as s:
            replay = idempotency.claim_within(s, user_id=actor.user_id, key=key, digest=digest)
            if replay is not None:
                return session.redirect(replay.headers.get("Location", location))
            session_logs.log_session(s, actor, patient_id, body, today=deps.today())
            stored = {"Location": location}
            idempotency.complete_within(
                s,
                user_id=actor.user_id,
                key=key,
                digest=digest,
                status=303,
                body={},
                headers=stored,
            )
    except IntegrityError:  # the same key, stored meanwhile by the first tap (PostgreSQL)
        return session.redirect(location)
    except InvalidInput as exc:
        lines = field_lines(exc, render.preferences(request)["lang"])
        return _details_page(request, patient_id, body["component"], {}, lines, 422)
    return session.redirect(location)


@router.post("/today/undo")
async def undo_done(request: Request) -> Response:
    """Take back a session logged by mistake (a tap on the wrong card), within the window."""
    form, actor = await session.posted(request, *APP_ROLES)
    patient_id = str(form.get("patient", ""))
    with deps.write(request) as s:
        session_logs.undo_session(
            s, actor, str(form.get("log", "")), now=models.utcnow(), patient_id=patient_id
        )
    return session.redirect(f"/today?patient={patient_id}")


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
            _, alerts = session_logs.log_session(s, actor, patient_id, body, today=deps.today())
            if not any(a.code == "red_flag" for a in alerts):
                return session.redirect(f"/today?patient={patient_id}&saved={body['component']}")
            centre = s.get(models.Centre, access.patient(s, actor, patient_id).centre_id)
            # Rendered before the commit: a page that failed after it would be retried, and the
            # session stored twice.
            phone = centre.contact_phone if centre else None
            return _red_flag_page(request, patient_id, body, phone, lang)
    except InvalidInput as exc:
        errors = field_lines(exc, lang)
        return _details_page(
            request, patient_id, body.get("component", ""), values or {}, errors, 422
        )


def _red_flag_page(
    request: Request, patient_id: str, body: dict[str, Any], phone: str | None, lang: str
) -> Response:
    _ = translator(lang)
    names = ", ".join(_(dict(SYMPTOMS)[x]) for x in body.get("symptoms", []) if x in RED_FLAGS)
    return render.page(request, "redflag.html", symptoms=names, phone=phone, patient_id=patient_id)


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
    body: dict[str, Any] = {
        "component": str(form.get("component", "")),
        "completed": str(form.get("completed", "done")),
    }
    for name in NUMBERS:
        raw = str(form.get(name, "")).strip()
        if raw:  # anything but a plain finite number is refused by the schema, field named
            body[name] = wire.form_number(raw, integer=name == "rpe")
    symptoms = form.get("symptoms", [])
    body["symptoms"] = symptoms if isinstance(symptoms, list) else [symptoms]
    if form.get("skip_reason") and body["completed"] == "skipped":
        body["skip_reason"] = str(form["skip_reason"])
    if str(form.get("notes", "")).strip():
        body["notes"] = str(form["notes"]).strip()
    return _save(request, actor, str(form.get("patient", "")), body, values=form)


HISTORY = 26  # weeks shown, whichever plans they were under: about six months (alsrx default)


@router.get("/history", response_class=HTMLResponse)
def history(request: Request, patient: str | None = None) -> Response:
    """Every week of every plan the patient has had (the stored week tallies), newest first."""
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient)
        summary = followup.weekly_summary(s, actor, chosen.id, today=deps.today(), weeks=HISTORY)
    weeks = [
        w | {"title": _(labels.COMPONENTS.get(w["component"], w["component"]))}
        for w in reversed(summary["weeks"])
        if w["planned_sessions"] or any(w["completed"].values())
    ]
    return render.page(
        request,
        "history.html",
        patient=chosen,
        weeks=weeks,
        adherence=summary.get("adherence_4_weeks"),
    )
