"""The patient and caregiver app: Today, one-tap 'done as planned', details, history.

Built for failing hands: the start page's one button per exercise logs it as planned (one
activation); details are large choices, not typing; a red-flag answer shows at once what to do
and the clinic's phone. What Today's cards say is in today_view.py, what the day plans in
services/today.py and domain/followup/today.py.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import model as followup_model
from alsrx.domain.followup import today as today_mod
from alsrx.errors import FieldError, InvalidInput, NotFound
from alsrx.i18n import N_, translator
from alsrx.intake import wire
from alsrx.render import effort_words, symptom_advice
from alsrx.render import prescription_labels as labels
from alsrx.render.messages import field_lines
from alsrx.services import access, followup, home_weeks, logged_today, session_logs
from alsrx.services import today as today_svc
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import (
    calendar,
    device_lists,
    kept_taps,
    outbox,
    patient_advice,
    render,
    session,
    today_view,
)

router = APIRouter(include_in_schema=False)
router.include_router(calendar.router)  # the week in a calendar app: web/pages/calendar.py
router.include_router(patient_advice.router)  # what to do after symptoms: /today/advice
APP_ROLES = ("patient", "caregiver")
# On the details form the red flags come first: one switch reaches "Chest pain" in a few steps,
# not after the seven common ones (a minute at the default scan time).
SYMPTOMS = sorted(symptom_advice.SYMPTOM_LABELS, key=lambda s: s[0] not in followup_model.RED_FLAGS)
# No choice is preselected: without one, a log is done, or stopped after a red flag
# (session_logs.default_completion).
COMPLETIONS = (
    ("done", N_("Yes, all of it")),
    ("partial", N_("Part of it")),
    ("stopped", N_("Stopped early")),
    ("skipped", N_("No, skipped")),
)


def _patients(s: Session, actor: Actor) -> list[models.Patient]:
    return list(s.scalars(access.patients_query(actor).order_by(models.Patient.code)))


def _choose(s: Session, actor: Actor, wanted: str | None) -> models.Patient:
    options = _patients(s, actor)
    if not options:
        raise NotFound("patient")
    if wanted:
        return access.patient(s, actor, wanted)
    return options[0]


def _shown_day(code: str | None, today: dt.date) -> dt.date:
    """The day Today shows and logs for: yesterday on request, else today."""
    return today - dt.timedelta(days=1) if code == "yesterday" else today


@router.get("/today", response_class=HTMLResponse)
def today(
    request: Request,
    patient: str | None = None,
    saved: str | None = None,
    day: str = "today",
    kept: int = 0,
) -> Response:
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    now = deps.today()
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient)
        state = today_svc.today_for(s, chosen, today=now, wanted=_shown_day(day, now))
        plan = today_view.plan_view(state, lang, saved=saved or "") if state else None
        options = _patients(s, actor)
        contacts = today_svc.contacts(s, chosen)
        shown = state.shown if state else now
        logged = logged_today.status(s, chosen.id, shown, actor=actor, now=models.utcnow())
        rate = home_weeks.rating_wanted(s, chosen.id, today=now)
    label = translator(lang)(labels.COMPONENTS[saved]) if saved in labels.COMPONENTS else None
    return render.page(
        request,
        "today.html",
        patient=chosen,
        patients=options,
        plan=plan,
        today=state.shown if state else now,
        saved=label,
        contacts=contacts,
        for_someone_else=actor.role == "caregiver",
        logged_today=logged,
        rating_wanted=rate,
        kept=bool(kept and label),
        device_offer=device_lists.pin_offer(request, actor),
    )


@router.post("/today/done")
async def done(request: Request) -> Response:
    """One tap: done as planned. The button's form carries an `idempotency_key` made when the
    page was rendered (or the outbox entry's client id): a double tap or a retried post stores
    the session once, and the repeat answers as the first did (pages/outbox.py)."""
    form, actor = await outbox.posted(request, *APP_ROLES)
    return log_done(request, actor, form)


def log_done(request: Request, actor: Actor, form: dict[str, Any]) -> Response:
    """The one tap, from its form's fields (posted now, or kept over a sign-in: kept_taps.py)."""
    patient_id = str(form.get("patient", ""))
    body = {"component": str(form.get("component", "")), **_log_day(form, deps.today())}
    body |= _performed(form)
    key = str(form.get("idempotency_key", ""))
    if not key:
        return _save(request, actor, patient_id, body)

    def work(s: Session) -> tuple[str, Response | None]:
        session_logs.log_session(s, actor, patient_id, body, today=deps.today())
        return _after_saving(patient_id, body), None

    try:
        payload = f"{patient_id}\n{_same_log(body)}"
        return outbox.once(request, actor, key=key, path="/today/done", payload=payload, work=work)
    except InvalidInput as exc:
        return _refused(request, exc, patient_id, body["component"], {})


def _same_log(body: dict[str, Any]) -> dict[str, Any]:
    """What makes a post under one key the same log: not the moment of the tap, which the
    outbox adds to the form a plain retry of the same page sends without it."""
    return {k: v for k, v in body.items() if k != "performed_at"}


def _performed(form: dict[str, Any]) -> dict[str, str]:
    """The moment of the tap, as the device recorded it (the outbox sends it; checked by the
    service: domain/followup/performed.py)."""
    raw = str(form.get("performed_at", "")).strip()
    return {"performed_at": raw} if raw else {}


def _refused(
    request: Request, exc: InvalidInput, patient_id: str, component: str, values: dict[str, Any]
) -> Response:
    """Bad input: the outbox gets the reasons in words, a browser the form again with them."""
    if outbox.wanted(request):
        return outbox.refusal(request, exc, 422)
    lines = field_lines(exc, render.preferences(request)["lang"])
    return _details_page(request, patient_id, component, values, lines, 422)


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


def _log_day(form: dict[str, Any], today: dt.date) -> dict[str, str]:
    """The day chosen on the form as the service's `date` (none: today). Patients and caregivers
    may choose only today or yesterday (domain/followup/today.py); older days go through the
    clinician. The service then refuses a day before the plan started."""
    raw = str(form.get("date", "")).strip()
    if not raw:
        return {}
    allowed = [d.isoformat() for d in today_mod.loggable_days(today, None)]
    if raw not in allowed:
        raise InvalidInput([FieldError("date", "log_day", {"allowed": tuple(allowed)})])
    return {"date": raw}


def _after_saving(patient_id: str, body: dict[str, Any]) -> str:
    """Back to Today, on the day logged for, at the next card (#c-next, see today.html)."""
    earlier = "date" in body and body["date"] != deps.today().isoformat()
    day = "&day=yesterday" if earlier else ""
    return f"/today?patient={patient_id}&saved={body['component']}{day}#c-next"


def _save(
    request: Request,
    actor: Actor,
    patient_id: str,
    body: dict[str, Any],
    values: dict[str, Any] | None = None,
    key: str = "",
) -> Response:
    """Store a details log (once per `key`, when the form has one) and answer with the advice
    for its symptoms: the page itself for a plain post, /today/advice for the outbox and for a
    replay (pages/outbox.py)."""
    lang = render.preferences(request)["lang"]

    def work(s: Session) -> tuple[str, Response | None]:
        logged = session_logs.record(s, actor, patient_id, body, today=deps.today())
        if not logged.answers:
            return _after_saving(patient_id, body), None
        patient = access.patient(s, actor, patient_id)
        centre = s.get(models.Centre, patient.centre_id)
        # Rendered before the commit: a page that failed after it would be retried, and the
        # session stored twice.
        answers = symptom_advice.answer_words(logged.answers, lang)
        page = patient_advice.page_for(request, patient, answers, centre, lang)
        return f"/today/advice?patient={patient_id}&log={logged.row.id}", page

    try:
        if key:
            payload = f"{patient_id}\n{sorted(_same_log(body).items())}"
            return outbox.once(
                request, actor, key=key, path="/today/details", payload=payload, work=work
            )
        with deps.write(request) as s:
            location, page = work(s)
        return outbox.stored(request, location, page)
    except InvalidInput as exc:
        return _refused(request, exc, patient_id, body.get("component", ""), values or {})


def _details_page(
    request: Request,
    patient_id: str,
    component: str,
    values: dict[str, Any],
    errors: list[str],
    status: int = 200,
) -> Response:
    # Signed in by this very request (a kept tap saved at sign-in: kept_taps.py), or by cookie.
    actor = getattr(request.state, "actor", None) or session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    now = deps.today()
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient_id or None)
        found = followup.active_plan(s, chosen.id, today=now)
        contacts = today_svc.contacts(s, chosen)  # for the advice shown offline (outbox.js)
    kinds = [c["type"] for c in found[0].content["components"]] if found else []
    if component not in kinds:
        return _no_such_exercise(request, chosen, lang)
    title = _(labels.COMPONENTS[component]) if component in labels.COMPONENTS else component
    values = {"symptoms": [], **values}
    days = today_mod.loggable_days(now, found[1].started_on if found else None)
    picked = next((d for d in days[1:] if d.isoformat() == values.get("date")), now)
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
        effort_choices=effort_words.choices(_),
        days=today_view.day_choices(days, picked, lang),
        for_someone_else=actor.role == "caregiver",
        contacts=contacts,
    )


