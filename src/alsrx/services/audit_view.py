"""The audit trail as an administrator searches it: filtered, newest first, paged, with the
names the events' ids stand for (usernames, centre names, patient codes: never clinical
data), and the chain's verification on demand (audit_verify.verify reads every event, too slow
to run on each page view of a large trail)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.services import access, audit_verify
from alsrx.services.actor import Actor

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    username: str = ""
    entity: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class EventPage:
    events: tuple[Any, ...]  # rows of audit_events with the actor's username
    total: int
    page: int
    pages: int
    users: dict[int, str]
    centres: dict[int, str]
    patients: dict[str, str]


_EVENTS = models.table(models.AuditEvent)
_USERS = models.table(models.User)


def _filtered(session: Session, filters: Filters) -> Select[Any] | None:
    query = select(_EVENTS, _USERS.c.username).outerjoin(_USERS, _USERS.c.id == _EVENTS.c.actor_id)
    if filters.username:
        found = session.scalar(select(_USERS.c.id).where(_USERS.c.username == filters.username))
        if found is None:
            return None
        query = query.where(_EVENTS.c.actor_id == found)
    if filters.entity:
        query = query.where(_EVENTS.c.entity == filters.entity)
    if filters.action:
        query = query.where(_EVENTS.c.action == filters.action)
    # `at` is UTC ISO 8601 text of one form, so text order is time order.
    if filters.date_from:
        query = query.where(_EVENTS.c.at >= filters.date_from.isoformat())
    if filters.date_to:
        query = query.where(_EVENTS.c.at < (filters.date_to + dt.timedelta(days=1)).isoformat())
    return query


def search(session: Session, actor: Actor, filters: Filters, *, page: int = 1) -> EventPage:
    access.require_role(actor, "admin")
    query = _filtered(session, filters)
    if query is None:
        return EventPage((), 0, 1, 1, {}, {}, {})
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = tuple(
        session.execute(
            query.order_by(_EVENTS.c.seq.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
        )
    )
    users, centres, patients = _names(session, rows)
    return EventPage(rows, total, page, pages, users, centres, patients)


def _names(
    session: Session, rows: tuple[Any, ...]
) -> tuple[dict[int, str], dict[int, str], dict[str, str]]:
    user_ids: set[int] = set()
    patient_ids: set[str] = set()
    for row in rows:
        for values in (row.old or {}, row.new or {}):
            if isinstance(values.get("caregiver_id"), int):
                user_ids.add(values["caregiver_id"])
            for key in ("patient_id", "linked_patients"):
                found = values.get(key)
                patient_ids.update(
                    str(p) for p in (found if isinstance(found, list) else [found]) if p
                )
        if row.entity == "user" and row.entity_id and row.entity_id.isdigit():
            user_ids.add(int(row.entity_id))
        if row.entity == "patient" and row.entity_id:
            patient_ids.add(row.entity_id)
    users = _pairs(
        session.execute(
            select(_USERS.c.id, _USERS.c.username).where(_USERS.c.id.in_(user_ids))
        ).all()
    )
    centres = _pairs(session.execute(select(models.Centre.id, models.Centre.name)).all())
    patients = _pairs(
        session.execute(
            select(models.Patient.id, models.Patient.code).where(models.Patient.id.in_(patient_ids))
        ).all()
    )
    return users, centres, patients


def _pairs(rows: Any) -> dict[Any, Any]:
    return {key: value for key, value in rows}  # noqa: C416 - dict(result) reads it as a mapping


def choices(session: Session, actor: Actor) -> tuple[list[str], list[str]]:
    """The entities and actions the trail holds, for the filters' lists."""
    access.require_role(actor, "admin")
    entities = list(session.scalars(select(_EVENTS.c.entity).distinct().order_by(_EVENTS.c.entity)))
    actions = list(session.scalars(select(_EVENTS.c.action).distinct().order_by(_EVENTS.c.action)))
    return entities, actions


def verify(session: Session, actor: Actor) -> audit_verify.Verdict:
    """The whole chain checked now (every event's MAC and order, and the head)."""
    access.require_role(actor, "admin")
    return audit_verify.verify(session)
