"""Bearer tokens and browser sessions: issuing them, checking one before every authenticated
request, and revoking them.

Tokens: 256-bit random (secrets.token_urlsafe), stored only as SHA-256 (ASVS 7.2.3); every
token expires; changing or resetting a password, or disabling a user, revokes the user's other
tokens and sessions at once (ASVS 7.4.1/7.4.2), and their remembered devices with them;
browser sessions also end after an idle time (7.3.1).

A module of its own because `live_token` runs on every authenticated request: what it checks
and the one query it reads with belong in view together, apart from how accounts are made or
how a password is checked. Named after its table (api_tokens holds both kinds): in this
project a bare "session" is more often an exercise session (session_logs.py) or a database one.
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
from alsrx.services import actor as actor_mod
from alsrx.services import audit
from alsrx.services.actor import Actor

SESSION_LIFETIME = dt.timedelta(hours=12)  # absolute, whatever the activity (ASVS 7.3.2)
PENDING_LIFETIME = dt.timedelta(minutes=10)  # between the password and the second factor
TOUCH = dt.timedelta(minutes=1)  # last_seen_at is written at most this often
BEARER_KINDS = ("api", "session")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
