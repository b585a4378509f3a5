"""Migration 0009 on a database that already holds a plain sha256 chain, up and down, on SQLite
and PostgreSQL: the old events stay verifiable and the first keyed event seals them."""

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect, text
from tests.integration.audit_attacker import drop_guards, rewrite_as_sha256, write_events

from alsrx.db.migrate import downgrade, upgrade
from alsrx.db.session import transaction
from alsrx.services import audit, audit_codec

# The audit table as 0006 knew it: no mac_alg.
OLD_EVENTS = sa.table(
    "audit_events",
    *(sa.column(n) for n in ("seq", "at", "actor_id", "actor_role", "action", "entity")),
    *(sa.column(n) for n in ("entity_id", "reason", "prev_hash", "hash")),
    sa.column("old", sa.JSON),
    sa.column("new", sa.JSON),
)


def write_sha256_chain(engine, n):
    """Events as the code before 0009 appended them: sha256(prev + canonical JSON)."""
    prev = audit_codec.GENESIS
    with engine.begin() as conn:
        for seq in range(1, n + 1):
            fields = {
                "seq": seq,
                "at": f"2026-11-2{seq % 10}T09:00:00.000000+00:00",
                "actor_id": 0,
                "actor_role": "admin",
                "action": "create",
                "entity": "centre",
                "entity_id": str(seq),
                "old": None,
                "new": {"name": f"Centre {seq}", "beds": 2.5, "tags": ["a", "b"]},
                "reason": None,
            }
            digest = audit_codec.legacy_hash(prev, fields)
            conn.execute(sa.insert(OLD_EVENTS).values(**fields, prev_hash=prev, hash=digest))
            prev = digest
        conn.execute(text("UPDATE audit_head SET seq = :n, hash = :h"), {"n": n, "h": prev})


def verdict(factory):
    with transaction(factory, write=False) as s:
        return audit.verify(s)


def columns(engine, table):
    return {c["name"] for c in inspect(engine).get_columns(table)}


@pytest.fixture
def at_0006(db_url, engine):
    engine.dispose()
    downgrade(db_url, "0006")
    write_sha256_chain(engine, 4)
    yield db_url
    engine.dispose()
    upgrade(db_url)  # whatever the test did, leave the schema as the next test expects


def test_a_sha256_chain_upgraded_to_0009_verifies_and_the_first_keyed_event_seals_it(
    at_0006, engine, factory
):
    upgrade(at_0006)
    engine.dispose()
    before = verdict(factory)
    assert before.ok and (before.checked, before.legacy) == (4, 4)
    with transaction(factory) as s:
        write_events(s, 2)
    after = verdict(factory)
    assert after.ok and (after.checked, after.legacy) == (6, 4)
    with engine.begin() as conn:
        drop_guards(conn)  # rewrite an old event and recompute the old chain: the seal breaks
        rewrite_as_sha256(conn, from_seq=2, reason="rewritten", through=4)
    problems = [(p.kind, p.seq) for p in verdict(factory).problems]
    assert problems == [("reordered", 5)]  # event 5 MACs the old event 4's hash


def test_downgrading_is_refused_while_keyed_events_exist(at_0006, engine, factory):
    upgrade(at_0006)
    engine.dispose()
    with transaction(factory) as s:
        write_events(s, 1)
    with pytest.raises(RuntimeError, match="keyed"):
        downgrade(at_0006, "0006")
    engine.dispose()
    assert verdict(factory).ok


def test_a_sha256_chain_goes_up_to_0009_down_and_up_again_and_still_verifies(
    at_0006, engine, factory
):
    upgrade(at_0006)
    downgrade(at_0006, "0006")
    engine.dispose()
    assert "mac_alg" not in columns(engine, "audit_events")
    assert "legacy_seq" not in columns(engine, "audit_head")
    upgrade(at_0006)
    engine.dispose()
    v = verdict(factory)
    assert v.ok and (v.checked, v.legacy) == (4, 4)
    with transaction(factory) as s:  # the head's guard is back: appends still advance it
        write_events(s, 1)
    assert verdict(factory).ok
