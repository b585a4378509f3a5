"""The audit trail: append-only, hash-chained, written in the same transaction as the change.

Each event stores who (user and role), when (UTC), what (action, entity, id), old and new
values and the reason (21 CFR 11.10(e); ICH E6(R3)). hash = sha256(prev_hash + canonical JSON of
the event); the head row holds the last seq and hash and is locked for every append, so the
chain never forks. `verify` recomputes the chain and names the first altered or missing event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.services.actor import Actor

GENESIS = "0" * 64


def _canonical(event: dict[str, Any]) -> str:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(prev_hash: str, event: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(event)).encode("utf-8")).hexdigest()


def _fields(row: models.AuditEvent) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor_id": row.actor_id,
        "actor_role": row.actor_role,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "old": row.old,
        "new": row.new,
        "reason": row.reason,
    }


def append(
    session: Session,
    actor: Actor | None,
    *,
    action: str,
    entity: str,
    entity_id: str | int | None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Append one event in the caller's transaction; returns the stored fields and hash.

    Prebuilt Core statements on the transaction's connection, not ORM objects: an audit row is
    written on every change, and the ORM's per-statement bookkeeping cost more than the three
    statements themselves (bench/bench_api.py)."""
    conn = session.connection()
    seq, prev = conn.execute(_HEAD).one()
    fields = {
        "seq": seq + 1,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor.user_id if actor else None,
        "actor_role": actor.role if actor else None,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "old": _jsonable(old),
        "new": _jsonable(new),
        "reason": reason,
    }
    digest = event_hash(prev, fields)
    conn.execute(_INSERT, {**fields, "prev_hash": prev, "hash": digest})
    conn.execute(_ADVANCE, {"new_seq": seq + 1, "new_hash": digest})
    return {**fields, "prev_hash": prev, "hash": digest}


_HEAD_TABLE = models.AuditHead.__table__
_HEAD = (
    select(_HEAD_TABLE.c.seq, _HEAD_TABLE.c.hash)
    .where(_HEAD_TABLE.c.id == 1)
    .with_for_update()  # PostgreSQL: appends queue here; SQLite: BEGIN IMMEDIATE already did
)
_INSERT = insert(models.AuditEvent.__table__)
_ADVANCE = (
    update(_HEAD_TABLE)
    .where(_HEAD_TABLE.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else json.loads(json.dumps(value, default=str))


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str | None = None


def _rows(session: Session) -> Iterator[models.AuditEvent]:
    yield from session.scalars(select(models.AuditEvent).order_by(models.AuditEvent.seq))


def verify(session: Session) -> Verdict:
    prev, expected_seq, checked = GENESIS, 1, 0
    for row in _rows(session):
        if row.seq != expected_seq:
            return Verdict(False, checked, expected_seq, "missing")
        if row.prev_hash != prev or event_hash(prev, _fields(row)) != row.hash:
            return Verdict(False, checked, row.seq, "altered")
        prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    head = session.get(models.AuditHead, 1)
    if head is None or head.seq != expected_seq - 1 or head.hash != prev:
        return Verdict(False, checked, expected_seq, "missing")
    return Verdict(True, checked)
