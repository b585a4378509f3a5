"""An administrator's password reset from the web: a one-time sign-in code, shown once.

The administrator never chooses or sees the user's new password. `issue` makes a random code
(20 characters from 30 unambiguous letters and digits: about 98 bits, read aloud or typed from
a phone without confusing 0/O or 1/I/L), stores only its SHA-256 (a code of that entropy needs
no slow hash, like the session tokens), ends the old password, every session and token of the
user at once, and any earlier code. The user signs in with their username and the code and sets
a new password in that same step (`redeem`), so nothing else can be done with the code. A code
expires after CODE_LIFETIME and works once. The audit trail records that a code was issued and
used, never the code or its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import Conflict, NotFound
from alsrx.services import access, api_tokens, audit, sign_in
from alsrx.services.actor import Actor

CODE_LIFETIME = dt.timedelta(hours=24)
ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 20
CODE_MAX = 40  # what the form accepts, with the spaces or dashes people type between groups
# No argon2 hash has this form: the old password stops working the moment a code is issued.
NO_PASSWORD = "!reset-pending"


@dataclass(frozen=True)
class Issued:
    code: str  # shown once to the administrator, grouped for reading ("ABCD-EFGH-...")
    expires_at: dt.datetime


def normalise(code: str) -> str:
    """The code as typed, without the separators and case a person adds."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("ascii", "replace")).hexdigest()


def issue(session: Session, actor: Actor, user_id: int, *, now: dt.datetime) -> Issued:
    access.require_role(actor, "admin")
    user = session.get(models.User, user_id)
    if user is None:
        raise NotFound("user")
    if not user.is_active:
        raise Conflict("the account is disabled: enable it before resetting its password")
    table = models.table(models.PasswordReset)
    session.execute(
        update(table)
        .where(table.c.user_id == user.id, table.c.used_at.is_(None))
        .values(used_at=now)
    )
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + CODE_LIFETIME
    session.add(
        models.PasswordReset(
            user_id=user.id,
            code_hash=_hash(raw),
            created_by=actor.user_id,
            created_at=now,
            expires_at=expires,
        )
    )
    user.password_hash = NO_PASSWORD
    audit.append(
        session,
        actor,
        action="password_reset",
        entity="user",
        entity_id=user.id,
        new={"method": "one_time_code", "expires_at": expires.isoformat(timespec="seconds")},
    )
    api_tokens.revoke_all(session, actor, user.id, reason="password reset")
    grouped = "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    return Issued(grouped, expires)


def redeem(
    session: Session, *, username: str, code: str, new_hash: str, now: dt.datetime
) -> sign_in.Credentials | None:
    """Use a code: the user's new password (already hashed, outside this transaction) is set
    and the code spent. None, changing nothing, for a wrong, used or expired code, another
    user's code or a disabled account: the caller says the same in every case."""
    if not code or len(code) > CODE_MAX:
        return None
    row = session.execute(
        select(models.PasswordReset, models.User)
        .join(models.User, models.User.id == models.PasswordReset.user_id)
        .where(models.PasswordReset.code_hash == _hash(code))
    ).first()
    if row is None:
        return None
    reset, user = row
    expires = (
        reset.expires_at if reset.expires_at.tzinfo else reset.expires_at.replace(tzinfo=dt.UTC)
    )
    if user.username != username or reset.used_at is not None or expires <= now:
        return None
    if not user.is_active:
        return None
    reset.used_at = now
    user.password_hash = new_hash
    me = Actor(user.id, user.username, user.role)
    audit.append(
        session,
        me,
        action="password_set",
        entity="user",
        entity_id=user.id,
        new={"method": "one_time_code"},
    )
    return sign_in.Credentials(user.id, user.username, user.role, new_hash, user.is_active)


def pending(
    session: Session, actor: Actor, user_id: int, *, now: dt.datetime
) -> dt.datetime | None:
    """When the user's unused code expires (None: no code waiting), for the admin's page."""
    access.require_role(actor, "admin")
    table = models.table(models.PasswordReset)
    found = session.execute(
        select(table.c.expires_at).where(
            table.c.user_id == user_id, table.c.used_at.is_(None), table.c.expires_at > now
        )
    ).scalar()
    return found
