"""Calendar links: revocable addresses of a patient's weekly plan for calendar apps.

A calendar app subscribes to an address and cannot sign in, so the address itself is the
credential: a random token (secrets.token_urlsafe(32), 256 bits), of which only the SHA-256 is
stored, shown once when it is made. The patient, a linked caregiver or one of the patient's
clinicians makes and revokes links; each change is audited, never with the token. A link
opens the feed only while it is not revoked and its maker may still see the patient (a
caregiver unlinked, an account switched off: the links they made stop working with them). An
unknown, revoked or orphaned token is NotFound, with no detail of which.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, NotFound
from alsrx.i18n import N_
from alsrx.services import access, audit
from alsrx.services import actor as actor_mod
from alsrx.services.actor import Actor

MAKERS = ("patient", "caregiver", "clinician")
MAX_ACTIVE = 10  # alsrx default: links per patient; more are refused until one is revoked
TOO_MANY = N_("There are already 10 calendar links: revoke one before making another.")


@dataclass(frozen=True)
class Made:
    link: models.CalendarLink
    token: str  # shown once; not stored


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _active(patient_id: str) -> Select[models.CalendarLink]:
    return select(models.CalendarLink).where(
        models.CalendarLink.patient_id == patient_id, models.CalendarLink.revoked_at.is_(None)
    )


def create(session: Session, actor: Actor, patient_id: str) -> Made:
    """A new link for the patient; its token is returned once."""
    access.require_role(actor, *MAKERS)
    access.require_patient(session, actor, patient_id)
    count = select(func.count()).select_from(_active(patient_id).subquery())
    if (session.scalar(count) or 0) >= MAX_ACTIVE:
        raise Conflict(TOO_MANY)
    token = secrets.token_urlsafe(32)
    link = models.CalendarLink(
        patient_id=patient_id, token_hash=hash_token(token), created_by=actor.user_id
    )
    session.add(link)
    session.flush()
    audit.append(
        session,
        actor,
        action="create",
        entity="calendar_link",
        entity_id=link.id,
        new={"patient_id": patient_id},
    )
    return Made(link, token)


def _link(session: Session, actor: Actor, link_id: str) -> models.CalendarLink:
    access.require_role(actor, *MAKERS)
    link = session.get(models.CalendarLink, link_id)
    if link is None:
        raise NotFound("calendar link")
    access.require_patient(session, actor, link.patient_id)  # another patient's: NotFound too
    return link


def patient_of(session: Session, actor: Actor, link_id: str) -> str:
    """The patient of a link within the actor's reach."""
    return _link(session, actor, link_id).patient_id


def revoke(session: Session, actor: Actor, link_id: str, *, now: dt.datetime) -> None:
    """Revoke a link of a patient within the actor's reach (NotFound otherwise); revoking a
    revoked link changes nothing."""
    link = _link(session, actor, link_id)
    if link.revoked_at is not None:
        return
    link.revoked_at = now
    audit.append(
        session,
        actor,
        action="revoke",
        entity="calendar_link",
        entity_id=link.id,
        old={"revoked_at": None},
        new={"revoked_at": now.isoformat()},
    )


@dataclass(frozen=True)
class Listed:
    id: str
    created_at: dt.datetime
    maker_role: str  # the maker's role, not their name: the list is seen by all three
    by_me: bool


def for_patient(session: Session, actor: Actor, patient_id: str) -> list[Listed]:
    """The patient's links that still work, newest first."""
    access.require_role(actor, *MAKERS)
    access.require_patient(session, actor, patient_id)
    rows = session.execute(
        _active(patient_id)
        .add_columns(models.User.role)
        .join(models.User, models.User.id == models.CalendarLink.created_by)
        .order_by(models.CalendarLink.created_at.desc())
    ).all()
    return [
        Listed(link.id, link.created_at, role, link.created_by == actor.user_id)
        for link, role in rows
    ]


def patient_for_token(session: Session, token: str) -> str:
    """The patient whose feed a token opens; NotFound for an unknown, revoked or orphaned one."""
    if not token or len(token) > 100:
        raise NotFound("calendar")
    link = session.scalars(
        select(models.CalendarLink).where(models.CalendarLink.token_hash == hash_token(token))
    ).first()
    if link is None or link.revoked_at is not None:
        raise NotFound("calendar")
    maker = session.get(models.User, link.created_by)
    if maker is None or not maker.is_active or not _still_reaches(session, maker, link):
        raise NotFound("calendar")
    return link.patient_id


def _still_reaches(session: Session, maker: models.User, link: models.CalendarLink) -> bool:
    patient = session.get(models.Patient, link.patient_id)
    return patient is not None and access.can_see(actor_mod.load(session, maker), patient)
