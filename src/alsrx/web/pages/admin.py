"""The administrator's home and centres: list, create, edit (name, clinic phone, emergency
number), with each refusal at its field. Users: admin_users.py; audit trail: admin_audit.py."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx import errors
from alsrx.db import models
from alsrx.i18n import N_
from alsrx.services import accounts, admin_accounts
from alsrx.web import deps
from alsrx.web.pages import render, session
from alsrx.web.pages.admin_forms import as_int, field_errors, lang_of, optional, taken

router = APIRouter(include_in_schema=False)
CENTRE_FIELDS = {
    "name": N_("Centre name"),
    "contact_phone": N_("Clinic phone"),
    "emergency_number": N_("Emergency number"),
}


def _centres(request: Request) -> list[models.Centre]:
    with deps.read(request) as s:
        found = list(s.scalars(select(models.Centre).order_by(models.Centre.name)))
        s.expunge_all()
        return found


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, saved: str = "") -> Response:
    session.current(request, "admin")
    return _home(request, saved=saved)


def _home(request: Request, status: int = 200, **context: Any) -> Response:
    context.setdefault("errors", {})
    context.setdefault("values", {})
    return render.page(
        request,
        "admin_home.html",
        status=status,
        centres=_centres(request),
        labels=CENTRE_FIELDS,
        **context,
    )


def _values(form: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": str(form.get("name", "")).strip(),
        "contact_phone": optional(form.get("contact_phone")),
        "emergency_number": optional(form.get("emergency_number")),
    }


@router.post("/admin/centres")
async def create_centre(request: Request) -> Response:
    form, actor = await session.posted(request, "admin")
    values = _values(form)
    try:
        problems = admin_accounts.centre_errors(**values)
        if problems:
            raise errors.InvalidInput(problems)
        try:
            with deps.write(request) as s:
                accounts.create_centre(s, actor, **values)
        except errors.Conflict:
            raise taken("name") from None
    except errors.InvalidInput as exc:
        return _home(request, 422, errors=field_errors(exc, lang_of(request)), values=values)
    return session.redirect("/admin?saved=created")


@router.get("/admin/centres/{centre_id}", response_class=HTMLResponse)
def centre_page(request: Request, centre_id: str) -> Response:
    session.current(request, "admin")
    centre = _centre(request, centre_id)
    values = {k: getattr(centre, k) or "" for k in CENTRE_FIELDS}
    return _centre_page(request, centre, values)


def _centre(request: Request, centre_id: str) -> models.Centre:
    number = as_int(centre_id)
    with deps.read(request) as s:
        centre = s.get(models.Centre, number) if number is not None else None
        if centre is None:
            raise errors.NotFound("centre")
        s.expunge(centre)
        return centre


def _centre_page(
    request: Request,
    centre: models.Centre,
    values: dict[str, Any],
    status: int = 200,
    problems: dict[str, str] | None = None,
) -> Response:
    return render.page(
        request,
        "admin_centre.html",
        status=status,
        centre=centre,
        values=values,
        errors=problems or {},
        labels=CENTRE_FIELDS,
    )


@router.post("/admin/centres/{centre_id}")
async def edit_centre(request: Request, centre_id: str) -> Response:
    form, actor = await session.posted(request, "admin")
    centre = _centre(request, centre_id)
    values = _values(form)
    try:
        try:
            with deps.write(request) as s:
                admin_accounts.edit_centre(s, actor, centre.id, **values)
        except errors.Conflict:
            raise taken("name") from None
    except errors.InvalidInput as exc:
        shown = {k: v or "" for k, v in values.items()}
        return _centre_page(request, centre, shown, 422, field_errors(exc, lang_of(request)))
    return session.redirect("/admin?saved=updated")
