"""The patient's log forms, posted once per key, for the browser form and the offline outbox.

The same two endpoints (/today/done, /today/details) answer both. A plain form post gets a
redirect or a page as before. The outbox of web/static/outbox.js posts the same form with the
header `X-Alsrx-Outbox: 1` and gets JSON: {"next": url} when stored (or already stored under
this key), {"error": {"code", "message", "lines"}} with the status of the error (422 for bad
input, 403, 404 ...), and 401 {"error": {"code": "sign_in" | "stale_form"}} when the entry must
wait for a new sign-in or a fresh page. The form parsing stays in one place (patient.py).

Every log carries an idempotency key (a rendered form's, or the outbox entry's client id): the
key and the session it stored are committed together, so a replay stores nothing new and
answers as the first post did (services/idempotency.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alsrx.errors import AlsrxError, PermissionDenied
from alsrx.i18n import N_, translator
from alsrx.render.messages import error_message, field_lines
from alsrx.services import idempotency
from alsrx.services.actor import Actor
from alsrx.web import deps
from alsrx.web.pages import render, session

HEADER = "x-alsrx-outbox"
SIGN_IN_AGAIN = N_("You were signed out. Sign in again to send what you logged.")
STALE_FORM = N_("This page is out of date. Open Today again to send what you logged.")


class StaleForm(Exception):
    """The outbox sent the CSRF token of a page older than the current session (a sign-in in
    another tab): the entry waits for a fresh page rather than being dropped."""


def wanted(request: Request) -> bool:
    return request.headers.get(HEADER) == "1"


async def posted(request: Request, *roles: str) -> tuple[dict[str, Any], Actor]:
    """`session.posted`, but an outbox post with a stale CSRF token is kept, not refused."""
    form = await session.form_data(request)
    # The token first, the role after: an entry made under one user and sent while another
    # (of a role without these pages) is signed in here is a stale page, kept for its user,
    # not a refusal that would drop it.
    session.current(request)
    try:
        session.check_csrf(request, form)
    except PermissionDenied:
        if wanted(request):
            raise StaleForm() from None
        raise
    return form, session.current(request, *roles)


def stored(request: Request, location: str, page: Response | None = None) -> Response:
    """The answer once the log is stored: the page (a plain post with advice), else where to go."""
    if wanted(request):
        return JSONResponse({"next": location})
    return page if page is not None else session.redirect(location)


def refusal(request: Request, exc: AlsrxError, status: int) -> JSONResponse:
    """An error as the outbox shows it: the message and each field in words."""
    lang = render.preferences(request)["lang"]
    error = {"code": exc.code, "message": error_message(exc, lang), "lines": field_lines(exc, lang)}
    return JSONResponse({"error": error}, status_code=status)


def _waiting(request: Request, code: str, message: str) -> JSONResponse:
    _ = translator(render.preferences(request)["lang"])
    error = {"code": code, "message": _(message), "lines": []}
    return JSONResponse({"error": error}, status_code=401, headers={"X-Alsrx-Sign-In": code})


def sign_in_required(request: Request) -> JSONResponse:
    return _waiting(request, "sign_in", SIGN_IN_AGAIN)


def install(app: FastAPI) -> None:
    @app.exception_handler(StaleForm)
    async def _stale(request: Request, exc: StaleForm) -> Response:
        return _waiting(request, "stale_form", STALE_FORM)


Work = Callable[[Session], tuple[str, Response | None]]


def once(
    request: Request,
    actor: Actor,
    *,
    key: str,
    path: str,
    payload: str,
    work: Work,
) -> Response:
    """Run `work` (store the log; return where to go next and, maybe, the page to show) once
    for this user's `key`; a replay answers with the first run's place to go. `payload`: the
    parsed request, so that the same key with another body is refused."""
    digest = idempotency.request_hash("POST", path, payload.encode())
    try:
        with deps.write(request) as s:
            replay = idempotency.claim_within(s, user_id=actor.user_id, key=key, digest=digest)
            if replay is not None:
                return stored(request, replay.headers.get("Location", "/today"))
            location, page = work(s)
            idempotency.complete_within(
                s,
                user_id=actor.user_id,
                key=key,
                digest=digest,
                status=303,
                body={},
                headers={"Location": location},
            )
    except IntegrityError:  # the same key, stored meanwhile by the first post (PostgreSQL)
        with deps.read(request) as s:
            replay = idempotency.claim_within(s, user_id=actor.user_id, key=key, digest=digest)
        return stored(request, replay.headers.get("Location", "/today") if replay else "/today")
    return stored(request, location, page)
