"""Centres, users, passwords, tokens and sign-in records.

Passwords: services/passwords.py (policy and argon2id). Tokens: 256-bit random
(secrets.token_urlsafe), stored only as SHA-256 (ASVS 7.2.3); every token expires; changing or
resetting a password, or disabling a user, revokes the user's other tokens and sessions at once
(ASVS 7.4.1/7.4.2); browser sessions also end after an idle time (7.3.1). Sign-in is split so
that argon2 never runs inside a write transaction (it would hold SQLite's one write lock for
tens of milliseconds): the edge counts the attempt (services/throttle.py), reads the
credentials, verifies outside any transaction, then records the outcome in a short write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, bindparam, select, update
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound
from alsrx.services import access, audit, passwords
from alsrx.services import actor as actor_mod
from alsrx.services.actor import Actor

USERNAME_MAX = 100  # users.username is String(100)
SESSION_LIFETIME = dt.timedelta(hours=12)  # absolute, whatever the activity (ASVS 7.3.2)
PENDING_LIFETIME = dt.timedelta(minutes=10)  # between the password and the second factor
TOUCH = dt.timedelta(minutes=1)  # last_seen_at is written at most this often
BEARER_KINDS = ("api", "session")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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


def issue_token(
    session: Session,
    actor: Actor,
    user: models.User,
    *,
    kind: str = "api",
    lifetime: dt.timedelta = SESSION_LIFETIME,
    device_id: int | None = None,
) -> str:
    """A new random token; every token expires (API tokens after the operator's chosen
    lifetime, sessions after 12 hours, pending second-factor steps after 10 minutes). A session
    opened by a remembered device's PIN names the device: it ends when the device does."""
    token = secrets.token_urlsafe(32)
    now = models.utcnow()
    session.add(
        models.ApiToken(
            user_id=user.id,
            token_hash=hash_token(token),
            kind=kind,
            created_at=now,
            expires_at=now + lifetime,
            last_seen_at=now,
            device_id=device_id,
        )
    )
    new: dict[str, Any] = {"kind": kind, "expires_at": (now + lifetime).isoformat()}
    if device_id is not None:
        new["device_id"] = device_id
    audit.append(session, actor, action="token_create", entity="user", entity_id=user.id, new=new)
    return token


