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
    ack = {"acknowledge": [r["code"] for r in rx["prescription"]["reasons"]]}
    world.client.post(f"/api/v1/prescriptions/{rx['id']}/approve", headers=h, json=ack)
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


def _expired_post(c, path, typed, site="same-origin"):
    """Post (from a page of `site`, as the browser says) as if the session had ended: the
    sign-in page's next page and kept draft."""
    c.cookies.set("alsrx_session", "expired-token")
    r = c.post(path, data=typed, headers={"Sec-Fetch-Site": site})
    assert r.status_code == 401
    next_page = re.search(r'id="login-next" name="next" value="([^"]+)"', r.text).group(1)
    draft = re.search(r'name="draft" value="([^"]+)"', r.text).group(1)
    return r, next_page.replace("&amp;", "&"), draft.replace("&#34;", '"')


def _sign_in_with(c, username, next_page, draft):
    c.cookies.clear()
    form = {
        "username": username,
        "password": PASSWORD,
        "draft": draft,
        "next": next_page,
        "login_csrf": login_csrf(c),
    }
    return c.post("/login", data=form, follow_redirects=False)


def _live_sessions(world):
    h = world.as_("clinician")
    found = world.client.get(f"/api/v1/patients/{world.patient_a}/sessions", headers=h).json()
    return [s for s in found["sessions"] if s["undone_at"] is None]


def test_a_patients_details_after_an_expired_session_are_saved_at_sign_in(world):
    c = world.client
    start_plan(world)
    typed = {
        "csrf": "x",
        "patient": world.patient_a,
        "component": "aerobic",
        "rpe": "13",
        "notes": "windy",
    }
    r, next_page, draft = _expired_post(c, "/today/details", typed)
    assert "Your log is kept: sign in again and it is saved." in r.text
    back = _sign_in_with(c, "patient", next_page, draft)
    assert back.status_code == 303 and "kept=1" in back.headers["location"]
    assert "was kept and is saved now" in c.get(back.headers["location"]).text
    [logged] = _live_sessions(world)
    assert (logged["rpe"], logged["notes"]) == (13, "windy")


def test_a_done_tapped_after_the_session_ended_is_saved_once_at_sign_in(world):
    c = world.client
    start_plan(world)
    sign_in(c, "patient")
    today = c.get("/today").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', today).group(1)
    typed = {
        "csrf": "x",
        "patient": world.patient_a,
        "component": "aerobic",
        "idempotency_key": key,
    }
    _, next_page, draft = _expired_post(c, "/today/done", typed)
    first = _sign_in_with(c, "patient", next_page, draft)
    assert "saved=aerobic" in first.headers["location"] and "kept=1" in first.headers["location"]
    again = _sign_in_with(c, "patient", next_page, draft)  # the same draft, sent twice
    assert again.status_code == 303
    assert len([s for s in _live_sessions(world) if s["component"] == "aerobic"]) == 1


def test_a_red_flag_posted_after_the_session_ended_shows_the_stop_advice_before_sign_in(world):
    c = world.client
    start_plan(world)
    typed = {
        "csrf": "x",
        "patient": world.patient_a,
        "component": "aerobic",
        "symptoms": "chest_pain",
    }
    r, next_page, draft = _expired_post(c, "/today/details", typed)
    assert 'role="alert"' in r.text and "Stop exercising now" in r.text
    assert "call your local emergency number now" in r.text
    back = _sign_in_with(c, "patient", next_page, draft)
    assert back.status_code == 200 and "Stop exercising now" in back.text
    assert _live_sessions(world)[0]["symptoms"] == ["chest_pain"]


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
        json={"conditions": ["acute_infection_or_fever"], "reason": "fever since Monday"},
        headers={**h, "If-Match": patient.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.text
    c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=VISIT, headers=h)
    rx = c.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h).json()
    assert rx["prescription"]["status"] == "not_recommended"
    ack = {"acknowledge": [r["code"] for r in rx["prescription"]["reasons"]]}
    approved = c.post(f"/api/v1/prescriptions/{rx['id']}/approve", headers=h, json=ack)
    assert approved.status_code == 200, approved.text
    sign_in(c, "patient")
    today = c.get("/today")
    assert today.status_code == 200
    assert "moving each joint through its range" in today.text


def test_a_cross_site_post_that_meets_the_sign_in_is_never_saved_as_a_log(world):
    c = world.client
    start_plan(world)
    forged = {
        "patient": world.patient_a,
        "component": "aerobic",
        "symptoms": "chest_pain",
        "kept_from": "/today/details",  # a mark sent in the form itself counts for nothing
    }
    r, next_page, draft = _expired_post(c, "/today/details", forged, site="cross-site")
    assert "Stop exercising now" not in r.text
    back = _sign_in_with(c, "patient", next_page, draft)
    assert back.status_code == 303 and "kept=1" not in back.headers["location"]
    assert _live_sessions(world) == []


def test_a_draft_never_carries_a_password_or_a_pin(world):
    c = world.client
    sign_in(c, "patient")
    c.cookies.set("alsrx_session", "expired-token")
    typed = {"csrf": "x", "current": "old-secret-1", "new": "new-secret-2", "pin": "2468"}
    r = c.post("/account/password", data=typed)
    assert r.status_code == 401
    assert "old-secret-1" not in r.text and "new-secret-2" not in r.text and "2468" not in r.text
