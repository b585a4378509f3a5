"""A plain change of a user's field (language, access settings, enabled or not) is one audit
event of the same shape whichever service made it, and none when nothing changed: the three
paths share accounts.set_fields, and these events are what an auditor reads back."""

import pytest
from sqlalchemy import select

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.services import access_settings, accounts, admin_accounts
from alsrx.services import actor as actor_mod


def actor_of(s, username):
    return actor_mod.load(s, accounts.user_by_name(s, username))


def updates_of(world, username):
    with transaction(world.factory, write=False) as s:
        user = accounts.user_by_name(s, username)
        events = s.scalars(
            select(models.AuditEvent)
            .where(
                models.AuditEvent.entity == "user",
                models.AuditEvent.entity_id == str(user.id),
                models.AuditEvent.action == "update",
            )
            .order_by(models.AuditEvent.seq)
        ).all()
        return [(e.actor_id, e.old, e.new, e.reason) for e in events]


def test_language_and_access_settings_are_audited_once_each_with_old_and_new(world):
    with transaction(world.factory) as s:
        patient = actor_of(s, "patient")
        accounts.set_language(s, patient, "zh")
        accounts.set_language(s, patient, "zh")  # no change: no event
        prefs = access_settings.save(s, patient, {"mode": "dwell", "dwell_s": "1.5"})
        access_settings.save(s, patient, {"mode": "dwell", "dwell_s": "1.5"})
    assert updates_of(world, "patient") == [
        (patient.user_id, {"lang": "en"}, {"lang": "zh"}, None),
        (patient.user_id, {"access_prefs": None}, {"access_prefs": prefs.stored()}, None),
    ]


def test_disabling_and_enabling_are_audited_as_the_field_changing(world):
    with transaction(world.factory) as s:
        admin = actor_of(s, "admin")
        carer = accounts.user_by_name(s, "caregiver")
        accounts.disable_user(s, admin, carer)
        accounts.disable_user(s, admin, carer)  # already disabled: its tokens end, no update
        admin_accounts.enable(s, admin, carer.id)
        admin_accounts.enable(s, admin, carer.id)
    assert updates_of(world, "caregiver") == [
        (admin.user_id, {"is_active": True}, {"is_active": False}, None),
        (admin.user_id, {"is_active": False}, {"is_active": True}, None),
    ]


def test_a_field_outside_the_plain_ones_is_refused_before_anything_changes(world):
    with transaction(world.factory) as s:
        admin = actor_of(s, "admin")
        user = accounts.user_by_name(s, "patient")
        stored = user.password_hash
        with pytest.raises(ValueError, match="password_hash"):
            accounts.set_fields(s, admin, user, {"lang": "zh", "password_hash": "x"})
        assert (user.lang, user.password_hash) == ("en", stored)
    assert updates_of(world, "patient") == []
