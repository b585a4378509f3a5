"""Two-step sign-in with TOTP: enrolment with a local QR code, the second step on pages and
the API, recovery codes, no replays, throttled guesses, and an administrator's reset."""

import datetime as dt
import re

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.db_fixtures import AUDIT_KEY, PASSWORD, build_world
from tests.web.test_pages import login_csrf

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.services import mfa
from alsrx.services.actor import SYSTEM
from alsrx.settings import Settings
from alsrx.web.app import create_app

TOKEN = "/api/v1/auth/token"


@pytest.fixture
def strict(db_url, engine, factory):
    """The default policy: admins, clinicians and researchers need a second factor."""
    settings = Settings(
        database_url=db_url, demo_mode=True, cookie_secure=False, audit_key=AUDIT_KEY
    )
    with TestClient(create_app(settings, engine=engine), raise_server_exceptions=False) as c:
        yield build_world(factory, c)


def post_login(c, username):
    data = {"username": username, "password": PASSWORD, "login_csrf": login_csrf(c)}
    return c.post("/login", data=data, follow_redirects=False)


def code_at(secret, offset_steps=0):
    now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30 * offset_steps)
    return pyotp.TOTP(secret).at(now)


def enrol(c, username):
    """Sign in, follow the required enrolment, confirm: the secret and the recovery codes."""
    r = post_login(c, username)
    assert r.status_code == 303 and r.headers["location"] == "/account/mfa", r.text
    page = c.get("/account/mfa")
    assert page.status_code == 200
    assert re.search(r'<img class="qr" src="data:image/svg\+xml', page.text)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page.text).group(1)
    secret = secret.replace(" ", "")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    first = code_at(secret)
    done = c.post("/account/mfa/confirm", data={"csrf": csrf, "code": first})
    assert done.status_code == 200, done.text
    codes = re.findall(r"<li><code>([a-z0-9-]{19})</code></li>", done.text)
    return secret, codes, first


def test_an_admin_must_enrol_before_reaching_anything(strict):
    c = strict.client
    r = post_login(c, "admin")
    assert r.headers["location"] == "/account/mfa"
    assert c.get("/admin", follow_redirects=False).status_code == 303
    assert c.get("/api/v1/me").status_code == 401
    api = c.post(TOKEN, json={"username": "admin", "password": PASSWORD})
    assert api.status_code == 403


def test_enrolment_gives_ten_recovery_codes_and_a_session(strict):
    c = strict.client
    secret, codes, _first = enrol(c, "clinician")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert c.get("/clinic", follow_redirects=False).status_code == 200
    with transaction(strict.factory, write=False) as s:
        stored = s.scalars(select(models.MfaSecret.secret_encrypted)).one()
        hashes = s.scalars(select(models.RecoveryCode.code_hash)).all()
        trail = s.scalars(select(models.AuditEvent.action)).all()
    assert secret not in stored and not any(code.replace("-", "") in hashes for code in codes)
    assert "mfa_enrol" in trail


def test_the_second_step_on_the_page_refuses_a_replayed_code(strict):
    c = strict.client
    secret, _codes, first = enrol(c, "clinician")
    c.cookies.clear()
    r = post_login(c, "clinician")
    assert r.headers["location"] == "/login/totp"
    assert c.get("/clinic", follow_redirects=False).status_code == 303  # not signed in yet
    page = c.get("/login/totp")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    replay = c.post("/login/totp", data={"csrf": csrf, "code": first})
    assert replay.status_code == 401
    ok = c.post(
        "/login/totp", data={"csrf": csrf, "code": code_at(secret, 1)}, follow_redirects=False
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/clinic"
    assert c.get("/clinic", follow_redirects=False).status_code == 200


def test_the_api_asks_for_the_code_and_takes_a_recovery_code_once(strict):
    c = strict.client
    secret, codes, _first = enrol(c, "researcher")
    asked = c.post(TOKEN, json={"username": "researcher", "password": PASSWORD})
    assert asked.status_code == 401 and asked.json()["error"]["code"] == "mfa_required"
    body = {"username": "researcher", "password": PASSWORD, "totp": code_at(secret, 1)}
    assert c.post(TOKEN, json=body).status_code == 200
    assert c.post(TOKEN, json=body).status_code == 401  # the same code again
    recovery = {"username": "researcher", "password": PASSWORD, "totp": codes[0]}
    assert c.post(TOKEN, json=recovery).status_code == 200
    assert c.post(TOKEN, json=recovery).status_code == 401


def test_wrong_codes_are_throttled(strict):
    c = strict.client
    enrol(c, "clinician")
    body = {"username": "clinician", "password": PASSWORD, "totp": "000000"}
    statuses = [c.post(TOKEN, json=body).status_code for _ in range(6)]
    assert statuses[-1] == 429 and set(statuses[:5]) <= {401}


def test_an_administrators_reset_sends_the_user_back_to_enrolment(strict):
    c = strict.client
    enrol(c, "clinician")
    with transaction(strict.factory) as s:
        user = s.scalars(select(models.User).where(models.User.username == "clinician")).one()
        assert mfa.reset(s, SYSTEM, user)
    c.cookies.clear()
    assert post_login(c, "clinician").headers["location"] == "/account/mfa"


def test_demo_accounts_are_exempt_in_demo_mode_only():
    demo = Settings(demo_mode=True)
    assert not demo.mfa_required("admin", "demo-admin")
    assert demo.mfa_required("admin", "admin") and demo.mfa_required("clinician", "c")
    assert Settings().mfa_required("admin", "demo-admin")
    assert not Settings(mfa_required_roles=frozenset()).mfa_required("clinician", "c")
    assert Settings(mfa_required_roles=frozenset()).mfa_required("admin", "a")
