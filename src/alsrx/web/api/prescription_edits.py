"""PATCH a draft component's dose: the changes checked whole against the patient's bounds.

Body: the component's paths and their new numbers, flat ({"minutes_per_session.max": 20}) or
nested ({"minutes_per_session": {"max": 20}}); If-Match (or "version" in the body) names the
version the sender saw, as for the other write endpoints. A refusal is 422 with each field's
path and, in the request's language, the bound and where it comes from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from alsrx.errors import FieldError, InvalidInput
from alsrx.services import access, prescription_edits
from alsrx.web import deps
from alsrx.web.api import views, writes
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["clinical"])

CHANGES_BODY = {
    "type": "object",
    "description": (
        "Paths inside the component and their new values, e.g. "
        '{"sessions_per_week.max": 3, "intensity.hr_bpm.max": 140, '
        '"progression[0].minutes_per_session.max": 15}; "version" may stand for If-Match.'
    ),
    "additionalProperties": True,
}


def flat(body: Mapping[str, Any], prefix: str = "") -> dict[str, object]:
    """Nested objects as dotted paths; a list of steps by its index (progression[0])."""
    out: dict[str, object] = {}
    for key, value in body.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out |= flat(value, f"{path}.")
        elif isinstance(value, list) and key == "progression":
            for i, step in enumerate(value):
                if isinstance(step, Mapping):
                    out |= flat(step, f"{path}[{i}].")
        else:
            out[path] = value
    return out


def _version(body: dict[str, Any], header: int | None) -> int | None:
    raw = body.pop("version", None)
    if header is not None or raw is None:
        return header
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidInput([FieldError("version", "wrong_type", {"expected": "integer"})])
    return raw


@endpoint(
    router,
    "PATCH",
    "/prescriptions/{prescription_id}/components/{component}",
    roles=("clinician",),
    scope="prescription",
    body_schema=CHANGES_BODY,
    summary="Change a draft component's dose, checked whole against the patient's bounds",
)
async def patch_component(request: Request, prescription_id: str, component: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)
    header = deps.if_match(request)
    options = deps.settings(request).assessment_options()

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        access.prescription(session, actor, prescription_id)  # 404 before the body is judged
        if not isinstance(body, dict):
            raise InvalidInput([FieldError("body", "wrong_type", {"expected": "object"})])
        changes = dict(body)
        version = _version(changes, header)
        row = prescription_edits.edit_component(
            session,
            actor,
            prescription_id,
            component,
            flat(changes),
            if_match=version,
            today=deps.today(),
            options=options,
        )
        return 200, views.prescription(row, actor.lang), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)
