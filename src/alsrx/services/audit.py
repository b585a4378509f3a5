"""The audit trail: append-only, MAC-chained, written in the same transaction as the change.

Each event stores who (user and role), when (UTC), what (action, entity, id), old and new
values and the reason (21 CFR 11.10(e); ICH E6(R3)). mac = HMAC-SHA256(key, prev_mac +
canonical JSON of the event), the key being ALSRX_AUDIT_KEY, which the database does not hold;
events written before migration 0009 keep their plain sha256 and stay verifiable, and the first
keyed event seals them, since it MACs their last hash. The head row holds the last seq and MAC
and is locked for every append, so the chain never forks. `verify` (audit_verify.py) recomputes
the chain and names every broken event.

The key travels in the session: `session_factory(engine, audit_key=...)` puts it in
`session.info`, so each edge that opens a transaction decides which key its writes carry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from alsrx.db import models
from alsrx.services import audit_codec
from alsrx.services.actor import Actor
from alsrx.services.audit_verify import Anchor, Problem, Verdict, key_of, verify

__all__ = ["Anchor", "Problem", "Verdict", "append", "head", "key_of", "reason", "verify"]

GENESIS = audit_codec.GENESIS
REASON_MAX = audit_codec.REASON_MAX
reason = audit_codec.reason


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
    """Append one event in the caller's transaction; returns the stored fields and MAC.

    Refuses (InvalidInput naming the field) any field that would not read back as stored, so
    no caller can write an event that later fails verification. Prebuilt Core statements on
    the transaction's connection, not ORM objects: an audit row is written on every change, and
    the ORM's per-statement bookkeeping cost more than the three statements themselves
    (bench/bench_api.py)."""
    key = key_of(session.info)  # Misconfigured without one: never a silent plain hash
    conn = session.connection()
    seq, prev = conn.execute(_HEAD).one()
    fields = {
        "seq": seq + 1,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor.user_id if actor else None,
        "actor_role": actor.role if actor else None,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id) if type(entity_id) is int else entity_id,
        "old": old,
        "new": new,
        "reason": reason,
    }
    mac = audit_codec.keyed_mac(key, prev, audit_codec.check(fields))
    conn.execute(_INSERT, {**fields, "prev_hash": prev, "hash": mac, "mac_alg": audit_codec.KEYED})
    conn.execute(_ADVANCE, {"new_seq": seq + 1, "new_hash": mac})
    return {**fields, "prev_hash": prev, "hash": mac}


def head(session: Session) -> tuple[int, str] | None:
    """The head's (seq, MAC): what an anchor records."""
    row = session.connection().execute(_HEAD_READ).first()
    return None if row is None else (row.seq, row.hash)


_HEAD_TABLE = models.table(models.AuditHead)
_HEAD_READ = select(_HEAD_TABLE.c.seq, _HEAD_TABLE.c.hash).where(_HEAD_TABLE.c.id == 1)
_HEAD = _HEAD_READ.with_for_update()  # PostgreSQL: appends queue here; SQLite: BEGIN IMMEDIATE
_INSERT = insert(models.table(models.AuditEvent))
_ADVANCE = (
    update(_HEAD_TABLE)
    .where(_HEAD_TABLE.c.id == 1)
    .values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
)
