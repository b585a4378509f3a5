"""The keyed audit chain on SQLite and PostgreSQL: what append accepts verifies; what an
attacker without the key changes is reported, every event of it; the database refuses what
would rewind or empty the trail."""

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from tests.integration.audit_attacker import (
    EVENTS,
    FIELDS,
    drop_guards,
    rewrite_as_sha256,
    rows,
    set_head,
    write_events,
)

from alsrx.db.session import session_factory, transaction
from alsrx.errors import InvalidInput, Misconfigured
from alsrx.services import audit, audit_codec
from alsrx.services.actor import SYSTEM


def verdict(factory, anchors=()):
    with transaction(factory, write=False) as s:
        return audit.verify(s, anchors=anchors)


def kinds(v):
    return [(p.kind, p.seq) for p in v.problems]


def anchor_now(factory):
    with transaction(factory, write=False) as s:
        seq, mac = audit.head(s)
    return audit.Anchor(seq, mac, "2026-12-01T11:00:00Z")


def test_verify_reports_every_broken_event_not_only_the_first(factory, engine):
    with transaction(factory) as s:
        write_events(s, 8)
    with engine.begin() as conn:
        drop_guards(conn)
        conn.execute(text("UPDATE audit_events SET reason = 'edited' WHERE seq IN (3, 6)"))
        conn.execute(text("DELETE FROM audit_events WHERE seq = 5"))
    v = verdict(factory)
    assert not v.ok and v.checked == 7
    assert kinds(v) == [("altered", 3), ("missing", 5), ("altered", 6)]


def test_rewriting_events_and_recomputing_plain_sha256_hashes_and_the_head_is_caught(
    factory, engine
):
    with transaction(factory) as s:
        write_events(s, 6)
    with engine.begin() as conn:
        drop_guards(conn)  # and claims the whole trail is from before the key (legacy_seq)
        rewrite_as_sha256(conn, from_seq=3, reason="never happened", legacy_seq=6)
    v = verdict(factory)
    assert not v.ok and kinds(v) == [("unkeyed", seq) for seq in range(3, 7)]


def test_a_trail_rewritten_whole_as_plain_sha256_is_caught_by_an_anchor(factory, engine):
    with transaction(factory) as s:
        write_events(s, 5)
    anchor = anchor_now(factory)
    with engine.begin() as conn:
        drop_guards(conn)
        rewrite_as_sha256(conn, from_seq=1, reason="rewritten", legacy_seq=5)
    assert verdict(factory).ok  # nothing in the database tells: the limit anchors exist for
    assert kinds(verdict(factory, [anchor])) == [("anchor", 5)]


def test_an_edit_with_a_mac_recomputed_under_another_key_is_caught(factory, engine):
    with transaction(factory) as s:
        write_events(s, 4)
    with engine.begin() as conn:
        drop_guards(conn)
        row = rows(conn)[1]
        row["reason"] = "forged"
        fields = {name: row[name] for name in FIELDS}
        forged = audit_codec.keyed_mac(b"g" * 40, row["prev_hash"], audit_codec.canonical(fields))
        conn.execute(
            text("UPDATE audit_events SET reason = 'forged', hash = :h WHERE seq = 2"),
            {"h": forged},
        )
        conn.execute(text("UPDATE audit_events SET prev_hash = :h WHERE seq = 3"), {"h": forged})
    assert kinds(verdict(factory)) == [("altered", 2), ("altered", 3)]


def test_cutting_off_the_newest_events_and_rewinding_the_head_is_caught_by_an_anchor(
    factory, engine
):
    with transaction(factory) as s:
        write_events(s, 5)
    anchor = anchor_now(factory)
    with transaction(factory) as s:
        write_events(s, 3)
    with engine.begin() as conn:
        drop_guards(conn)
        third = rows(conn)[2]
        conn.execute(text("DELETE FROM audit_events WHERE seq > 3"))
        set_head(conn, 3, third["hash"])
    assert verdict(factory).ok
    assert kinds(verdict(factory, [anchor])) == [("anchor", 5)]


