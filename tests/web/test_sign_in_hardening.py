"""Signing in under attack and under load: argon2 outside the write lock, throttling shared
through the database, bounded and hashed failure records, the same time for unknown users."""

import json
import sqlite3
import threading
import time

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.db_fixtures import PASSWORD

from alsrx.db import models
from alsrx.db.session import transaction, writer
from alsrx.services import throttle

TOKEN = "/api/v1/auth/token"


def attempt(client, username, password="wrong password here"):
    return client.post(TOKEN, json={"username": username, "password": password})


def from_address(app, address):
    return TestClient(app, raise_server_exceptions=False, client=(address, 50000))


@pytest.fixture
def argon2_calls(monkeypatch):
    """Each argon2 verification, with whether this process's SQLite writer lock was held then
    (a spy on the third-party hasher, not on our code)."""
    calls = []
    real = PasswordHasher.verify

    def spy(self, stored, password):
        calls.append(calls_state["lock"]() if calls_state["lock"] else False)
        return real(self, stored, password)

    calls_state = {"lock": None}
    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return calls, calls_state


def test_the_password_is_checked_while_no_write_lock_is_held(world, app, argon2_calls):
    calls, state = argon2_calls
    lock = writer(app.state.factory)
    if lock is not None:
        state["lock"] = lock._lock.locked
    assert attempt(world.client, "clinician", PASSWORD).status_code == 200
    assert attempt(world.client, "clinician").status_code == 401
    assert len(calls) == 2 and not any(calls)


def test_an_unknown_username_costs_the_same_argon2_run_as_a_known_one(world, argon2_calls):
    calls, _ = argon2_calls
    assert attempt(world.client, "nobody-has-this-name").status_code == 401
    assert attempt(world.client, "clinician").status_code == 401
    assert len(calls) == 2


def test_a_write_meeting_a_lock_held_by_another_process_is_told_to_retry(world, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's file lock")
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        r = world.client.post(
            f"/api/v1/patients/{world.patient_a}/prescriptions", headers=world.as_("clinician")
        )
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "service_unavailable"
    assert int(r.headers["Retry-After"]) >= 1
    assert waited < 5


def test_five_wrong_passwords_from_one_address_slow_that_address_only(world, app):
    here, elsewhere = from_address(app, "10.0.0.1"), from_address(app, "10.0.0.2")
    assert [attempt(here, "clinician").status_code for _ in range(6)] == [401] * 5 + [429]
    refused = attempt(here, "clinician", PASSWORD)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 900
    assert attempt(elsewhere, "clinician", PASSWORD).status_code == 200


def test_a_right_password_gives_its_attempt_back(world, app):
    here = from_address(app, "10.0.0.3")
    for _ in range(3):
        assert attempt(here, "clinician").status_code == 401
        assert attempt(here, "clinician", PASSWORD).status_code == 200
    assert attempt(here, "clinician", PASSWORD).status_code == 200


def test_guesses_from_many_addresses_are_limited_per_account_too(world, app):
    for n in range(4):
        client = from_address(app, f"10.0.1.{n}")
        assert [attempt(client, "patient").status_code for _ in range(5)] == [401] * 5
    late = attempt(from_address(app, "10.0.1.99"), "patient", PASSWORD)
    assert late.status_code == 429 and "Retry-After" in late.headers


def test_one_address_trying_many_accounts_is_limited(world, app):
    stuffer = from_address(app, "10.0.2.1")
    statuses = [attempt(stuffer, f"user-{n}").status_code for n in range(throttle.ADDRESS_LIMIT)]
    assert set(statuses) == {401}
    assert attempt(stuffer, "clinician", PASSWORD).status_code == 429
    assert attempt(from_address(app, "10.0.2.2"), "clinician", PASSWORD).status_code == 200


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(world, app):
    spoofer = from_address(app, "10.0.3.1")
    for n in range(6):
        r = spoofer.post(
            TOKEN,
            json={"username": "caregiver", "password": "wrong password here"},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        )
    assert r.status_code == 429


def test_a_burst_of_concurrent_guesses_lets_through_at_most_the_limit(world, app, db_url):
    client = from_address(app, "10.0.4.1")
    statuses, lock = [], threading.Lock()

    def guess():
        status = attempt(client, "researcher").status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=guess) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(401) <= throttle.PAIR_LIMIT
    assert statuses.count(401) + statuses.count(429) == 24


@pytest.mark.parametrize(
    ("length", "status", "path"), [(101, 422, "username"), (5_000_000, 413, "(body)")]
)
def test_a_too_long_username_is_refused_naming_the_field_and_nothing_is_stored(
    world, length, status, path
):
    r = attempt(world.client, "x" * length)  # 5 MB: past the body limit, refused unread
    assert r.status_code == status, r.text[:200]
    assert [f["path"] for f in r.json()["error"]["fields"]] == [path]
    with transaction(world.factory, write=False) as s:
        failed = s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "login_failed")
        ).all()
    assert failed == []


def test_a_failed_sign_in_is_audited_with_a_bounded_hash_not_the_text(world):
    typed = "my-password-typed-in-the-wrong-box"
    assert attempt(world.client, typed).status_code == 401
    with transaction(world.factory, write=False) as s:
        event = s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "login_failed")
        ).one()
        throttled = s.scalars(select(models.LoginThrottle.key)).all()
    stored = json.dumps(event.new)
    assert typed not in stored and len(event.new["username_hmac"]) == 64
    assert all(len(key) == 64 for key in throttled) and typed not in "".join(throttled)


def test_a_too_long_username_on_the_page_is_refused_naming_the_field(world):
    from tests.web.test_pages import login_csrf

    c = world.client
    r = c.post("/login", data={"username": "u" * 101, "password": "p", "login_csrf": login_csrf(c)})
    assert r.status_code == 422 and "Username: must be 1 to 100 characters long" in r.text
