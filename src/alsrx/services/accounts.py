"""Centres, users, passwords, tokens and logins.

Passwords: argon2id (argon2-cffi defaults, RFC 9106 profile), at least 8 characters, up to 128
(ASVS 6.2.1/6.2.9). Tokens: 256-bit random (secrets.token_urlsafe), stored only as SHA-256,
revocable (ASVS 7.2.3). Logins: after 5 failures for a username within 15 minutes further
attempts are refused for the rest of the window (ASVS 6.3.1), never a permanent lockout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, delete, func, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput, NotFound, TooManyRequests
from alsrx.services import actor as actor_mod
from alsrx.services import audit
from alsrx.services.actor import Actor

PASSWORD_MIN = 8
PASSWORD_MAX = 128
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)
_hasher = PasswordHasher()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(
            [
                FieldError(
                    "password",
                    "out_of_range",
                    {
                        "min": PASSWORD_MIN,
                        "max": PASSWORD_MAX,
                        "unit": "characters",
                        "integer": True,
                    },
                )
            ]
        )


def create_centre(
    session: Session, actor: Actor, name: str, *, contact_phone: str | None = None
) -> models.Centre:
    _check_length("name", name, models.Centre.name)
    _check_length("contact_phone", contact_phone, models.Centre.contact_phone)
    if session.scalars(select(models.Centre).where(models.Centre.name == name)).first():
        raise Conflict(f"centre {name!r} exists")
    centre = models.Centre(name=name, contact_phone=contact_phone)
    session.add(centre)
    session.flush()
    audit.append(
        session, actor, action="create", entity="centre", entity_id=centre.id, new={"name": name}
    )
    return centre


def _check_length(path: str, value: str | None, column: object) -> None:
    """A text longer than its column: PostgreSQL refuses it at the insert, with a 500."""
    limit = column.type.length  # type: ignore[attr-defined]
    if value is not None and len(value) > limit:
        raise InvalidInput([FieldError(path, "too_long", {"max": limit})])


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
    if role not in models.ROLES:
        raise InvalidInput([FieldError("role", "not_one_of", {"allowed": models.ROLES})])
    _check_password(password)
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
        password_hash=_hasher.hash(password),
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
    lifetime: dt.timedelta | None = None,
) -> str:
    token = secrets.token_urlsafe(32)
    expires = models.utcnow() + lifetime if lifetime else None
    session.add(
        models.ApiToken(
            user_id=user.id, token_hash=hash_token(token), kind=kind, expires_at=expires
        )
    )
    audit.append(
        session, actor, action="token_create", entity="user", entity_id=user.id, new={"kind": kind}
    )
    return token


def revoke_token(session: Session, actor: Actor, token: str) -> None:
    row = session.scalars(
        select(models.ApiToken).where(models.ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = models.utcnow()
    audit.append(
        session,
        actor,
        action="token_revoke",
        entity="user",
        entity_id=row.user_id,
        new={"kind": row.kind},
    )


_TOKEN, _USER = models.ApiToken.__table__, models.User.__table__
_CENTRES = models.UserCentre.__table__
_TOKEN_USER = (
    select(
        _TOKEN.c.revoked_at,
        _TOKEN.c.kind,
        _TOKEN.c.expires_at,
        _USER.c.id,
        _USER.c.username,
        _USER.c.role,
        _USER.c.patient_id,
        _USER.c.lang,
        _USER.c.is_active,
        _CENTRES.c.centre_id,
    )
    .join(_USER, _USER.c.id == _TOKEN.c.user_id)
    .outerjoin(_CENTRES, _CENTRES.c.user_id == _USER.c.id)
    .where(_TOKEN.c.token_hash == bindparam("token_hash"))
)


def actor_for_token(conn: Connection, token: str, *, kind: str | None = None) -> Actor | None:
    """The actor of a live token of an active user, or None: token, user and centres in one
    query (a row per centre; token hashes are unique), run before every authenticated request."""
    rows = conn.execute(_TOKEN_USER, {"token_hash": hash_token(token)}).all()
    if not rows:
        return None
    first = rows[0]
    if first.revoked_at is not None or (kind and first.kind != kind) or not first.is_active:
        return None
    if first.expires_at is not None and _aware(first.expires_at) < models.utcnow():
        return None
    return actor_mod.build(
        conn,
        user_id=first.id,
        username=first.username,
        role=first.role,
        patient_id=first.patient_id,
        lang=first.lang,
        centres=frozenset(row.centre_id for row in rows if row.centre_id is not None),
    )


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def login(session: Session, username: str, password: str) -> models.User | None:
    """The user for these credentials, or None after recording the failure (the caller commits
    either way, so failures count even though the login is refused)."""
    since = models.utcnow() - FAILURE_WINDOW
    failures = (
        session.scalar(
            select(func.count())
            .select_from(models.LoginFailure)
            .where(models.LoginFailure.username == username, models.LoginFailure.at >= since)
        )
        or 0
    )
    if failures >= MAX_FAILURES:
        raise TooManyRequests("too many failed logins; try again later")
    user = session.scalars(select(models.User).where(models.User.username == username)).first()
    if user is None or not user.is_active or not _verify(user.password_hash, password):
        session.add(models.LoginFailure(username=username))
        audit.append(
            session,
            None,
            action="login_failed",
            entity="user",
            entity_id=None,
            new={"username": username},
        )
        return None
    session.execute(delete(models.LoginFailure).where(models.LoginFailure.username == username))
    audit.append(
        session,
        Actor(user.id, user.username, user.role),
        action="login",
        entity="user",
        entity_id=user.id,
    )
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


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


def change_password(session: Session, actor: Actor, current: str, new: str) -> None:
    user = session.get(models.User, actor.user_id)
    if user is None or not _verify(user.password_hash, current):
        raise InvalidInput([FieldError("current", "invalid", {"detail": "wrong password"})])
    _check_password(new)
    user.password_hash = _hasher.hash(new)
    audit.append(session, actor, action="password_change", entity="user", entity_id=user.id)
