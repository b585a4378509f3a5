"""TOTP second factor (RFC 6238) and one-time recovery codes (ASVS v5.0.0 6.3.3, 6.5, 6.6).

The secret (160 random bits, base32) is stored AES-GCM encrypted under a key the edge derives
from the server secret, so a copy of the database or a backup does not give it away; it is
shown once, at enrolment, as a QR code and as text, and never logged or exported. Enrolment is
confirmed by a first right code. Codes are accepted one step either side of now (clock drift)
and never twice: the last step used is stored and only later steps pass (6.5.1). Ten recovery
codes (80 random bits each, stored as SHA-256, usable once) are given at confirmation.
An administrator can reset the factor (`alsrx user reset-mfa`); every change is audited.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets

import pyotp
import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, FieldError, InvalidInput
from alsrx.services import audit
from alsrx.services.actor import Actor

ISSUER = "alsrx"
RECOVERY_CODES = 10
DRIFT_STEPS = 1
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed by hand


def key_from_secret(server_secret: str) -> bytes:
    """The AES key for stored TOTP secrets, derived (HKDF-SHA256) from the server secret."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"alsrx totp secret v1")
    return hkdf.derive(server_secret.encode("utf-8"))


def _seal(key: bytes, secret: str, user_id: int) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, secret.encode(), str(user_id).encode())
    return base64.b64encode(nonce + sealed).decode()


def _open(key: bytes, stored: str, user_id: int) -> str:
    raw = base64.b64decode(stored)
    return AESGCM(key).decrypt(raw[:12], raw[12:], str(user_id).encode()).decode()


def _row(session: Session, user_id: int) -> models.MfaSecret | None:
    return session.get(models.MfaSecret, user_id)


def is_enrolled(session: Session, user_id: int) -> bool:
    row = _row(session, user_id)
    return row is not None and row.confirmed_at is not None


def begin_enrolment(session: Session, actor: Actor, key: bytes) -> str:
    """A new unconfirmed secret for the actor (replacing an unconfirmed one); its text."""
    row = _row(session, actor.user_id)
    if row is not None and row.confirmed_at is not None:
        raise Conflict("two-step sign-in is already set up; an administrator can reset it")
    secret = pyotp.random_base32()
    if row is None:
        row = models.MfaSecret(user_id=actor.user_id, created_at=models.utcnow())
        session.add(row)
    row.secret_encrypted = _seal(key, secret, actor.user_id)
    return secret


def pending_secret(session: Session, user_id: int, key: bytes) -> str | None:
    row = _row(session, user_id)
    if row is None or row.confirmed_at is not None:
        return None
    return _open(key, row.secret_encrypted, user_id)


def provisioning_qr(secret: str, username: str) -> str:
    """The otpauth:// URI as a QR code, an SVG data URI made here (CSP: img-src 'self' data:)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    svg: str = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return svg


def confirm(
    session: Session, actor: Actor, key: bytes, code: str, *, now: dt.datetime
) -> list[str]:
    """Confirm enrolment with a first right code; the recovery codes, shown once."""
    row = _row(session, actor.user_id)
    if row is None or row.confirmed_at is not None:
        raise InvalidInput([FieldError("code", "mfa_not_pending", {})])
    step = _matching_step(_open(key, row.secret_encrypted, actor.user_id), code, now)
    if step is None:
        raise InvalidInput([FieldError("code", "wrong_code", {})])
    row.confirmed_at, row.last_step = now, step
    codes = _new_recovery_codes(session, actor.user_id)
    audit.append(session, actor, action="mfa_enrol", entity="user", entity_id=actor.user_id)
    return codes


def _new_recovery_codes(session: Session, user_id: int) -> list[str]:
    session.execute(delete(models.RecoveryCode).where(models.RecoveryCode.user_id == user_id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(16)) for _ in range(RECOVERY_CODES)]
    session.add_all(models.RecoveryCode(user_id=user_id, code_hash=_hash(c)) for c in codes)
    return [f"{c[:4]}-{c[4:8]}-{c[8:12]}-{c[12:]}" for c in codes]


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normal(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    digits = _normal(code)
    if len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def verify(
    session: Session, actor: Actor, key: bytes, code: str, *, now: dt.datetime
) -> str | None:
    """Check a second-factor code for a sign-in: "totp" or "recovery" when it passes (and is
    used up), None otherwise. The caller holds the write transaction and the throttle."""
    row = _row(session, actor.user_id)
    if row is None or row.confirmed_at is None:
        return None
    step = _matching_step(_open(key, row.secret_encrypted, actor.user_id), code, now)
    if step is not None:
        if row.last_step is not None and step <= row.last_step:
            return None  # a replay of a code already used, or an older one
        row.last_step = step
        return "totp"
    return "recovery" if _use_recovery_code(session, actor, code, now=now) else None


def _use_recovery_code(session: Session, actor: Actor, code: str, *, now: dt.datetime) -> bool:
    found = session.scalars(
        select(models.RecoveryCode).where(
            models.RecoveryCode.user_id == actor.user_id,
            models.RecoveryCode.code_hash == _hash(_normal(code)),
            models.RecoveryCode.used_at.is_(None),
        )
    ).first()
    if found is None:
        return False
    found.used_at = now
    left = session.scalar(
        select(models.RecoveryCode.id)
        .where(models.RecoveryCode.user_id == actor.user_id, models.RecoveryCode.used_at.is_(None))
        .limit(1)
    )
    audit.append(
        session,
        actor,
        action="mfa_recovery_used",
        entity="user",
        entity_id=actor.user_id,
        new={"codes_left": left is not None},
    )
    return True


def reset(session: Session, actor: Actor, user: models.User) -> bool:
    """Remove a user's second factor (an administrator's act): they enrol again at sign-in."""
    row = _row(session, user.id)
    session.execute(delete(models.RecoveryCode).where(models.RecoveryCode.user_id == user.id))
    if row is None:
        return False
    session.delete(row)
    audit.append(session, actor, action="mfa_reset", entity="user", entity_id=user.id)
    return True
