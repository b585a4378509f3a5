"""The pages through the ASGI app: sign-in, CSRF, roles, drafts kept across an expired session."""

import re

from tests.db_fixtures import PASSWORD
from tests.web.test_api_basics import VISIT


def login_csrf(client):
    """The sign-in form's pre-session CSRF token (its nonce cookie stays in the client)."""
    page = client.get("/login")
    return re.search(r'name="login_csrf" value="([0-9a-f]+)"', page.text).group(1)


def sign_in(client, username, password=PASSWORD):
    r = client.post(
        "/login",
        data={"username": username, "password": password, "login_csrf": login_csrf(client)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return r


def start_plan(world):
    """An assessment and an approved prescription for patient A, through the API."""
    h = world.as_("clinician")
    world.client.post(f"/api/v1/patients/{world.patient_a}/assessments", json=VISIT, headers=h)
    rx = world.client.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h).json()
    world.client.post(f"/api/v1/prescriptions/{rx['id']}/approve", headers=h)
    return rx


def csrf_of(html):
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def test_pages_need_a_sign_in_and_send_you_back_after_it(world):
    c = world.client
    r = c.get("/clinic", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/clinic"
    r = c.post(
        "/login",
        data={
            "username": "clinician",
            "password": PASSWORD,
            "next": "/clinic",
            "login_csrf": login_csrf(c),
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/clinic"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_a_wrong_password_is_said_in_the_users_language(world):
    c = world.client
    c.cookies.set("alsrx_lang", "zh")
    r = c.post(
        "/login", data={"username": "clinician", "password": "nope", "login_csrf": login_csrf(c)}
    )
    assert r.status_code == 401 and "用户名或密码错误" in r.text


def test_a_form_post_without_the_csrf_token_changes_nothing(world):
    c = world.client
    start_plan(world)
    sign_in(c, "patient")
    r = c.post(
        "/today/done", data={"patient": world.patient_a, "component": "aerobic", "csrf": "forged"}
    )
    assert r.status_code == 403
    sessions = c.get(
        f"/api/v1/patients/{world.patient_a}/sessions", headers=world.as_("clinician")
    ).json()
    assert sessions["sessions"] == []
    page = c.get("/today")
    ok = c.post(
        "/today/done",
        data={"patient": world.patient_a, "component": "aerobic", "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and "saved=aerobic" in ok.headers["location"]
    logged = c.get(
        f"/api/v1/patients/{world.patient_a}/sessions", headers=world.as_("clinician")
    ).json()["sessions"]
    assert [s["entered_as"] for s in logged] == ["patient"]


def test_each_role_sees_only_its_pages(world):
    c = world.client
    sign_in(c, "patient")
    assert c.get("/clinic").status_code == 403
    assert c.get(f"/clinic/patients/{world.patient_a}").status_code == 403
    c.cookies.clear()
    sign_in(c, "clinician")
    assert c.get(f"/clinic/patients/{world.patient_b}").status_code == 404
    assert c.get("/today").status_code == 403


def test_an_expired_session_keeps_what_was_typed(world):
    c = world.client
    sign_in(c, "clinician")
    form = c.get(f"/clinic/patients/{world.patient_a}/assessments/new")
    token = csrf_of(form.text)
    c.cookies.set("alsrx_session", "expired-token")
    typed = {"csrf": token, "date": "2026-10-01", "q1_speech": "3", "fvc_l": "3.3"}
    r = c.post(f"/clinic/patients/{world.patient_a}/assessments", data=typed)
    assert r.status_code == 401 and "what you typed has been kept" in r.text
    draft = re.search(r'name="draft" value="([^"]+)"', r.text).group(1)
    next_page = re.search(r'id="login-next" name="next" value="([^"]+)"', r.text).group(1)
    assert next_page == f"/clinic/patients/{world.patient_a}/assessments/new"
    c.cookies.clear()
    form = {
        "username": "clinician",
        "password": PASSWORD,
        "draft": draft.replace("&#34;", '"'),
        "next": next_page,
        "login_csrf": login_csrf(c),
    }
    back = c.post("/login", data=form)
    assert "Your draft was restored" in back.text
    assert 'value="3.3"' in back.text and 'name="q1_speech" value="3" checked' in back.text


def test_the_assessment_form_names_a_bad_field_next_to_it(world):
    c = world.client
    sign_in(c, "clinician")
    token = csrf_of(c.get(f"/clinic/patients/{world.patient_a}/assessments/new").text)
    r = c.post(
        f"/clinic/patients/{world.patient_a}/assessments",
        data={"csrf": token, "fvc_l": "3200", "q1_speech": "4"},
    )
    assert r.status_code == 422
    assert 'id="err-fvc_l">must be a number from 0.2 to 8.0 L' in r.text
    assert (
        c.get(
            f"/api/v1/patients/{world.patient_a}/assessments", headers=world.as_("clinician")
        ).json()["assessments"]
        == []
    )


def test_prescription_edits_outside_the_safety_bounds_are_refused_with_the_reason(world):
    c = world.client
    c.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=VISIT,
        headers=world.as_("clinician"),
    )
    rx = c.post(
        f"/api/v1/patients/{world.patient_a}/prescriptions", headers=world.as_("clinician")
    ).json()
    sign_in(c, "clinician")
    page = c.get(f"/clinic/prescriptions/{rx['id']}")
    token = csrf_of(page.text)
    refused = c.post(
        f"/clinic/prescriptions/{rx['id']}/edit",
        data={"csrf": token, "minutes_max": "45", "rpe_max": "15"},
    )
    assert refused.status_code == 422
    assert (
        "Aerobic minutes per session, at most: must be a whole number from 5 to 30" in refused.text
    )
    assert (
        "Aerobic effort ceiling (Borg 6–20 scale): must be a whole number from 11 to 13"
        in refused.text
    )
    fine = c.post(
        f"/clinic/prescriptions/{rx['id']}/edit", data={"csrf": token, "minutes_max": "20"}
    )
    assert fine.status_code == 200 and "Changes applied." in fine.text
    stored = c.get(f"/api/v1/prescriptions/{rx['id']}", headers=world.as_("clinician")).json()
    aerobic = next(x for x in stored["prescription"]["components"] if x["type"] == "aerobic")
    assert aerobic["minutes_per_session"]["max"] == 20


def test_a_patients_details_survive_an_expired_session_too(world):
    c = world.client
    start_plan(world)
    c.cookies.set("alsrx_session", "expired-token")
    typed = {
        "csrf": "x",
        "patient": world.patient_a,
        "component": "aerobic",
        "rpe": "13",
        "notes": "windy",
    }
    r = c.post("/today/details", data=typed)
    next_page = (
        re.search(r'id="login-next" name="next" value="([^"]+)"', r.text)
        .group(1)
        .replace("&amp;", "&")
    )
    draft = re.search(r'name="draft" value="([^"]+)"', r.text).group(1).replace("&#34;", '"')
    c.cookies.clear()
    back = c.post(
        "/login",
        data={
            "username": "patient",
            "password": PASSWORD,
            "draft": draft,
            "next": next_page,
            "login_csrf": login_csrf(c),
        },
    )
    assert 'name="rpe" value="13" checked' in back.text and "windy" in back.text


def test_a_patient_or_caregiver_cannot_open_or_log_for_someone_elses_plan(world):
    start_plan(world)
    c = world.client
    for who in ("patient", "caregiver"):
        c.cookies.clear()
        sign_in(c, who)
        assert c.get(f"/today?patient={world.patient_b}").status_code == 404
        assert c.get(f"/history?patient={world.patient_b}").status_code == 404
        token = csrf_of(c.get("/today").text)
        posted = c.post(
            "/today/done", data={"csrf": token, "patient": world.patient_b, "component": "aerobic"}
        )
        assert posted.status_code == 404
    logged = c.get(f"/api/v1/patients/{world.patient_b}/sessions", headers=world.as_("clinician_b"))
    assert logged.json()["sessions"] == []


def test_an_approved_not_recommended_prescription_shows_range_of_motion_on_today(world):
    h = world.as_("clinician")
    c = world.client
    patient = c.get(f"/api/v1/patients/{world.patient_a}", headers=h)
    changed = c.patch(
        f"/api/v1/patients/{world.patient_a}",
        json={"conditions": ["acute_infection_or_fever"]},
        headers={**h, "If-Match": patient.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=VISIT, headers=h)
    rx = c.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h).json()
    assert rx["prescription"]["status"] == "not_recommended"
    approved = c.post(f"/api/v1/prescriptions/{rx['id']}/approve", headers=h)
    assert approved.status_code == 200, approved.text
    sign_in(c, "patient")
    today = c.get("/today")
    assert today.status_code == 200
    assert "moving each joint through its range" in today.text