def test_an_emptied_trail_is_not_intact_while_the_head_says_events_were_written(factory, engine):
    with transaction(factory) as s:
        write_events(s, 4)
    with engine.begin() as conn:
        drop_guards(conn)
        conn.execute(text("DELETE FROM audit_events"))
    v = verdict(factory)
    assert v.checked == 0 and [(p.kind, p.seq, p.through) for p in v.problems] == [
        ("missing", 1, 4)
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_events",
        "TRUNCATE audit_head",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET seq = seq - 1",
        "UPDATE audit_head SET seq = seq + 2",
        "UPDATE audit_head SET legacy_seq = seq + 1",
        "INSERT INTO audit_head (id, seq, hash, legacy_seq) VALUES (2, 0, 'x', 0)",
        "DELETE FROM audit_events",
        "UPDATE audit_events SET reason = 'x'",
    ],
)
def test_the_database_refuses_to_empty_the_trail_or_move_its_head_other_than_forward(
    factory, engine, statement
):
    if statement.startswith("TRUNCATE") and engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no TRUNCATE (DELETE covers it)")
    with transaction(factory) as s:
        write_events(s, 2)
    with pytest.raises(Exception, match=r"append-only|only advances"), engine.begin() as conn:
        conn.execute(text(statement))
    assert verdict(factory).ok and verdict(factory).checked == 2


def test_writing_an_audit_event_without_a_key_is_refused_never_a_plain_hash(engine):
    keyless = session_factory(engine, audit_key=None)
    with pytest.raises(Misconfigured, match="ALSRX_AUDIT_KEY"), transaction(keyless) as s:
        write_events(s, 1)
    with engine.connect() as conn:
        assert conn.execute(select(EVENTS.c.seq)).first() is None


def test_verifying_keyed_events_without_the_key_is_refused(factory, engine):
    with transaction(factory) as s:
        write_events(s, 1)
    with pytest.raises(Misconfigured):
        verdict(session_factory(engine, audit_key=None))


def test_append_refuses_a_reason_that_is_not_text_and_writes_nothing(factory, engine):
    for bad in (5, ["a"], "x" * 2001):
        with pytest.raises(InvalidInput) as caught, transaction(factory) as s:
            audit.append(s, SYSTEM, action="update", entity="patient", entity_id=1, reason=bad)
        assert caught.value.errors[0].path == "reason"
    assert verdict(factory).checked == 0


TEXT = st.text(max_size=20) | st.text(st.characters(codec=None), max_size=5)  # NUL, surrogates
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
# Mostly what JSON keeps, sometimes what it does not: NaN, tuples, int keys, wrong types.
UNKEPT = st.floats(allow_nan=True) | st.tuples(JSON) | st.dictionaries(st.integers(), JSON)
OBJECT = st.dictionaries(TEXT, JSON, max_size=4)


def mostly(kept, unkept):
    """Five times in six what the column keeps (one_of would weigh each branch alike)."""
    return st.integers(0, 5).flatmap(lambda i: unkept if i == 0 else kept)


EVENT_FIELDS = st.fixed_dictionaries(
    {
        "action": mostly(st.text(min_size=1, max_size=40), st.text(min_size=41) | st.integers()),
        "entity": st.text(min_size=1, max_size=40),
        "entity_id": mostly(st.none() | st.integers(0, 2**31), st.text(min_size=1, max_size=70)),
        "old": mostly(st.none() | OBJECT, st.dictionaries(TEXT, UNKEPT, min_size=1, max_size=2)),
        "new": mostly(st.none() | OBJECT, JSON),
        "reason": mostly(st.none() | st.text(min_size=1, max_size=40), TEXT | JSON_SCALARS),
    }
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=EVENT_FIELDS)
def test_any_event_append_accepts_verifies_after_a_round_trip_through_the_database(factory, fields):
    try:
        with transaction(factory) as s:
            stored = audit.append(s, SYSTEM, **fields)
    except InvalidInput as exc:
        event(f"refused {exc.errors[0].path} {exc.errors[0].code}")
        return  # refused, and nothing written: the transaction rolled back
    v = verdict(factory)
    assert v.ok, v.problems
    with transaction(factory, write=False) as s:
        row = s.execute(select(EVENTS).where(EVENTS.c.seq == stored["seq"])).one()._mapping
    assert {k: row[k] for k in ("old", "new", "reason", "entity_id")} == {
        k: stored[k] for k in ("old", "new", "reason", "entity_id")
    }
