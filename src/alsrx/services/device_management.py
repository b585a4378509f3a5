"""Who may see and revoke a remembered device, the lists they see, and revoking one.

Apart from services/trusted_devices.py (trusting a device, the PIN sign-in) because this is
the access rule, read by the account page and the clinic's patient page: it should be seen
whole. A device's owner; a caregiver, the devices of the patients they are linked to; a
clinician, the devices of their centre's patients and of those patients' caregivers; an
administrator, any (a password reset revokes them all, api_tokens.revoke_all). Anything else
answers NotFound, as if the device did not exist. A revocation is audited (who, which device,
which user, how many sessions it ended), never the PIN, the secret or their hashes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import device_trust as rules
from alsrx.errors import NotFound
from alsrx.services import access, trusted_devices
from alsrx.services.actor import Actor

_DEVICES = models.table(models.TrustedDevice)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class DeviceView:
    id: int
    user_id: int
    username: str
    role: str
    label: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime
    status: str


def _reachable_users(session: Session, actor: Actor, patient_id: str | None) -> Any:
    """The users whose devices `actor` may see: a condition on users.id."""
    users = models.table(models.User)
    links = models.table(models.CaregiverLink)
    if actor.role == "admin" and patient_id is None:
        return users.c.id.is_not(None)
    if actor.role == "clinician":
        if patient_id is None:
            raise NotFound("patient")
        access.require_patient(session, actor, patient_id)
        patients: Any = [patient_id]
    elif actor.role in rules.ROLES:
        patients = sorted(actor.patient_ids) if actor.role == "caregiver" else []
        if patient_id is not None:
            if patient_id not in actor.patient_ids:
                raise NotFound("patient")
            patients = [patient_id]
    else:
        return users.c.id.is_(None)
    reach: list[Any] = [users.c.patient_id.in_(patients)]
    if actor.role == "clinician":  # a caregiver sees the patient's devices, not other carers'
        carers = select(links.c.user_id).where(links.c.patient_id.in_(patients))
        reach.append(users.c.id.in_(carers))
    if actor.role in rules.ROLES and patient_id is None:
        reach.append(users.c.id == actor.user_id)
    return or_(*reach)


def listed(
    session: Session, actor: Actor, *, now: dt.datetime, patient_id: str | None = None
) -> list[DeviceView]:
    """The devices `actor` may see (see the module's note), newest first; for a clinician,
    `patient_id` names the patient (NotFound outside their centres)."""
    users = models.table(models.User)
    rows = session.execute(
        select(_DEVICES, users.c.username, users.c.role)
        .join(users, users.c.id == _DEVICES.c.user_id)
        .where(_reachable_users(session, actor, patient_id))
        .order_by(_DEVICES.c.created_at.desc(), _DEVICES.c.id.desc())
    ).all()
    return [_view(r, now) for r in rows]


def _view(r: Any, now: dt.datetime) -> DeviceView:
    expires = _aware(r.expires_at)
    state = rules.status(
        now=now, expires_at=expires, locked_at=r.locked_at, revoked_at=r.revoked_at
    )
    last = _aware(r.last_used_at) if r.last_used_at else None
    return DeviceView(
        r.id, r.user_id, r.username, r.role, r.label, _aware(r.created_at), last, expires, state
    )


def _may_manage(session: Session, actor: Actor, device: models.TrustedDevice) -> bool:
    if actor.role == "admin" or device.user_id == actor.user_id:
        return True
    owner = session.get(models.User, device.user_id)
    if owner is None or actor.role not in ("clinician", "caregiver"):
        return False
    links = models.table(models.CaregiverLink)
    reach = {owner.patient_id} if owner.patient_id else set()
    reach |= set(session.scalars(select(links.c.patient_id).where(links.c.user_id == owner.id)))
    if actor.role == "caregiver":
        return owner.role == "patient" and bool(reach & actor.patient_ids)
    centres = (
        select(func.count())
        .select_from(models.table(models.Patient))
        .where(
            models.table(models.Patient).c.id.in_(reach),
            models.table(models.Patient).c.centre_id.in_(actor.centre_ids),
        )
    )
    return bool(reach) and bool(session.scalar(centres))


def revoke(
    session: Session,
    actor: Actor,
    device_id: int,
    *,
    now: dt.datetime,
    reason: str | None = None,
    patient_id: str | None = None,
) -> bool:
    """Forget a device and end its sessions, in this transaction. NotFound when the device is
    out of the actor's reach (or, with `patient_id`, not one of that patient's or their
    caregivers'); False when it had already been revoked."""
    device = session.get(models.TrustedDevice, device_id, with_for_update=True)
    if device is None or not _may_manage(session, actor, device):
        raise NotFound("device")
    if patient_id is not None and device_id not in {
        d.id for d in listed(session, actor, now=now, patient_id=patient_id)
    }:
        raise NotFound("device")
    if device.revoked_at is not None:
        return False
    trusted_devices.revoke_unchecked(session, actor, device, reason=reason, now=now)
    return True
