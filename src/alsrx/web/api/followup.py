"""Home follow-up: session logs, alerts and the centre inbox, proposals, weekly summary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import undo
from alsrx.errors import FieldError, InvalidInput
from alsrx.i18n import N_, translator
from alsrx.intake.schema import session_log_schema
from alsrx.render import symptom_advice
from alsrx.services import access, audit, home_weeks, prescriptions, session_logs
from alsrx.services import alerts as alerts_service
from alsrx.web import deps
from alsrx.web.api import views, writes
from alsrx.web.policy import endpoint

router = APIRouter(prefix="/api/v1", tags=["follow-up"])
CLINICAL = ("clinician", "patient", "caregiver")
STOP_NOW = N_("Stop exercising now and contact your clinic.")
CALL_CLINIC = N_("Clinic phone: {phone}")


def session_view(row: models.SessionLog) -> dict[str, Any]:
    return {
        k: getattr(row, k)
        for k in (
            "id",
            "patient_id",
            "prescription_id",
            "component",
            "completed",
            "skip_reason",
            "duration_min",
            "avg_hr_bpm",
            "max_hr_bpm",
            "rpe",
            "sets",
            "reps",
            "fatigue_recovery_min",
            "symptoms",
            "notes",
            "planned",
            "filled_from_plan",
            "entered_by",
            "entered_as",
            "undone_by",
        )
    } | {
        "date": row.date.isoformat(),
        "created_at": row.created_at.isoformat(),
        "undone_at": row.undone_at.isoformat() if row.undone_at else None,
        "performed_at": row.performed_at.isoformat() if row.performed_at else None,
    }


def alert_view(row: models.Alert) -> dict[str, Any]:
    return {
        "id": row.id,
        "patient_id": row.patient_id,
        "code": row.code,
        "severity": row.severity,
        "status": row.status,
        "evidence": row.evidence,
        "data": row.data,
        "source": row.source,
        "source_id": row.source_id,
        "created_at": row.created_at.isoformat(),
        "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at else None,
        "resolved_at": row.resolved_at.isoformat() if row.resolved_at else None,
        "resolution_note": row.resolution_note,
        "notes": (row.data or {}).get("notes"),  # the patient's own words on a symptom log
    }


def _stop_message(session: Session, patient: models.Patient, lang: str) -> dict[str, Any]:
    """After a red flag (or breathlessness with respiratory involvement): the emergency number
    first, then the clinic."""
    _ = translator(lang)
    centre = session.get(models.Centre, patient.centre_id)
    phone = centre.contact_phone if centre else None
    emergency = centre.emergency_number if centre else None
    text = _(STOP_NOW) + (" " + _(CALL_CLINIC).format(phone=phone) if phone else "")
    return {
        "stop_now": True,
        "emergency_number": emergency,
        "emergency_message": symptom_advice.emergency_text(emergency, lang),
        "message": text,
        "clinic_phone": phone,
    }


@endpoint(
    router,
    "POST",
    "/patients/{patient_id}/sessions",
    roles=CLINICAL,
    scope="patient",
    body_schema=dict(session_log_schema()),
    status_code=201,
)
async def log_session(request: Request, patient_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        logged = session_logs.record(session, actor, patient_id, body, today=deps.today())
        session.flush()
        answers = logged.answers
        doc: dict[str, Any] = {
            "session": session_view(logged.row),
            "alerts": [alert_view(a) for a in logged.alerts],
            "advice": symptom_advice.answer_words(answers, actor.lang),
            "stop_now": any(a.stop_now for a in answers),
        }
        if any(a.emergency for a in answers):
            doc |= _stop_message(session, access.patient(session, actor, patient_id), actor.lang)
        return 201, doc, {"Location": f"/api/v1/patients/{patient_id}/sessions"}

    return await writes.run(request, actor, work)


@endpoint(
    router,
    "POST",
    "/sessions/{session_id}/undo",
    roles=CLINICAL,
    scope="patient",
    summary="Undo a logged session (whoever logged it, or a clinician of the centre, within "
    f"{undo.UNDO_WINDOW_MIN} minutes): kept, marked undone, counted nowhere",
)
async def undo_session(request: Request, session_id: str) -> JSONResponse:
    actor = deps.authenticate(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        row = session_logs.undo_session(session, actor, session_id, now=models.utcnow())
        session.flush()
        return 200, {"session": session_view(row)}, {}

    return await writes.run(request, actor, work)


@endpoint(router, "GET", "/patients/{patient_id}/sessions", roles=CLINICAL, scope="patient")
def list_sessions(request: Request, patient_id: str) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        access.patient(session, actor, patient_id)
        rows = session.scalars(
            select(models.SessionLog)
            .where(models.SessionLog.patient_id == patient_id)
            .order_by(models.SessionLog.date.desc(), models.SessionLog.created_at.desc())
        )
        return {"sessions": [session_view(r) for r in rows]}


@endpoint(router, "GET", "/patients/{patient_id}/alerts", roles=CLINICAL, scope="patient")
def patient_alerts(request: Request, patient_id: str) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        return {
            "alerts": [alert_view(a) for a in alerts_service.alerts_for(session, actor, patient_id)]
        }


@endpoint(router, "GET", "/alerts", roles=("clinician",), scope="centre")
def centre_inbox(
    request: Request,
    status: str | None = Query(None, pattern="^(open|acknowledged|resolved)$"),
    severity: str | None = Query(None, pattern="^(info|warning|urgent)$"),
) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        rows = alerts_service.inbox(session, actor, status=status, severity=severity)
        return {"alerts": [alert_view(a) for a in rows]}


@endpoint(router, "POST", "/alerts/{alert_id}/acknowledge", roles=("clinician",), scope="patient")
async def acknowledge(request: Request, alert_id: str) -> JSONResponse:
    actor = deps.authenticate(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        return 200, alert_view(alerts_service.acknowledge(session, actor, alert_id)), {}

    return await writes.run(request, actor, work)


RESOLVE_SCHEMA = {
    "type": "object",
    "required": ["note"],
    "additionalProperties": False,
    "properties": {"note": {"type": "string", "minLength": 1, "maxLength": audit.REASON_MAX}},
}


def _note(body: Any) -> Any:
    if not isinstance(body, dict):
        raise InvalidInput([FieldError("(body)", "wrong_type", {"expected": "object"})])
    return body.get("note")


@endpoint(
    router,
    "POST",
    "/alerts/{alert_id}/resolve",
    roles=("clinician",),
    scope="patient",
    body_schema=RESOLVE_SCHEMA,
)
async def resolve(request: Request, alert_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        return 200, alert_view(alerts_service.resolve(session, actor, alert_id, _note(body))), {}

    return await writes.run(request, actor, work)


@endpoint(router, "GET", "/patients/{patient_id}/proposals", roles=("clinician",), scope="patient")
def list_proposals(request: Request, patient_id: str) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        rows = [
            r
            for r in prescriptions.for_patient(session, actor, patient_id)
            if r.status == prescriptions.DRAFT and r.origin.startswith("proposal:")
        ]
        return {"proposals": [views.prescription(r, actor.lang) for r in rows]}


@endpoint(
    router,
    "POST",
    "/prescriptions/{prescription_id}/reject",
    roles=("clinician",),
    scope="prescription",
    body_schema=RESOLVE_SCHEMA,
)
async def reject(request: Request, prescription_id: str) -> JSONResponse:
    actor = deps.authenticate(request)
    body = await deps.json_body(request)

    def work(session: Session) -> tuple[int, dict[str, Any], dict[str, str]]:
        row = prescriptions.reject(session, actor, prescription_id, note=_note(body))
        return 200, views.prescription(row, actor.lang), {"ETag": deps.etag(row.version)}

    return await writes.run(request, actor, work)


@endpoint(router, "GET", "/patients/{patient_id}/summary", roles=CLINICAL, scope="patient")
def weekly_summary(
    request: Request, patient_id: str, weeks: int = Query(8, ge=1, le=52)
) -> dict[str, Any]:
    actor = deps.authenticate(request)
    with deps.read(request) as session:
        return home_weeks.weekly_summary(
            session, actor, patient_id, today=deps.today(), weeks=weeks
        )
