"""Patients in the web: admitted and edited through the pages with the API's rules, and a
change to a safety input (contraindications, beta-blocker, ventilation) kept with its reason."""

import json
import re

from sqlalchemy import text
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_pages import csrf_of, sign_in

from alsrx.db.session import transaction
from alsrx.services import audit

NEW = {
    "code": "A-077",
    "sex": "female",
    "birth_date": "1958-04-12",
    "symptom_onset_date": "2026-01-10",
    "diagnosis_date": "2026-05-02",
    "onset_region": "bulbar",
    "height_cm": "162",
    "weight_kg": "58.5",
    "ethnicity": "north_east_asian",
    "conditions": ["severe_osteoporosis"],
}


def patients_named(world, code):
    with transaction(world.factory, write=False) as s:
        rows = s.execute(text("SELECT id FROM patients WHERE code = :c"), {"c": code})
        return [r[0] for r in rows]


def updates(world):
    with transaction(world.factory, write=False) as s:
        assert audit.verify(s).ok
        query = "SELECT reason, new FROM audit_events WHERE action = 'update' ORDER BY seq"
        rows = s.execute(text(query)).all()
        return [(why, json.loads(new) if isinstance(new, str) else new) for why, new in rows]


def edit_form(world, patient_id=None):
    page = world.client.get(f"/clinic/patients/{patient_id or world.patient_a}/edit")
    assert page.status_code == 200, page.text
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    return page, {"csrf": csrf_of(page.text), "version": version}


def current_record(world):
    """The edit form's fields as they stand for patient A (what a browser would send back)."""
    return {
        "height_cm": "176",
        "weight_kg": "74",
        "ethnicity": "caucasian",
        "diagnosis_date": "2026-02-01",
        "onset_region": "lower_limb",
    }


@SQLITE_ONLY
def test_a_clinician_adds_a_patient_through_the_form(world):
    c = world.client
    sign_in(c, "clinician")
    assert 'href="/clinic/patients/new"' in c.get("/clinic").text
    page = c.get("/clinic/patients/new")
    assert page.status_code == 200 and "North-East Asian" in page.text
    r = c.post("/clinic/patients/new", data=NEW | {"csrf": csrf_of(page.text)})
    assert r.status_code == 200, r.text
    assert "Patient added" in r.text
    [new_id] = patients_named(world, "A-077")
    got = c.get(f"/api/v1/patients/{new_id}", headers=world.as_("clinician")).json()
    assert got["conditions"] == ["severe_osteoporosis"] and got["weight_kg"] == 58.5
    assert got["ethnicity"] == "north_east_asian" and got["centre_id"] == world.centre_a


@SQLITE_ONLY
def test_a_bad_birth_date_is_refused_at_its_field_and_nothing_is_stored(world):
    c = world.client
    sign_in(c, "clinician")
    token = csrf_of(c.get("/clinic/patients/new").text)
    r = c.post("/clinic/patients/new", data=NEW | {"csrf": token, "birth_date": "1958-02-30"})
    assert r.status_code == 422
    assert 'id="err-birth_date">must be a real calendar date' in r.text
    assert 'aria-describedby="err-birth_date"' in r.text and 'value="A-077"' in r.text
    assert patients_named(world, "A-077") == []


@SQLITE_ONLY
def test_an_onset_before_birth_names_the_other_field_in_words(world):
    c = world.client
    sign_in(c, "clinician")
    page = c.get("/clinic").text
    c.post("/prefs", data={"csrf": csrf_of(page), "next": "/clinic", "lang": "zh"})
    token = csrf_of(c.get("/clinic/patients/new").text)
    r = c.post(
        "/clinic/patients/new", data=NEW | {"csrf": token, "symptom_onset_date": "1950-01-01"}
    )
    assert 'lang="zh-CN"' in r.text and "出生日期" in r.text
    assert r.status_code == 422 and 'id="err-symptom_onset_date"' in r.text
    assert "birth_date" not in re.sub(r'(id|for|name|href|aria-describedby)="[^"]*"', "", r.text)


