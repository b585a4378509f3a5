"""The one mapping from the exception tree to HTTP, and the one error shape:
{"error": {"code", "message", "fields": [{"path", "message"}]}}."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from alsrx import errors
from alsrx.i18n import translator
from alsrx.render.messages import INPUT_ERROR, error_document

log = logging.getLogger("alsrx.web")

STATUS = (
    (errors.InvalidInput, 422),
    (errors.NotFound, 404),
    (errors.PreconditionFailed, 412),
    (errors.PreconditionRequired, 428),
    (errors.Conflict, 409),
    (errors.PermissionDenied, 403),
    (errors.Unauthenticated, 401),
    (errors.TooManyRequests, 429),
    (errors.UnsupportedMediaType, 415),
    (errors.ServiceUnavailable, 503),
)
GENERIC = {
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    428: "precondition_required",
    415: "unsupported_media_type",
    429: "too_many_requests",
    503: "service_unavailable",
}


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def status_for(exc: errors.AlsrxError) -> int:
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 400)


def headers_for(exc: errors.AlsrxError, status: int) -> dict[str, str]:
    """401 names the scheme; 429 and 503 say when to come back (RFC 9110 Retry-After)."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after))
    return headers


def _lang(request: Request) -> str:
    lang = getattr(request.state, "lang", None)
    return lang if lang in ("en", "zh") else "en"


def _page(request: Request, exc: errors.AlsrxError, status: int) -> Response:
    """Pages get the same message as the API, as a readable page in the user's language."""
    from alsrx.web.pages import render

    response = render.error_page(request, exc, status=status)
    response.headers.update(headers_for(exc, status))
    return response


def _query_code(kind: str) -> str:
    """A query parameter's fault as one of our codes (the validator's own text is English)."""
    if kind == "missing":
        return "required"
    return "not_a_whole_number" if kind.startswith("int") else "bad_value"


def _page_for_query(request: Request, exc: RequestValidationError) -> Response:
    """A page's bad or missing query parameter, as a readable page naming it (never JSON): a
    link cut short must still leave the patient on a page with the way back."""
    from alsrx.web.pages import session

    # The header's navigation and preference form need the signed-in user, if there is one.
    with contextlib.suppress(session.LoginRequired, errors.AlsrxError):
        session.current(request)
    fields = [
        errors.FieldError(
            ".".join(str(p) for p in e["loc"] if p not in ("body", "query")), _query_code(e["type"])
        )
        for e in exc.errors()
    ]
    return _page(request, errors.InvalidInput(fields), 422)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _status_page(
    request: Request,
    code: str,
    status: int,
    headers: Mapping[str, str] | None,
    *,
    incident: str = "",
) -> Response:
    """An unknown URL, a wrong method or an unexpected failure, as a page in the reader's
    language with the header's navigation when someone is signed in (never JSON)."""
    from alsrx.web import app
    from alsrx.web.pages import render, session

    with contextlib.suppress(Exception):  # an anonymous visitor, or a failing database
        session.current(request)
    response = render.status_page(request, code, status=status, incident=incident)
    response.headers.update(dict(headers or {}))
    # The handler of unexpected errors answers outside the middleware that adds these.
    for name, value in app._headers_for(request.url.path, hsts=False):
        response.headers.setdefault(name, value)
    return response


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.AlsrxError)
    async def _alsrx(request: Request, exc: errors.AlsrxError) -> Response:
        status = status_for(exc)
        if not _is_api(request):
            from alsrx.web.pages import outbox

            if outbox.wanted(request):  # the outbox shows the reason in words (outbox.js)
                return outbox.refusal(request, exc, status)
            return _page(request, exc, status)
        return JSONResponse(
            error_document(exc, _lang(request)),
            status_code=status,
            headers=headers_for(exc, status),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if not _is_api(request):
            return _page_for_query(request, exc)
        fields = [
            {"path": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]}
            for e in exc.errors()
        ]
        return JSONResponse(
            error_body("invalid_input", translator(_lang(request))(INPUT_ERROR), fields), 422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = GENERIC.get(exc.status_code, "error")
        if not _is_api(request):
            return _status_page(request, code, exc.status_code, getattr(exc, "headers", None))
        return JSONResponse(
            error_body(code, str(exc.detail)),
            exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        incident = uuid.uuid4().hex[:12]
        # Log the type and an incident id, never the request data (it may hold patient data).
        log.error("unexpected %s, incident %s", type(exc).__name__, incident)
        if not _is_api(request):
            # The page names the incident, never the exception's text (it may hold data).
            return _status_page(request, "internal_error", 500, None, incident=incident)
        return JSONResponse(
            error_body("internal_error", f"internal error (incident {incident})"), 500
        )
