"""Calendar links on SQLite and PostgreSQL: only the token's hash is stored, every change is
audited without the token, a link stops with its revocation or its maker's reach, and
migration 0013 goes down and up."""

import datetime as dt

import pytest
from sqlalchemy import delete, inspect, select
from tests.db_fixtures import build_world

from alsrx.db import models
from alsrx.db.migrate import downgrade, upgrade
from alsrx.db.session import make_engine, transaction
from alsrx.errors import Conflict, NotFound, PermissionDenied
from alsrx.services import actor as actor_mod
from alsrx.services import calendar_links

NOW = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)


def _actor(s, username):
    user = s.scalars(select(models.User).where(models.User.username == username)).one()
    return actor_mod.load(s, user)


def _make(factory, username, patient_id):
    with transaction(factory) as s:
        made = calendar_links.create(s, _actor(s, username), patient_id)
        return made.link.id, made.token


def _opens(factory, token):
    with transaction(factory, write=False) as s:
        try:
            return calendar_links.patient_for_token(s, token)
        except NotFound:
            return None


def test_only_the_tokens_hash_is_stored_and_the_audit_never_holds_the_token(factory):
    world = build_world(factory, None)
    link_id, token = _make(factory, "patient", world.patient_a)
    assert len(token) >= 43  # 32 random bytes
    with transaction(factory, write=False) as s:
        row = s.get(models.CalendarLink, link_id)
        assert row.token_hash == calendar_links.hash_token(token) != token
        events = s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.entity == "calendar_link")
        ).all()
    assert [(e.action, e.entity_id) for e in events] == [("create", link_id)]
    assert token not in repr([(e.old, e.new, e.reason) for e in events])
    assert _opens(factory, token) == world.patient_a


def test_a_revoked_link_opens_nothing_and_its_revocation_is_audited_once(factory):
    world = build_world(factory, None)
    link_id, token = _make(factory, "caregiver", world.patient_a)
    for _ in range(2):  # revoking twice changes nothing the second time
        with transaction(factory) as s:
            calendar_links.revoke(s, _actor(s, "clinician"), link_id, now=NOW)
    assert _opens(factory, token) is None
    with transaction(factory, write=False) as s:
        actions = s.scalars(
            select(models.AuditEvent.action).where(models.AuditEvent.entity_id == link_id)
        ).all()
        listed = calendar_links.for_patient(s, _actor(s, "patient"), world.patient_a)
    assert actions == ["create", "revoke"]
    assert listed == []


def test_a_link_stops_when_its_maker_can_no_longer_see_the_patient(factory):
    world = build_world(factory, None)
    _, token = _make(factory, "caregiver", world.patient_a)
    _, patients_own = _make(factory, "patient", world.patient_a)
    with transaction(factory) as s:
        s.execute(delete(models.CaregiverLink))  # the caregiver is unlinked
    assert _opens(factory, token) is None
    assert _opens(factory, patients_own) == world.patient_a
    with transaction(factory) as s:
        user = s.scalars(select(models.User).where(models.User.username == "patient")).one()
        user.is_active = False
    assert _opens(factory, patients_own) is None


def test_no_one_reaches_another_patients_links(factory):
    world = build_world(factory, None)
    link_id, token = _make(factory, "clinician_b", world.patient_b)
    for who in ("patient", "caregiver", "clinician"):
        with transaction(factory) as s:
            actor = _actor(s, who)
            with pytest.raises(NotFound):
                calendar_links.create(s, actor, world.patient_b)
            with pytest.raises(NotFound):
                calendar_links.revoke(s, actor, link_id, now=NOW)
            with pytest.raises(NotFound):
                calendar_links.for_patient(s, actor, world.patient_b)
    with transaction(factory) as s, pytest.raises(PermissionDenied):
        calendar_links.create(s, _actor(s, "researcher"), world.patient_a)
    assert _opens(factory, token) == world.patient_b


def test_a_patient_has_at_most_ten_working_links(factory):
    world = build_world(factory, None)
    assert "10" in calendar_links.TOO_MANY and calendar_links.MAX_ACTIVE == 10
    made = [_make(factory, "patient", world.patient_a) for _ in range(calendar_links.MAX_ACTIVE)]
    with transaction(factory) as s, pytest.raises(Conflict):
        calendar_links.create(s, _actor(s, "patient"), world.patient_a)
    with transaction(factory) as s:
        calendar_links.revoke(s, _actor(s, "patient"), made[0][0], now=NOW)
    _make(factory, "patient", world.patient_a)


def test_an_empty_or_overlong_token_opens_nothing(factory):
    build_world(factory, None)
    assert _opens(factory, "") is None
    assert _opens(factory, "a" * 500) is None


def test_migration_0013_goes_down_and_up(db_url):
    def columns():
        engine = make_engine(db_url)
        try:
            found = inspect(engine)
            if "calendar_links" not in found.get_table_names():
                return None
            return {c["name"] for c in found.get_columns("calendar_links")}
        finally:
            engine.dispose()

    expected = {"id", "patient_id", "token_hash", "created_by", "created_at", "revoked_at"}
    assert columns() == expected
    downgrade(db_url, "0012")
    assert columns() is None
    upgrade(db_url)
    assert columns() == expected