@SQLITE_ONLY
def test_a_code_already_used_in_the_centre_is_refused_at_the_code(world):
    c = world.client
    sign_in(c, "clinician")
    token = csrf_of(c.get("/clinic/patients/new").text)
    r = c.post("/clinic/patients/new", data=NEW | {"csrf": token, "code": "A-001"})
    assert r.status_code == 409 and 'id="err-code"' in r.text
    assert len(patients_named(world, "A-001")) == 1


def test_a_safety_input_changed_without_a_reason_is_refused_and_with_one_is_kept(world):
    c = world.client
    sign_in(c, "clinician")
    _page, hidden = edit_form(world)
    change = current_record(world) | {"conditions": ["acute_infection_or_fever"]}
    refused = c.post(f"/clinic/patients/{world.patient_a}/edit", data=hidden | change)
    assert refused.status_code == 422 and 'id="err-reason">is required' in refused.text
    assert 'value="acute_infection_or_fever" checked' in refused.text  # what was ticked stays
    assert updates(world) == []
    saved = c.post(
        f"/clinic/patients/{world.patient_a}/edit",
        data=hidden | change | {"reason": "fever since Monday"},
    )
    assert saved.status_code == 200 and "record was saved" in saved.text
    [(reason, new)] = updates(world)
    assert reason == "fever since Monday" and "acute_infection_or_fever" in str(new)


def test_other_fields_change_without_a_reason(world):
    c = world.client
    sign_in(c, "clinician")
    _page, hidden = edit_form(world)
    r = c.post(
        f"/clinic/patients/{world.patient_a}/edit",
        data=hidden | current_record(world) | {"weight_kg": "71.5"},
    )
    assert r.status_code == 200, r.text
    [(reason, new)] = updates(world)
    assert reason is None and new == {"weight_kg": 71.5}  # only what changed is recorded


def test_an_edit_from_a_stale_form_changes_nothing(world):
    c = world.client
    sign_in(c, "clinician")
    _page, hidden = edit_form(world)
    first = current_record(world) | {"weight_kg": "72"}
    assert c.post(f"/clinic/patients/{world.patient_a}/edit", data=hidden | first).is_success
    stale = c.post(
        f"/clinic/patients/{world.patient_a}/edit",
        data=hidden | current_record(world) | {"weight_kg": "80"},
    )
    assert stale.status_code == 412 and "someone else changed" in stale.text
    got = c.get(f"/api/v1/patients/{world.patient_a}", headers=world.as_("clinician")).json()
    assert got["weight_kg"] == 72


def test_the_api_refuses_a_beta_blocker_change_without_a_reason(world):
    c, h = world.client, world.as_("clinician")
    etag = c.get(f"/api/v1/patients/{world.patient_a}", headers=h).headers["ETag"]
    url = f"/api/v1/patients/{world.patient_a}"
    refused = c.patch(url, json={"beta_blocker": True}, headers=h | {"If-Match": etag})
    assert refused.status_code == 422
    assert [f["path"] for f in refused.json()["error"]["fields"]] == ["reason"]
    same = c.patch(url, json={"beta_blocker": False}, headers=h | {"If-Match": etag})
    assert same.status_code == 200  # not a change: no reason needed
    etag = same.headers["ETag"]
    body = {"uses_ventilation_support": True, "reason": "NIV started at night"}
    assert c.patch(url, json=body, headers=h | {"If-Match": etag}).status_code == 200
    assert updates(world)[-1][0] == "NIV started at night"


@SQLITE_ONLY
def test_the_edit_form_shows_home_equipment_from_the_latest_assessment(world):
    from tests.web.test_api_basics import VISIT

    c, h = world.client, world.as_("clinician")
    visit = VISIT | {"equipment": ["recumbent_bike", "elastic_bands"], "caregiver_at_home": True}
    c.post(f"/api/v1/patients/{world.patient_a}/assessments", json=visit, headers=h)
    sign_in(c, "clinician")
    page, _hidden = edit_form(world)
    assert "recumbent bike, elastic bands" in page.text
    assert f'href="/clinic/patients/{world.patient_a}/assessments/new"' in page.text
    assert "recumbent_bike" not in page.text and "caregiver_at_home" not in page.text
