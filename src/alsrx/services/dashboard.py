"""The centre dashboard: one row per patient, from a handful of grouped queries.

Fast with thousands of patients: derived values are read from columns (not JSON), alerts and
recent sessions are counted in the database, and sorting, filtering and paging happen on
compact rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.services import access
from alsrx.services.actor import Actor

REASSESS_AFTER_DAYS = 91  # rec-reassess-3-months
SORTS = ("code", "alerts", "adherence", "last_assessment", "kings", "mitos", "category", "total")
CATEGORY_ORDER = {"fast": 0, "intermediate": 1, "slow": 2, None: 3}


@dataclass(frozen=True)
class Row:
    id: str
    code: str
    urgent: int
    warning: int
    info: int
    adherence: float | None
    last_assessment: dt.date | None
    due: bool
    overdue: bool
    kings: str | None
    mitos: int | None
    category: str | None
    total: int | None


def rows(session: Session, actor: Actor, *, today: dt.date) -> list[Row]:
    access.require_role(actor, "clinician")
    patients = session.execute(
        select(models.Patient.id, models.Patient.code).where(
            models.Patient.centre_id.in_(actor.centre_ids)
        )
    ).all()
    ids = [p.id for p in patients]
    latest = _latest(session, actor)
    alerts = _alerts(session, actor)
    done, planned = _adherence(session, actor, today)
    out = []
    for pid, code in patients:
        a = latest.get(pid)
        last = a.date if a else None
        days = (today - last).days if last else None
        per_week = planned.get(pid)
        adherence = min(1.0, done.get(pid, 0.0) / (4 * per_week)) if per_week else None
        counts = alerts.get(pid, {})
        out.append(
            Row(
                pid,
                code,
                counts.get("urgent", 0),
                counts.get("warning", 0),
                counts.get("info", 0),
                adherence,
                last,
                days is None or days >= REASSESS_AFTER_DAYS,
                days is not None and days >= REASSESS_AFTER_DAYS + 28,
                a.kings_stage if a else None,
                a.mitos_stage if a else None,
                a.progression_category if a else None,
                a.total if a else None,
            )
        )
    assert len(out) == len(ids)
    return out


def _latest(session: Session, actor: Actor) -> dict[str, Any]:
    newest = (
        select(models.Assessment.patient_id, func.max(models.Assessment.date).label("d"))
        .join(models.Patient, models.Patient.id == models.Assessment.patient_id)
        .where(
            models.Patient.centre_id.in_(actor.centre_ids), models.Assessment.is_current.is_(True)
        )
        .group_by(models.Assessment.patient_id)
        .subquery()
    )
    found = session.execute(
        select(
            models.Assessment.patient_id,
            models.Assessment.date,
            models.Assessment.total,
            models.Assessment.kings_stage,
            models.Assessment.mitos_stage,
            models.Assessment.progression_category,
        )
        .join(
            newest,
            (newest.c.patient_id == models.Assessment.patient_id)
            & (newest.c.d == models.Assessment.date),
        )
        .where(models.Assessment.is_current.is_(True))
    ).all()
    return {r.patient_id: r for r in found}


def _alerts(session: Session, actor: Actor) -> dict[str, dict[str, int]]:
    found = session.execute(
        select(models.Alert.patient_id, models.Alert.severity, func.count())
        .join(models.Patient, models.Patient.id == models.Alert.patient_id)
        .where(models.Patient.centre_id.in_(actor.centre_ids), models.Alert.status != "resolved")
        .group_by(models.Alert.patient_id, models.Alert.severity)
    ).all()
    out: dict[str, dict[str, int]] = {}
    for pid, severity, n in found:
        out.setdefault(pid, {})[severity] = n
    return out


def _adherence(
    session: Session, actor: Actor, today: dt.date
) -> tuple[dict[str, float], dict[str, int]]:
    since = today - dt.timedelta(days=28)
    done = session.execute(
        select(models.SessionLog.patient_id, func.count())
        .join(models.Patient, models.Patient.id == models.SessionLog.patient_id)
        .where(
            models.Patient.centre_id.in_(actor.centre_ids),
            models.SessionLog.date >= since,
            models.SessionLog.completed != "skipped",
        )
        .group_by(models.SessionLog.patient_id)
    ).all()
    planned = session.execute(
        select(models.Prescription.patient_id, models.Prescription.planned_per_week)
        .join(models.Patient, models.Patient.id == models.Prescription.patient_id)
        .where(
            models.Patient.centre_id.in_(actor.centre_ids), models.Prescription.status == "active"
        )
    ).all()
    return {p: float(n) for p, n in done}, {p: n for p, n in planned if n}


def _key(sort: str):  # type: ignore[no-untyped-def]
    keys = {
        "code": lambda r: r.code,
        "alerts": lambda r: (-r.urgent, -r.warning, -r.info, r.code),
        "adherence": lambda r: (r.adherence is None, r.adherence or 0.0, r.code),
        "last_assessment": lambda r: (r.last_assessment or dt.date.min, r.code),
        "kings": lambda r: (r.kings or "", r.code),
        "mitos": lambda r: (r.mitos if r.mitos is not None else -1, r.code),
        "category": lambda r: (CATEGORY_ORDER.get(r.category, 3), r.code),
        "total": lambda r: (r.total if r.total is not None else 99, r.code),
    }
    return keys[sort]


def view(
    all_rows: list[Row],
    *,
    sort: str,
    descending: bool,
    filters: dict[str, str],
    page: int,
    per_page: int,
) -> tuple[list[Row], int]:
    chosen = all_rows
    if filters.get("alerts") == "urgent":
        chosen = [r for r in chosen if r.urgent]
    elif filters.get("alerts") == "any":
        chosen = [r for r in chosen if r.urgent or r.warning or r.info]
    if filters.get("due") == "1":
        chosen = [r for r in chosen if r.due]
    if filters.get("category") in ("slow", "intermediate", "fast"):
        chosen = [r for r in chosen if r.category == filters["category"]]
    if filters.get("q"):
        chosen = [r for r in chosen if filters["q"].lower() in r.code.lower()]
    chosen = sorted(chosen, key=_key(sort if sort in SORTS else "alerts"), reverse=descending)
    start = (page - 1) * per_page
    return chosen[start : start + per_page], len(chosen)
