"""Remembering a device and signing in with its PIN: the steps around argon2, as in signin.py.

The attempt is counted first (per device and per address, services/throttle.py) in a write of
its own, so a failure counts whatever happens next; the device is read in a read transaction;
the PIN is verified on signin's single low-priority argon2 thread, outside any transaction; the
outcome (session, or a counted failure and perhaps the lock) is recorded in one last short
write. Remembering hashes the PIN on that thread too, before its write.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from fastapi import Request

from alsrx.db import models
from alsrx.domain import device_trust as rules
from alsrx.errors import FieldError, InvalidInput, PermissionDenied, Unauthenticated
from alsrx.services import passwords, trusted_devices
from alsrx.services.actor import Actor
from alsrx.web import deps, signin

DEVICE_COOKIE = "alsrx_device"


def device_cookie(request: Request) -> str:
    return request.cookies.get(deps.cookie_name(request, DEVICE_COOKIE)) or ""


def _server_secret(request: Request) -> bytes:
    return deps.settings(request).secret_key.encode()


@dataclass(frozen=True)
class PinResult:
    token: str | None
    role: str | None
    status: str
    attempts_left: int


async def pin_step(request: Request, pin: str) -> PinResult:
    """Check the PIN against the device this browser's cookie names. InvalidInput for a PIN
    of the wrong shape (nothing counted or stored), Unauthenticated without a known device
    cookie, TooManyRequests past the throttle; else the outcome (a session, or how it failed)."""
    low, high = rules.PIN_DIGITS
    if not rules.pin_shape_ok(pin):
        raise InvalidInput([FieldError("pin", "pin_digits", {"min": low, "max": high})])
    secret = device_cookie(request)
    if not secret:
        raise Unauthenticated("this browser holds no remembered device")
    address = deps.client_address(request)
    keys = trusted_devices.pin_keys(_server_secret(request), secret, address)
    now = models.utcnow()
    await deps.blocking(request, signin._count, request, keys, now)
    found = await deps.blocking(request, _read, request, secret, now)
    if found is None:
        await deps.blocking(request, _unknown, request, address)
        raise Unauthenticated("the remembered device is unknown")
    if found.status != rules.ACTIVE:
        return PinResult(None, None, found.status, 0)
    verify = signin._VERIFIER.submit(passwords.verify, found.pin_hash, pin)
    ok = await asyncio.wrap_future(verify)
    outcome = await deps.blocking(request, _record, request, found.device_id, ok, address)
    if outcome.token is not None:
        await deps.blocking(request, signin._passed, request, keys)
    return PinResult(outcome.token, outcome.role, outcome.status, outcome.attempts_left)


def _read(request: Request, secret: str, now: dt.datetime) -> trusted_devices.Credential | None:
    with deps.read(request) as session:
        return trusted_devices.credential(session, secret, now=now)


def _unknown(request: Request, address: str) -> None:
    with deps.write(request) as session:
        trusted_devices.record_unknown(session, address=address)


def _record(request: Request, device_id: int, ok: bool, address: str) -> trusted_devices.PinOutcome:
    with deps.write(request) as session:
        return trusted_devices.record_pin(
            session, device_id, ok=ok, address=address, now=models.utcnow()
        )


def may_trust(request: Request, actor: Actor) -> bool:
    token = deps.session_token(request) or ""
    with deps.read(request) as session:
        return trusted_devices.may_trust_here(session, actor, token, now=models.utcnow())


async def trust_step(request: Request, actor: Actor, *, label: str, pin: str, confirm: str) -> str:
    """Remember this browser's device for `actor`; the new device secret (for the cookie).
    InvalidInput for a PIN or name outside the bounds; PermissionDenied when the session is
    not a fresh password sign-in of a patient or caregiver."""
    trusted_devices.check_new_pin(pin, confirm, label=label)
    if not may_trust(request, actor):
        raise PermissionDenied("sign in with your password again to remember this device")
    keys = trusted_devices.trust_keys(deps.settings(request).secret_key.encode(), actor.user_id)
    await deps.blocking(request, signin._count, request, keys, models.utcnow())
    pin_hash = await asyncio.wrap_future(signin._VERIFIER.submit(passwords.hash_password, pin))
    secret = trusted_devices.new_secret()
    token = deps.session_token(request) or ""
    old = device_cookie(request) or None

    def run() -> None:
        with deps.write(request) as session:
            trusted_devices.trust(
                session,
                actor,
                token=token,
                label=label,
                secret=secret,
                pin_hash=pin_hash,
                now=models.utcnow(),
                replaces=old,
            )

    await deps.blocking(request, run)
    return secret
