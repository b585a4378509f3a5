"""Browser sessions: sign in and out, CSRF, and who is looking at the page.

The session token lives in an HttpOnly, SameSite=Lax cookie, Secure and named
`__Host-alsrx_session` unless configured off for local demos; only its SHA-256 is stored
(services/api_tokens.py). Every form post carries a CSRF token: HMAC(secret, session token
hash), checked before anything is written (ASVS 3.5.1). The sign-in form, posted before there
is a session, carries HMAC(secret, nonce) of a random nonce in a cookie of its own (a signed
double-submit cookie), so another site cannot sign a browser in to an account of its choosing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from alsrx.errors import InvalidInput, PermissionDenied, Unauthenticated
from alsrx.intake import wire
from alsrx.services import api_tokens
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import device_lists, kept_taps, render

LOGIN = "/login"
LOGIN_NONCE_COOKIE = "alsrx_login"


class LoginRequired(Exception):
    """Raised inside a page handler; answered with a redirect (or the login form, with drafts)."""

    def __init__(self, draft: dict[str, Any] | None = None) -> None:
        self.draft = draft


def csrf_token(request: Request, token: str) -> str:
    return deps.csrf_for(request, token)


def current(request: Request, *roles: str, kinds: tuple[str, ...] = ("session",)) -> Actor:
    """The signed-in user for a page, or LoginRequired; PermissionDenied for a wrong role.
    `kinds`: the pages of a pending sign-in (second factor, enrolment) accept its token."""
    deps.refuse_control_characters(request)
    token = deps.session_token(request)
    if not token:
        raise LoginRequired()
    try:
        actor = deps.authenticate(request, kinds=kinds)
    except Unauthenticated:
        raise LoginRequired() from None
    request.state.csrf = csrf_token(request, token)
    if roles and actor.role not in roles:
        raise PermissionDenied("this page is not for your role")
    return actor


def check_csrf(request: Request, form: dict[str, Any]) -> None:
    token = deps.session_token(request) or ""
    sent = str(form.get("csrf", ""))
    if not token or not hmac.compare_digest(sent, csrf_token(request, token)):
        raise PermissionDenied("the form has expired; reload the page and try again")


def set_session(response: Response, request: Request, token: str, *, pending: bool = False) -> None:
    lifetime = api_tokens.PENDING_LIFETIME if pending else api_tokens.SESSION_LIFETIME
    response.set_cookie(
        deps.cookie_name(request, deps.SESSION_COOKIE),
        token,
        httponly=True,
        samesite="lax",
        secure=deps.settings(request).cookie_secure,
        max_age=int(lifetime.total_seconds()),
        path="/",
    )


def clear_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        deps.cookie_name(request, deps.SESSION_COOKIE),
        path="/",
        secure=deps.settings(request).cookie_secure,
        httponly=True,
        samesite="lax",
    )


def _login_mac(request: Request, nonce: str) -> str:
    secret = deps.settings(request).secret_key.encode()
    return hmac.new(secret, f"login:{nonce}".encode(), hashlib.sha256).hexdigest()


def login_page(
    request: Request, status: int = 200, *, template: str = "login.html", **context: Any
) -> Response:
    """The sign-in form with its pre-session CSRF token (and the nonce cookie it pairs with)."""
    name = deps.cookie_name(request, LOGIN_NONCE_COOKIE)
    nonce = request.cookies.get(name) or ""
    if len(nonce) != 43:
        nonce = secrets.token_urlsafe(32)
    context.setdefault("error", None)
    context.setdefault("next", "")
    context.setdefault("use_password", False)
    context.update(kept_taps.context(context.get("draft")))  # a patient's tap kept over sign-in
    if "device" not in context:  # a remembered device: its PIN first, or why it cannot be used
        context["device"] = device_lists.login_device(request, render.preferences(request)["lang"])
    response = render.page(
        request, template, status=status, login_csrf=_login_mac(request, nonce), **context
    )
    if context["device"] is not None and context["device"].message is not None:
        device_lists.clear_device_cookie(response, request)  # said once, then forgotten
    if request.headers.get("sec-fetch-mode", "navigate") != "navigate":
        # A script's or worker's fetch that ended here (signed out) must not replace the nonce
        # of the sign-in form on screen: that form would then be refused as expired.
        return response
    response.set_cookie(
        name,
        nonce,
        httponly=True,
        samesite="lax",
        secure=deps.settings(request).cookie_secure,
        max_age=3600,
        path="/",
    )
    return response


def login_csrf_ok(request: Request, form: dict[str, Any]) -> bool:
    nonce = request.cookies.get(deps.cookie_name(request, LOGIN_NONCE_COOKIE)) or ""
    sent = str(form.get("login_csrf", ""))
    return bool(nonce) and hmac.compare_digest(sent, _login_mac(request, nonce))


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


HOMES = {
    "clinician": "/clinic",
    "patient": "/today",
    "caregiver": "/today",
    "researcher": "/research",
    "admin": "/admin",
}


def home_for(actor: Actor) -> str:
    return HOMES.get(actor.role, "/")


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)