NO_SUCH_EXERCISE = N_("This exercise is not in the plan")
CHOOSE_ON_TODAY = N_("Choose the exercise on the Today page, then add the details.")


def _no_such_exercise(request: Request, patient: models.Patient, lang: str) -> Response:
    """A details link without an exercise of the plan (a link cut short, an old bookmark): a page
    that leads back to Today, never a bare error."""
    _ = translator(lang)
    return render.page(
        request,
        "message.html",
        status=422,
        heading=_(NO_SUCH_EXERCISE),
        text=_(CHOOSE_ON_TODAY),
        error=True,
        back=f"/today?patient={patient.id}",
    )


@router.get("/today/details", response_class=HTMLResponse)
def details(
    request: Request,
    component: str = "",
    patient: str | None = None,
    restored: int = 0,
    day: str = "today",
) -> Response:
    values: dict[str, Any] = {"date": _shown_day(day, deps.today()).isoformat()}
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
    form, actor = await outbox.posted(request, *APP_ROLES)
    return save_details_form(request, actor, form)


def save_details_form(request: Request, actor: Actor, form: dict[str, Any]) -> Response:
    """The details form's fields as a log (posted now, or kept over a sign-in: kept_taps.py)."""
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
    patient_id = str(form.get("patient", ""))
    try:
        body |= _log_day(form, deps.today()) | _performed(form)
    except InvalidInput as exc:
        return _refused(request, exc, patient_id, body["component"], form)
    key = str(form.get("idempotency_key", ""))
    return _save(request, actor, patient_id, body, values=form, key=key)


