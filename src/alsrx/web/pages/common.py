"""Landing, sign in and out, password change, preferences, and the page error handling."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from alsrx import errors
from alsrx.i18n import N_, translator
from alsrx.render.messages import field_lines
from alsrx.services import accounts
from alsrx.services import actor as actor_mod
from alsrx.web import deps
from alsrx.web.pages import render, session
from alsrx.web.pages.session import form_data

router = APIRouter(include_in_schema=False)
WRONG_LOGIN = N_("Wrong username or password.")
TOO_MANY = N_("Too many failed sign-ins. Wait 15 minutes and try again.")


def _safe_next(value: object) -> str:
    text = str(value or "")
    parsed = urlparse(text)
    return text if text.startswith("/") and not text.startswith("//") and not parsed.netloc else ""


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> Response:
    try:
        actor = session.current(request)
        return session.redirect(session.home_for(actor))
    except session.LoginRequired:
        return render.page(request, "landing.html", demo=deps.settings(request).demo_mode)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "") -> Response:
    return render.page(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await form_data(request)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    lang = render.preferences(request)["lang"]

    def run() -> tuple[str | None, str | None]:
        with deps.write(request) as s:
            user = accounts.login(s, username, password)
            if user is None:
                return None, None
            token = accounts.issue_token(
                s, actor_mod.load(s, user), user, kind="session", lifetime=accounts.SESSION_LIFETIME
            )
            return token, session.home_for(actor_mod.load(s, user))

    def refused(status: int, message: str) -> Response:
        return render.page(
            request,
            "login.html",
            status=status,
            next=form.get("next", ""),
            error=translator(lang)(message),
            username=username,
            draft=form.get("draft"),
        )

    try:
        token, home = await run_in_threadpool(run)
    except errors.TooManyRequests:
        return refused(429, TOO_MANY)
    if token is None:
        return refused(401, WRONG_LOGIN)
    target = _safe_next(form.get("next")) or home or "/"
    if form.get("draft"):
        request.state.replay_draft = form["draft"]
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


@router.post("/logout")
async def logout(request: Request) -> Response:
    form = await form_data(request)
    actor = session.current(request)
    session.check_csrf(request, form)
    with deps.write(request) as s:
        accounts.revoke_token(s, actor, request.cookies.get(deps.SESSION_COOKIE, ""))
    response = session.redirect("/")
    response.delete_cookie(deps.SESSION_COOKIE, path="/")
    return response


@router.post("/prefs")
async def preferences(request: Request) -> Response:
    form = await form_data(request)
    response = session.redirect(_safe_next(form.get("next")) or "/")
    lang = form.get("lang") if form.get("lang") in ("en", "zh") else "en"
    token = request.cookies.get(deps.SESSION_COOKIE)
    if token:
        actor = session.current(request)
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
def account(request: Request, saved: int = 0) -> Response:
    session.current(request)
    return render.page(request, "account.html", saved=bool(saved), errors=[])


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    form = await form_data(request)
    actor = session.current(request)
    session.check_csrf(request, form)
    try:
        with deps.write(request) as s:
            accounts.change_password(
                s, actor, str(form.get("current", "")), str(form.get("new", ""))
            )
    except errors.InvalidInput as exc:
        messages = field_lines(exc, actor.lang)
        return render.page(request, "account.html", status=422, saved=False, errors=messages)
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
        if request.method == "POST":
            form = await form_data(request)
            form.pop("csrf", None)
            return render.page(
                request,
                "login.html",
                status=401,
                next=form_page_for(request.url.path, form),
                error=None,
                expired=True,
                draft=json.dumps(form, ensure_ascii=False),
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return session.redirect(f"{session.LOGIN}?next={target}")
