"""Signing in, for the API and the pages alike: password, then (if enrolled) a second factor.

Each step is its own short transaction, and argon2 runs in none of them: on SQLite a write
transaction holds the one write lock (and this process's writer lock), so verifying a
password inside it (tens of milliseconds) stalled every other write while sign-ins were going
on. The attempt is counted first (services/throttle.py), committed on its own so that a
failure counts whatever happens next; the credentials are read in a read transaction; the
password is verified in a worker thread, outside any transaction; the outcome is recorded in a
last short write.

Argon2 (64 MiB, 3 passes, 4 lanes) takes all of a small machine's cores for a while: 8 sign-ins
at once starved the event loop of CPU even with no lock held. So passwords are checked one at a
time per process, on a thread of lower priority (Linux nice values are per thread, and the
lanes argon2 starts inherit it): a burst of sign-ins queues, and slows sign-ins, not the
patients' and clinicians' writes.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from fastapi import Request

from alsrx.db import models
from alsrx.errors import FieldError, InvalidInput, Unauthenticated
from alsrx.services import accounts, api_tokens, mfa, password_resets, passwords, sign_in, throttle
from alsrx.services import actor as actor_mod
from alsrx.services.actor import Actor
from alsrx.web import deps

DONE, TOTP, ENROL = "done", "totp", "enrol"
NICENESS = 10


def _lower_priority() -> None:
    try:
        os.nice(NICENESS)
    except OSError:  # not permitted here: checks still run one at a time
        return


_VERIFIER = ThreadPoolExecutor(
    max_workers=1, thread_name_prefix="alsrx-argon2", initializer=_lower_priority
)


@dataclass(frozen=True)
class Passed:
    """A right password: who, and what must come next (DONE, TOTP or ENROL)."""

    user_id: int
    username: str
    role: str
    next: str
    address: str


def check_lengths(username: str, password: str) -> None:
    """422 naming the field before anything is stored or hashed (a 5 MB username used to
    reach the database and the audit trail)."""
    errors = []
    if not 1 <= len(username) <= accounts.USERNAME_MAX:
        errors.append(FieldError("username", "length", {"min": 1, "max": accounts.USERNAME_MAX}))
    if not 1 <= len(password) <= passwords.MAX_LENGTH:
        errors.append(FieldError("password", "length", {"min": 1, "max": passwords.MAX_LENGTH}))
    if errors:
        raise InvalidInput(errors)


def _secret(request: Request) -> bytes:
    return deps.settings(request).secret_key.encode()


async def password_step(request: Request, username: str, password: str) -> Passed:
    """Check a username and password; Unauthenticated, or TooManyRequests, otherwise."""
    check_lengths(username, password)
    address = deps.client_address(request)
    keys = throttle.sign_in_keys(_secret(request), username, address)
    now = models.utcnow()
    await deps.blocking(request, _count, request, keys, now)
    found, enrolled = await deps.blocking(request, _read, request, username)
    ok = await asyncio.wrap_future(_VERIFIER.submit(sign_in.password_matches, found, password))
    if not ok or found is None:
        await deps.blocking(request, _failed, request, username, address)
        raise Unauthenticated("wrong username or password")
    await deps.blocking(request, _passed, request, keys)
    settings = deps.settings(request)
    step = TOTP if enrolled else ENROL if settings.mfa_required(found.role, username) else DONE
    return Passed(found.user_id, found.username, found.role, step, address)


def _count(request: Request, keys: tuple[throttle.Key, ...], now: object) -> None:
    with deps.write(request) as session:
        throttle.count_attempt(session, keys, now=now)  # type: ignore[arg-type]


def _read(request: Request, username: str) -> tuple[sign_in.Credentials | None, bool]:
    with deps.read(request) as session:
        found = sign_in.credentials(session, username)
        return found, found is not None and mfa.is_enrolled(session, found.user_id)


def _failed(request: Request, username: str, address: str) -> None:
    digest = throttle.digest(_secret(request), "username", username)
    with deps.write(request) as session:
        sign_in.record_failure(session, username_hmac=digest, address=address)


def _passed(request: Request, keys: tuple[throttle.Key, ...]) -> None:
    with deps.write(request) as session:
        throttle.give_back(session, keys, forget_first=True)


def mfa_key(request: Request) -> bytes:
    return mfa.key_from_secret(deps.settings(request).secret_key)


async def second_step(request: Request, actor: Actor, code: str) -> str:
    """Check a TOTP or recovery code (throttled per user); the factor used, or
    Unauthenticated. A code is never accepted twice."""
    if not code or len(code) > 40:
        raise InvalidInput([FieldError("totp", "length", {"min": 6, "max": 40})])
    keys = throttle.totp_keys(_secret(request), actor.user_id)
    now = models.utcnow()
    await deps.blocking(request, _count, request, keys, now)

    def check() -> str | None:
        with deps.write(request) as session:
            factor = mfa.verify(session, actor, mfa_key(request), code, now=now)
            if factor is not None:
                throttle.give_back(session, keys, forget_first=True)
            return factor

    factor = await deps.blocking(request, check)
    if factor is None:
        raise Unauthenticated("the code is wrong or was already used")
    return factor


def actor_of(request: Request, passed: Passed) -> Actor:
    with deps.read(request) as session:
        user = session.get(models.User, passed.user_id)
        assert user is not None
        return actor_mod.load(session, user)


async def issue(request: Request, passed: Passed, *, kind: str, factor: str) -> str:
    """The sign-in is complete: audit it and issue a session (or API token)."""

    def run() -> str:
        with deps.write(request) as session:
            user = sign_in.record_login(
                session, passed.user_id, address=passed.address, factor=factor
            )
            return api_tokens.issue_token(session, actor_mod.load(session, user), user, kind=kind)

    return await deps.blocking(request, run)


async def issue_pending(request: Request, passed: Passed) -> str:
    """A short-lived token that opens only the second-factor page ("mfa") or the enrolment
    page ("enrol"), never the application."""
    kind = "mfa" if passed.next == TOTP else "enrol"

    def run() -> str:
        with deps.write(request) as session:
            user = session.get(models.User, passed.user_id)
            assert user is not None
            return api_tokens.issue_token(
                session,
                actor_mod.load(session, user),
                user,
                kind=kind,
                lifetime=api_tokens.PENDING_LIFETIME,
            )

    return await deps.blocking(request, run)


async def upgrade_pending(request: Request, actor: Actor, pending: str, factor: str) -> str:
    """The second step passed: the pending token is revoked and a session issued."""

    def run() -> str:
        with deps.write(request) as session:
            api_tokens.revoke_token(session, actor, pending)
            user = sign_in.record_login(
                session, actor.user_id, address=deps.client_address(request), factor=factor
            )
            return api_tokens.issue_token(session, actor, user, kind="session")

    return await deps.blocking(request, run)


async def reset_step(request: Request, username: str, code: str, new: str) -> Passed:
    """Sign in with an administrator's one-time code, setting a new password in the same step
    (services/password_resets.py): throttled like a password; the new password is checked by
    the policy and hashed outside any transaction. Unauthenticated for any wrong, used or
    expired code, alike."""
    check_lengths(username, code)
    passwords.check(new, field="new")
    address = deps.client_address(request)
    keys = throttle.sign_in_keys(_secret(request), username, address)
    await deps.blocking(request, _count, request, keys, models.utcnow())
    new_hash = await asyncio.wrap_future(_VERIFIER.submit(passwords.hash_password, new))

    def run() -> tuple[sign_in.Credentials | None, bool]:
        with deps.write(request) as session:
            found = password_resets.redeem(
                session, username=username, code=code, new_hash=new_hash, now=models.utcnow()
            )
            return found, found is not None and mfa.is_enrolled(session, found.user_id)

    found, enrolled = await deps.blocking(request, run)
    if found is None:
        await deps.blocking(request, _failed, request, username, address)
        raise Unauthenticated("the code is wrong, expired or already used")
    await deps.blocking(request, _passed, request, keys)
    settings = deps.settings(request)
    step = TOTP if enrolled else ENROL if settings.mfa_required(found.role, username) else DONE
    return Passed(found.user_id, found.username, found.role, step, address)