HISTORY = 26  # weeks shown, whichever plans they were under: about six months (alsrx default)


@router.get("/history", response_class=HTMLResponse)
def history(request: Request, patient: str | None = None) -> Response:
    """Every week of every plan the patient has had (the stored week tallies), newest first."""
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient)
        summary = home_weeks.weekly_summary(s, actor, chosen.id, today=deps.today(), weeks=HISTORY)
        options = _patients(s, actor)
    weeks = [
        w | {"title": _(labels.COMPONENTS.get(w["component"], w["component"]))}
        for w in reversed(summary["weeks"])
        if w["planned_sessions"] or any(w["completed"].values())
    ]
    return render.page(
        request,
        "history.html",
        patient=chosen,
        patients=options,
        weeks=weeks,
        adherence=summary.get("adherence_4_weeks"),
    )


def save_kept(request: Request, actor: Actor, draft: dict[str, Any]) -> Response | None:
    """A tap kept over an expired session (kept_taps.py), saved as the user who just signed in;
    None when their role has no such page."""
    if actor.role not in APP_ROLES:
        return None
    form = kept_taps.form_of(draft)
    if draft[kept_taps.FROM] == "/today/done":
        response = log_done(request, actor, form)
    else:
        response = save_details_form(request, actor, form)
    location = response.headers.get("location")
    if location and location.startswith("/today?"):
        # The Today page says the tap was kept and saved (today.html), not only "Saved".
        path, _, fragment = location.partition("#")
        response.headers["location"] = f"{path}&kept=1" + (f"#{fragment}" if fragment else "")
    return response
