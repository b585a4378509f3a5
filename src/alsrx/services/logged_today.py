"""What was logged today, per component, for the Today page's cards: how many sessions, when the
last one was, how many the week's schedule plans today, and the log an Undo button takes back
(the newest this user may still undo, domain/followup/undo.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup import adherence, undo
from alsrx.domain.followup import today as today_mod
from alsrx.domain.followup.model import Completion
from alsrx.services import access, prescriptions
from alsrx.services.actor import Actor

_LOGS = models.table(models.SessionLog)
_TODAY = (
    select(_LOGS.c.id, _LOGS.c.component, _LOGS.c.completed, _LOGS.c.created_at, _LOGS.c.entered_by)
    .where(
        _LOGS.c.patient_id == bindparam("patient_id"),
        _LOGS.c.date == bindparam("day"),
        _LOGS.c.undone_at.is_(None),
    )
    .order_by(_LOGS.c.created_at)
)


def status(
    session: Session, patient_id: str, today: dt.date, *, actor: Actor, now: dt.datetime
) -> dict[str, dict[str, Any]]:
    """{component: {"done_today", "planned_today", "last_at", "undo_log_id",
    "undo_window_min"}} for the components with a session (not a skip) logged today."""
    access.require_patient(session, actor, patient_id)
    planned = times_today(session, patient_id, today)
    rows = session.connection().execute(_TODAY, {"patient_id": patient_id, "day": today})
    out: dict[str, dict[str, Any]] = {}
    for log_id, kind, completed, created_at, entered_by in rows:
        if Completion(completed) not in adherence.EXERCISED:
            continue
        at = created_at if created_at.tzinfo else created_at.replace(tzinfo=dt.UTC)
        found = out.setdefault(
            kind,
            {
                "done_today": 0,
                "planned_today": planned.get(kind, 0),
                "undo_log_id": None,
                "undo_window_min": undo.UNDO_WINDOW_MIN,
            },
        )
        found["done_today"] += 1
        found["last_at"] = at
        allowed = undo.may_undo(logged_by=entered_by, actor_id=actor.user_id, actor_role=actor.role)
        if allowed and undo.within_window(at, now):
            found["undo_log_id"] = log_id
    return out


def times_today(session: Session, patient_id: str, today: dt.date) -> dict[str, int]:
    """Sessions of each component the active plan's weekly schedule has on `today`, read by
    the Today page's one owner of the schedule (domain/followup/today.for_day)."""
    row = prescriptions.active_snapshot(session, patient_id)
    if row is None:
        return {}
    started = row.starts_on or (row.approved_at or row.created_at).date()
    planned = today_mod.for_day(row.content, started_on=started, day=today).planned
    return {p.component: p.times for p in planned}
