"""Password sign-in: what it checks, the check itself, and the audited outcome.

Sign-in is split so that argon2 never runs inside a write transaction (it would hold SQLite's
one write lock for tens of milliseconds): the edge (web/signin.py) counts the attempt
(services/throttle.py), reads the credentials here, verifies outside any transaction, then
records the outcome in a short write. A module of its own so that those steps, and the rule
that only a keyed hash of a refused username is kept, read together. Policy and argon2id:
services/passwords.py; the session a sign-in opens: services/api_tokens.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import NotFound
from alsrx.services import audit, passwords
from alsrx.services.actor import Actor


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
