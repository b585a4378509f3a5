"""Defences of the browser session: CSRF on the cookie-authenticated API and the sign-in form,
JSON bodies only, __Host- cookies and HSTS when Secure, no framing."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.db_fixtures import AUDIT_KEY, PASSWORD
from tests.web.test_pages import csrf_of, login_csrf, sign_in

from alsrx.settings import Settings
from alsrx.web.app import create_app


def test_a_cookie_alone_cannot_write_through_the_api(world):
    c = world.client
    sign_in(c, "clinician")
    path = f"/api/v1/patients/{world.patient_a}/prescriptions"
    forged = c.post(path)
    assert forged.status_code == 403
    token = csrf_of(c.get("/account").text)
    allowed = c.post(path, headers={"X-CSRF-Token": token})
    assert allowed.status_code not in (401, 403), allowed.text
    assert c.get("/api/v1/me").status_code == 200  # reads need no token


def test_an_api_body_that_is_not_json_is_refused_with_415(world):
    r = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        content=b"code=A",
        headers=world.as_("clinician") | {"Content-Type": "text/plain"},
    )
    assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_media_type"
    login = world.client.post("/api/v1/auth/token", data={"username": "a", "password": "b"})
    assert login.status_code == 415


def test_the_sign_in_form_needs_its_own_csrf_token(world):
    c = world.client
    r = c.post("/login", data={"username": "clinician", "password": PASSWORD})
    assert r.status_code == 403 and "alsrx_session" not in r.headers.get("set-cookie", "")
    login_csrf(c)
    c.cookies.set("alsrx_login", "another-browsers-nonce-xxxxxxxxxxxxxxxxxxxxxx")
    forged = c.post(
        "/login", data={"username": "clinician", "password": PASSWORD, "login_csrf": "0" * 64}
    )
    assert forged.status_code == 403


def test_every_response_refuses_framing(world):
    for r in (
        world.client.get("/login"),
        world.client.get("/api/v1/health"),
        world.client.get("/static/app.css"),
    ):
        assert r.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in world.client.get("/login").headers


@pytest.fixture
def secure_client(db_url, engine, world):
    settings = Settings(
        database_url=db_url,
        cookie_secure=True,
        mfa_required_roles=frozenset(),
        audit_key=AUDIT_KEY,
    )
    with TestClient(create_app(settings, engine=engine), base_url="https://testserver") as c:
        yield c


def test_secure_cookies_use_the_host_prefix_and_responses_carry_hsts(secure_client):
    c = secure_client
    page = c.get("/login")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    token = re.search(r'name="login_csrf" value="([0-9a-f]+)"', page.text).group(1)
    r = c.post(
        "/login",
        data={"username": "clinician", "password": PASSWORD, "login_csrf": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    cookies = r.headers.get_list("set-cookie")
    session = next(x for x in cookies if "alsrx_session" in x)
    assert session.startswith("__Host-alsrx_session=")
    assert "secure" in session.lower() and "path=/" in session.lower()
    assert "domain" not in session.lower()
    assert c.get("/clinic", follow_redirects=False).status_code == 200
