"""The administrator's user pages: list and find, create, disable and enable, change a staff
member's role and centres, reset a password with a one-time code, link caregivers to patients.
Every change goes through a service that checks the administrator's role and audits it."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from alsrx import errors
from alsrx.db import models
from alsrx.i18n import N_
from alsrx.render.audit_words import ROLES
from alsrx.services import accounts, admin_accounts, caregivers, password_resets
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import render, session
from alsrx.web.pages.admin_forms import as_int, field_errors, lang_of, taken

router = APIRouter(include_in_schema=False)
USER_FIELDS = {
    "username": N_("Username"),
    "role": N_("Role"),
    "password": N_("First password"),
    "centre": N_("Centres"),
    "patient_centre": N_("Patient's centre"),
    "patient_code": N_("Patient code"),
    "patient": N_("Patient code"),
    "active": N_("Account"),
    "reason": N_("Reason"),
}


def _centres(request: Request) -> list[tuple[int, str]]:
    with deps.read(request) as s:
        rows = s.execute(select(models.Centre.id, models.Centre.name).order_by(models.Centre.name))
        return [(int(r[0]), str(r[1])) for r in rows]


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request, search: str = "", role: str = "", active: str = "", page: int = 1
) -> Response:
    actor = session.current(request, "admin")
    with deps.read(request) as s:
        found = admin_accounts.list_users(
            s, actor, search=search[:100], role=role, active=active, page=page
        )
    return render.page(
        request,
        "admin_users.html",
        found=found,
        roles=ROLES,
        query={"search": search[:100], "role": role, "active": active},
    )


@router.get("/admin/users/new", response_class=HTMLResponse)
def new_user_page(request: Request) -> Response:
    session.current(request, "admin")
    return _new_page(request, {}, {})


def _new_page(
    request: Request, values: dict[str, Any], problems: dict[str, str], status: int = 200
) -> Response:
    return render.page(
        request,
        "admin_user_new.html",
        status=status,
        values=values,
        errors=problems,
        centres=_centres(request),
        roles=ROLES,
        labels=USER_FIELDS,
    )


def _ids(value: object) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(n for n in (as_int(v) for v in items) if n is not None)


@router.post("/admin/users")
async def create_user(request: Request) -> Response:
    form, actor = await session.posted(request, "admin")
    role = str(form.get("role", ""))
    values = {
        "username": str(form.get("username", "")).strip(),
        "role": role,
        "centres": _ids(form.get("centres")),
        "patient_centre": as_int(form.get("patient_centre")),
        "patient_code": str(form.get("patient_code", "")).strip(),
    }
    typed = str(form.get("password", ""))
    try:
        with deps.write(request) as s:
            code = _create(s, actor, values, typed)
    except errors.InvalidInput as exc:
        return _new_page(request, values, field_errors(exc, lang_of(request)), 422)
    except errors.Conflict:
        return _new_page(request, values, field_errors(taken("username"), lang_of(request)), 422)
    if code is None:
        return session.redirect(
            f"/admin/users/{code_user(request, str(values['username']))}?saved=created"
        )
    return _code_page(request, str(values["username"]), code)


def code_user(request: Request, username: str) -> int:
    with deps.read(request) as s:
        return accounts.user_by_name(s, username).id


def _create(
    s: Any, actor: Actor, values: dict[str, Any], typed: str
) -> password_resets.Issued | None:
    """The account; without a typed password, a one-time code for its first sign-in."""
    patient_ids: tuple[str, ...] = ()
    if values["role"] in ("patient", "caregiver") and values["patient_code"]:
        centre = values["patient_centre"]
        if centre is None:
            raise errors.InvalidInput([errors.FieldError("patient_centre", "required", {})])
        patient_ids = (admin_accounts.patient_by_code(s, actor, centre, values["patient_code"]),)
    user = accounts.create_user(
        s,
        actor,
        username=values["username"],
        role=values["role"],
        password=typed or secrets.token_urlsafe(32),
        centre_ids=values["centres"] if values["role"] in admin_accounts.CENTRE_ROLES else (),
        patient_id=patient_ids[0] if values["role"] == "patient" and patient_ids else None,
        linked_patient_ids=patient_ids if values["role"] == "caregiver" else (),
    )
    if typed:
        return None
    return password_resets.issue(s, actor, user.id, now=models.utcnow())


def _code_page(request: Request, username: str, issued: password_resets.Issued) -> Response:
    """The code, shown this once (the answer to the post itself, never stored or redirected to
    a URL, so it is in no history, log or cache)."""
    return render.page(request, "admin_reset_code.html", username=username, issued=issued)


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, user_id: str, saved: str = "") -> Response:
    actor = session.current(request, "admin")
    return _user_page(request, actor, user_id, saved=saved)


def _user_page(
    request: Request, actor: Actor, user_id: str, status: int = 200, **context: Any
) -> Response:
    number = as_int(user_id)
    if number is None:
        raise errors.NotFound("user")
    with deps.read(request) as s:
        detail = admin_accounts.user_detail(s, actor, number)
        links = (
            caregivers.for_caregiver(s, actor, number) if detail.user.role == "caregiver" else []
        )
        pending = password_resets.pending(s, actor, number, now=models.utcnow())
        s.expunge(detail.user)
    context.setdefault("errors", {})
    return render.page(
        request,
        "admin_user.html",
        status=status,
        detail=detail,
        links=links,
        pending=pending,
        centres=_centres(request),
        roles=ROLES,
        labels=USER_FIELDS,
        staff_roles=admin_accounts.STAFF_ROLES,
        **context,
    )


async def _change(request: Request, user_id: str, work: Any, done: str) -> Response:
    """Post, run one service change, and return to the user's page (with the error at its
    field, the page otherwise unchanged, when it is refused)."""
    form, actor = await session.posted(request, "admin")
    number = as_int(user_id)
    if number is None:
        raise errors.NotFound("user")
    try:
        with deps.write(request) as s:
            work(s, actor, number, form)
    except errors.InvalidInput as exc:
        return _user_page(request, actor, user_id, 422, errors=field_errors(exc, lang_of(request)))
    return session.redirect(f"/admin/users/{number}?saved={done}")


@router.post("/admin/users/{user_id}/disable")
async def disable(request: Request, user_id: str) -> Response:
    return await _change(
        request, user_id, lambda s, a, n, f: admin_accounts.disable(s, a, n), "disabled"
    )


@router.post("/admin/users/{user_id}/enable")
async def enable(request: Request, user_id: str) -> Response:
    return await _change(
        request, user_id, lambda s, a, n, f: admin_accounts.enable(s, a, n), "enabled"
    )


@router.post("/admin/users/{user_id}/role")
async def change_role(request: Request, user_id: str) -> Response:
    def work(s: Any, a: Actor, n: int, f: dict[str, Any]) -> None:
        admin_accounts.change_role(
            s,
            a,
            n,
            role=str(f.get("role", "")),
            centre_ids=_ids(f.get("centres")),
            reason=str(f.get("reason", "")).strip() or None,
        )

    return await _change(request, user_id, work, "role")


@router.post("/admin/users/{user_id}/links")
async def link(request: Request, user_id: str) -> Response:
    def work(s: Any, a: Actor, n: int, f: dict[str, Any]) -> None:
        centre = as_int(f.get("patient_centre"))
        if centre is None:
            raise errors.InvalidInput([errors.FieldError("patient_centre", "required", {})])
        patient = admin_accounts.patient_by_code(s, a, centre, str(f.get("patient_code", "")))
        try:
            caregivers.link(
                s, a, caregiver_id=n, patient_id=patient, reason=f.get("reason") or None
            )
        except errors.Conflict:
            raise errors.InvalidInput(
                [errors.FieldError("patient_code", "already_linked", {})]
            ) from None

    return await _change(request, user_id, work, "linked")


@router.post("/admin/users/{user_id}/unlink")
async def unlink(request: Request, user_id: str) -> Response:
    def work(s: Any, a: Actor, n: int, f: dict[str, Any]) -> None:
        caregivers.unlink(s, a, caregiver_id=n, patient_id=str(f.get("patient_id", "")))

    return await _change(request, user_id, work, "unlinked")


@router.post("/admin/users/{user_id}/reset")
async def reset(request: Request, user_id: str) -> Response:
    _form, actor = await session.posted(request, "admin")
    number = as_int(user_id)
    if number is None:
        raise errors.NotFound("user")
    with deps.write(request) as s:
        issued = password_resets.issue(s, actor, number, now=models.utcnow())
        username = admin_accounts.user_detail(s, actor, number).user.username
    return _code_page(request, username, issued)
