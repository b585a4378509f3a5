"""Input that used to corrupt records or answer 500 is refused with a 4xx naming the field, and
nothing is stored: non-finite numbers, unsafe integers, deep nesting, broken text, malformed
headers, over-long fields, oversized bodies, races on a unique code."""

import json
import threading

import pytest
from sqlalchemy import text
from tests.db_fixtures import AUDIT_KEY, PATIENT_A
from tests.web.test_api_basics import HOME_VISIT, VISIT

from alsrx.db.session import transaction
from alsrx.settings import Settings
from alsrx.web.app import create_app


def count(world, table):
    with transaction(world.factory, write=False) as s:
        return s.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def post_raw(world, path, raw, who="clinician", **headers):
    return world.client.post(
        path,
        content=raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw,
        headers=world.as_(who) | {"Content-Type": "application/json"} | headers,
    )


def paths_of(response):
    return [f["path"] for f in response.json()["error"]["fields"]]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_a_non_finite_number_in_an_assessment_is_refused_naming_the_field(world, literal):
    body = json.dumps(VISIT).replace('"fvc_l": 4.0', f'"fvc_l": {literal}')
    r = post_raw(world, f"/api/v1/patients/{world.patient_a}/assessments", body)
    assert r.status_code == 422, r.text
    assert paths_of(r) == ["fvc_l"]
    assert "finite" in r.json()["error"]["fields"][0]["message"]
    assert count(world, "assessments") == 0


def test_a_non_finite_number_is_refused_in_session_logs_patients_and_corrections(world):
    from tests.web.test_pages import start_plan

    start_plan(world)
    session_log = '{"component": "aerobic", "duration_min": NaN}'
    r = post_raw(world, f"/api/v1/patients/{world.patient_a}/sessions", session_log, "patient")
    assert r.status_code == 422 and paths_of(r) == ["duration_min"]
    patient = json.dumps(dict(PATIENT_A, code="NEW-1")).replace(
        '"weight_kg": 74', '"weight_kg": NaN'
    )
    r = post_raw(world, "/api/v1/patients", patient)
    assert r.status_code == 422 and paths_of(r) == ["weight_kg"]
    first = world.client.get(
        f"/api/v1/patients/{world.patient_a}/assessments", headers=world.as_("clinician")
    ).json()["assessments"][0]
    correction = json.dumps({"assessment": dict(VISIT, fvc_l=1.5), "reason": "typo"})
    correction = correction.replace('"fvc_l": 1.5', '"fvc_l": Infinity')
    r = post_raw(world, f"/api/v1/assessments/{first['id']}/corrections", correction)
    assert r.status_code == 422 and paths_of(r) == ["assessment.fvc_l"]
    assert count(world, "session_logs") == 0 and count(world, "patients") == 2
    assert count(world, "assessments") == 1


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ('{"code": "X-1", "height_cm": ' + "9" * 5000 + "}", "integer_too_large"),
        ('{"code": "X-1", "height_cm": 9007199254740993}', "integer_too_large"),
        ("[" * 50 + "]" * 50, "too_deep"),
        ("[" * 5000 + "]" * 5000, "too_deep"),
        ('{"code": "X-\\ud800"}', "lone_surrogate"),
    ],
)
def test_unsafe_integers_deep_nesting_and_broken_text_are_refused(world, raw, code):
    r = post_raw(world, "/api/v1/patients", raw)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid_input"
    assert count(world, "patients") == 2


@pytest.mark.parametrize("header", ['"²"', '"3', 'W/"x"', "99999999999999999999", '"-1"'])
def test_a_malformed_if_match_is_refused_naming_the_header(world, header):
    r = world.client.patch(
        f"/api/v1/patients/{world.patient_a}",
        json={"weight_kg": 70},
        headers=world.as_("clinician") | {"If-Match": header.encode("latin-1")},
    )
    assert r.status_code == 422 and paths_of(r) == ["If-Match"]


def test_over_long_fields_are_refused_before_they_reach_a_column(world):
    r = world.client.post("/api/v1/centres", json={"name": "C" * 201}, headers=world.as_("admin"))
    assert r.status_code == 422 and paths_of(r) == ["name"]
    r = world.client.post(
        "/api/v1/centres",
        json={"name": "Centre C", "contact_phone": "1" * 51},
        headers=world.as_("admin"),
    )
    assert r.status_code == 422 and paths_of(r) == ["contact_phone"]
    assert count(world, "centres") == 2


def test_a_note_longer_than_documented_is_refused_after_the_access_check(world):
    from tests.web.test_pages import start_plan

    rx = start_plan(world)
    draft = world.client.post(
        f"/api/v1/patients/{world.patient_a}/prescriptions", headers=world.as_("clinician")
    ).json()
    r = world.client.post(
        f"/api/v1/prescriptions/{draft['id']}/reject",
        json={"note": "n" * 2001},
        headers=world.as_("clinician"),
    )
    assert r.status_code == 422 and paths_of(r) == ["note"]
    assert rx["id"] != draft["id"]


