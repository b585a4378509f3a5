"""What an audit event may hold: only what reads back from the database exactly as it was MAC'd."""

import pytest

from alsrx.errors import InvalidInput
from alsrx.services import audit_codec
from alsrx.services.audit_verify import parse_anchors

EVENT = {
    "seq": 1,
    "at": "2026-12-01T11:00:00.000000+00:00",
    "actor_id": 7,
    "actor_role": "clinician",
    "action": "update",
    "entity": "patient",
    "entity_id": "p-1",
    "old": {"weight_kg": 74.5},
    "new": {"weight_kg": 73.0},
    "reason": "re-weighed",
}


def refused_field(**changes):
    with pytest.raises(InvalidInput) as caught:
        audit_codec.check(EVENT | changes)
    return caught.value.errors[0].path


def test_a_plain_event_is_accepted_and_its_canonical_form_is_sorted_compact_json():
    text = audit_codec.check(dict(EVENT))
    assert text.startswith('{"action":"update","actor_id":7') and " " not in text.split('"at"')[0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": 5}, "reason"),  # a Text column would give back "5"
        ({"reason": ["a", "b"]}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "no\x00nul"}, "reason"),  # PostgreSQL text cannot hold NUL
        ({"action": "a" * 41}, "action"),  # String(40): PostgreSQL would refuse, SQLite keep
        ({"action": None}, "action"),
        ({"entity": 3}, "entity"),
        ({"entity_id": "i" * 65}, "entity_id"),
        ({"actor_role": "r" * 21}, "actor_role"),
        ({"actor_id": True}, "actor_id"),
        ({"actor_id": 2**31}, "actor_id"),  # beyond PostgreSQL's integer
        ({"old": {"x": float("nan")}}, "old"),
        ({"new": {"x": float("inf")}}, "new"),
        ({"new": {1: "int key, read back as '1'"}}, "new"),
        ({"new": {"pair": (1, 2)}}, "new"),  # read back as a list
        ({"new": ["not", "an", "object"]}, "new"),
        ({"new": {"big": "x" * 70_000}}, "new"),
        ({"old": {"when": __import__("datetime").date(2026, 1, 1)}}, "old"),
    ],
)
def test_a_field_that_would_not_read_back_as_stored_is_refused_by_name(changes, field):
    assert refused_field(**changes) == field


def test_a_lone_surrogate_anywhere_is_refused_as_not_utf8():
    assert refused_field(new={"note": "\ud800"}) == "(event)"


def test_deep_nesting_is_refused_not_a_crash():
    deep: dict = {}
    for _ in range(5000):
        deep = {"d": deep}
    assert refused_field(new=deep) == "new"


@pytest.mark.parametrize("value", [5, ["x"], {"a": 1}, "", "   ", "x" * 2001])
def test_a_reason_must_be_text_of_1_to_2000_characters(value):
    with pytest.raises(InvalidInput) as caught:
        audit_codec.reason(value, path="note", required=True)
    assert caught.value.errors[0].path == "note"


def test_an_optional_reason_may_be_absent_but_not_empty():
    assert audit_codec.reason(None, path="reason", required=False) is None
    assert audit_codec.reason("typo in weight", path="reason", required=False) == "typo in weight"
    with pytest.raises(InvalidInput):
        audit_codec.reason("", path="reason", required=False)


def test_the_keyed_mac_depends_on_the_key_and_the_legacy_hash_on_nothing_secret():
    text = audit_codec.check(dict(EVENT))
    a = audit_codec.keyed_mac(b"k" * 32, audit_codec.GENESIS, text)
    b = audit_codec.keyed_mac(b"j" * 32, audit_codec.GENESIS, text)
    assert a != b and len(a) == 64
    assert audit_codec.legacy_hash(audit_codec.GENESIS, EVENT) != a


def test_anchor_lines_are_parsed_and_a_bad_line_is_named():
    text = "# anchors\n2026-12-01T11:00:00Z 12 " + "a" * 64 + "\n\n"
    (anchor,) = parse_anchors(text)
    assert (anchor.seq, anchor.mac, anchor.at) == (12, "a" * 64, "2026-12-01T11:00:00Z")
    with pytest.raises(InvalidInput) as caught:
        parse_anchors(text + "2026-12-01 twelve abc\n")
    assert caught.value.errors[0].path == "line 4"
