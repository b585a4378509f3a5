"""The clinician's alerts inbox: a page at a time, filtered, sorted, with bulk acknowledgement.

Filters and sort live in the query string (a link to a filtered inbox can be shared and
reloaded); the service checks every value, and a bad one gets a page naming the parameter.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx.db import models
from alsrx.errors import FieldError, InvalidInput
from alsrx.i18n import N_, translator
from alsrx.render import alert_words
from alsrx.services import alert_inbox
from alsrx.services import alerts as alerts_service
from alsrx.web import deps
from alsrx.web.pages import clinic_words, render, session

router = APIRouter(include_in_schema=False)

VIEW_LABELS = {
    "unresolved": N_("Not yet resolved"),
    "open": N_("Open"),
    "acknowledged": N_("Acknowledged"),
    "resolved": N_("Resolved"),
    "all": N_("All"),
}
SORT_LABELS = {
    "severity": N_("Most severe first"),
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
    "patient": N_("By patient code"),
}
ENTERED_AS = {
    "patient": N_("logged by the patient"),
    "caregiver": N_("logged by a caregiver"),
    "clinician": N_("logged by the clinic"),
}
NOTICES = {
    "acknowledged": N_("%(n)s alerts acknowledged."),
}
FILTERS = ("view", "severity", "code", "patient", "sort")


def _page_number(raw: str) -> int:
    """The page asked for; 0 (refused by the service's check, with the other values) when it
    is not a whole number."""
    return int(raw) if raw.isdigit() and len(raw) <= 7 else 0


def _query(params: dict[str, str]) -> alert_inbox.InboxQuery:
    query = alert_inbox.InboxQuery(
        view=params["view"] or "unresolved",
        severity=params["severity"],
        code=params["code"],
        patient=params["patient"].strip(),
        sort=params["sort"] or "severity",
        page=_page_number(params["page"] or "1"),
    )
    return alert_inbox.check_query(query, alert_words.ALERT_TEXT)


def _options(lang: str) -> dict[str, list[tuple[str, str]]]:
    _ = translator(lang)
    helpers = clinic_words.helpers(lang)
    return {
        "views": [(k, _(v)) for k, v in VIEW_LABELS.items()],
        "severities": [(k, helpers["severity_label"](k)) for k in alerts_service.SEVERITY_ORDER],
        "codes": sorted(
            ((k, alert_words.code_label(k, _)) for k in alert_words.ALERT_TEXT),
            key=lambda kv: kv[1],
        ),
        "sorts": [(k, _(v)) for k, v in SORT_LABELS.items()],
    }


@router.get("/clinic/alerts", response_class=HTMLResponse)
def alerts_page(
    request: Request,
    view: str = "",
    severity: str = "",
    code: str = "",
    patient: str = "",
    sort: str = "",
    page: str = "",
    notice: str = "",
    n: str = "",
) -> Response:
    actor = session.current(request, "clinician")
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    params = {
        "view": view,
        "severity": severity,
        "code": code,
        "patient": patient,
        "sort": sort,
        "page": page,
    }
    query = _query(params)
    with deps.read(request) as s:
        found = alert_inbox.inbox_page(s, actor, query)
        waiting = _waiting_proposals(s, actor)

    def url(**changes: Any) -> str:
        merged = {k: v for k, v in {**params, **changes}.items() if v not in ("", None, 1)}
        return "/clinic/alerts" + ("?" + urlencode(merged) if merged else "")

    notice_text = _(NOTICES[notice]) % {"n": n if n.isdigit() else "0"} if notice in NOTICES else ""
    return render.page(
        request,
        "alerts.html",
        found=found,
        query=query,
        params=params,
        options=_options(lang),
        proposals=waiting,
        page_url=lambda number: url(page=number),
        here_url=url(),
        entered_as=lambda who: _(ENTERED_AS[who]) if who in ENTERED_AS else "",
        notice=notice_text,
        **clinic_words.helpers(lang),
    )


def _waiting_proposals(s: Any, actor: Any) -> list[tuple[models.Prescription, str]]:
    return [
        (rx, code)
        for rx, code in s.execute(
            select(models.Prescription, models.Patient.code)
            .join(models.Patient, models.Patient.id == models.Prescription.patient_id)
            .where(
                models.Patient.centre_id.in_(actor.centre_ids),
                models.Prescription.status == "draft",
                models.Prescription.origin.like("proposal:%"),
            )
            .order_by(models.Patient.code)
        ).all()
    ]


def _back(request: Request, form: dict[str, Any]) -> str:
    back = render.local_path(form.get("back", ""))
    return back if back.startswith("/clinic") else "/clinic/alerts"


@router.post("/clinic/alerts/acknowledge")
async def acknowledge_many(request: Request) -> Response:
    form, actor = await session.posted(request, "clinician")
    ids = form.get("alert_id") or []
    ids = [ids] if isinstance(ids, str) else list(ids)
    with deps.write(request) as s:
        changed = alert_inbox.acknowledge_many(s, actor, ids)
    back = _back(request, form)
    joiner = "&" if "?" in back else "?"
    return session.redirect(f"{back}{joiner}{urlencode({'notice': 'acknowledged', 'n': changed})}")


@router.post("/clinic/alerts/{alert_id}/{action}")
async def alert_action(request: Request, alert_id: str, action: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    if action not in ("acknowledge", "resolve"):
        raise InvalidInput([FieldError("action", "not_allowed", {"allowed": ("acknowledge",)})])
    with deps.write(request) as s:
        if action == "acknowledge":
            alerts_service.acknowledge(s, actor, alert_id)
        else:
            alerts_service.resolve(s, actor, alert_id, form.get("note"))
    return session.redirect(_back(request, form))
