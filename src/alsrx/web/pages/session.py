"""Browser sessions: sign in and out, CSRF, and who is looking at the page.

The session token lives in an HttpOnly, SameSite=Lax cookie (Secure unless configured off for
local demos); only its SHA-256 is stored (services/accounts.py). Every form post carries a CSRF
token: HMAC(secret, session token hash), checked before anything is written (ASVS 3.5.1).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from alsrx.errors import InvalidInput, PermissionDenied, Unauthenticated
from alsrx.intake import wire
from alsrx.services import accounts
from alsrx.services.actor import Actor
from alsrx.web import deps

LOGIN = "/login"


class LoginRequired(Exception):
    """Raised inside a page handler; answered with a redirect (or the login form, with drafts)."""

    def __init__(self, draft: dict[str, Any] | None = None) -> None:
        self.draft = draft


def csrf_token(request: Request, token: str) -> str:
    secret = deps.settings(request).secret_key.encode()
    return hmac.new(secret, accounts.hash_token(token).encode(), hashlib.sha256).hexdigest()


def current(request: Request, *roles: str) -> Actor:
    """The signed-in user for a page, or LoginRequired; PermissionDenied for a wrong role."""
    deps.refuse_control_characters(request)
    token = request.cookies.get(deps.SESSION_COOKIE)
    if not token:
        raise LoginRequired()
    try:
        actor = deps.authenticate(request)
    except Unauthenticated:
        raise LoginRequired() from None
    request.state.csrf = csrf_token(request, token)
    if roles and actor.role not in roles:
        raise PermissionDenied("this page is not for your role")
    return actor


def check_csrf(request: Request, form: dict[str, Any]) -> None:
    token = request.cookies.get(deps.SESSION_COOKIE) or ""
    sent = str(form.get("csrf", ""))
    if not token or not hmac.compare_digest(sent, csrf_token(request, token)):
        raise PermissionDenied("the form has expired; reload the page and try again")


def set_session(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        deps.SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=deps.settings(request).cookie_secure,
        max_age=int(accounts.SESSION_LIFETIME.total_seconds()),
        path="/",
    )


async def form_data(request: Request) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form:
        values = form.getlist(key)
        data[key] = values if key == "symptoms" or len(values) > 1 else values[0]
    errors = wire.pairs_errors(
        (key, value) for key in form for value in form.getlist(key) if isinstance(value, str)
    )
    if errors:
        raise InvalidInput(errors)
    return data


async def posted(request: Request, *roles: str) -> tuple[dict[str, Any], Actor]:
    """A form post from a signed-in user of one of `roles`, its CSRF token checked."""
    form = await form_data(request)
    actor = current(request, *roles)
    check_csrf(request, form)
    return form, actor


def home_for(actor: Actor) -> str:
    return {
        "clinician": "/clinic",
        "patient": "/today",
        "caregiver": "/today",
        "researcher": "/research",
        "admin": "/admin",
    }.get(actor.role, "/")


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
