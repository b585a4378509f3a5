"""The administrator's pages: users, one-time codes, centres, the audit trail, and no way in
for another role."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.db_fixtures import PASSWORD, SQLITE_ONLY
from tests.web.test_pages import csrf_of, login_csrf, sign_in

NEW_PASSWORD = "a quiet river under stone"


def admin(world):
    """An administrator's browser session (admins always need two-step sign-in, which has
    tests of its own: the session is issued as a completed sign-in would issue it)."""
    from alsrx.db.session import transaction
    from alsrx.services import accounts, api_tokens
    from alsrx.services.actor import SYSTEM

    with transaction(world.factory) as s:
        user = accounts.user_by_name(s, "admin")
        token = api_tokens.issue_token(s, SYSTEM, user, kind="session")
    world.client.cookies.set("alsrx_session", token)
    return world.client


def post(c, url, page, data):
    return c.post(url, data={"csrf": csrf_of(c.get(page).text), **data}, follow_redirects=False)


def other_client(world):
    return TestClient(world.client.app, raise_server_exceptions=False)


def code_of(html):
    return re.search(r"<code>([A-Z0-9-]{24})</code>", html).group(1)


@SQLITE_ONLY
def test_a_user_created_through_the_page_can_sign_in(world):
    c = admin(world)
    r = post(
        c,
        "/admin/users",
        "/admin/users/new",
        {
            "username": "new-physio",
            "role": "clinician",
            "centres": str(world.centre_a),
            "password": NEW_PASSWORD,
        },
    )
    assert r.status_code == 303, r.text
    other = other_client(world)
    assert sign_in(other, "new-physio", NEW_PASSWORD).headers["location"] == "/clinic"


@SQLITE_ONLY
def test_a_clinician_without_a_centre_is_refused_at_the_field(world):
    c = admin(world)
    r = post(c, "/admin/users", "/admin/users/new", {"username": "x1", "role": "clinician"})
    assert r.status_code == 422 and 'id="err-centre"' in r.text


@SQLITE_ONLY
def test_disabling_a_user_ends_their_session_at_once(world):
    other = other_client(world)
    sign_in(other, "clinician")
    assert other.get("/clinic").status_code == 200
    c = admin(world)
    uid = _user_id(c, "clinician")
    r = post(c, f"/admin/users/{uid}/disable", f"/admin/users/{uid}", {})
    assert r.status_code == 303
    assert other.get("/clinic", follow_redirects=False).status_code == 303  # to the sign-in


def _user_id(c, username):
    page = c.get(f"/admin/users?search={username}").text
    return re.search(rf'href="/admin/users/(\d+)">{username}</a>', page).group(1)


def _reset_sign_in(client, username, code, new=NEW_PASSWORD):
    page = client.get("/login/reset").text
    token = re.search(r'name="login_csrf" value="([0-9a-f]+)"', page).group(1)
    return client.post(
        "/login/reset",
        data={"username": username, "code": code, "new": new, "login_csrf": token},
        follow_redirects=False,
    )


@SQLITE_ONLY
def test_a_reset_code_works_once_and_ends_the_old_password(world, caplog):
    caplog.set_level("DEBUG")
    other = other_client(world)
    sign_in(other, "clinician")
    c = admin(world)
    uid = _user_id(c, "clinician")
    r = post(c, f"/admin/users/{uid}/reset", f"/admin/users/{uid}", {})
    code = code_of(r.text)
    assert other.get("/clinic", follow_redirects=False).status_code == 303
    fresh = other_client(world)
    r = fresh.post(
        "/login",
        data={"username": "clinician", "password": PASSWORD, "login_csrf": login_csrf(fresh)},
        follow_redirects=False,
    )
    assert r.status_code == 401
    assert _reset_sign_in(fresh, "clinician", "bad", "short").status_code == 422
    r = _reset_sign_in(fresh, "clinician", code.lower().replace("-", " "))
    assert r.status_code == 303 and r.headers["location"] == "/clinic"
    assert _reset_sign_in(other_client(world), "clinician", code).status_code == 401
    assert sign_in(other_client(world), "clinician", NEW_PASSWORD).status_code == 303
    trail = c.get("/admin/audit?entity=user").text
    assert code not in trail and code.replace("-", "") not in trail
    assert not any(code.replace("-", "") in r.getMessage().replace("-", "") for r in caplog.records)
    with world.factory() as s:
        from sqlalchemy import text

        stored = " ".join(
            str(row) for row in s.execute(text("select old, new, reason from audit_events"))
        )
    assert code.replace("-", "") not in stored.replace("-", "")


@SQLITE_ONLY
def test_an_expired_code_is_refused(world):
    import datetime as dt

    from sqlalchemy import update

    from alsrx.db import models

    c = admin(world)
    uid = _user_id(c, "researcher")
    code = code_of(post(c, f"/admin/users/{uid}/reset", f"/admin/users/{uid}", {}).text)
    with world.factory() as s, s.begin():
        s.execute(
            update(models.PasswordReset).values(
                expires_at=models.utcnow() - dt.timedelta(minutes=1)
            )
        )
    assert _reset_sign_in(other_client(world), "researcher", code).status_code == 401


@SQLITE_ONLY
def test_a_role_and_centre_change_is_audited_in_words(world):
    c = admin(world)
    uid = _user_id(c, "researcher")
    r = post(
        c,
        f"/admin/users/{uid}/role",
        f"/admin/users/{uid}",
        {
            "role": "clinician",
            "centres": [str(world.centre_a), str(world.centre_b)],
            "reason": "joined the clinic",
        },
    )
    assert r.status_code == 303
    trail = c.get("/admin/audit?entity=user&action=update").text
    assert "Role: Researcher → Clinician" in trail
    assert "Centres: Centre A → Centre A, Centre B" in trail
    assert "joined the clinic" in trail and "{" not in trail.split("<main")[1]


@SQLITE_ONLY
def test_an_admin_links_a_caregiver_by_patient_code(world):
    c = admin(world)
    uid = _user_id(c, "caregiver")
    page = f"/admin/users/{uid}"
    r = post(
        c, f"{page}/links", page, {"patient_centre": str(world.centre_b), "patient_code": "Z-9"}
    )
    assert r.status_code == 422 and "no patient has this code" in r.text
    r = post(
        c, f"{page}/links", page, {"patient_centre": str(world.centre_b), "patient_code": "B-001"}
    )
    assert r.status_code == 303
    assert "B-001 at Centre B" in c.get(page).text


@SQLITE_ONLY
def test_a_bad_emergency_number_is_refused_at_its_field(world):
    c = admin(world)
    r = post(c, "/admin/centres", "/admin", {"name": "Centre C", "emergency_number": "12 0"})
    assert r.status_code == 422 and 'id="err-emergency_number"' in r.text
    assert "Centre C" not in c.get("/admin").text.split("New centre")[0]
    r = post(c, "/admin/centres", "/admin", {"name": "Centre C", "emergency_number": "120"})
    assert r.status_code == 303
    cid = re.search(r'href="/admin/centres/(\d+)">Centre C<', c.get("/admin").text).group(1)
    r = post(
        c,
        f"/admin/centres/{cid}",
        f"/admin/centres/{cid}",
        {"name": "Centre C", "emergency_number": "x"},
    )
    assert r.status_code == 422 and "digits" in r.text
    r = post(
        c,
        f"/admin/centres/{cid}",
        f"/admin/centres/{cid}",
        {"name": "Centre C2", "emergency_number": "999"},
    )
    assert r.status_code == 303 and "Centre C2" in c.get("/admin").text


@SQLITE_ONLY
def test_the_audit_view_filters_and_verifies_the_chain(world):
    c = admin(world)
    r = c.get("/admin/audit?entity=centre")
    assert r.status_code == 200 and "Centre A" in r.text
    r = post(c, "/admin/audit/verify", "/admin/audit", {})
    assert r.status_code == 200 and "Verified" in r.text


ADMIN_URLS = [
    "/admin",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/1",
    "/admin/audit",
    "/admin/centres/1",
]


@SQLITE_ONLY
@pytest.mark.parametrize("role", ["clinician", "researcher", "patient", "caregiver"])
def test_no_other_role_reaches_an_admin_page(world, role):
    sign_in(world.client, role)
    for url in ADMIN_URLS:
        assert world.client.get(url).status_code in (403, 404), url
