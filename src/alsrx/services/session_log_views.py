"""The session logs as a clinician reads them: one patient's every logged session, newest first,
a page at a time, filtered by component and outcome, with who entered each and the alerts it
raised. Read only; undone logs are listed (marked), since the clinic should see what was entered
and taken back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain.followup.model import RED_FLAGS, Completion
from alsrx.services import access
from alsrx.services.actor import Actor

OUTCOMES = (*(c.value for c in Completion), "undone")


@dataclass(frozen=True)
class Entry:
    log: models.SessionLog
    entered_by: str  # the account's name
    undone_by: str | None
    alerts: Sequence[models.Alert]


@dataclass(frozen=True)
class LogPage:
    entries: list[Entry]
    total: int
    page: int
    pages: int
    components: list[str]  # the components this patient has logged, for the filter


def _filtered(
    patient_id: str, component: str, outcome: str, red_flags: bool
) -> Select[models.SessionLog]:
    log = models.SessionLog
    query = select(log).where(log.patient_id == patient_id)
    if component:
        query = query.where(log.component == component)
    if outcome == "undone":
        query = query.where(log.undone_at.is_not(None))
    elif outcome:
        query = query.where(log.completed == outcome, log.undone_at.is_(None))
    if red_flags:  # symptoms are a JSON list: its text names each code in quotes
        text = cast(log.symptoms, String)
        query = query.where(or_(*(text.like(f'%"{code}"%') for code in RED_FLAGS)))
    return query


def page(
    session: Session,
    actor: Actor,
    patient_id: str,
    *,
    component: str = "",
    outcome: str = "",
    red_flags: bool = False,
    number: int = 1,
    per_page: int = 50,
) -> LogPage:
    """One page of a patient's logs (NotFound for a patient outside the actor's reach)."""
    access.patient(session, actor, patient_id)
    log = models.SessionLog
    outcome = outcome if outcome in OUTCOMES else ""
    query = _filtered(patient_id, component, outcome, red_flags)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    rows = list(
        session.scalars(
            query.order_by(log.date.desc(), log.created_at.desc(), log.id)
            .offset((number - 1) * per_page)
            .limit(per_page)
        )
    )
    return LogPage(
        [*_entries(session, rows)], total, number, pages, _components(session, patient_id)
    )


def _entries(session: Session, rows: list[models.SessionLog]) -> list[Entry]:
    ids = {r.entered_by for r in rows} | {r.undone_by for r in rows if r.undone_by}
    names: dict[int, str] = dict(
        session.execute(
            select(models.User.id, models.User.username).where(models.User.id.in_(ids))
        ).all()
    )
    raised: dict[str, list[models.Alert]] = {}
    if rows:
        found = session.scalars(
            select(models.Alert)
            .where(
                models.Alert.source == "session",
                models.Alert.source_id.in_([r.id for r in rows]),
            )
            .order_by(models.Alert.created_at)
        )
        for alert in found:
            raised.setdefault(alert.source_id or "", []).append(alert)
    return [
        Entry(
            r,
            names.get(r.entered_by, ""),
            names.get(r.undone_by) if r.undone_by else None,
            raised.get(r.id, []),
        )
        for r in rows
    ]


def _components(session: Session, patient_id: str) -> list[str]:
    log = models.SessionLog
    found = session.scalars(select(log.component).where(log.patient_id == patient_id).distinct())
    return sorted(found)
