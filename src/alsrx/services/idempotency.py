"""Idempotency-Key handling for retried POSTs from patients' devices.

Two steps. `claim` runs in its own short transaction and records the key as in progress (or
finds it): a retry of a finished request gets the stored response, a retry while the first is
still running gets Conflict (409), the same key with a different body gets InvalidInput (422).
`complete` runs inside the work's own transaction, so the record and the finished key are
committed together: exactly once. A claim left by a crashed request expires after
STALE_AFTER and may be taken over; a failed request releases its claim.

On the SQLite server, where one writer runs every write in turn inside a group commit
(db/group_commit.py), `claim_within` takes the claim in the write's own savepoint instead: no
other write can run between the claim and the completion, so the early commit that makes the
claim visible to concurrent writers elsewhere is not needed, and a keyed request joins the
group like any other. A failed write's savepoint takes its claim with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.errors import Conflict, FieldError, InvalidInput

STALE_AFTER = dt.timedelta(seconds=60)
MAX_KEY_LENGTH = 200
# Keys are kept this long by default (`alsrx db purge-idempotency-keys`): long past any retry
# of a phone that was offline for a while, short enough that a key per logged session does not
# pile up for years. Never less than a day.
KEEP_DAYS_DEFAULT, KEEP_DAYS_MIN, KEEP_DAYS_MAX = 30, 1, 3650


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def claim(factory: sessionmaker[Session], *, user_id: int, key: str, digest: str) -> Replay | None:
    """None when this request should run; a Replay of the first response when it already ran."""
    _check(key)
    try:
        with transaction(factory) as session:
            return _claim(session, user_id=user_id, key=key, digest=digest)
    except IntegrityError:
        # Another request inserted the same key between our read and insert.
        raise Conflict("a request with this Idempotency-Key is in progress") from None


_KEYS = models.table(models.IdempotencyKey)
_MATCH = (_KEYS.c.user_id == bindparam("user_id"), _KEYS.c.key == bindparam("key"))
_FIND = select(
    _KEYS.c.request_hash,
    _KEYS.c.status,
    _KEYS.c.response_status,
    _KEYS.c.response_body,
    _KEYS.c.response_headers,
    _KEYS.c.created_at,
).where(*_MATCH)
_DROP = delete(_KEYS).where(*_MATCH)
_STORE = insert(_KEYS)


def claim_within(session: Session, *, user_id: int, key: str, digest: str) -> Replay | None:
    """`claim` inside the caller's transaction, for a single writer (see the module's note):
    nothing is written until `complete_within`. Core statements: a phone's every log runs them."""
    _check(key)
    found = session.connection().execute(_FIND, {"user_id": user_id, "key": key}).first()
    if found is None:
        return None
    replay = _verdict(found, digest)
    if replay is None:  # abandoned: drop it, the completion stores the key afresh
        session.connection().execute(_DROP, {"user_id": user_id, "key": key})
    return replay


def complete_within(
    session: Session,
    *,
    user_id: int,
    key: str,
    digest: str,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str],
) -> None:
    """Store the finished key beside the record it produced, in the same savepoint."""
    session.connection().execute(
        _STORE,
        {
            "user_id": user_id,
            "key": key,
            "request_hash": digest,
            "status": "done",
            "response_status": status,
            "response_body": _as_stored(body),
            "response_headers": dict(headers),
            "created_at": models.utcnow(),
        },
    )


def _check(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(
            [
                FieldError(
                    "Idempotency-Key",
                    "out_of_range",
                    {"min": 1, "max": MAX_KEY_LENGTH, "unit": "characters", "integer": True},
                )
            ]
        )


def _claim(session: Session, *, user_id: int, key: str, digest: str) -> Replay | None:
    row = session.scalars(
        select(models.IdempotencyKey)
        .where(models.IdempotencyKey.user_id == user_id, models.IdempotencyKey.key == key)
        .with_for_update()
    ).first()
    if row is None:
        session.add(
            models.IdempotencyKey(
                user_id=user_id, key=key, request_hash=digest, status="in_progress"
            )
        )
        session.flush()
        return None
    replay = _verdict(row, digest)
    if replay is None:  # abandoned: take it over
        row.created_at = models.utcnow()
    return replay


def _verdict(stored: Any, digest: str) -> Replay | None:
    """What a key already stored (a row or an ORM object) means for this request: the first
    response to replay, an error, or None when its claim was abandoned by a crash."""
    if stored.request_hash != digest:
        raise InvalidInput([FieldError("Idempotency-Key", "reused_with_other_body", {})])
    if stored.status == "done":
        stored_headers = stored.response_headers or {}
        return Replay(stored.response_status or 200, stored.response_body or {}, stored_headers)
    if models.utcnow() - _aware(stored.created_at) < STALE_AFTER:
        raise Conflict("a request with this Idempotency-Key is in progress")
    return None


def complete(
    session: Session,
    *,
    user_id: int,
    key: str,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str],
) -> None:
    row = session.scalars(
        select(models.IdempotencyKey).where(
            models.IdempotencyKey.user_id == user_id, models.IdempotencyKey.key == key
        )
    ).one()
    row.status, row.response_status = "done", status
    row.response_body, row.response_headers = _as_stored(body), dict(headers)


def _as_stored(body: dict[str, Any]) -> Any:
    """The response as a replay will send it: dates and the like turned into JSON text."""
    return json.loads(json.dumps(body, default=str, allow_nan=False))


def release(factory: sessionmaker[Session], *, user_id: int, key: str) -> None:
    with transaction(factory) as session:
        session.execute(
            delete(models.IdempotencyKey).where(
                models.IdempotencyKey.user_id == user_id,
                models.IdempotencyKey.key == key,
                models.IdempotencyKey.status == "in_progress",
            )
        )


def purge(session: Session, *, keep_days: int, now: dt.datetime) -> int:
    """Delete the keys older than `keep_days` (a retry after that runs as a new request);
    return how many went."""
    if not KEEP_DAYS_MIN <= keep_days <= KEEP_DAYS_MAX:
        limits = {"min": KEEP_DAYS_MIN, "max": KEEP_DAYS_MAX, "unit": "days", "integer": True}
        raise InvalidInput([FieldError("older_than_days", "out_of_range", limits)])
    before = now - dt.timedelta(days=keep_days)
    gone = session.execute(delete(_KEYS).where(_KEYS.c.created_at < before))
    return int(cast(CursorResult[Any], gone).rowcount or 0)
