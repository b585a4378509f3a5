"""create_app(settings): the ASGI application, built from settings read once at the edge."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from alsrx import __version__
from alsrx.db.session import make_engine, session_factory
from alsrx.settings import Settings
from alsrx.web import errors
from alsrx.web.api import clinical, followup, system
from alsrx.web.pages import clinic, common, patient

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def create_app(settings: Settings, *, engine: Engine | None = None) -> FastAPI:
    app = FastAPI(
        title="alsrx",
        version=__version__,
        openapi_url="/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine or make_engine(settings.database_url)
    app.state.factory = session_factory(app.state.engine)
    errors.install(app)
    common.install(app)
    app.include_router(system.router)
    app.include_router(clinical.router)
    app.include_router(followup.router)
    app.include_router(common.router)
    app.include_router(patient.router)
    app.include_router(clinic.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(resources.files("alsrx.web") / "static")),
        name="static",
    )

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")  # ASVS 14.3.2
        elif not request.url.path.startswith("/api/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
