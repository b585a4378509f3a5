"""What a patient is told after logging symptoms: the stop advice after a red flag (emergency
number first, then the clinic), else what to do about each symptom.

Shown right after the details form is posted, and again at /today/advice?log=... for a log
already stored: where the offline outbox (web/static/outbox.js) and a replayed post land."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.db import models
from alsrx.domain.followup import symptoms as symptoms_mod
from alsrx.domain.followup.model import RED_FLAGS
from alsrx.errors import NotFound
from alsrx.render import symptom_advice, words
from alsrx.services import access, followup
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)
APP_ROLES = ("patient", "caregiver")


def contacts(centre: models.Centre | None, lang: str) -> dict[str, Any]:
    """The emergency number (the centre's; unset: the local one, never a guess), then the
    clinic's phone."""
    emergency = centre.emergency_number if centre else None
    return {
        "emergency": emergency,
        "emergency_text": symptom_advice.emergency_text(emergency, lang),
        "phone": centre.contact_phone if centre else None,
    }


def page_for(
    request: Request,
    patient: models.Patient,
    answers: list[dict[str, Any]],
    centre: models.Centre | None,
    lang: str,
) -> Response:
    """The red-flag page when one was reported, else the advice page."""
    if any(a["symptom"] in RED_FLAGS for a in answers):
        return _red_flag_page(request, patient, answers, centre, lang)
    return _advice_page(request, patient, answers, centre, lang)


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
        **contacts(centre, lang),
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
        **contacts(centre, lang),
    )


@router.get("/today/advice", response_class=HTMLResponse)
def advice(request: Request, patient: str = "", log: str = "") -> Response:
    """The advice for a stored log of this patient (the outbox's next page after details)."""
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    with deps.read(request) as s:
        chosen = access.patient(s, actor, patient)
        row = s.get(models.SessionLog, log) if log else None
        if row is None or row.patient_id != chosen.id:
            raise NotFound("session")
        found = followup.active_plan(s, chosen.id, today=deps.today())
        if found is None or not row.symptoms:
            return session.redirect(f"/today?patient={chosen.id}&saved={row.component}")
        answers = symptom_advice.answer_words(symptoms_mod.answers(row.symptoms, found[1]), lang)
        centre = s.get(models.Centre, chosen.centre_id)
        return page_for(request, chosen, answers, centre, lang)
