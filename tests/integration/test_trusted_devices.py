"""Remembered devices through the services, on SQLite and PostgreSQL: a device opens with its
PIN; wrong PINs lock it; revoking it ends its sessions at once; a PIN without the device's
credential gets nothing; the throttle slows guessing across devices; the clinic sees and
revokes only its own patients' devices; an administrator's reset forgets them all."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain import device_trust as rules
from alsrx.errors import NotFound, PermissionDenied, TooManyRequests
from alsrx.services import (
    accounts,
    api_tokens,
    device_management,
    password_resets,
    passwords,
    throttle,
    trusted_devices,
)
from alsrx.services import actor as actor_mod

PIN = "2468"
SECRET = b"test server secret"


def actor_of(world, username):
    with transaction(world.factory, write=False) as s:
        return actor_mod.load(s, accounts.user_by_name(s, username))


def password_session(world, username):
    with transaction(world.factory) as s:
        user = accounts.user_by_name(s, username)
        return api_tokens.issue_token(s, actor_mod.load(s, user), user, kind="session")


def remember(world, username="patient", label="Phone (Chrome)", pin=PIN):
    """A fresh password session remembers a device; the device's secret."""
    token = password_session(world, username)
    who = actor_of(world, username)
    secret = trusted_devices.new_secret()
    pin_hash = passwords.hash_password(pin)
    with transaction(world.factory) as s:
        trusted_devices.trust(
            s,
            who,
            token=token,
            label=label,
            secret=secret,
            pin_hash=pin_hash,
            now=models.utcnow(),
        )
    return secret


def pin_sign_in(world, secret, pin, address="203.0.113.9"):
    """The PIN step as the edge runs it: throttle, read, verify outside, record."""
    now = models.utcnow()
    keys = trusted_devices.pin_keys(SECRET, secret, address)
    with transaction(world.factory) as s:
        throttle.count_attempt(s, keys, now=now)
    with transaction(world.factory, write=False) as s:
        found = trusted_devices.credential(s, secret, now=now)
    if found is None or found.status != rules.ACTIVE:
        return found
    ok = passwords.verify(found.pin_hash, pin)
    with transaction(world.factory) as s:
        return trusted_devices.record_pin(s, found.device_id, ok=ok, address=address, now=now)


def device_id(world, secret):
    with transaction(world.factory, write=False) as s:
        found = trusted_devices.credential(s, secret, now=models.utcnow())
        assert found is not None
        return found.device_id


def reaches_api(world, token):
    headers = {"Authorization": f"Bearer {token}"}
    return world.client.get(f"/api/v1/patients/{world.patient_a}", headers=headers).status_code


def audit_actions(world):
    with transaction(world.factory, write=False) as s:
        query = select(models.AuditEvent.action, models.AuditEvent.new).order_by(
            models.AuditEvent.seq
        )
        return s.execute(query).all()


def test_a_remembered_device_signs_in_with_its_pin(world):
    secret = remember(world)
    outcome = pin_sign_in(world, secret, PIN)
    assert outcome.token and outcome.role == "patient"
    assert reaches_api(world, outcome.token) == 200
    with transaction(world.factory, write=False) as s:
        row = s.scalars(
            select(models.ApiToken).where(
                models.ApiToken.token_hash == api_tokens.hash_token(outcome.token)
            )
        ).one()
        assert row.device_id == device_id(world, secret) and row.kind == "session"
    actions = [a for a, _ in audit_actions(world)]
    assert "device_trust" in actions and "device_pin_sign_in" in actions


def test_wrong_pins_lock_the_device_and_a_locked_device_refuses_the_right_pin(world):
    secret = remember(world)
    live = pin_sign_in(world, secret, PIN).token
    lefts = [pin_sign_in(world, secret, "1357").attempts_left for _ in range(rules.MAX_FAILED_PINS)]
    assert lefts == [4, 3, 2, 1, 0]
    assert pin_sign_in(world, secret, PIN).status == rules.LOCKED  # the right PIN, too late
    assert reaches_api(world, live) == 401  # the lock ended the device's session
    assert "device_locked" in [a for a, _ in audit_actions(world)]


