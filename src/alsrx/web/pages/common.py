"""Landing, sign in and out, password change, preferences, and the page error handling."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from alsrx import errors
from alsrx.db import models
from alsrx.i18n import N_, translator
from alsrx.render import audit_words
from alsrx.render import messages as message_words
from alsrx.render.messages import field_error_message
from alsrx.services import access_settings, accounts, api_tokens
from alsrx.web import deps, signin
from alsrx.web.pages import access_form, device_lists, kept_taps, outbox, patient, render, session
from alsrx.web.pages.session import form_data

LOG = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
WRONG_LOGIN = N_("Wrong username or password.")
TOO_MANY = N_("Too many sign-in attempts. Wait {minutes} minutes and try again.")
FORM_EXPIRED = N_("The sign-in form had expired. Please sign in again.")


def _safe_next(value: object) -> str:
    return render.local_path(value)


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> Response:
    try:
        actor = session.current(request)
        return session.redirect(session.home_for(actor))
    except session.LoginRequired:
        return render.page(request, "landing.html", demo=deps.settings(request).demo_mode)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "", password: int = 0) -> Response:
    # `password=1`: the person chose their password over a remembered device's PIN.
    return session.login_page(request, next=_safe_next(next), use_password=bool(password))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await form_data(request)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    _ = translator(render.preferences(request)["lang"])

    def refused(status: int, message: str, retry_after: int | None = None) -> Response:
        response = session.login_page(
            request,
            status=status,
            next=form.get("next", ""),
            error=message,
            username=username[: accounts.USERNAME_MAX],
            draft=form.get("draft"),
            expired=bool(form.get("draft")),
            use_password=True,
        )
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response

    if not session.login_csrf_ok(request, form):
        return refused(403, _(FORM_EXPIRED))
    try:
        passed = await signin.password_step(request, username, password)
    except errors.TooManyRequests as exc:
        minutes = max(1, -(-exc.retry_after // 60))
        return refused(429, _(TOO_MANY).format(minutes=minutes), exc.retry_after)
    except errors.InvalidInput as exc:
        return refused(422, _too_long(exc, render.preferences(request)["lang"]))
    except errors.Unauthenticated:
        return refused(401, _(WRONG_LOGIN))
    return await complete(request, form, passed)


async def complete(request: Request, form: dict[str, Any], passed: signin.Passed) -> Response:
    """After the password (or a one-time code): the second factor, or the session."""
    if passed.next != signin.DONE:
        token = await signin.issue_pending(request, passed)
        target = "/login/totp" if passed.next == signin.TOTP else "/account/mfa"
        response = session.redirect(target)
        session.set_session(response, request, token, pending=True)
        return response
    token = await signin.issue(request, passed, kind="session", factor="password")
    return signed_in(request, form, token, session.HOMES.get(passed.role, "/"))


LOGIN_FIELDS = {"username": N_("Username"), "password": N_("Password")}
PASSWORD_FIELDS = {"current": N_("Current password"), "new": N_("New password")}


def _labelled(exc: errors.InvalidInput, lang: str, labels: dict[str, str]) -> list[str]:
    """Each refusal with the form's own field label, not the engine's field name."""
    _ = translator(lang)
    return [
        message_words.labelled(
            _(labels[e.path]) if e.path in labels else e.path, field_error_message(e, lang), lang
        )
        for e in exc.errors
    ]


def _too_long(exc: errors.InvalidInput, lang: str) -> str:
    return "; ".join(_labelled(exc, lang, LOGIN_FIELDS))


def signed_in(request: Request, form: dict[str, Any], token: str, home: str) -> Response:
    """The redirect after a completed sign-in, with the session cookie (and a kept draft). A
    patient's tap kept over an expired session is saved now, and answered as its post would
    have been (kept_taps.py)."""
    kept = kept_taps.parse(form.get("draft"))
    if kept is not None:
        answer = _save_kept(request, token, kept)
        if answer is not None:
            session.set_session(answer, request, token)
            return answer
    target = _safe_next(form.get("next")) or home or "/"
    joiner = "&" if "?" in target else "?"
    response = session.redirect(target + (f"{joiner}restored=1" if form.get("draft") else ""))
    session.set_session(response, request, token)
    if form.get("draft"):
        # The draft goes back through an HttpOnly cookie, read once and deleted by the form page:
        # never into the URL (ASVS 14.2.1), never into script-readable storage.
        response.set_cookie(
            "alsrx_draft",
            str(form["draft"]),
            httponly=True,
            samesite="lax",
            secure=deps.settings(request).cookie_secure,
            max_age=600,
            path="/",
        )
    return response


def _save_kept(request: Request, token: str, kept: dict[str, Any]) -> Response | None:
    """The kept tap saved as the user just signed in (their new session's actor)."""
    idle = dt.timedelta(minutes=deps.settings(request).session_idle_minutes)
    with request.app.state.engine.connect() as conn:
        live = api_tokens.live_token(
            conn, token, kinds=("session",), idle=idle, now=models.utcnow()
        )
    if live is None:
        return None
    request.state.actor = live.actor
    request.state.csrf = session.csrf_token(request, token)
    try:
        return patient.save_kept(request, live.actor, kept)
    except errors.AlsrxError:  # not this user's patient, or a day no longer loggable
        return None  # the sign-in itself goes on: it must never fail for a kept form
    except Exception as exc:  # the session is issued: the sign-in must complete
        # The kind only: a database error's text can carry the form's values.
        LOG.error("a kept tap could not be saved at sign-in: %s", type(exc).__name__)
        return None


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await form_data(request)
    actor = session.current(request, kinds=("session", "mfa", "enrol"))
    session.check_csrf(request, form)
    with deps.write(request) as s:
        api_tokens.revoke_token(s, actor, deps.session_token(request) or "")
    response = session.redirect("/")
    session.clear_session(response, request)
    return response


@router.post("/prefs")
async def preferences(request: Request) -> Response:
    form = await form_data(request)
    response = session.redirect(_safe_next(form.get("next")) or "/")
    lang = form.get("lang") if form.get("lang") in ("en", "zh") else "en"
    token = deps.session_token(request)
    if token:
        actor = session.current(request, kinds=("session", "mfa", "enrol"))
        session.check_csrf(request, form)
        with deps.write(request) as s:
            accounts.set_language(s, actor, str(lang))
    secure = deps.settings(request).cookie_secure
    for name, value, allowed in (
        (render.LANG_COOKIE, lang, ("en", "zh")),
        (render.TEXT_COOKIE, form.get("text"), ("normal", "large")),
        (render.CONTRAST_COOKIE, form.get("contrast"), ("normal", "high")),
    ):
        if value in allowed:
            response.set_cookie(
                name, str(value), max_age=365 * 86400, samesite="lax", secure=secure, path="/"
            )
    return response


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, saved: int = 0, access_saved: int = 0, devices: str = "") -> Response:
    session.current(request)
    lang = render.preferences(request)["lang"]
    notice = device_lists.notice(devices, lang)
    return _account_page(
        request, saved=bool(saved), access_saved=bool(access_saved), device_notice=notice
    )


