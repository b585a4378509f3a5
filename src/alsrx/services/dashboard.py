"""The centre dashboard: one row per patient, from a handful of grouped queries.

Fast with thousands of patients: derived values are read from columns (not JSON), alerts and
recent sessions are counted in the database, and sorting, filtering and paging happen on
compact rows. The rules are the domain's: adherence is `adherence.from_totals` over the
judged weeks of FollowupSettings' window, and a reassessment is due after the active
prescription's `review_after_weeks` (domain/reassessment.py); tests/integration/
test_prescription_owners.py checks the counts agree with the follow-up service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import reassessment
from alsrx.domain.followup import adherence
from alsrx.domain.followup.params import FollowupSettings
from alsrx.services import access
from alsrx.services.actor import Actor

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


def rows(
    session: Session, actor: Actor, *, today: dt.date, s: FollowupSettings = FollowupSettings()
) -> list[Row]:
    access.require_role(actor, "clinician")
    patients = session.execute(
        select(models.Patient.id, models.Patient.code).where(
            models.Patient.centre_id.in_(actor.centre_ids)
        )
    ).all()
    ids = [p.id for p in patients]
    latest = _latest(session, actor)
    alerts = _alerts(session, actor)
    plans = _plans(session, actor)
    done = _credited(session, actor, today, s)
    out = []
    for pid, code in patients:
        a = latest.get(pid)
        plan = plans.get(pid)
        state = reassessment.due(
            a.date if a else None,
            today=today,
            every_weeks=plan.every_weeks if plan else reassessment.EVERY_WEEKS,
        )
        counts = alerts.get(pid, {})
        out.append(
            Row(
                pid,
                code,
                counts.get("urgent", 0),
                counts.get("warning", 0),
                counts.get("info", 0),
                _adherence(plan, done.get(pid, 0.0), today, s),
                a.date if a else None,
                state.due,
                state.overdue,
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


@dataclass(frozen=True)
class _Plan:
    planned_per_week: int | None
    starts_on: dt.date | None
    every_weeks: int


def _plans(session: Session, actor: Actor) -> dict[str, _Plan]:
    """Each patient's active plan: the columns adherence counts against, and its reassessment
    interval (one JSON field, not the whole document)."""
    interval = models.Prescription.content["review_after_weeks"].as_integer()
    found = session.execute(
        select(
            models.Prescription.patient_id,
            models.Prescription.planned_per_week,
            models.Prescription.starts_on,
            interval,
        )
        .join(models.Patient, models.Patient.id == models.Prescription.patient_id)
        .where(
            models.Patient.centre_id.in_(actor.centre_ids), models.Prescription.status == "active"
        )
    ).all()
    return {
        pid: _Plan(planned, starts, weeks or reassessment.EVERY_WEEKS)
        for pid, planned, starts, weeks in found
    }


def _credited(
    session: Session, actor: Actor, today: dt.date, s: FollowupSettings
) -> dict[str, float]:
    """Credited sessions of each active plan in the window's complete weeks (the credit of a
    done, partial or skipped session is the domain's)."""
    this_week = adherence.week_start(today)
    credit = case(
        *((models.SessionLog.completed == c.value, v) for c, v in adherence.CREDIT.items()),
        else_=0.0,
    )
    found = session.execute(
        select(models.SessionLog.patient_id, func.sum(credit))
        .join(models.Prescription, models.Prescription.id == models.SessionLog.prescription_id)
        .join(models.Patient, models.Patient.id == models.SessionLog.patient_id)
        .where(
            models.Patient.centre_id.in_(actor.centre_ids),
            models.Prescription.status == "active",
            models.SessionLog.date >= this_week - dt.timedelta(weeks=s.adherence_window_weeks),
            models.SessionLog.date < this_week,
        )
        .group_by(models.SessionLog.patient_id)
    ).all()
    return {p: float(n or 0.0) for p, n in found}


def _adherence(
    plan: _Plan | None, credited: float, today: dt.date, s: FollowupSettings
) -> float | None:
    if plan is None or not plan.planned_per_week or plan.starts_on is None:
        return None
    weeks = adherence.judged_mondays(plan.starts_on, today, s.adherence_window_weeks)
    return adherence.from_totals(
        credited_sessions=credited, planned_per_week=plan.planned_per_week, judged_weeks=len(weeks)
    )


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