def test_a_right_pin_resets_the_count_of_wrong_ones(world):
    secret = remember(world)
    for _ in range(rules.MAX_FAILED_PINS - 1):
        pin_sign_in(world, secret, "1357")
    assert pin_sign_in(world, secret, PIN).token
    assert pin_sign_in(world, secret, "1357").attempts_left == rules.MAX_FAILED_PINS - 1


def test_revoking_a_device_by_the_clinic_ends_its_session_at_once(world):
    secret = remember(world)
    token = pin_sign_in(world, secret, PIN).token
    assert reaches_api(world, token) == 200
    clinician = actor_of(world, "clinician")
    target = device_id(world, secret)
    with transaction(world.factory) as s:
        assert device_management.revoke(
            s,
            clinician,
            target,
            now=models.utcnow(),
            reason="phone lost",
            patient_id=world.patient_a,
        )
    assert reaches_api(world, token) == 401
    assert pin_sign_in(world, secret, PIN).status == rules.REVOKED
    revoked = [new for a, new in audit_actions(world) if a == "device_revoke"]
    assert revoked == [{"user_id": actor_of(world, "patient").user_id, "sessions_ended": 1}]


def test_a_device_revoked_directly_in_the_database_refuses_its_session_at_the_next_request(world):
    """The check is in the one authentication query, not only in the revoke service."""
    secret = remember(world)
    token = pin_sign_in(world, secret, PIN).token
    with transaction(world.factory) as s:
        table = models.table(models.TrustedDevice)
        s.execute(update(table).values(expires_at=models.utcnow() - dt.timedelta(seconds=1)))
    assert reaches_api(world, token) == 401


def test_a_pin_without_the_device_credential_gets_nothing(world):
    remember(world)
    assert pin_sign_in(world, "", PIN) is None
    assert pin_sign_in(world, trusted_devices.new_secret(), PIN) is None  # forged cookie
    with transaction(world.factory, write=False) as s:
        sessions = s.scalars(
            select(models.ApiToken).where(models.ApiToken.device_id.is_not(None))
        ).all()
    assert sessions == []


def test_guessing_across_devices_from_one_address_is_throttled(world):
    for _ in range(rules.ADDRESS_ATTEMPTS_PER_WINDOW):
        assert pin_sign_in(world, trusted_devices.new_secret(), PIN, address="198.51.100.7") is None
    with pytest.raises(TooManyRequests):
        pin_sign_in(world, trusted_devices.new_secret(), PIN, address="198.51.100.7")
    # Another address is not slowed by it.
    assert pin_sign_in(world, trusted_devices.new_secret(), PIN, address="198.51.100.8") is None


def test_one_device_cookie_is_throttled_whichever_address_it_comes_from(world):
    secret = trusted_devices.new_secret()  # counted by its cookie, known to us or not
    for i in range(rules.DEVICE_ATTEMPTS_PER_WINDOW):
        assert pin_sign_in(world, secret, PIN, address=f"192.0.2.{i}") is None
    with pytest.raises(TooManyRequests):
        pin_sign_in(world, secret, PIN, address="192.0.2.99")


def test_a_clinician_of_another_centre_can_neither_list_nor_revoke(world):
    secret = remember(world)
    other = actor_of(world, "clinician_b")
    now = models.utcnow()
    target = device_id(world, secret)
    with transaction(world.factory) as s:
        with pytest.raises(NotFound):
            device_management.listed(s, other, now=now, patient_id=world.patient_a)
        with pytest.raises(NotFound):
            device_management.revoke(s, other, target, now=now)
    assert pin_sign_in(world, secret, PIN).token


