"""The API end to end through the ASGI app, on SQLite and PostgreSQL."""

from tests.conftest import NORMAL_ITEMS

from alsrx.db.session import transaction
from alsrx.services import accounts, api_tokens
from alsrx.services.actor import SYSTEM

VISIT = {
    "date": "2026-10-01",
    "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3),
    "fvc_l": 4.0,
    "resting_hr_bpm": 70,
    "six_minute_walk_m": 480,
    "mep_cmh2o": 90,
    "mrc": {"knee_extension_left": 4, "knee_extension_right": 4},
}
# What a patient or caregiver may enter at home: the ALSFRS-R as a self-report, and weight.
HOME_VISIT = {
    "date": "2026-10-01",
    "alsfrs_r": dict(NORMAL_ITEMS, q8_walking=3, mode="self"),
    "weight_kg": 73.5,
}


def test_a_clinician_records_an_assessment_drafts_and_approves_a_prescription(world):
    c, h = world.client, world.as_("clinician")
    created = c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=VISIT, headers=h)
    assert created.status_code == 201, created.text
    assert created.json()["derived"]["alsfrs_r"]["total"] == 47
    draft = c.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h)
    assert draft.status_code == 201, draft.text
    body = draft.json()
    assert body["status"] == "draft" and body["prescription"]["status"] == "ok"
    approved = c.post(
        f"/api/v1/prescriptions/{body['id']}/approve",
        headers=h | {"If-Match": draft.headers["ETag"]},
        json={"acknowledge": [r["code"] for r in body["prescription"]["reasons"]]},
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "active"
    listed = c.get(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h).json()
    assert [p["status"] for p in listed["prescriptions"]] == ["active"]


def test_invalid_input_names_the_field_and_stores_nothing(world):
    c, h = world.client, world.as_("clinician")
    bad = dict(VISIT, alsfrs_r=dict(VISIT["alsfrs_r"], q1_speech=5))
    response = c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=bad, headers=h)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"] == [
        {"path": "assessment.alsfrs_r.q1_speech", "message": "must be a whole number from 0 to 4"}
    ]
    assert (
        c.get(f"/api/v1/patients/{world.patient_a}/assessments", headers=h).json()["assessments"]
        == []
    )


def test_malformed_json_gets_the_error_shape(world):
    response = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        content=b"{not json",
        headers=world.as_("clinician") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "(body)"


def test_another_centres_patient_answers_404(world):
    response = world.client.get(
        f"/api/v1/patients/{world.patient_b}", headers=world.as_("clinician")
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_researcher_never_sees_identifying_fields(world):
    from tests.web.test_research_export import admit

    c = world.client
    c.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=VISIT,
        headers=world.as_("clinician"),
    )
    refused = c.get("/api/v1/research/assessments", headers=world.as_("researcher"))
    assert refused.status_code == 422  # one patient alone is a group below k = 5
    assert refused.json()["error"]["fields"][0]["path"] == "cohort"
    for i in range(4):  # four more alike in age band, sex, centre, onset region and years
        pid = admit(world, f"K-{i}")
        c.post(f"/api/v1/patients/{pid}/assessments", json=VISIT, headers=world.as_("clinician"))
    rows = c.get("/api/v1/research/assessments", headers=world.as_("researcher")).json()["rows"]
    assert len(rows) == 5
    text = str(rows)
    for secret in ("A-001", "K-0", "1961", world.patient_a, "2026-10-01", "2025-09-01"):
        assert secret not in text
    assert {r["age_years"] for r in rows} == {65} and rows[0]["alsfrs_r"]["total"] == 47
    assert (
        c.get(f"/api/v1/patients/{world.patient_a}", headers=world.as_("researcher")).status_code
        == 403
    )


def test_a_correction_keeps_the_old_version_with_the_reason(world):
    c, h = world.client, world.as_("clinician")
    first = c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=VISIT, headers=h).json()
    fixed = c.post(
        f"/api/v1/assessments/{first['id']}/corrections",
        headers=h | {"If-Match": '"1"'},
        json={"assessment": dict(VISIT, fvc_l=3.6), "reason": "transcription error"},
    )
    assert fixed.status_code == 201, fixed.text
    versions = c.get(f"/api/v1/assessments/{fixed.json()['id']}/versions", headers=h).json()[
        "versions"
    ]
    assert [(v["version"], v["is_current"], v["assessment"]["fvc_l"]) for v in versions] == [
        (1, False, 4.0),
        (2, True, 3.6),
    ]
    assert versions[1]["reason"] == "transcription error"
    stale = c.post(
        f"/api/v1/assessments/{first['id']}/corrections",
        headers=h | {"If-Match": '"1"'},
        json={"assessment": VISIT, "reason": "again"},
    )
    assert stale.status_code == 412


def test_login_issues_a_token_and_repeated_failures_are_rate_limited(world):
    c = world.client
    ok = c.post(
        "/api/v1/auth/token", json={"username": "clinician", "password": "correct horse battery"}
    )
    assert (
        ok.status_code == 200
        and c.get("/api/v1/me", headers={"Authorization": f"Bearer {ok.json()['token']}"}).json()[
            "role"
        ]
        == "clinician"
    )
    statuses = [
        c.post("/api/v1/auth/token", json={"username": "patient", "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    assert (
        c.post(
            "/api/v1/auth/token", json={"username": "patient", "password": "correct horse battery"}
        ).status_code
        == 429
    )


def test_a_revoked_token_stops_working(world):
    c = world.client
    token = c.post(
        "/api/v1/auth/token", json={"username": "caregiver", "password": "correct horse battery"}
    ).json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    assert c.post("/api/v1/auth/logout", headers=h).status_code == 200
    assert c.get("/api/v1/me", headers=h).status_code == 401


def test_caregiver_entries_are_stamped_as_caregiver_entered(world):
    response = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=HOME_VISIT,
        headers=world.as_("caregiver"),
    )
    assert response.status_code == 201
    assert response.json()["entered_as"] == "caregiver"


def test_every_response_carries_the_security_headers(world):
    api = world.client.get(f"/api/v1/patients/{world.patient_a}", headers=world.as_("clinician"))
    refused = world.client.get("/api/v1/patients")
    page = world.client.get("/login")
    for r in (api, refused, page):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "same-origin"
    assert api.headers["Cache-Control"] == refused.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert "Content-Security-Policy" not in api.headers


def test_a_clinician_of_two_centres_reaches_the_patients_of_both_and_a_revoked_token_nothing(
    world,
):
    with transaction(world.factory) as s:
        user = accounts.create_user(
            s,
            SYSTEM,
            username="both",
            role="clinician",
            password="correct horse battery",
            centre_ids=(world.centre_a, world.centre_b),
        )
        token = api_tokens.issue_token(s, SYSTEM, user)
    h = {"Authorization": f"Bearer {token}"}
    listed = world.client.get("/api/v1/patients", headers=h).json()["patients"]
    assert {p["id"] for p in listed} == {world.patient_a, world.patient_b}
    assert world.client.post("/api/v1/auth/logout", headers=h).status_code in (200, 204)
    assert world.client.get("/api/v1/patients", headers=h).status_code == 401
