"""Who is acting: the identity every service call carries, loaded once per request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
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


def load(session: Session, user: models.User) -> Actor:
    centres = frozenset(
        session.scalars(
            select(models.UserCentre.centre_id).where(models.UserCentre.user_id == user.id)
        )
    )
    patients: frozenset[str] = frozenset()
    if user.role == "patient" and user.patient_id:
        patients = frozenset({user.patient_id})
    elif user.role == "caregiver":
        patients = frozenset(
            session.scalars(
                select(models.CaregiverLink.patient_id).where(
                    models.CaregiverLink.user_id == user.id
                )
            )
        )
    return Actor(user.id, user.username, user.role, centres, patients, user.lang)
