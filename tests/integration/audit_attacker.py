"""An attacker with full SQL access but not ALSRX_AUDIT_KEY: drops the triggers, rewrites rows,
recomputes plain sha256 hashes and the head. Shared by the audit tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update

from alsrx.db import models
from alsrx.services import audit, audit_codec
from alsrx.services.actor import SYSTEM

EVENTS = models.AuditEvent.__table__
HEAD = models.AuditHead.__table__
FIELDS = ("seq", "at", "actor_id", "actor_role", "action", "entity", "entity_id", "old", "new")
FIELDS += ("reason",)
GUARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_events_no_update",
        "DROP TRIGGER IF EXISTS audit_events_no_delete",
        "DROP TRIGGER IF EXISTS audit_head_no_insert",
        "DROP TRIGGER IF EXISTS audit_head_no_delete",
        "DROP TRIGGER IF EXISTS audit_head_advance_only",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
        "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
        "DROP TRIGGER IF EXISTS audit_head_advance_only ON audit_head",
        "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head",
    ],
}


def write_events(session: Any, n: int) -> None:
    for i in range(n):
        audit.append(
            session,
            SYSTEM,
            action="update",
            entity="patient",
            entity_id=f"p-{i}",
            old={"weight_kg": 70 + i},
            new={"weight_kg": 71 + i},
            reason=f"re-weighed, visit {i}",
        )


def drop_guards(conn: Connection) -> None:
    for statement in GUARDS[conn.dialect.name]:
        conn.execute(text(statement))


def rows(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(EVENTS).order_by(EVENTS.c.seq))]


def set_head(conn: Connection, seq: int, mac: str, *, legacy_seq: int | None = None) -> None:
    values: dict[str, Any] = {"seq": seq, "hash": mac}
    if legacy_seq is not None:
        values["legacy_seq"] = legacy_seq
    conn.execute(update(HEAD).where(HEAD.c.id == 1).values(**values))


_REWRITE = (
    update(EVENTS)
    .where(EVENTS.c.seq == bindparam("b_seq"))
    .values(
        reason=bindparam("b_reason"),
        prev_hash=bindparam("b_prev"),
        hash=bindparam("b_hash"),
        mac_alg=bindparam("b_alg"),
    )
)


def rewrite_as_sha256(
    conn: Connection,
    *,
    from_seq: int,
    reason: str,
    legacy_seq: int | None = None,
    through: int | None = None,
) -> None:
    """Edit event `from_seq`'s reason, recompute plain hashes from there on (to `through`),
    move the head (unless `through` stops short of it)."""
    prev = audit_codec.GENESIS
    for row in rows(conn):
        if from_seq <= row["seq"] <= (through or row["seq"]):
            if row["seq"] == from_seq:
                row["reason"] = reason
            fields = {name: row[name] for name in FIELDS}
            row["prev_hash"], row["hash"] = prev, audit_codec.legacy_hash(prev, fields)
            conn.execute(
                _REWRITE,
                {
                    "b_seq": row["seq"],
                    "b_reason": row["reason"],
                    "b_prev": row["prev_hash"],
                    "b_hash": row["hash"],
                    "b_alg": audit_codec.LEGACY,
                },
            )
        prev = row["hash"]
        last = row["seq"]
    if through is None or through >= last:
        set_head(conn, last, prev, legacy_seq=legacy_seq)