def test_the_clinic_and_the_caregiver_see_the_patients_and_caregivers_devices(world):
    remember(world, "patient", label="Mum's phone")
    remember(world, "caregiver", label="Family tablet")
    now = models.utcnow()
    with transaction(world.factory, write=False) as s:
        clinic = device_management.listed(
            s, actor_of(world, "clinician"), now=now, patient_id=world.patient_a
        )
        carer = device_management.listed(s, actor_of(world, "caregiver"), now=now)
        patient = device_management.listed(s, actor_of(world, "patient"), now=now)
    assert {d.label for d in clinic} == {"Mum's phone", "Family tablet"}
    assert {d.label for d in carer} == {"Mum's phone", "Family tablet"}
    assert {d.label for d in patient} == {"Mum's phone"}


def test_a_caregiver_may_revoke_the_patients_device_but_the_patient_not_the_caregivers(world):
    mine = remember(world, "patient")
    theirs = remember(world, "caregiver")
    now = models.utcnow()
    patient, carer = actor_of(world, "patient"), actor_of(world, "caregiver")
    mine_id, theirs_id = device_id(world, mine), device_id(world, theirs)
    with transaction(world.factory) as s, pytest.raises(NotFound):
        device_management.revoke(s, patient, theirs_id, now=now)
    with transaction(world.factory) as s:
        assert device_management.revoke(s, carer, mine_id, now=now)


def test_only_patients_and_caregivers_after_a_fresh_password_sign_in_may_remember(world):
    with pytest.raises(PermissionDenied):
        remember(world, "clinician")
    secret = remember(world)
    pin_session = pin_sign_in(world, secret, PIN).token
    fresh = password_session(world, "patient")
    who = actor_of(world, "patient")
    stale = models.utcnow() + rules.FRESH_SIGN_IN + dt.timedelta(minutes=1)
    with transaction(world.factory, write=False) as s:
        assert not trusted_devices.may_trust_here(s, who, pin_session, now=models.utcnow())
        assert trusted_devices.may_trust_here(s, who, fresh, now=models.utcnow())
        assert not trusted_devices.may_trust_here(s, who, fresh, now=stale)


def test_an_administrators_reset_code_forgets_the_devices_and_ends_their_sessions(world):
    admin = actor_of(world, "admin")
    for who in ("patient", "caregiver"):
        secret = remember(world, who)
        token = pin_sign_in(world, secret, PIN).token
        with transaction(world.factory) as s:
            user = accounts.user_by_name(s, who)
            password_resets.issue(s, admin, user.id, now=models.utcnow())
        assert reaches_api(world, token) == 401
        assert pin_sign_in(world, secret, PIN).status == rules.REVOKED


def test_the_audit_trail_holds_no_pin_and_no_secret(world):
    secret = remember(world, pin="97531")
    pin_sign_in(world, secret, "97531")
    pin_sign_in(world, secret, "86420")
    text = repr(audit_actions(world))
    with transaction(world.factory, write=False) as s:
        row = s.scalars(select(models.TrustedDevice)).one()
    for needle in ("97531", "86420", secret, row.secret_hash, row.pin_hash):
        assert needle not in text


def test_a_second_device_of_the_same_name_is_numbered_so_each_button_has_its_own_name(world):
    remember(world, label="Phone (Chrome)")
    remember(world, label="Phone (Chrome)")
    with transaction(world.factory, write=False) as s:
        views = device_management.listed(s, actor_of(world, "patient"), now=models.utcnow())
    assert sorted(v.label for v in views) == ["Phone (Chrome)", "Phone (Chrome) 2"]


def test_a_caregiver_does_not_see_another_caregivers_devices(world):
    with transaction(world.factory) as s:
        other = models.User(username="second-carer", password_hash="x", role="caregiver", lang="en")
        s.add(other)
        s.flush()
        s.add(models.CaregiverLink(user_id=other.id, patient_id=world.patient_a))
    remember(world, "patient", label="Mum's phone")
    remember(world, "second-carer", label="Son's phone")
    now = models.utcnow()
    with transaction(world.factory, write=False) as s:
        carer = device_management.listed(s, actor_of(world, "caregiver"), now=now)
        clinic = device_management.listed(
            s, actor_of(world, "clinician"), now=now, patient_id=world.patient_a
        )
    assert {d.label for d in carer} == {"Mum's phone"}
    assert {d.label for d in clinic} == {"Mum's phone", "Son's phone"}