@pytest.mark.parametrize("code", ["CODE-1\n", " CODE-1", "CODE-1 ", "CODE\r1", "C" * 51])
def test_a_patient_code_with_surrounding_space_or_a_line_break_is_refused(world, code):
    r = world.client.post(
        "/api/v1/patients", json=dict(PATIENT_A, code=code), headers=world.as_("clinician")
    )
    assert r.status_code == 422 and paths_of(r) == ["code"]


@pytest.mark.parametrize("birth", ["0001-01-01", "1800-06-30", "1890-01-01"])
def test_a_birth_date_giving_an_impossible_age_is_refused(world, birth):
    r = world.client.post(
        "/api/v1/patients",
        json=dict(PATIENT_A, code="OLD-1", birth_date=birth, symptom_onset_date="2025-01-01"),
        headers=world.as_("clinician"),
    )
    assert r.status_code == 422 and paths_of(r) == ["birth_date"]
    assert "120" in r.json()["error"]["fields"][0]["message"]


def test_two_clinicians_creating_the_same_code_at_once_get_one_201_and_one_409(world):
    statuses = []
    barrier = threading.Barrier(4)

    def create():
        barrier.wait()
        r = world.client.post(
            "/api/v1/patients", json=dict(PATIENT_A, code="RACE-1"), headers=world.as_("clinician")
        )
        statuses.append(r.status_code)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 409, 409, 409]
    assert count(world, "patients") == 3


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(db_url, engine, factory):
    from fastapi.testclient import TestClient
    from tests.db_fixtures import build_world

    settings = Settings(
        database_url=db_url, demo_mode=True, max_body_bytes=4096, audit_key=AUDIT_KEY
    )
    with TestClient(create_app(settings, engine=engine)) as client:
        world = build_world(factory, client)
        big = dict(HOME_VISIT, padding="x" * 5000)
        r = client.post(
            f"/api/v1/patients/{world.patient_a}/assessments",
            json=big,
            headers=world.as_("patient"),
        )
        assert r.status_code == 413 and r.json()["error"]["fields"][0]["path"] == "(body)"

        def chunks():  # no Content-Length: the limit is counted as the body arrives
            for _ in range(10):
                yield b"x" * 1000

        r = client.post(
            f"/api/v1/patients/{world.patient_a}/assessments",
            content=chunks(),
            headers=world.as_("patient") | {"Content-Type": "application/json"},
        )
        assert r.status_code == 413
        page = client.post("/login", data={"username": "u" * 5000, "password": "p"})
        assert page.status_code == 413 and "<html" in page.text
        assert count(world, "assessments") == 0


def test_the_benchmark_noop_exists_only_in_demo_servers(db_url, engine):
    from fastapi.testclient import TestClient

    production = Settings(database_url=db_url, secret_key="s" * 40, audit_key="k" * 40)
    with TestClient(create_app(production, engine=engine)) as client:
        assert client.post("/api/v1/noop").status_code == 404
        assert "/api/v1/noop" not in client.get("/openapi.json").json()["paths"]
    demo = Settings(database_url=db_url, demo_mode=True, audit_key=AUDIT_KEY)
    with TestClient(create_app(demo, engine=engine)) as client:
        assert client.post("/api/v1/noop").status_code == 200


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-Infinity", "1e999", "4,0,1"])
def test_a_form_number_that_is_no_finite_number_is_refused_at_its_field(world, typed):
    from tests.web.test_pages import csrf_of, sign_in

    c = world.client
    sign_in(c, "clinician")
    token = csrf_of(c.get(f"/clinic/patients/{world.patient_a}/assessments/new").text)
    r = c.post(
        f"/clinic/patients/{world.patient_a}/assessments",
        data={"csrf": token, "fvc_l": typed, "q1_speech": "4"},
    )
    assert r.status_code == 422 and 'id="err-fvc_l"' in r.text
    assert count(world, "assessments") == 0


def test_a_home_log_with_a_non_finite_duration_is_refused_at_its_field(world):
    from tests.web.test_pages import csrf_of, sign_in, start_plan

    start_plan(world)
    c = world.client
    sign_in(c, "patient")
    page = c.get(f"/today/details?component=aerobic&patient={world.patient_a}").text
    r = c.post(
        "/today/details",
        data={
            "csrf": csrf_of(page),
            "component": "aerobic",
            "patient": world.patient_a,
            "completed": "done",
            "duration_min": "nan",
        },
    )
    assert r.status_code == 422
    assert count(world, "session_logs") == 0


def test_an_anaerobic_threshold_above_the_cpet_peak_is_refused_naming_the_field(world):
    body = dict(VISIT, cpet={"peak_hr_bpm": 150, "anaerobic_threshold_hr_bpm": 160})
    r = post_raw(world, f"/api/v1/patients/{world.patient_a}/assessments", json.dumps(body))
    assert r.status_code == 422, r.text
    assert paths_of(r) == ["assessment.cpet.anaerobic_threshold_hr_bpm"]
    assert "150" in r.json()["error"]["fields"][0]["message"]
    assert count(world, "assessments") == 0
