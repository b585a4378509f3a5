"""Health, the no-op endpoint benchmarks compare against, login/logout, admin, research."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import FieldError, InvalidInput, MfaRequired, PermissionDenied
from alsrx.services import accounts, api_tokens, research
from alsrx.web import deps, signin
from alsrx.web.api import writes
from alsrx.web.policy import PUBLIC, endpoint

router = APIRouter(prefix="/api/v1", tags=["system"])
EVERYONE = ("admin", "clinician", "researcher", "patient", "caregiver")


@endpoint(router, "GET", "/health", roles=(PUBLIC,), scope="none")
def health() -> dict[str, str]:
    return {"status": "ok"}


# Only demo servers (which the benchmarks run) have it: an unauthenticated POST that answers
# as fast as the server can is of use to a benchmark, and to nobody in production.
demo_router = APIRouter(prefix="/api/v1", tags=["system"])


@endpoint(demo_router, "POST", "/noop", roles=(PUBLIC,), scope="none")
async def noop() -> dict[str, bool]:
    """Does nothing: the same server's baseline for the write benchmark (demo mode only)."""
    return {"ok": True}


LOGIN_SCHEMA = {
    "type": "object",
    "required": ["username", "password"],
    "additionalProperties": False,
    "properties": {
        "username": {"type": "string", "minLength": 1, "maxLength": 100},
        "password": {"type": "string", "minLength": 1, "maxLength": 128},
        "totp": {"type": "string", "minLength": 6, "maxLength": 40},
    },
}


def _credentials(body: Any) -> tuple[str, str, str | None]:
    if not isinstance(body, dict):
        raise InvalidInput([FieldError("(body)", "wrong_type", {"expected": "object"})])
    missing = [
        FieldError(k, "required", {})
        for k in ("username", "password")
        if not isinstance(body.get(k), str) or not body.get(k)
    ]
    if missing:
        raise InvalidInput(missing)
    totp = body.get("totp")
    if totp is not None and not isinstance(totp, str):
        raise InvalidInput([FieldError("totp", "wrong_type", {"expected": "string"})])
    return body["username"], body["password"], totp


@endpoint(router, "POST", "/auth/token", roles=(PUBLIC,), scope="none", body_schema=LOGIN_SCHEMA)
async def login(request: Request) -> JSONResponse:
    """Exchange a username and password (and, when two-step sign-in is set up, a TOTP or
    recovery code in `totp`) for a bearer token (12 h; revoke with /auth/logout)."""
    username, password, totp = _credentials(await deps.json_body(request))
    passed = await signin.password_step(request, username, password)
    factor = "password"
    if passed.next == signin.ENROL:
        raise PermissionDenied("set up two-step sign-in on the web pages first (/account/mfa)")
    if passed.next == signin.TOTP:
        if totp is None:
            raise MfaRequired("send the code of your authenticator app in the field totp")
        actor = await deps.blocking(request, signin.actor_of, request, passed)
        factor = await signin.second_step(request, actor, totp)
    token = await signin.issue(request, passed, kind="api", factor=factor)
    body = {"token": token, "token_type": "bearer", "role": passed.role}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@endpoint(router, "POST", "/auth/logout", roles=EVERYONE, scope="none")
def logout(request: Request) -> dict[str, bool]:
    actor = deps.authenticate(request)
    token = deps.bearer_token(request) or deps.session_token(request)
    with deps.write(request) as session:
        api_tokens.revoke_token(session, actor, token or "")
    return {"revoked": True}


@endpoint(router, "GET", "/me", roles=EVERYONE, scope="none")
def me(request: Request) -> dict[str, Any]:
    actor = deps.authenticate(request)
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "role": actor.role,
        "centre_ids": sorted(actor.centre_ids),
        "patient_ids": sorted(actor.patient_ids),
        "lang": actor.lang,
    }


CENTRE_SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "contact_phone": {"type": "string", "maxLength": 50},
        "emergency_number": {
            "type": "string",
            "maxLength": 15,
            "description": "Dialled from the red-flag page before the clinic: 2 to 15 digits "
            "(0-9), such as 120 in mainland China or 112, 999, 911 elsewhere. Unset: the page "
            "says to call the local emergency number.",
        },
    },
}


@endpoint(
    router,
    "POST",
    "/centres",
    roles=("admin",),
    scope="none",
    body_schema=CENTRE_SCHEMA,
    status_code=201,
)
async def create_centre(request: Request) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.documented_body(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("name"), str)
            or not body["name"].strip()
        ):
            raise InvalidInput([FieldError("name", "required", {})])
        phone, emergency = body.get("contact_phone"), body.get("emergency_number")
        centre = accounts.create_centre(
            session,
            actor,
            body["name"].strip(),
            contact_phone=phone if isinstance(phone, str) else None,
            emergency_number=emergency if isinstance(emergency, str) else None,
        )
        return 201, _centre(centre), {}

    return await writes.run(request, actor, work)


@endpoint(router, "GET", "/centres", roles=("admin",), scope="none")
def list_centres(request: Request) -> dict[str, Any]:
    with deps.read(request) as session:
        rows = session.scalars(select(models.Centre).order_by(models.Centre.name)).all()
        return {"centres": [_centre(c) for c in rows]}


def _centre(c: models.Centre) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "contact_phone": c.contact_phone,
        "emergency_number": c.emergency_number,
    }


@endpoint(router, "GET", "/research/assessments", roles=("researcher",), scope="research")
def research_assessments(request: Request) -> JSONResponse:
    actor = deps.authenticate(request)
    with deps.write(request) as session:  # the export itself is audited
        rows = research.assessments(
            session, actor, k=deps.settings(request).research_k, today=deps.today()
        )
    return JSONResponse({"rows": rows}, headers={"Cache-Control": "no-store"})
