"""The patient's week in a calendar app: a download behind sign-in, and revocable links.

- `/today/calendar.ics`: the signed-in patient's or caregiver's copy of the week (a file to
  open once; it does not follow a new plan).
- `/calendar/{token}.ics`: the same feed for a calendar app that subscribes and cannot sign in.
  The token is the credential (services/calendar_links.py); an unknown or revoked one is a bare
  404, saying nothing of which.
- `/today/calendar` (patient, caregiver) and `/clinic/patients/{id}/calendar` (clinician): the
  patient's links, to make one (shown once, on the page that answers the post) or revoke one.
The feed is built by render/calendar_ics.py from the active plan only.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import NotFound
from alsrx.i18n import N_, translator
from alsrx.render import calendar_ics
from alsrx.services import access, calendar_links, followup
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)
APP_ROLES = ("patient", "caregiver")
MAKERS = calendar_links.MAKERS
MEDIA_TYPE = "text/calendar; charset=utf-8"
MADE_BY = {
    "patient": N_("the patient"),
    "caregiver": N_("a caregiver"),
    "clinician": N_("the rehabilitation team"),
}
MADE_BY_YOU = N_("you")


def feed_text(s: Session, patient_id: str, lang: str) -> str:
    """The feed of the patient's active plan; a calendar without events when there is none."""
    found = followup.active_plan(s, patient_id, today=deps.today())
    content: dict[str, Any] = {"components": [], "weekly_schedule": []}
    started, stamp = deps.today(), models.utcnow().replace(microsecond=0)
    if found is not None:
        row, plan = found
        content, started = row.content, plan.started_on
        stamp = row.approved_at or row.created_at
    return calendar_ics.feed(
        content, started_on=started, uid_key=patient_id, stamp=stamp, lang=lang
    )


def _calendar(text: str, *, download: bool) -> Response:
    headers = {"Cache-Control": "no-store"}
    if download:
        headers["Content-Disposition"] = 'attachment; filename="exercise-plan.ics"'
    return Response(text, media_type=MEDIA_TYPE, headers=headers)


def _lang(value: str | None) -> str:
    return value if value in ("en", "zh") else "en"


@router.get("/today/calendar.ics")
def signed_in_feed(request: Request, patient: str | None = None) -> Response:
    actor = session.current(request, *APP_ROLES)
    lang = render.preferences(request)["lang"]
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient)
        text = feed_text(s, chosen.id, lang)
    return _calendar(text, download=True)


@router.get("/calendar/{token}.ics")
def linked_feed(request: Request, token: str, lang: str | None = None) -> Response:
    """For calendar apps: no session, no cookies read; the token is the only key."""
    try:
        with deps.read(request) as s:
            patient_id = calendar_links.patient_for_token(s, token)
            text = feed_text(s, patient_id, _lang(lang))
    except NotFound:
        return Response("Not found", status_code=404, media_type="text/plain")
    return _calendar(text, download=False)


def _choose(s: Session, actor: Actor, wanted: str | None) -> models.Patient:
    """The patient asked for, or a patient's or caregiver's first (as the Today page does)."""
    if wanted:
        return access.patient(s, actor, wanted)
    first = s.scalars(access.patients_query(actor).order_by(models.Patient.code)).first()
    if first is None:
        raise NotFound("patient")
    return first


def _back(actor: Actor, patient_id: str) -> str:
    if actor.role == "clinician":
        return f"/clinic/patients/{patient_id}/calendar"
    return f"/today/calendar?patient={patient_id}"


def _page(
    request: Request,
    actor: Actor,
    patient: models.Patient,
    *,
    made: str | None = None,
    revoked: bool = False,
) -> Response:
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    with deps.read(request) as s:
        links = calendar_links.for_patient(s, actor, patient.id)
    rows = [
        {
            "id": link.id,
            "made_on": link.created_at.date(),
            "made_by": _(MADE_BY_YOU) if link.by_me else _(MADE_BY.get(link.maker_role, "")),
        }
        for link in links
    ]
    return render.page(
        request,
        "calendar.html",
        patient=patient,
        links=rows,
        made=made,
        webcal=made.replace("https://", "webcal://").replace("http://", "webcal://")
        if made
        else None,
        revoked=revoked,
        can_download=actor.role in APP_ROLES,
        for_someone_else=actor.role != "patient",
        back=f"/clinic/patients/{patient.id}"
        if actor.role == "clinician"
        else f"/today?patient={patient.id}",
        max_links=calendar_links.MAX_ACTIVE,
    )


@router.get("/today/calendar", response_class=HTMLResponse)
def links_page(request: Request, patient: str | None = None, revoked: int = 0) -> Response:
    actor = session.current(request, *APP_ROLES)
    with deps.read(request) as s:
        chosen = _choose(s, actor, patient)
    return _page(request, actor, chosen, revoked=bool(revoked))


@router.get("/clinic/patients/{patient_id}/calendar", response_class=HTMLResponse)
def clinic_links_page(request: Request, patient_id: str, revoked: int = 0) -> Response:
    actor = session.current(request, "clinician")
    with deps.read(request) as s:
        chosen = access.patient(s, actor, patient_id)
    return _page(request, actor, chosen, revoked=bool(revoked))


def link_address(request: Request, token: str, lang: str) -> str:
    """The absolute address a calendar app subscribes to (in the maker's language)."""
    return str(request.url_for("linked_feed", token=token).include_query_params(lang=lang))


@router.post("/calendar/links", response_class=HTMLResponse)
async def make_link(request: Request) -> Response:
    """Make a link and show it, once, on the page this post answers (never in a redirect's
    address, which would land in the browser's history)."""
    form, actor = await session.posted(request, *MAKERS)
    lang = render.preferences(request)["lang"]
    with deps.write(request) as s:
        made = calendar_links.create(s, actor, str(form.get("patient", "")))
        patient = access.patient(s, actor, made.link.patient_id)
    return _page(request, actor, patient, made=link_address(request, made.token, lang))


@router.post("/calendar/links/{link_id}/revoke")
async def revoke_link(request: Request, link_id: str) -> Response:
    _form, actor = await session.posted(request, *MAKERS)
    now = models.utcnow()
    with deps.write(request) as s:
        calendar_links.revoke(s, actor, link_id, now=now)
        patient_id = calendar_links.patient_of(s, actor, link_id)
    back = _back(actor, patient_id)
    return session.redirect(f"{back}{'&' if '?' in back else '?'}revoked=1")
