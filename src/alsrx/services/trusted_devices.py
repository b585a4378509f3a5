"""Remembered devices of patients and caregivers: trusting one, the PIN sign-in, and how a
device ends (locked by wrong PINs, or revoked).

After a fresh password sign-in (domain/device_trust.FRESH_SIGN_IN), a patient or caregiver may
remember the device: it gets a random 256-bit secret (a cookie; only its SHA-256 is stored,
like session tokens) and the person chooses a short PIN (only its argon2 hash is stored). A PIN
sign-in needs both: the secret names the device, the PIN opens it. Wrong PINs are counted on
the device; at MAX_FAILED_PINS it locks for good and its sessions end. A right PIN resets the
count and opens an ordinary session that names the device (its api_tokens row), so revoking
or locking the device ends that session at its next request (api_tokens.live_token).

Who may see and revoke someone's device is services/device_management.py; it revokes through
`revoke_unchecked` here, which a new device replacing the same user's old one uses too. Every
step is audited (who, which device, which user), never the PIN, the secret or their hashes.
Argon2 runs outside any transaction (web/signin.py): the callers hash and verify; these
functions only read and write.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.domain import device_trust as rules
from alsrx.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from alsrx.services import actor as actor_mod
from alsrx.services import api_tokens, audit, sign_in, throttle
from alsrx.services.actor import Actor

ENTITY = "trusted_device"
_DEVICES = models.table(models.TrustedDevice)
_TOKENS = models.table(models.ApiToken)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def pin_keys(server_secret: bytes, device_secret: str, address: str) -> tuple[throttle.Key, ...]:
    """Throttle keys of a PIN attempt: this device (by a keyed hash of its cookie, known or
    not) and this address across devices."""
    device = throttle.digest(server_secret, "device-pin", api_tokens.hash_token(device_secret))
    return (
        throttle.Key(device, rules.DEVICE_ATTEMPTS_PER_WINDOW),
        throttle.Key(
            throttle.digest(server_secret, "pin-address", address),
            rules.ADDRESS_ATTEMPTS_PER_WINDOW,
        ),
    )


def trust_keys(server_secret: bytes, user_id: int) -> tuple[throttle.Key, ...]:
    """Throttle key of remembering a device: each try hashes a PIN (argon2, one thread that
    every sign-in shares), so one user's repeated posts must not queue everyone's sign-in."""
    key = throttle.digest(server_secret, "device-trust", str(user_id))
    return (throttle.Key(key, rules.DEVICE_ATTEMPTS_PER_WINDOW),)


def check_new_pin(pin: str, confirm: str | None = None, *, label: str | None = None) -> None:
    """A new PIN (and the device's name) before anything is hashed or stored."""
    errors = rules.pin_errors(pin)
    if not errors and confirm is not None and confirm != pin:
        errors.append(FieldError("pin_confirm", "pin_mismatch", {}))
    if label is not None:
        errors += rules.label_errors(label)
    if errors:
        raise InvalidInput(errors)


def _session_row(session: Session, token: str) -> Any:
    return session.execute(
        select(
            _TOKENS.c.kind, _TOKENS.c.created_at, _TOKENS.c.device_id, _TOKENS.c.revoked_at
        ).where(_TOKENS.c.token_hash == api_tokens.hash_token(token))
    ).first()


def may_trust_here(session: Session, actor: Actor, token: str, *, now: dt.datetime) -> bool:
    """A patient's or caregiver's session opened with the password within FRESH_SIGN_IN."""
    if actor.role not in rules.ROLES:
        return False
    row = _session_row(session, token)
    if row is None or row.kind != "session" or row.revoked_at is not None:
        return False
    return row.device_id is None and rules.is_fresh(_aware(row.created_at), now)


def trust(
    session: Session,
    actor: Actor,
    *,
    token: str,
    label: str,
    secret: str,
    pin_hash: str,
    now: dt.datetime,
    replaces: str | None = None,
) -> models.TrustedDevice:
    """Remember this device for `actor` (the PIN already checked and hashed by the caller).
    PermissionDenied unless `may_trust_here`; InvalidInput past MAX_DEVICES. `replaces`: the
    cookie this browser already held; a device of the same user it names is revoked."""
    errors = rules.label_errors(label)
    if errors:
        raise InvalidInput(errors)
    if not may_trust_here(session, actor, token, now=now):
        raise PermissionDenied("sign in with your password again to remember this device")
    if replaces:
        old = _by_secret(session, replaces)
        if old is not None and old.user_id == actor.user_id and old.revoked_at is None:
            revoke_unchecked(
                session, actor, old, reason="replaced by a new remembered device", now=now
            )
    if len(_live_of(session, actor.user_id, now)) >= rules.MAX_DEVICES:
        raise InvalidInput([FieldError("device", "too_many_devices", {"max": rules.MAX_DEVICES})])
    device = models.TrustedDevice(
        user_id=actor.user_id,
        label=_distinct(session, actor.user_id, label.strip(), now),
        secret_hash=api_tokens.hash_token(secret),
        pin_hash=pin_hash,
        created_at=now,
        expires_at=now + rules.DEVICE_LIFETIME,
        failed_attempts=0,
    )
    session.add(device)
    session.flush()
    audit.append(
        session,
        actor,
        action="device_trust",
        entity=ENTITY,
        entity_id=device.id,
        new={
            "user_id": actor.user_id,
            "label": device.label,
            "expires_at": device.expires_at.isoformat(timespec="seconds"),
        },
    )
    return device


def _distinct(session: Session, user_id: int, label: str, now: dt.datetime) -> str:
    """The label, numbered when another live device of the user has it: every device's
    "Forget" button must have a name of its own."""
    taken = set(
        session.scalars(
            select(_DEVICES.c.label).where(
                _DEVICES.c.user_id == user_id,
                _DEVICES.c.revoked_at.is_(None),
                _DEVICES.c.expires_at > now,
            )
        )
    )
    number, candidate = 2, label
    while candidate in taken:
        candidate = f"{label[: rules.LABEL_MAX - 4]} {number}"
        number += 1
    return candidate


def _by_secret(session: Session, secret: str) -> models.TrustedDevice | None:
    if not secret or len(secret) > 100:
        return None
    return session.scalars(
        select(models.TrustedDevice).where(
            models.TrustedDevice.secret_hash == api_tokens.hash_token(secret)
        )
    ).first()


def _live_of(session: Session, user_id: int, now: dt.datetime) -> list[int]:
    return list(
        session.scalars(
            select(_DEVICES.c.id).where(
                _DEVICES.c.user_id == user_id,
                _DEVICES.c.revoked_at.is_(None),
                _DEVICES.c.locked_at.is_(None),
                _DEVICES.c.expires_at > now,
            )
        )
    )


def status_of(device: models.TrustedDevice, now: dt.datetime) -> str:
    return rules.status(
        now=now,
        expires_at=_aware(device.expires_at),
        locked_at=device.locked_at,
        revoked_at=device.revoked_at,
    )


@dataclass(frozen=True)
class Credential:
    """What a PIN sign-in checks, read without a write lock: None for an unknown secret."""

    device_id: int
    user_id: int
    status: str  # domain/device_trust STATUSES; a disabled account's device counts as revoked
    pin_hash: str


def credential(session: Session, secret: str, *, now: dt.datetime) -> Credential | None:
    device = _by_secret(session, secret)
    if device is None:
        return None
    user = session.get(models.User, device.user_id)
    state = status_of(device, now)
    if user is None or not user.is_active or user.role not in rules.ROLES:
        state = rules.REVOKED
    return Credential(device.id, device.user_id, state, device.pin_hash)


def record_unknown(session: Session, *, address: str) -> None:
    """Audit a PIN sent with a device cookie that names no device (forged, or from another
    server): the address only, never the cookie."""
    audit.append(
        session,
        None,
        action="device_pin_failed",
        entity=ENTITY,
        entity_id=None,
        new={"address": address, "device": "unknown"},
    )


@dataclass(frozen=True)
class PinOutcome:
    token: str | None  # a new session, when the PIN was right
    role: str | None
    status: str  # the device's status after this attempt
    attempts_left: int


def record_pin(
    session: Session, device_id: int, *, ok: bool, address: str, now: dt.datetime
) -> PinOutcome:
    """The outcome of a verified PIN, in one write: a right PIN on a still-live device opens a
    session; a wrong one is counted atomically (concurrent guesses cannot overshoot the lock),
    and the last allowed one locks the device and ends its sessions."""
    device = session.get(models.TrustedDevice, device_id, with_for_update=True)
    if device is None:
        raise NotFound("device")
    user = session.get(models.User, device.user_id)
    assert user is not None
    owner = Actor(user.id, user.username, user.role)
    state = status_of(device, now) if user.is_active else rules.REVOKED
    if state != rules.ACTIVE:
        return PinOutcome(None, None, state, 0)
    if ok:
        device.failed_attempts = 0
        device.last_used_at = now
        audit.append(
            session,
            owner,
            action="device_pin_sign_in",
            entity=ENTITY,
            entity_id=device.id,
            new={"address": address},
        )
        sign_in.record_login(session, user.id, address=address, factor="device_pin")
        actor = actor_mod.load(session, user)
        token = api_tokens.issue_token(session, actor, user, kind="session", device_id=device.id)
        return PinOutcome(token, user.role, rules.ACTIVE, rules.MAX_FAILED_PINS)
    failed = session.execute(
        update(_DEVICES)
        .where(_DEVICES.c.id == device.id)
        .values(failed_attempts=_DEVICES.c.failed_attempts + 1)
        .returning(_DEVICES.c.failed_attempts)
    ).scalar_one()
    session.refresh(device)
    audit.append(
        session,
        None,
        action="device_pin_failed",
        entity=ENTITY,
        entity_id=device.id,
        new={"user_id": user.id, "failed_attempts": failed, "address": address},
    )
    if failed < rules.MAX_FAILED_PINS:
        return PinOutcome(None, None, rules.ACTIVE, rules.attempts_left(failed))
    device.locked_at = now
    count = _end_sessions(session, device.id, now)
    audit.append(
        session,
        None,
        action="device_locked",
        entity=ENTITY,
        entity_id=device.id,
        new={"user_id": user.id, "failed_attempts": failed, "sessions_ended": count},
    )
    return PinOutcome(None, None, rules.LOCKED, 0)


def _end_sessions(session: Session, device_id: int, now: dt.datetime) -> int:
    result = session.execute(
        update(_TOKENS)
        .where(_TOKENS.c.device_id == device_id, _TOKENS.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def revoke_unchecked(
    session: Session,
    actor: Actor,
    device: models.TrustedDevice,
    *,
    reason: str | None,
    now: dt.datetime,
) -> None:
    """Revoke `device` and end its sessions, audited. Checks nothing: the caller has made sure
    that `actor` may (device_management.revoke, or trust replacing the actor's own device)."""
    device.revoked_at = now
    device.revoked_by = actor.user_id
    count = _end_sessions(session, device.id, now)
    audit.append(
        session,
        actor,
        action="device_revoke",
        entity=ENTITY,
        entity_id=device.id,
        new={"user_id": device.user_id, "sessions_ended": count},
        reason=audit.reason(reason, path="reason", required=False) if reason else None,
    )
