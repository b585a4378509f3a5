"""Sign-in throttling shared by every worker: counters in the database (ASVS v5.0.0 6.3.1).

Each attempt is counted before the password is checked, against three keys at once:
    (account, address)   5 per window: the strict one, that slows guessing from one place
    account              20 per window, across addresses: a distributed guess at one account
    address              50 per window, across accounts: credential stuffing from one place
A refused attempt is rolled back with its transaction, so refusals do not extend the wait and
one address cannot use up an account's budget past its own 5: nobody can lock a clinician
out with a handful of requests. A successful sign-in gives its attempt back. Windows are fixed
15-minute windows; nothing is permanent.

The counter is one upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING): on PostgreSQL the
row lock it takes makes concurrent attempts on one key queue, so a burst lets through at most
the limit; on SQLite the write transaction already serialises them. Keys are HMACs of the
username and address under the server secret: the table holds no username, and a copy of the
database does not let anyone guess which names were tried.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
from dataclasses import dataclass

from sqlalchemy import DateTime, bindparam, case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.errors import TooManyRequests

WINDOW = dt.timedelta(minutes=15)
PAIR_LIMIT = 5
ACCOUNT_LIMIT = 20
ADDRESS_LIMIT = 50
TOTP_LIMIT = 5
_T = models.table(models.LoginThrottle)


@dataclass(frozen=True)
class Key:
    digest: str
    limit: int


def digest(secret: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts: bounded (64 hex characters) whatever the input's length."""
    message = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def sign_in_keys(secret: bytes, username: str, address: str) -> tuple[Key, ...]:
    name = username.casefold()
    return (
        Key(digest(secret, "pair", name, address), PAIR_LIMIT),
        Key(digest(secret, "account", name), ACCOUNT_LIMIT),
        Key(digest(secret, "address", address), ADDRESS_LIMIT),
    )


def totp_keys(secret: bytes, user_id: int) -> tuple[Key, ...]:
    return (Key(digest(secret, "totp", str(user_id)), TOTP_LIMIT),)


def _upsert(dialect: str):  # type: ignore[no-untyped-def]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = bindparam("now", type_=DateTime(timezone=True))
    stale = _T.c.window_start < bindparam("since", type_=DateTime(timezone=True))
    statement = insert(_T).values(key=bindparam("key"), window_start=now, attempts=1)
    return statement.on_conflict_do_update(
        index_elements=[_T.c.key],
        set_={
            "attempts": case((stale, 1), else_=_T.c.attempts + 1),
            "window_start": case((stale, now), else_=_T.c.window_start),
        },
    ).returning(_T.c.attempts, _T.c.window_start)


def count_attempt(session: Session, keys: tuple[Key, ...], *, now: dt.datetime) -> None:
    """Count one attempt against every key; TooManyRequests (with the seconds until the
    fullest window ends) when any is past its limit. The caller must then roll back."""
    statement = _upsert(session.get_bind().dialect.name)
    wait = 0
    for key in keys:
        attempts, start = session.execute(
            statement, {"key": key.digest, "now": now, "since": now - WINDOW}
        ).one()
        if attempts > key.limit:
            wait = max(wait, _seconds_left(start, now))
    if wait:
        raise TooManyRequests("too many sign-in attempts; try again later", retry_after=wait)


def give_back(session: Session, keys: tuple[Key, ...], *, forget_first: bool) -> None:
    """A successful attempt: not counted. `forget_first` clears the first key altogether (the
    account at this address: its owner got in, so earlier typos there no longer count)."""
    if forget_first and keys:
        session.execute(delete(_T).where(_T.c.key == keys[0].digest))
        keys = keys[1:]
    for key in keys:
        session.execute(
            update(_T)
            .where(_T.c.key == key.digest, _T.c.attempts > 0)
            .values(attempts=_T.c.attempts - 1)
        )


def _seconds_left(start: dt.datetime, now: dt.datetime) -> int:
    start = start if start.tzinfo else start.replace(tzinfo=dt.UTC)
    return max(1, math.ceil((start + WINDOW - now).total_seconds()))
