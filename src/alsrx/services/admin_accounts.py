"""What an administrator does to accounts and centres from the web, beyond accounts.py:
list and find users, enable them again, change a staff member's role and centres, find a
patient by its code within a centre, and edit a centre as a whole.

Every function checks that the actor is an administrator, and every change is audited with the
old and new values. Administrators manage accounts but read no clinical data: a patient is
named by its centre and code only. Roles and centres are read from the database at every
request (services/actor.py), so a change takes effect on the user's next request.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound
from alsrx.services import access, accounts, audit
from alsrx.services.actor import Actor

PAGE_SIZE = 25
STAFF_ROLES = ("admin", "clinician", "researcher")
CENTRE_ROLES = ("clinician", "researcher")


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    role: str
    is_active: bool
    centres: tuple[str, ...]
    created_at: dt.datetime


@dataclass(frozen=True)
class UserPage:
    rows: tuple[UserRow, ...]
    total: int
    page: int
    pages: int


def list_users(
    session: Session,
    actor: Actor,
    *,
    search: str = "",
    role: str = "",
    active: str = "",
    page: int = 1,
) -> UserPage:
    """One page of accounts by username; `search` is a part of the username, `active` is
    "yes", "no" or "" (both)."""
    access.require_role(actor, "admin")
    query = select(models.User)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(models.User.username.ilike(f"%{escaped}%", escape="\\"))
    if role in models.ROLES:
        query = query.where(models.User.role == role)
    if active in ("yes", "no"):
        query = query.where(models.User.is_active.is_(active == "yes"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(1, page), pages)
    users = session.scalars(
        query.order_by(models.User.username).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    names = _centre_names(session, [u.id for u in users])
    rows = tuple(
        UserRow(u.id, u.username, u.role, u.is_active, names.get(u.id, ()), u.created_at)
        for u in users
    )
    return UserPage(rows, total, page, pages)


def _centre_names(session: Session, user_ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    rows = session.execute(
        select(models.UserCentre.user_id, models.Centre.name)
        .join(models.Centre, models.Centre.id == models.UserCentre.centre_id)
        .where(models.UserCentre.user_id.in_(user_ids))
        .order_by(models.Centre.name)
    )
    for user_id, name in rows:
        found.setdefault(user_id, []).append(name)
    return {k: tuple(v) for k, v in found.items()}


@dataclass(frozen=True)
class UserDetail:
    user: models.User
    centre_ids: frozenset[int]
    patient: tuple[str, str] | None  # (centre name, patient code) of a patient's account


def user_detail(session: Session, actor: Actor, user_id: int) -> UserDetail:
    access.require_role(actor, "admin")
    user = _user(session, user_id)
    centres = frozenset(
        session.scalars(
            select(models.UserCentre.centre_id).where(models.UserCentre.user_id == user.id)
        )
    )
    patient = None
    if user.patient_id:
        row = session.execute(
            select(models.Centre.name, models.Patient.code)
            .join(models.Patient, models.Patient.centre_id == models.Centre.id)
            .where(models.Patient.id == user.patient_id)
        ).first()
        patient = (row[0], row[1]) if row else None
    return UserDetail(user, centres, patient)


def _user(session: Session, user_id: int) -> models.User:
    user = session.get(models.User, user_id)
    if user is None:
        raise NotFound("user")
    return user


def _not_self(actor: Actor, user: models.User, path: str) -> None:
    """An administrator cannot lock themself out (another administrator can)."""
    if user.id == actor.user_id:
        raise InvalidInput([FieldError(path, "own_account", {})])


def disable(session: Session, actor: Actor, user_id: int) -> int:
    """Disable the account; its sessions and tokens end at once (accounts.disable_user)."""
    user = _user(session, user_id)
    access.require_role(actor, "admin")
    _not_self(actor, user, "active")
    return accounts.disable_user(session, actor, user)


def enable(session: Session, actor: Actor, user_id: int) -> None:
    """Let a disabled account sign in again (with its password as it was, or a reset code)."""
    access.require_role(actor, "admin")
    user = _user(session, user_id)
    accounts.set_fields(session, actor, user, {"is_active": True})


def change_role(
    session: Session,
    actor: Actor,
    user_id: int,
    *,
    role: str,
    centre_ids: tuple[int, ...],
    reason: object = None,
) -> None:
    """A staff member's role and centres. Patient and caregiver accounts belong to patients
    and keep their role (a caregiver's patients change through caregivers.link/unlink)."""
    access.require_role(actor, "admin")
    user = _user(session, user_id)
    why = audit.reason(reason, path="reason", required=False)
    if user.role not in STAFF_ROLES or role not in STAFF_ROLES:
        raise InvalidInput([FieldError("role", "not_one_of", {"allowed": STAFF_ROLES})])
    if role != user.role:
        _not_self(actor, user, "role")
    wanted = frozenset(centre_ids) if role in CENTRE_ROLES else frozenset()
    if role in CENTRE_ROLES and not wanted:
        raise InvalidInput([FieldError("centre", "required", {})])
    known = frozenset(session.scalars(select(models.Centre.id).where(models.Centre.id.in_(wanted))))
    if known != wanted:
        raise InvalidInput([FieldError("centre", "not_one_of", {"allowed": ("a centre",)})])
    had = frozenset(
        session.scalars(
            select(models.UserCentre.centre_id).where(models.UserCentre.user_id == user.id)
        )
    )
    if role == user.role and wanted == had:
        return
    old = {"role": user.role, "centres": sorted(had)}
    user.role = role
    session.query(models.UserCentre).filter(models.UserCentre.user_id == user.id).delete()
    session.add_all(models.UserCentre(user_id=user.id, centre_id=c) for c in sorted(wanted))
    audit.append(
        session,
        actor,
        action="update",
        entity="user",
        entity_id=user.id,
        old=old,
        new={"role": role, "centres": sorted(wanted)},
        reason=why,
    )


def patient_by_code(session: Session, actor: Actor, centre_id: int, code: str) -> str:
    """The id of the patient with `code` in the centre (what an administrator knows of it)."""
    access.require_role(actor, "admin")
    found = session.scalar(
        select(models.Patient.id).where(
            models.Patient.centre_id == centre_id, models.Patient.code == code.strip()
        )
    )
    if found is None:
        raise InvalidInput([FieldError("patient_code", "unknown_patient_code", {})])
    return found


def patient_code(session: Session, actor: Actor, patient_id: str) -> str:
    access.require_role(actor, "admin")
    return session.scalar(select(models.Patient.code).where(models.Patient.id == patient_id)) or ""


def edit_centre(
    session: Session,
    actor: Actor,
    centre_id: int,
    *,
    name: str,
    contact_phone: str | None,
    emergency_number: str | None,
) -> models.Centre:
    """Set a centre's name and numbers as given (None clears a number); audited with the old
    values of what changed."""
    access.require_role(actor, "admin")
    centre = session.get(models.Centre, centre_id)
    if centre is None:
        raise NotFound("centre")
    errors = centre_errors(name, contact_phone, emergency_number)
    if errors:
        raise InvalidInput(errors)
    taken = session.scalar(
        select(models.Centre.id).where(models.Centre.name == name, models.Centre.id != centre.id)
    )
    if taken is not None:
        raise Conflict(f"centre {name!r} exists")
    wanted = {"name": name, "contact_phone": contact_phone, "emergency_number": emergency_number}
    changed = {k: v for k, v in wanted.items() if getattr(centre, k) != v}
    if not changed:
        return centre
    old = {k: getattr(centre, k) for k in changed}
    for key, value in changed.items():
        setattr(centre, key, value)
    audit.append(
        session, actor, action="update", entity="centre", entity_id=centre.id, old=old, new=changed
    )
    return centre


def centre_errors(
    name: str, contact_phone: str | None, emergency_number: str | None
) -> list[FieldError]:
    """Every field of a centre form that is wrong, at once (not only the first)."""
    errors: list[FieldError] = []
    if not name.strip():
        errors.append(FieldError("name", "required", {}))
    for path, value, column in (
        ("name", name, models.Centre.name),
        ("contact_phone", contact_phone, models.Centre.contact_phone),
    ):
        try:
            accounts.check_length(path, value, column)
        except InvalidInput as exc:
            errors.extend(exc.errors)
    try:
        accounts.check_emergency_number(emergency_number)
    except InvalidInput as exc:
        errors.extend(exc.errors)
    return errors
