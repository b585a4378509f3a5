"""Signing in with an administrator's one-time code: username, code and a new password in one
form, so the code opens nothing but the new password (services/password_resets.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx import errors
from alsrx.i18n import N_, translator
from alsrx.services import accounts
from alsrx.web import signin
from alsrx.web.pages import common, render, session
from alsrx.web.pages.admin_forms import field_errors
from alsrx.web.pages.session import form_data

router = APIRouter(include_in_schema=False)
WRONG_CODE = N_("The username or the code is wrong, or the code has expired or was already used.")
FIELDS = {"username": N_("Username"), "code": N_("One-time code"), "new": N_("New password")}


@router.get("/login/reset", response_class=HTMLResponse)
def reset_form(request: Request) -> Response:
    return session.login_page(request, template="login_reset.html", errors={}, labels=FIELDS)


@router.post("/login/reset")
async def reset_sign_in(request: Request) -> Response:
    form = await form_data(request)
    username = str(form.get("username", "")).strip()
    lang = render.preferences(request)["lang"]
    _ = translator(lang)

    def refused(status: int, error: str | None, problems: dict[str, str]) -> Response:
        return session.login_page(
            request,
            status=status,
            template="login_reset.html",
            error=error,
            username=username[: accounts.USERNAME_MAX],
            errors=problems,
            labels=FIELDS,
        )

    if not session.login_csrf_ok(request, form):
        return refused(403, _(common.FORM_EXPIRED), {})
    try:
        passed = await signin.reset_step(
            request, username, str(form.get("code", "")), str(form.get("new", ""))
        )
    except errors.TooManyRequests as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        return refused(429, _(common.TOO_MANY).format(minutes=minutes), {})
    except errors.InvalidInput as exc:
        problems = field_errors(exc, lang)
        problems = {("code" if k == "password" else k): v for k, v in problems.items()}
        return refused(422, None, problems)
    except errors.Unauthenticated:
        return refused(401, _(WRONG_CODE), {})
    return await common.complete(request, {}, passed)
