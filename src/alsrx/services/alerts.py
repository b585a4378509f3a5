"""Alerts: raised from signals (de-duplicated while open), read by patient and centre inbox,
acknowledged and resolved by clinicians (both audited), and closed by the system when their
cause has gone (domain/followup/closing.py says which and why; audited with no actor)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import closing
from alsrx.domain.followup.model import Completion, Severity, Signal
from alsrx.domain.followup.params import FollowupSettings
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


_OPEN = select(_ALERTS.c.id, _ALERTS.c.code, _ALERTS.c.severity, _ALERTS.c.source_id).where(
    _ALERTS.c.patient_id == bindparam("patient_id"), _ALERTS.c.status != "resolved"
)


def open_alerts(session: Session, patient_id: str) -> list[Any]:
    """The patient's alerts not yet resolved, as rows (id, code, severity, source_id): read
    on every logged session, so a prebuilt Core statement."""
    session.flush()  # a Core read: alerts raised earlier in this transaction must be in it
    return list(session.connection().execute(_OPEN, {"patient_id": patient_id}))


def close(
    session: Session,
    patient_id: str,
    *,
    closes: dict[str, closing.Reason],
    rows: list[Any] | None = None,
) -> list[models.Alert]:
    """Resolve, as the system, the open alerts whose code `closes` names, each with its reason
    (audited: action `resolve`, no actor, the reason code in the event's reason and new value).
    `rows` limits it to those open alerts (e.g. the ones raised from one assessment)."""
    if not closes:
        return []
    targets = rows if rows is not None else open_alerts(session, patient_id)
    closed = []
    for found in targets:
        reason = closes.get(found.code)
        if reason is None:
            continue
        row = session.get(models.Alert, found.id)
        assert row is not None
        old, note = row.status, closing.note(reason)
        row.status, row.resolved_by, row.resolved_at, row.resolution_note = (
            "resolved",
            None,
            models.utcnow(),
            note,
        )
        audit.append(
            session,
            None,
            action="resolve",
            entity="alert",
            entity_id=row.id,
            old={"status": old},
            new={"status": "resolved", "by": "system", "reason": reason.value},
            reason=note,
        )
        closed.append(row)
    return closed


def after_session(
    session: Session, patient_id: str, *, completed: Completion | str
) -> list[models.Alert]:
    """A logged session that was not skipped closes the streak and silence alerts."""
    if Completion(completed) is Completion.SKIPPED:
        return []
    rows = open_alerts(session, patient_id)
    closes = closing.after_session([r.code for r in rows], completed)
    return close(session, patient_id, closes=closes, rows=rows)


def close_after_assessment(
    session: Session,
    patient_id: str,
    *,
    replaced: set[str],
    found: list[Signal],
    due: list[Signal],
) -> None:
    """After a visit is recorded or corrected: the alerts raised from the versions it replaced
    that its values (`found`) no longer raise, and the reassessment reminders the reassessment
    rule (`due`, from the newest visit) no longer finds."""
    rows = open_alerts(session, patient_id)
    from_old = [r for r in rows if r.source_id in replaced]
    stale = closing.after_correction([(r.code, r.severity) for r in from_old], found)
    close(session, patient_id, closes=stale, rows=from_old)
    others = [r for r in rows if r.source_id not in replaced]
    answered = closing.after_assessment([r.code for r in others], due)
    close(session, patient_id, closes=answered, rows=others)


def close_after_scan(
    session: Session,
    patient_id: str,
    found: list[Signal],
    *,
    plan_active: bool,
    adherence: float | None,
    s: FollowupSettings,
) -> None:
    """Before the scan raises: the scan's alerts it no longer finds (closing.after_scan)."""
    rows = open_alerts(session, patient_id)
    closes = closing.after_scan(
        [r.code for r in rows],
        found,
        plan_active=plan_active,
        adherence=adherence,
        threshold=s.adherence_threshold,
    )
    close(session, patient_id, closes=closes, rows=rows)


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
    """Every alert of the actor's centres (the API's unpaged list), most severe first."""
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