def _account_page(
    request: Request,
    status: int = 200,
    *,
    errors: list[str] | None = None,
    access_errors: list[str] | None = None,
    access_values: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """The account page: its remembered devices, and its access section (switch, gaze, read
    aloud) for the patient app's users, with what was posted after a refusal."""
    actor = session.current(request)
    lang = render.preferences(request)["lang"]
    access = None
    if access_form.shown_to(actor.role):
        with deps.read(request) as s:
            prefs = access_settings.current(s, actor)
        access = access_form.view(prefs, actor.lang, values=access_values)
    return render.page(
        request,
        "account.html",
        status=status,
        errors=errors or [],
        access_form=access,
        access_errors=access_errors or [],
        **{
            **device_lists.account_context(request, actor, lang),
            "role_word": translator(lang)(audit_words.ROLES.get(actor.role, actor.role)),
            "saved": False,
            "access_saved": False,
            **context,
        },
    )


@router.post("/account/access")
async def save_access(request: Request) -> Response:
    """The user's switch, dwell and read-aloud settings; out of range: refused in words, field
    by field, and nothing stored."""
    form = await form_data(request)
    actor = session.current(request)
    session.check_csrf(request, form)
    fields = {k: str(v) for k, v in form.items() if k != "csrf" and isinstance(v, str)}
    try:
        with deps.write(request) as s:
            access_settings.save(s, actor, fields)
    except errors.InvalidInput as exc:
        lines = access_form.errors(exc, actor.lang)
        return _account_page(request, 422, access_errors=lines, access_values=fields)
    return session.redirect("/account?access_saved=1#access-h")


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    form = await form_data(request)
    actor = session.current(request)
    session.check_csrf(request, form)
    try:
        with deps.write(request) as s:
            accounts.change_password(
                s,
                actor,
                str(form.get("current", "")),
                str(form.get("new", "")),
                keep_token=deps.session_token(request),
            )
    except errors.InvalidInput as exc:
        messages = _labelled(exc, actor.lang, PASSWORD_FIELDS)
        return _account_page(request, 422, errors=messages)
    return session.redirect("/account?saved=1")


def form_page_for(path: str, form: dict[str, Any]) -> str:
    """The page whose form was posted, to return to after signing in again."""
    if path.endswith("/assessments") and path.startswith("/clinic/patients/"):
        return f"{path}/new"
    if path == "/today/details":
        component, patient = form.get("component", ""), form.get("patient", "")
        return f"/today/details?component={component}&patient={patient}"
    if path.startswith("/today"):
        return "/today"
    if path.startswith("/clinic/prescriptions/"):
        return path.rsplit("/", 1)[0]
    return "/"


def install(app: FastAPI) -> None:
    """Page errors: sign-in redirects (keeping drafts of failed posts), and readable pages."""

    @app.exception_handler(session.LoginRequired)
    async def _login(request: Request, exc: session.LoginRequired) -> Response:
        if outbox.wanted(request):  # the offline outbox keeps the entry until a new sign-in
            return outbox.sign_in_required(request)
        if request.method == "POST":
            form = await form_data(request)
            origin = f"{request.url.scheme}://{request.url.netloc}"
            same_site = kept_taps.from_this_site(request.headers, origin)
            form = kept_taps.keep(request.url.path, form, models.utcnow(), same_site=same_site)
            return session.login_page(
                request,
                status=401,
                next=form_page_for(request.url.path, form),
                expired=True,
                draft=json.dumps(form, ensure_ascii=False),
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return session.redirect(f"{session.LOGIN}?next={target}")
