"""Links between caregiver accounts and the patients they log for: one owner, used by the
clinician's patient page and the admin's user page alike.

Who may change a link: a clinician of the patient's centre, or an administrator (who manages
accounts but reads no clinical data: the patient is named by its code only). Every change is
audited with its reason. A caregiver's reach is read from these links at each request
(services/actor.py), so an unlink ends access at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound
from alsrx.services import access, audit
from alsrx.services.actor import Actor


@dataclass(frozen=True)
class Link:
    caregiver_id: int
    username: str
    is_active: bool
    patient_id: str
    patient_code: str
    centre_id: int


def _patient_for_change(session: Session, actor: Actor, patient_id: str) -> models.Patient:
    if actor.role == "admin":
        found = session.get(models.Patient, patient_id)
        if found is None:
            raise NotFound("patient")
        return found
    access.require_role(actor, "clinician")
    return access.patient(session, actor, patient_id)


def _caregiver(session: Session, caregiver_id: int) -> models.User:
    user = session.get(models.User, caregiver_id)
    if user is None:
        raise NotFound("user")
    if user.role != "caregiver":
        raise InvalidInput(
            [FieldError("caregiver_id", "invalid", {"detail": "not a caregiver account"})]
        )
    return user


def _exists(session: Session, caregiver_id: int, patient_id: str) -> bool:
    return (
        session.get(models.CaregiverLink, {"user_id": caregiver_id, "patient_id": patient_id})
        is not None
    )


def link(
    session: Session,
    actor: Actor,
    *,
    caregiver_id: int,
    patient_id: str,
    reason: object = None,
) -> None:
    """Let caregiver `caregiver_id` log for `patient_id`; Conflict if already linked."""
    patient = _patient_for_change(session, actor, patient_id)
    user = _caregiver(session, caregiver_id)
    why = audit.reason(reason, path="reason", required=False)
    if _exists(session, user.id, patient.id):
        raise Conflict("the caregiver is already linked to this patient")
    session.add(models.CaregiverLink(user_id=user.id, patient_id=patient.id))
    session.flush()
    audit.append(
        session,
        actor,
        action="link",
        entity="caregiver_link",
        entity_id=f"{user.id}:{patient.id}",
        new={"caregiver_id": user.id, "patient_id": patient.id},
        reason=why,
    )


def unlink(
    session: Session,
    actor: Actor,
    *,
    caregiver_id: int,
    patient_id: str,
    reason: object = None,
) -> None:
    """End caregiver `caregiver_id`'s access to `patient_id`; NotFound if there is no link."""
    patient = _patient_for_change(session, actor, patient_id)
    why = audit.reason(reason, path="reason", required=False)
    if not _exists(session, caregiver_id, patient.id):
        raise NotFound("caregiver link")
    session.execute(
        delete(models.CaregiverLink).where(
            models.CaregiverLink.user_id == caregiver_id,
            models.CaregiverLink.patient_id == patient.id,
        )
    )
    audit.append(
        session,
        actor,
        action="unlink",
        entity="caregiver_link",
        entity_id=f"{caregiver_id}:{patient.id}",
        old={"caregiver_id": caregiver_id, "patient_id": patient.id},
        reason=why,
    )


_LINKS = (
    select(
        models.User.id,
        models.User.username,
        models.User.is_active,
        models.Patient.id,
        models.Patient.code,
        models.Patient.centre_id,
    )
    .join(models.CaregiverLink, models.CaregiverLink.user_id == models.User.id)
    .join(models.Patient, models.Patient.id == models.CaregiverLink.patient_id)
    .order_by(models.User.username, models.Patient.code)
)


def for_patient(session: Session, actor: Actor, patient_id: str) -> list[Link]:
    """The caregivers linked to one patient (its clinicians, or an administrator)."""
    patient = _patient_for_change(session, actor, patient_id)
    rows = session.execute(_LINKS.where(models.Patient.id == patient.id)).all()
    return [Link(*row) for row in rows]


def for_caregiver(session: Session, actor: Actor, caregiver_id: int) -> list[Link]:
    """The patients one caregiver logs for: every link for an administrator, those in the
    clinician's centres for a clinician."""
    query = _LINKS.where(models.User.id == caregiver_id)
    if actor.role != "admin":
        access.require_role(actor, "clinician")
        query = query.where(models.Patient.centre_id.in_(actor.centre_ids))
    return [Link(*row) for row in session.execute(query).all()]


def caregiver_accounts(session: Session, actor: Actor) -> list[models.User]:
    """Caregiver accounts a clinician or administrator may link (active ones, by name)."""
    access.require_role(actor, "clinician", "admin")
    query = (
        select(models.User)
        .where(models.User.role == "caregiver", models.User.is_active.is_(True))
        .order_by(models.User.username)
    )
    return list(session.scalars(query))
