"""The audit trail for administrators: who, when, what, old → new in words, the reason;
filtered and paged; the chain verified on demand (a button: it reads every event)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx import errors
from alsrx.i18n import translator
from alsrx.render import audit_words
from alsrx.services import audit_view
from alsrx.web import deps
from alsrx.web.pages import render, session
from alsrx.web.pages.admin_forms import lang_of

router = APIRouter(include_in_schema=False)


def _day(value: str, path: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise errors.InvalidInput([errors.FieldError(path, "bad_date", {})]) from None


def _page(request: Request, query: dict[str, str], page: int, verdict: Any = None) -> Response:
    actor = session.current(request, "admin")
    filters = audit_view.Filters(
        username=query["username"][:100],
        entity=query["entity"][:40],
        action=query["action"][:40],
        date_from=_day(query["date_from"], "date_from"),
        date_to=_day(query["date_to"], "date_to"),
    )
    lang = lang_of(request)
    with deps.read(request) as s:
        found = audit_view.search(s, actor, filters, page=page)
        entities, actions = audit_view.choices(s, actor)
    names = audit_words.Names(found.users, found.centres, found.patients)
    _ = translator(lang)
    entity_options = [(e, audit_words.label(audit_words.ENTITIES, e, _)) for e in entities]
    action_options = [(a, audit_words.label(audit_words.ACTIONS, a, _)) for a in actions]
    events = [_event(row, names, lang) for row in found.events]
    return render.page(
        request,
        "admin_audit.html",
        found=found,
        events=events,
        query=query,
        entities=entity_options,
        actions=action_options,
        verdict=verdict,
    )


def _event(row: Any, names: audit_words.Names, lang: str) -> dict[str, Any]:
    _ = translator(lang)
    subject = row.entity_id or ""
    if row.entity == "user" and subject.isdigit():
        subject = names.users.get(int(subject), subject)
    elif row.entity == "patient":
        subject = names.patients.get(subject, "")
    elif row.entity == "centre" and subject.isdigit():
        subject = names.centres.get(int(subject), subject)
    elif row.entity == "caregiver_link":
        subject = ""
    return {
        "seq": row.seq,
        "at": audit_words.moment(row.at, lang),
        "who": row.username
        or (_("the system") if row.actor_id in (None, 0) else str(row.actor_id)),
        "role": audit_words.label(audit_words.ROLES, row.actor_role, _) if row.actor_role else "",
        "action": audit_words.label(audit_words.ACTIONS, row.action, _),
        "entity": audit_words.label(audit_words.ENTITIES, row.entity, _),
        "subject": subject
        if row.entity not in audit_words.CLINICAL or row.entity == "patient"
        else "",
        "lines": audit_words.change_lines(row.entity, row.old, row.new, names, lang),
        "reason": audit_words.reason_text(row.reason, _),
    }


KEYS = ("username", "entity", "action", "date_from", "date_to")


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    username: str = "",
    entity: str = "",
    action: str = "",
    date_from: str = "",
    date_to: str = "",
    page: int = 1,
) -> Response:
    query = dict(zip(KEYS, (username, entity, action, date_from, date_to), strict=True))
    return _page(request, query, page)


@router.post("/admin/audit/verify", response_class=HTMLResponse)
async def verify(request: Request) -> Response:
    _form, actor = await session.posted(request, "admin")
    with deps.read(request) as s:
        verdict = audit_view.verify(s, actor)
    return _page(request, dict.fromkeys(KEYS, ""), 1, verdict=verdict)
