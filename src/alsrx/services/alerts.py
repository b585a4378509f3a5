"""Alerts: raised from signals (de-duplicated while open), read by patient and centre inbox,
acknowledged and resolved by clinicians (both audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup.model import Severity, Signal
from alsrx.services import access, audit
from alsrx.services.actor import Actor

ALWAYS_NEW = ("red_flag",)  # every red flag is its own alert; others are not repeated while open
RECENT_DAYS = 14


def raise_alerts(
    session: Session,
    actor: Actor | None,
    patient_id: str,
    found: list[Signal],
    *,
    source: str,
    source_id: str | None,
    today: dt.date,
) -> list[models.Alert]:
    if not found:
        return []
    open_codes = set(
        session.scalars(
            select(models.Alert.code).where(
                models.Alert.patient_id == patient_id, models.Alert.status != "resolved"
            )
        )
    )
    made = []
    for sig in found:
        if sig.code in open_codes and sig.code not in ALWAYS_NEW:
            continue
        alert = models.Alert(
            id=models.new_id(),
            patient_id=patient_id,
            code=sig.code,
            severity=sig.severity.value,
            evidence=list(sig.evidence),
            data=_plain(dict(sig.data)),
            source=source,
            source_id=source_id,
            raised_on=today,
        )
        session.add(alert)
        open_codes.add(sig.code)
        made.append(alert)
        audit.append(
            session,
            actor,
            action="create",
            entity="alert",
            entity_id=alert.id,
            new={"code": sig.code, "severity": sig.severity.value},
        )
    return made


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


_ALERTS = models.table(models.Alert)
_RECENT = select(_ALERTS.c.code, _ALERTS.c.severity, _ALERTS.c.evidence, _ALERTS.c.data).where(
    _ALERTS.c.patient_id == bindparam("patient_id"),
    _ALERTS.c.status != "resolved",
    _ALERTS.c.raised_on >= bindparam("since"),
)


def recent_signals(session: Session, patient_id: str, today: dt.date) -> list[Signal]:
    """Open alerts of the last RECENT_DAYS as signals (read on every logged session)."""
    since = today - dt.timedelta(days=RECENT_DAYS)
    session.flush()  # a Core read: alerts raised earlier in this transaction must be in it
    rows = session.connection().execute(_RECENT, {"patient_id": patient_id, "since": since})
    return [Signal(r.code, Severity(r.severity), tuple(r.evidence), r.data) for r in rows]


def alerts_for(session: Session, actor: Actor, patient_id: str) -> list[models.Alert]:
    access.patient(session, actor, patient_id)
    return list(
        session.scalars(
            select(models.Alert)
            .where(models.Alert.patient_id == patient_id)
            .order_by(models.Alert.created_at.desc())
        )
    )


SEVERITY_ORDER = {"urgent": 0, "warning": 1, "info": 2}


def inbox(
    session: Session, actor: Actor, *, status: str | None = None, severity: str | None = None
) -> list[models.Alert]:
    access.require_role(actor, "clinician")
    query = (
        select(models.Alert)
        .join(models.Patient, models.Patient.id == models.Alert.patient_id)
        .where(models.Patient.centre_id.in_(actor.centre_ids))
    )
    if status:
        query = query.where(models.Alert.status == status)
    if severity:
        query = query.where(models.Alert.severity == severity)
    rows = list(session.scalars(query.order_by(models.Alert.created_at.desc())))
    return sorted(rows, key=lambda a: SEVERITY_ORDER.get(a.severity, 9))


def _alert(session: Session, actor: Actor, alert_id: str) -> models.Alert:
    from alsrx.errors import NotFound

    row = session.get(models.Alert, alert_id)
    if row is None:
        raise NotFound("alert")
    access.patient(session, actor, row.patient_id)
    access.require_role(actor, "clinician")
    return row


def acknowledge(session: Session, actor: Actor, alert_id: str) -> models.Alert:
    row = _alert(session, actor, alert_id)
    if row.status == "open":
        row.status, row.acknowledged_by, row.acknowledged_at = (
            "acknowledged",
            actor.user_id,
            models.utcnow(),
        )
        audit.append(
            session,
            actor,
            action="acknowledge",
            entity="alert",
            entity_id=row.id,
            old={"status": "open"},
            new={"status": "acknowledged"},
        )
    return row


def resolve(session: Session, actor: Actor, alert_id: str, note: object) -> models.Alert:
    row = _alert(session, actor, alert_id)
    note = audit.reason(note, path="note", required=True)
    old = row.status
    row.status, row.resolved_by, row.resolved_at, row.resolution_note = (
        "resolved",
        actor.user_id,
        models.utcnow(),
        note,
    )
    audit.append(
        session,
        actor,
        action="resolve",
        entity="alert",
        entity_id=row.id,
        old={"status": old},
        new={"status": "resolved"},
        reason=note,
    )
    return row
