"""Remembered devices in the API: a patient's devices (and, for the clinic, their caregivers'),
and revoking one, which ends that device's sessions at once.

The same service calls as the pages (services/device_management.py), so the reach is the same:
the patient their own, a caregiver the patient's (never another caregiver's), a clinician of
the patient's centre the patient's and the caregivers'. Remembering a device is not here: it
needs a fresh password sign-in in that device's browser, which an API token is not."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import NotFound
from alsrx.services import audit, device_management
from alsrx.web import deps
from alsrx.web.api import writes
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["devices"])
REACH = ("clinician", "patient", "caregiver")
REVOKE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"reason": {"type": "string", "maxLength": audit.REASON_MAX}},
}


def device_view(v: device_management.DeviceView) -> dict[str, Any]:
    """Never the secret's hash or the PIN's: what a person would check on a list."""
    return {
        "id": v.id,
        "user": v.username,
        "role": v.role,
        "label": v.label,
        "status": v.status,
        "created_at": v.created_at.isoformat(),
        "last_used_at": v.last_used_at.isoformat() if v.last_used_at else None,
        "expires_at": v.expires_at.isoformat(),
    }


@endpoint(
    router,
    "GET",
    "/patients/{patient_id}/devices",
    roles=REACH,
    scope="patient",
    summary="The patient's remembered devices (for the clinic also their caregivers'), newest "
    "first, with their status: active, locked, expired or revoked",
)
def list_devices(request: Request, patient_id: str) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        views = device_management.listed(session, actor, now=models.utcnow(), patient_id=patient_id)
    return {"devices": [device_view(v) for v in views]}


@endpoint(
    router,
    "POST",
    "/patients/{patient_id}/devices/{device_id}/revoke",
    roles=REACH,
    scope="patient",
    body_schema=REVOKE_SCHEMA,
    summary="Revoke a remembered device: its PIN no longer signs in and its sessions end at "
    "once (audited, with the optional reason); revoking it again changes nothing",
)
async def revoke_device(request: Request, patient_id: str, device_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.documented_body(request)
    number = _device_number(device_id)
    reason = (body.get("reason") or "").strip() or None

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        now = models.utcnow()
        revoked = device_management.revoke(
            session, actor, number, now=now, reason=reason, patient_id=patient_id
        )
        session.flush()
        views = device_management.listed(session, actor, now=now, patient_id=patient_id)
        view = next(v for v in views if v.id == number)
        return 200, {"device": device_view(view), "revoked": revoked}, {}

    return await writes.run(request, actor, work)


def _device_number(raw: str) -> int:
    """A device id is a positive number; anything else names no device (404, as out of reach)."""
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound("device")
    return int(raw)
