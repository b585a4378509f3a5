"""The centre dashboard: one row per patient, from a handful of grouped queries.

Fast with thousands of patients: derived values are read from columns (not JSON), alerts and
recent sessions are counted in the database, the reads run as Core statements on the
connection (the ORM's row loading cost more than the queries), and sorting, filtering and
paging happen on compact rows. The rules are the domain's: adherence is `adherence.value`
of the stored week tallies (session_weeks) over the judged weeks of FollowupSettings' window,
as the follow-up service computes it, and a reassessment is due after the active prescription's
`review_after_weeks` (domain/reassessment.py); tests/integration/test_prescription_owners.py
checks both agree with the follow-up service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import reassessment
from alsrx.domain.followup import adherence
from alsrx.domain.followup.params import FollowupSettings
from alsrx.services import access, session_weeks
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
    patients = (
        session.connection()
        .execute(
            select(models.Patient.id, models.Patient.code).where(
                models.Patient.centre_id.in_(actor.centre_ids)
            )
        )
        .all()
    )
    ids = [p.id for p in patients]
    latest = _latest(session, actor)
    alerts = _alerts(session, actor)
    plans = _plans(session, actor)
    this_week = adherence.week_start(today)
    weeks = session_weeks.for_centres(
        session,
        actor.centre_ids,
        since=this_week - dt.timedelta(weeks=s.adherence_window_weeks),
        until=this_week - dt.timedelta(weeks=1),
    )
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
                _adherence(plan, weeks.get(pid, []), today, s),
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
    found = (
        session.connection()
        .execute(
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
        )
        .all()
    )
    return {r.patient_id: r for r in found}


def _alerts(session: Session, actor: Actor) -> dict[str, dict[str, int]]:
    found = (
        session.connection()
        .execute(
            select(models.Alert.patient_id, models.Alert.severity, func.count())
            .join(models.Patient, models.Patient.id == models.Alert.patient_id)
            .where(
                models.Patient.centre_id.in_(actor.centre_ids), models.Alert.status != "resolved"
            )
            .group_by(models.Alert.patient_id, models.Alert.severity)
        )
        .all()
    )
    out: dict[str, dict[str, int]] = {}
    for pid, severity, n in found:
        out.setdefault(pid, {})[severity] = n
    return out


@dataclass(frozen=True)
class _Plan:
    span: adherence.Span | None  # None: approved before its weekly plan was stored
    every_weeks: int


def _plans(session: Session, actor: Actor) -> dict[str, _Plan]:
    """Each patient's active plan: its week-by-week planned sessions, and its reassessment
    interval (small JSON fields, not the whole document)."""
    interval = models.Prescription.content["review_after_weeks"].as_integer()
    found = (
        session.connection()
        .execute(
            select(
                models.Prescription.patient_id,
                models.Prescription.id,
                models.Prescription.starts_on,
                models.Prescription.planned_weeks,
                interval,
            )
            .join(models.Patient, models.Patient.id == models.Prescription.patient_id)
            .where(
                models.Patient.centre_id.in_(actor.centre_ids),
                models.Prescription.status == "active",
            )
        )
        .all()
    )
    return {
        pid: _Plan(
            adherence.Span(rx, starts, planned) if starts and planned else None,
            weeks or reassessment.EVERY_WEEKS,
        )
        for pid, rx, starts, planned, weeks in found
    }


def _adherence(
    plan: _Plan | None, stored: list[adherence.Tally], today: dt.date, s: FollowupSettings
) -> float | None:
    if plan is None or plan.span is None:
        return None
    judged = adherence.judged_mondays(plan.span.starts_on, today, s.adherence_window_weeks)
    return adherence.value_of_weeks([plan.span], stored, judged)


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