def revoke_token(session: Session, actor: Actor | None, token: str) -> bool:
    """Revoke one token (known by its text); False when it was unknown or already revoked."""
    row = session.scalars(
        select(models.ApiToken).where(models.ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = models.utcnow()
    audit.append(
        session,
        actor,
        action="token_revoke",
        entity="user",
        entity_id=row.user_id,
        new={"kind": row.kind},
    )
    return True


def revoke_all(
    session: Session,
    actor: Actor | None,
    user_id: int,
    *,
    reason: str,
    keep_token: str | None = None,
) -> int:
    """Revoke every live token and session of a user (but `keep_token`, the caller's own
    session when they changed their own password); audited with the count and why. The user's
    remembered devices end too (but the one `keep_token` was opened with): a password that
    was reset or changed may have been known to whoever holds one of them."""
    table = models.table(models.ApiToken)
    statement = (
        update(table)
        .where(table.c.user_id == user_id, table.c.revoked_at.is_(None))
        .values(revoked_at=models.utcnow())
    )
    if keep_token is not None:
        statement = statement.where(table.c.token_hash != hash_token(keep_token))
    count = cast(CursorResult[Any], session.execute(statement)).rowcount or 0
    audit.append(
        session,
        actor,
        action="tokens_revoke_all",
        entity="user",
        entity_id=user_id,
        new={"count": count},
        reason=reason,
    )
    _revoke_devices(session, actor, user_id, reason=reason, keep_token=keep_token)
    return count


def _revoke_devices(
    session: Session, actor: Actor | None, user_id: int, *, reason: str, keep_token: str | None
) -> None:
    devices = models.table(models.TrustedDevice)
    statement = (
        update(devices)
        .where(devices.c.user_id == user_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=models.utcnow(), revoked_by=actor.user_id if actor else None)
    )
    if keep_token is not None:
        kept = select(_TOKEN.c.device_id).where(
            _TOKEN.c.token_hash == hash_token(keep_token), _TOKEN.c.device_id.is_not(None)
        )
        statement = statement.where(devices.c.id.not_in(kept))
    count = cast(CursorResult[Any], session.execute(statement)).rowcount or 0
    if count:
        audit.append(
            session,
            actor,
            action="devices_revoke_all",
            entity="user",
            entity_id=user_id,
            new={"count": count},
            reason=reason,
        )


_TOKEN, _USER = models.table(models.ApiToken), models.table(models.User)
_CENTRES = models.table(models.UserCentre)
_DEVICE = models.table(models.TrustedDevice)
_TOKEN_USER = (
    select(
        _TOKEN.c.id.label("token_id"),
        _TOKEN.c.revoked_at,
        _TOKEN.c.kind,
        _TOKEN.c.expires_at,
        _TOKEN.c.created_at,
        _TOKEN.c.last_seen_at,
        _USER.c.id,
        _USER.c.username,
        _USER.c.role,
        _USER.c.patient_id,
        _USER.c.lang,
        _USER.c.is_active,
        _USER.c.access_prefs,
        _CENTRES.c.centre_id,
        _TOKEN.c.device_id,
        _DEVICE.c.revoked_at.label("device_revoked_at"),
        _DEVICE.c.locked_at.label("device_locked_at"),
        _DEVICE.c.expires_at.label("device_expires_at"),
    )
    .join(_USER, _USER.c.id == _TOKEN.c.user_id)
    .outerjoin(_CENTRES, _CENTRES.c.user_id == _USER.c.id)
    # A session opened with a remembered device's PIN lives only as long as the device: a
    # revoked, locked or expired device ends it at the next request (same one query).
    .outerjoin(_DEVICE, _DEVICE.c.id == _TOKEN.c.device_id)
    .where(_TOKEN.c.token_hash == bindparam("token_hash"))
)


@dataclass(frozen=True)
class LiveToken:
    actor: Actor
    token_id: int
    kind: str
    touch: bool  # last_seen_at is older than TOUCH: the caller should write it
    access_prefs: dict[str, Any] | None = None  # as stored (domain/access_modes.py reads it)


def live_token(
    conn: Connection,
    token: str,
    *,
    kinds: tuple[str, ...],
    idle: dt.timedelta,
    now: dt.datetime,
) -> LiveToken | None:
    """The live token of an active user, of one of `kinds`, or None: token, user and centres
    in one query (a row per centre; token hashes are unique), run before every authenticated
    request. Browser sessions (and pending sign-ins) also end after `idle` without use."""
    rows = conn.execute(_TOKEN_USER, {"token_hash": hash_token(token)}).all()
    if not rows:
        return None
    first = rows[0]
    if first.revoked_at is not None or first.kind not in kinds or not first.is_active:
        return None
    if first.expires_at is not None and _aware(first.expires_at) < now:
        return None
    if first.device_id is not None and not _device_live(first, now):
        return None
    seen = _aware(first.last_seen_at or first.created_at)
    if first.kind != "api" and now - seen > idle:
        return None
    actor = actor_mod.build(
        conn,
        user_id=first.id,
        username=first.username,
        role=first.role,
        patient_id=first.patient_id,
        lang=first.lang,
        centres=frozenset(row.centre_id for row in rows if row.centre_id is not None),
    )
    touch = now - seen > TOUCH
    return LiveToken(actor, first.token_id, first.kind, touch, first.access_prefs)


def _device_live(row: Any, now: dt.datetime) -> bool:
    if row.device_revoked_at is not None or row.device_locked_at is not None:
        return False
    return row.device_expires_at is not None and _aware(row.device_expires_at) > now


def touch(session: Session, token_id: int, *, now: dt.datetime) -> None:
    """Record that a session was used (its idle time starts again)."""
    session.execute(update(_TOKEN).where(_TOKEN.c.id == token_id).values(last_seen_at=now))


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Credentials:
    user_id: int
    username: str
    role: str
    password_hash: str
    is_active: bool


def credentials(session: Session, username: str) -> Credentials | None:
    """What a sign-in checks, read without a write lock."""
    user = session.scalars(select(models.User).where(models.User.username == username)).first()
    if user is None:
        return None
    return Credentials(user.id, user.username, user.role, user.password_hash, user.is_active)


def password_matches(found: Credentials | None, password: str) -> bool:
    """Argon2 against the stored hash, or a dummy one for an unknown user: the same time
    either way. Call it outside any transaction."""
    ok = passwords.verify_or_dummy(found.password_hash if found else None, password)
    return ok and found is not None and found.is_active


def record_failure(session: Session, *, username_hmac: str, address: str) -> None:
    """Audit a refused sign-in: a keyed hash of the username (bounded, and a password typed
    into the username field is not kept readable), never the text itself."""
    audit.append(
        session,
        None,
        action="login_failed",
        entity="user",
        entity_id=None,
        new={"username_hmac": username_hmac, "address": address},
    )


def record_login(session: Session, user_id: int, *, address: str, factor: str) -> models.User:
    user = session.get(models.User, user_id)
    if user is None:
        raise NotFound("user")
    audit.append(
        session,
        Actor(user.id, user.username, user.role),
        action="login",
        entity="user",
        entity_id=user.id,
        new={"address": address, "factor": factor},
    )
    return user


def set_language(session: Session, actor: Actor, lang: str) -> None:
    if lang not in ("en", "zh"):
        raise InvalidInput([FieldError("lang", "not_one_of", {"allowed": ("en", "zh")})])
    user = session.get(models.User, actor.user_id)
    if user is not None and user.lang != lang:
        old = user.lang
        user.lang = lang
        audit.append(
            session,
            actor,
            action="update",
            entity="user",
            entity_id=user.id,
            old={"lang": old},
            new={"lang": lang},
        )


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
    revoke_all(session, actor, user.id, reason="password changed", keep_token=keep_token)


def reset_password(session: Session, actor: Actor, user: models.User, new: str) -> None:
    """An administrator's reset: every session and token of the user ends."""
    access.require_role(actor, "admin")
    passwords.check(new)
    user.password_hash = passwords.hash_password(new)
    audit.append(session, actor, action="password_reset", entity="user", entity_id=user.id)
    revoke_all(session, actor, user.id, reason="password reset")


def disable_user(session: Session, actor: Actor, user: models.User) -> int:
    """The account can no longer sign in, and every session and token of it ends now."""
    access.require_role(actor, "admin")
    if user.is_active:
        user.is_active = False
        audit.append(
            session,
            actor,
            action="update",
            entity="user",
            entity_id=user.id,
            old={"is_active": True},
            new={"is_active": False},
        )
    return revoke_all(session, actor, user.id, reason="user disabled")
