"""create_app(settings): the ASGI application, built from settings read once at the edge."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alsrx import __version__
from alsrx.db.group_commit import GroupCommit
from alsrx.db.session import make_engine, session_factory, writer
from alsrx.errors import Misconfigured
from alsrx.settings import Settings
from alsrx.web import errors, lifespan
from alsrx.web.api import clinic_export as clinic_export_api
from alsrx.web.api import (
    clinical,
    fhir,
    fhir_export,
    followup,
    handouts,
    prescription_edits,
    research_export,
    system,
)
from alsrx.web.api import devices as devices_api
from alsrx.web.limits import BodyLimit
from alsrx.web.pages import (
    admin,
    admin_audit,
    admin_users,
    clinic,
    clinic_alerts,
    clinic_assessments,
    clinic_exercises,
    clinic_export,
    clinic_patients,
    clinic_rx,
    clinic_rx_edit,
    clinic_sessions,
    common,
    devices,
    mfa,
    offline,
    outbox,
    password_reset,
    patient,
    provenance,
    research,
)

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "worker-src 'self'; manifest-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


class SecurityHeaders:
    """Headers every response carries. A plain ASGI middleware: Starlette's BaseHTTPMiddleware
    runs each request in its own task group and streams, which cost more than most API
    handlers (bench/bench_api.py)."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _headers_for(scope["path"], hsts=self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Two years, the HSTS preload list's minimum: once a browser has seen it over HTTPS it never
# sends the Secure session cookie's site a plain-HTTP request (ASVS 3.4.1).
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def _headers_for(path: str, *, hsts: bool) -> tuple[tuple[str, str], ...]:
    first = (
        ("Cache-Control", "no-store")  # ASVS 14.3.2
        if path.startswith("/api/")
        else ("Content-Security-Policy", CSP)
    )
    common = (
        first,
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        # frame-ancestors covers current browsers; X-Frame-Options the older ones (ASVS 3.4.6).
        ("X-Frame-Options", "DENY"),
    )
    return (*common, HSTS) if hsts else common


# The API documentation page. FastAPI's own loads Swagger UI from a CDN, and is blank offline or
# behind a hospital proxy; this one names only files of the package (static/swagger/, vendored
# by `make swagger-assets`) and starts from a script file, so the self-only CSP holds.
API_DOCS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>alsrx API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger/init.js"></script></body></html>
"""


def _api_docs() -> HTMLResponse:
    return HTMLResponse(API_DOCS, headers={"Content-Security-Policy": CSP})


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    if settings.audit_key is None:  # every request may write an audit event: refuse to start
        raise Misconfigured("the web application needs ALSRX_AUDIT_KEY (or demo mode)")
    app = FastAPI(
        title="alsrx",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url=None,  # _api_docs: Swagger UI from the package, not a CDN
        redoc_url=None,
        lifespan=lifespan.lifespan,
    )
    app.state.settings = settings
    app.add_api_route("/api/docs", _api_docs, methods=["GET"], include_in_schema=False)
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.factory = session_factory(app.state.engine, audit_key=settings.audit_key)
    sqlite_writer = writer(app.state.factory)
    app.state.group_commit = (
        GroupCommit(app.state.factory, sqlite_writer) if sqlite_writer is not None else None
    )
    errors.install(app)
    common.install(app)
    outbox.install(app)
    app.include_router(system.router)
    if settings.demo_mode:
        app.include_router(system.demo_router)
    app.include_router(clinical.router)
    app.include_router(prescription_edits.router)
    app.include_router(followup.router)
    app.include_router(handouts.router)
    app.include_router(fhir_export.router)
    app.include_router(research_export.router)
    app.include_router(fhir.router)
    app.include_router(clinic_export_api.router)
    app.include_router(devices_api.router)
    app.include_router(common.router)
    app.include_router(devices.router)
    app.include_router(mfa.router)
    app.include_router(patient.router)
    app.include_router(offline.router)
    app.include_router(clinic_patients.router)
    app.include_router(clinic.router)
    app.include_router(clinic_assessments.router)
    app.include_router(clinic_rx.router)
    app.include_router(clinic_alerts.router)
    app.include_router(clinic_sessions.router)
    app.include_router(clinic_export.router)
    app.include_router(research.router)
    app.include_router(admin.router)
    app.include_router(admin_users.router)
    app.include_router(admin_audit.router)
    app.include_router(password_reset.router)
    app.include_router(clinic_exercises.router)
    app.include_router(clinic_rx_edit.router)
    app.include_router(provenance.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("alsrx.web") / "static")),
        name="static",
    )

    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # HSTS only when cookies are Secure: a plain-HTTP local demo must stay reachable.
    app.add_middleware(SecurityHeaders, hsts=settings.cookie_secure)
    return app
