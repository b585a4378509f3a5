"""Centres and user accounts: creating and finding them, and what changes an account later
(language, password, disabled).

The setup an administrator, the CLI, the demo or a test fixture does, apart from the two paths
that run on every request or every sign-in (services/api_tokens.py, services/sign_in.py).
Passwords: services/passwords.py (policy and argon2id). Changing or resetting a password, or
disabling a user, ends the user's other tokens, sessions and remembered devices at once
(api_tokens.revoke_all).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound
from alsrx.services import access, api_tokens, audit, passwords
from alsrx.services.actor import Actor

USERNAME_MAX = 100  # users.username is String(100)


# The number a patient dials after a red flag (120 in mainland China, 112/999/911 elsewhere):
# digits only, as a `tel:` link dials them; short codes have 2-3 digits, E.164 at most 15.
EMERGENCY_DIGITS = (2, 15)


def check_emergency_number(value: str | None) -> str | None:
    low, high = EMERGENCY_DIGITS
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and low <= len(value) <= high):
        raise InvalidInput([FieldError("emergency_number", "digits", {"min": low, "max": high})])
    return value


def create_centre(
    session: Session,
    actor: Actor,
    name: str,
    *,
    contact_phone: str | None = None,
    emergency_number: str | None = None,
) -> models.Centre:
    """A centre; without an emergency number its patients are told to call the local one."""
    access.require_role(actor, "admin")
    check_length("name", name, models.Centre.name)
    check_length("contact_phone", contact_phone, models.Centre.contact_phone)
    emergency_number = check_emergency_number(emergency_number)
    if session.scalars(select(models.Centre).where(models.Centre.name == name)).first():
        raise Conflict(f"centre {name!r} exists")
    centre = models.Centre(
        name=name, contact_phone=contact_phone, emergency_number=emergency_number
    )
    session.add(centre)
    session.flush()
    new = {"name": name, "emergency_number": emergency_number}
    audit.append(session, actor, action="create", entity="centre", entity_id=centre.id, new=new)
    return centre


def update_centre(
    session: Session,
    actor: Actor,
    name: str,
    *,
    contact_phone: str | None = None,
    emergency_number: str | None = None,
) -> models.Centre:
    """Change a centre's phone numbers (only those given); audited with the old values. A
    centre created before the emergency number existed gets one this way."""
    access.require_role(actor, "admin")
    centre = centre_by_name(session, name)
    check_length("contact_phone", contact_phone, models.Centre.contact_phone)
    changes = {
        "contact_phone": contact_phone,
        "emergency_number": check_emergency_number(emergency_number),
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    old = {k: getattr(centre, k) for k in changes}
    for key, value in changes.items():
        setattr(centre, key, value)
    audit.append(
        session, actor, action="update", entity="centre", entity_id=centre.id, old=old, new=changes
    )
    return centre


def check_length(path: str, value: str | None, column: object) -> None:
    """A text longer than its column: PostgreSQL refuses it at the insert, with a 500."""
    limit = column.type.length  # type: ignore[attr-defined]
    if value is not None and len(value) > limit:
        # The same code as the username's (create_user): one message for a text's length here.
        raise InvalidInput([FieldError(path, "length", {"min": 1, "max": limit})])


def centre_by_name(session: Session, name: str) -> models.Centre:
    centre = session.scalars(select(models.Centre).where(models.Centre.name == name)).first()
    if centre is None:
        raise NotFound(f"centre {name!r}")
    return centre


def create_user(
    session: Session,
    actor: Actor,
    *,
    username: str,
    role: str,
    password: str,
    centre_ids: tuple[int, ...] = (),
    patient_id: str | None = None,
    linked_patient_ids: tuple[str, ...] = (),
    lang: str = "en",
) -> models.User:
    access.require_role(actor, "admin")
    if role not in models.ROLES:
        raise InvalidInput([FieldError("role", "not_one_of", {"allowed": models.ROLES})])
    passwords.check(password)
    if not username or len(username) > USERNAME_MAX:
        raise InvalidInput([FieldError("username", "length", {"min": 1, "max": USERNAME_MAX})])
    if session.scalars(select(models.User).where(models.User.username == username)).first():
        raise Conflict(f"user {username!r} exists")
    if role in ("clinician", "researcher") and not centre_ids:
        raise InvalidInput([FieldError("centre", "required", {})])
    if role == "patient" and not patient_id:
        raise InvalidInput([FieldError("patient", "required", {})])
    if role == "caregiver" and not linked_patient_ids:
        raise InvalidInput([FieldError("patient", "required", {})])
    for pid in (patient_id, *linked_patient_ids):
        if pid is not None and session.get(models.Patient, pid) is None:
            raise InvalidInput(
                [FieldError("patient", "not_one_of", {"allowed": ("an existing patient id",)})]
            )
    user = models.User(
        username=username,
        role=role,
        password_hash=passwords.hash_password(password),
        patient_id=patient_id if role == "patient" else None,
        lang=lang,
    )
    session.add(user)
    session.flush()
    session.add_all(models.UserCentre(user_id=user.id, centre_id=c) for c in centre_ids)
    session.add_all(models.CaregiverLink(user_id=user.id, patient_id=p) for p in linked_patient_ids)
    audit.append(
        session,
        actor,
        action="create",
        entity="user",
        entity_id=user.id,
        new={
            "username": username,
            "role": role,
            "centres": list(centre_ids),
            "patient_id": patient_id,
            "linked_patients": list(linked_patient_ids),
        },
    )
    return user


def user_by_name(session: Session, username: str) -> models.User:
    user = session.scalars(select(models.User).where(models.User.username == username)).first()
    if user is None:
        raise NotFound(f"user {username!r}")
    return user


# What set_fields may change: the user's own settings and state, whose values its audit event
# keeps. A password hash or a second-factor secret changes by a path of its own that audits the
# change without the value (change_password, reset_password, services/mfa.py).
PLAIN_FIELDS = frozenset({"lang", "access_prefs", "is_active"})


def set_fields(
    session: Session, actor: Actor, user: models.User, changes: Mapping[str, Any]
) -> None:
    """Give `user` the values in `changes`, audited as one "update" of the user holding the old
    and new value of each field that changed; nothing is written when none did. Every plain
    change of a user's field comes here, so that the event's shape is stated once."""
    if not changes.keys() <= PLAIN_FIELDS:
        raise ValueError(f"not a plain user field: {sorted(changes.keys() - PLAIN_FIELDS)}")
    new = {key: value for key, value in changes.items() if getattr(user, key) != value}
    if not new:
        return
    old = {key: getattr(user, key) for key in new}
    for key, value in new.items():
        setattr(user, key, value)
    audit.append(
        session, actor, action="update", entity="user", entity_id=user.id, old=old, new=new
    )


def set_language(session: Session, actor: Actor, lang: str) -> None:
    if lang not in ("en", "zh"):
        raise InvalidInput([FieldError("lang", "not_one_of", {"allowed": ("en", "zh")})])
    user = session.get(models.User, actor.user_id)
    if user is not None:
        set_fields(session, actor, user, {"lang": lang})


def change_password(
    session: Session, actor: Actor, current: str, new: str, *, keep_token: str | None
) -> None:
    """The user's own change: the current password is checked, then every other session and
    token of theirs is revoked (the one in use, `keep_token`, stays signed in)."""
    user = session.get(models.User, actor.user_id)
    if user is None or not passwords.verify(user.password_hash, current):
        raise InvalidInput([FieldError("current", "wrong_password", {})])
    passwords.check(new, field="new")
    user.password_hash = passwords.hash_password(new)
    audit.append(session, actor, action="password_change", entity="user", entity_id=user.id)
    api_tokens.revoke_all(session, actor, user.id, reason="password changed", keep_token=keep_token)


def reset_password(session: Session, actor: Actor, user: models.User, new: str) -> None:
    """An administrator's reset: every session and token of the user ends."""
    access.require_role(actor, "admin")
    passwords.check(new)
    user.password_hash = passwords.hash_password(new)
    audit.append(session, actor, action="password_reset", entity="user", entity_id=user.id)
    api_tokens.revoke_all(session, actor, user.id, reason="password reset")


def disable_user(session: Session, actor: Actor, user: models.User) -> int:
    """The account can no longer sign in, and every session and token of it ends now."""
    access.require_role(actor, "admin")
    set_fields(session, actor, user, {"is_active": False})
    return api_tokens.revoke_all(session, actor, user.id, reason="user disabled")
