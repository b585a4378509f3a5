"""Two-step sign-in pages: the code after the password, and enrolment with a QR code.

Both are reached with a pending token (kind "mfa" or "enrol", 10 minutes, services/api_tokens.py)
that opens nothing else; enrolment is also open to a signed-in session. The QR code is an SVG
made here (segno), shown as a data: image, so the CSP stays img-src 'self' data: and no
script or third party sees the secret.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx import errors
from alsrx.db import models
from alsrx.i18n import N_, translator
from alsrx.render.messages import field_lines
from alsrx.services import mfa
from alsrx.services.actor import Actor
from alsrx.web import deps, signin
from alsrx.web.pages import render, session
from alsrx.web.pages.common import signed_in

router = APIRouter(include_in_schema=False)
WRONG_CODE = N_("The code is wrong or was already used. Wait for the next code and try again.")
TOO_MANY_CODES = N_("Too many wrong codes. Wait {minutes} minutes and try again.")
SETUP_KINDS = ("session", "enrol")


@router.get("/login/totp", response_class=HTMLResponse)
def code_form(request: Request) -> Response:
    session.current(request, kinds=("mfa",))
    return render.page(request, "mfa_code.html", pending=True, error=None)


@router.post("/login/totp")
async def code_check(request: Request) -> Response:
    form = await session.form_data(request)
    actor = session.current(request, kinds=("mfa",))
    session.check_csrf(request, form)
    _ = translator(render.preferences(request)["lang"])
    try:
        factor = await signin.second_step(request, actor, str(form.get("code", "")))
    except errors.TooManyRequests as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        page = _code_page(request, 429, _(TOO_MANY_CODES).format(minutes=minutes))
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except (errors.Unauthenticated, errors.InvalidInput):
        return _code_page(request, 401, _(WRONG_CODE))
    token = await signin.upgrade_pending(request, actor, _pending(request), factor)
    return signed_in(request, {}, token, session.home_for(actor))


def _code_page(request: Request, status: int, error: str) -> Response:
    return render.page(request, "mfa_code.html", status=status, pending=True, error=error)


def _pending(request: Request) -> str:
    return deps.session_token(request) or ""


@router.get("/account/mfa", response_class=HTMLResponse)
def setup(request: Request) -> Response:
    actor = session.current(request, kinds=SETUP_KINDS)
    return _setup_page(request, actor, status=200, error=None)


def _setup_page(request: Request, actor: Actor, *, status: int, error: str | None) -> Response:
    key = signin.mfa_key(request)
    with deps.write(request) as s:
        enrolled = mfa.is_enrolled(s, actor.user_id)
        secret = None if enrolled else mfa.pending_secret(s, actor.user_id, key)
        if not enrolled and secret is None:
            secret = mfa.begin_enrolment(s, actor, key)
    context = {"enrolled": enrolled, "pending": _kind(request) == "enrol", "error": error}
    if secret is not None:
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        context |= {"qr": mfa.provisioning_qr(secret, actor.username), "secret_text": grouped}
        context["required"] = _kind(request) == "enrol"
    return render.page(request, "mfa_setup.html", status=status, **context)


def _kind(request: Request) -> str:
    return getattr(request.state, "token_kind", "session")


@router.post("/account/mfa/confirm")
async def confirm(request: Request) -> Response:
    form = await session.form_data(request)
    actor = session.current(request, kinds=SETUP_KINDS)
    session.check_csrf(request, form)
    try:
        with deps.write(request) as s:
            codes = mfa.confirm(
                s, actor, signin.mfa_key(request), str(form.get("code", "")), now=models.utcnow()
            )
    except errors.InvalidInput as exc:
        return _setup_page(
            request,
            actor,
            status=422,
            error="; ".join(field_lines(exc, render.preferences(request)["lang"])),
        )
    home = session.home_for(actor)
    if _kind(request) != "enrol":
        return render.page(request, "mfa_recovery.html", codes=codes, home=home)
    token = await signin.upgrade_pending(request, actor, _pending(request), "totp")
    request.state.csrf = session.csrf_token(request, token)  # the page's forms: the new session
    page = render.page(request, "mfa_recovery.html", codes=codes, home=home, pending=True)
    session.set_session(page, request, token)
    return page
