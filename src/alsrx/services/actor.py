"""Who is acting: the identity every service call carries, loaded once per request.

Loaded on every authenticated request, so the reads are prebuilt Core statements on the
connection: the ORM's per-query bookkeeping cost more than the queries (bench/bench_api.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from alsrx.db import models


@dataclass(frozen=True)
class Actor:
    user_id: int
    username: str
    role: str
    centre_ids: frozenset[int] = frozenset()
    patient_ids: frozenset[str] = frozenset()  # own record (patient) or linked (caregiver)
    lang: str = "en"


SYSTEM = Actor(user_id=0, username="system", role="admin")

_CENTRES = select(models.table(models.UserCentre).c.centre_id).where(
    models.table(models.UserCentre).c.user_id == bindparam("user_id")
)
_LINKED = select(models.table(models.CaregiverLink).c.patient_id).where(
    models.table(models.CaregiverLink).c.user_id == bindparam("user_id")
)


def build(
    conn: Connection,
    *,
    user_id: int,
    username: str,
    role: str,
    patient_id: str | None,
    lang: str,
    centres: frozenset[int] | None = None,
) -> Actor:
    """The actor for a user row's fields: its centres (read here unless the caller has them)
    and the patients within its reach."""
    if centres is None:
        centres = frozenset(conn.execute(_CENTRES, {"user_id": user_id}).scalars())
    patients: frozenset[str] = frozenset()
    if role == "patient" and patient_id:
        patients = frozenset({patient_id})
    elif role == "caregiver":
        patients = frozenset(conn.execute(_LINKED, {"user_id": user_id}).scalars())
    return Actor(user_id, username, role, centres, patients, lang)


def load(session: Session, user: models.User) -> Actor:
    return build(
        session.connection(),
        user_id=user.id,
        username=user.username,
        role=user.role,
        patient_id=user.patient_id,
        lang=user.lang,
    )
