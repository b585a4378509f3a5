"""The administrator's pages: centres, users, the audit trail."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx.db import models
from alsrx.i18n import translator
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)


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
