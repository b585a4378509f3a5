"""The centre's alerts inbox: one page at a time, filtered and sorted in SQL, and bulk
acknowledgement (all or nothing, each alert audited on its own)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import FieldError, InvalidInput
from alsrx.services import access, alerts
from alsrx.services.actor import Actor

STATUSES = ("open", "acknowledged", "resolved")
# The inbox's views: what a clinician works through (not yet resolved), each status, or all.
VIEWS = {
    "unresolved": ("open", "acknowledged"),
    "open": ("open",),
    "acknowledged": ("acknowledged",),
    "resolved": ("resolved",),
    "all": STATUSES,
}
SORTS = ("severity", "newest", "oldest", "patient")
PER_PAGE = 25  # a screen's worth, and what the benchmark measures
BULK_MAX = 200


@dataclass(frozen=True)
class InboxQuery:
    """One page of the inbox: which alerts (view, severity, type, patient code) and in what
    order. Values are checked by `check_query`, naming the parameter and what it allows."""

    view: str = "unresolved"
    severity: str = ""
    code: str = ""
    patient: str = ""  # a patient code, exact (codes are short and centre-unique)
    sort: str = "severity"
    page: int = 1
    per_page: int = PER_PAGE


@dataclass(frozen=True)
class InboxRow:
    alert: models.Alert
    patient_code: str
    entered_as: str | None  # who logged the session that raised it: patient, caregiver...
    logged_on: dt.date | None


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int]  # unresolved alerts by severity, whatever the filters


def check_query(query: InboxQuery, codes: Collection[str]) -> InboxQuery:
    """The query if every value is allowed, else InvalidInput naming each bad parameter."""
    bad = []
    if query.view not in VIEWS:
        bad.append(FieldError("view", "not_allowed", {"allowed": tuple(VIEWS)}))
    if query.severity and query.severity not in alerts.SEVERITY_ORDER:
        bad.append(FieldError("severity", "not_allowed", {"allowed": tuple(alerts.SEVERITY_ORDER)}))
    if query.code and query.code not in codes:
        bad.append(FieldError("code", "not_allowed", {"allowed": tuple(sorted(codes))}))
    if query.sort not in SORTS:
        bad.append(FieldError("sort", "not_allowed", {"allowed": SORTS}))
    if not 1 <= query.page <= 10**6:
        bad.append(FieldError("page", "out_of_range", {"min": 1, "max": 10**6, "integer": True}))
    if bad:
        raise InvalidInput(bad)
    return query


_SEVERITY_RANK = case(
    *((models.Alert.severity == k, v) for k, v in alerts.SEVERITY_ORDER.items()), else_=9
)
_ORDER = {
    "severity": (_SEVERITY_RANK, models.Alert.created_at.desc(), models.Alert.id),
    "newest": (models.Alert.created_at.desc(), models.Alert.id),
    "oldest": (models.Alert.created_at, models.Alert.id),
    "patient": (models.Patient.code, models.Alert.created_at.desc(), models.Alert.id),
}


def inbox_page(session: Session, actor: Actor, query: InboxQuery) -> InboxPage:
    """One page of the centre's inbox, filtered and sorted in SQL: the page is loaded, never
    the whole inbox (bench/bench_workspace.py measures it with 20,000 open alerts)."""
    access.require_role(actor, "clinician")
    where: list[ColumnElement[bool]] = [
        models.Patient.centre_id.in_(actor.centre_ids),
        models.Alert.status.in_(VIEWS[query.view]),
    ]
    if query.severity:
        where.append(models.Alert.severity == query.severity)
    if query.code:
        where.append(models.Alert.code == query.code)
    if query.patient:
        where.append(models.Patient.code == query.patient)
    joined = select(
        models.Alert, models.Patient.code, models.SessionLog.entered_as, models.SessionLog.date
    ).join(models.Patient, models.Patient.id == models.Alert.patient_id)
    total = session.scalar(
        select(func.count())
        .select_from(models.Alert)
        .join(models.Patient, models.Patient.id == models.Alert.patient_id)
        .where(*where)
    )
    pages = max(1, -(-int(total or 0) // query.per_page))
    page = min(query.page, pages)
    rows = session.execute(
        joined.outerjoin(
            models.SessionLog,
            (models.Alert.source == "session") & (models.SessionLog.id == models.Alert.source_id),
        )
        .where(*where)
        .order_by(*_ORDER[query.sort])
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
    ).all()
    return InboxPage(
        rows=[InboxRow(a, code, who, day) for a, code, who, day in rows],
        total=int(total or 0),
        page=page,
        pages=pages,
        counts=_unresolved_counts(session, actor),
    )


def _unresolved_counts(session: Session, actor: Actor) -> dict[str, int]:
    found = session.execute(
        select(models.Alert.severity, func.count())
        .join(models.Patient, models.Patient.id == models.Alert.patient_id)
        .where(
            models.Patient.centre_id.in_(actor.centre_ids),
            models.Alert.status.in_(VIEWS["unresolved"]),
        )
        .group_by(models.Alert.severity)
    ).all()
    return {severity: int(n) for severity, n in found}


def acknowledge_many(session: Session, actor: Actor, alert_ids: Sequence[str]) -> int:
    """Acknowledge each open alert of `alert_ids`, each audited; all or nothing: one id out of
    reach (or unknown) refuses the whole request before anything changes. Returns how many
    changed (already acknowledged or resolved ones are left as they are)."""
    access.require_role(actor, "clinician")
    ids = list(dict.fromkeys(alert_ids))
    if not ids:
        raise InvalidInput([FieldError("alert_ids", "required", {})])
    if len(ids) > BULK_MAX:
        raise InvalidInput(
            [FieldError("alert_ids", "out_of_range", {"min": 1, "max": BULK_MAX, "integer": True})]
        )
    rows = [
        alerts._alert(session, actor, alert_id) for alert_id in ids
    ]  # NotFound before any change
    changed = [row for row in rows if row.status == "open"]
    for row in changed:
        alerts.acknowledge(session, actor, row.id)
    return len(changed)
