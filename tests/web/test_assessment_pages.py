"""Assessments in the web: a list per patient, a correction kept as a new version with its
reason, a warning before a second assessment on one day, and 5a/5b clearable."""

import re

from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_api_basics import VISIT
from tests.web.test_pages import csrf_of, sign_in

from alsrx.render import alsfrs_anchors


def record(world, visit=VISIT):
    h = world.as_("clinician")
    r = world.client.post(f"/api/v1/patients/{world.patient_a}/assessments", json=visit, headers=h)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def stored(world):
    h = world.as_("clinician")
    url = f"/api/v1/patients/{world.patient_a}/assessments"
    return world.client.get(url, headers=h).json()["assessments"]


def form_of(visit):
    """A visit as the assessment form sends it."""
    fields = {k: str(v) for k, v in visit["alsfrs_r"].items()}
    fields |= {"date": visit["date"], "fvc_l": str(visit["fvc_l"]), "mode": "clinician"}
    return fields


@SQLITE_ONLY
def test_the_list_shows_each_assessment_newest_first_with_who_entered_it(world):
    record(world)
    record(world, VISIT | {"date": "2026-11-01", "fvc_l": 3.6})
    c = world.client
    sign_in(c, "clinician")
    page = c.get(f"/clinic/patients/{world.patient_a}/assessments")
    assert page.status_code == 200
    body = page.text
    assert body.index("Nov 1, 2026") < body.index("Oct 1, 2026")
    assert body.count("<td>clinician</td>") == 2 and "47/48" in body
    assert body.count("/correct") == 2 and "Entered by" in body


def test_a_correction_is_kept_as_a_new_version_with_its_reason(world):
    old_id = record(world)
    c = world.client
    sign_in(c, "clinician")
    page = c.get(f"/clinic/assessments/{old_id}/correct")
    assert page.status_code == 200
    assert 'name="fvc_l" inputmode="decimal" value="4.0"' in page.text  # prefilled
    assert 'name="q8_walking" value="3" checked' in page.text
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    fields = form_of(VISIT) | {"fvc_l": "3.4", "csrf": csrf_of(page.text), "version": version}
    refused = c.post(f"/clinic/assessments/{old_id}/correct", data=fields)
    assert refused.status_code == 422 and 'id="err-reason">is required' in refused.text
    saved = c.post(
        f"/clinic/assessments/{old_id}/correct",
        data=fields | {"reason": "FVC typed from the wrong sheet"},
    )
    assert saved.status_code == 200 and "earlier version is kept" in saved.text
    assert "yes, version 2" in saved.text
    [current] = stored(world)
    assert current["version"] == 2 and current["assessment"]["fvc_l"] == 3.4
    history = c.get(f"/clinic/assessments/{current['id']}/correct").text
    assert "FVC typed from the wrong sheet" in history and "(current)" in history


def test_a_second_assessment_on_the_same_day_is_stored_only_once_confirmed(world):
    record(world, VISIT | {"date": "2026-11-20"})
    c = world.client
    sign_in(c, "clinician")
    page = c.get(f"/clinic/patients/{world.patient_a}/assessments/new")
    fields = form_of(VISIT) | {"date": "2026-11-20", "csrf": csrf_of(page.text)}
    asked = c.post(f"/clinic/patients/{world.patient_a}/assessments", data=fields)
    assert asked.status_code == 409 and "already has an assessment on this day" in asked.text
    assert 'name="second_today"' in asked.text and "/correct" in asked.text
    assert len(stored(world)) == 1
    typo = c.post(
        f"/clinic/patients/{world.patient_a}/assessments", data=fields | {"fvc_l": "3200"}
    )
    assert typo.status_code == 422 and 'id="err-fvc_l"' in typo.text  # the field comes first
    kept = c.post(
        f"/clinic/patients/{world.patient_a}/assessments", data=fields | {"second_today": "1"}
    )
    assert kept.status_code == 200 and len(stored(world)) == 2


def test_5a_is_cleared_when_5b_is_answered_in_a_correction(world):
    old_id = record(world)  # item 5a answered
    c = world.client
    sign_in(c, "clinician")
    page = c.get(f"/clinic/assessments/{old_id}/correct").text
    assert 'name="q5a_cutting_food" value="4" checked' in page
    fields = form_of(VISIT) | {
        "q5a_cutting_food": "",  # "Not answered"
        "q5b_cutting_food_gastrostomy": "3",
        "csrf": csrf_of(page),
        "version": "1",
        "reason": "gastrostomy since October",
    }
    r = c.post(f"/clinic/assessments/{old_id}/correct", data=fields)
    assert r.status_code == 200, r.text
    [current] = stored(world)
    items = current["assessment"]["alsfrs_r"]
    assert "q5a_cutting_food" not in items and items["q5b_cutting_food_gastrostomy"] == 3


@SQLITE_ONLY
def test_every_alsfrs_item_has_a_not_answered_choice_and_errors_name_fields_in_words(world):
    c = world.client
    sign_in(c, "clinician")
    page = c.get(f"/clinic/patients/{world.patient_a}/assessments/new")
    assert page.text.count("Not answered") == len(alsfrs_anchors.ITEMS)
    fields = {"csrf": csrf_of(page.text), "fvc_l": "3200", "q1_speech": "4"}
    r = c.post(f"/clinic/patients/{world.patient_a}/assessments", data=fields)
    assert r.status_code == 422 and '<a href="#assessment-fvc_l">FVC</a>' in r.text
    visible = re.sub(r'(id|for|name|href|aria-describedby|value)="[^"]*"', "", r.text)
    assert "assessment.fvc_l" not in visible and "q5a_cutting_food" not in visible


@SQLITE_ONLY
def test_equipment_and_help_at_home_are_recorded_with_the_assessment(world):
    c = world.client
    sign_in(c, "clinician")
    page = c.get(f"/clinic/patients/{world.patient_a}/assessments/new")
    fields = form_of(VISIT) | {
        "csrf": csrf_of(page.text),
        "equipment": ["recumbent_bike", "elastic_bands"],
        "caregiver_at_home": "no",
    }
    assert c.post(f"/clinic/patients/{world.patient_a}/assessments", data=fields).is_success
    [row] = stored(world)
    assert row["assessment"]["equipment"] == ["recumbent_bike", "elastic_bands"]
    assert row["assessment"]["caregiver_at_home"] is False
    again = c.get(f"/clinic/assessments/{row['id']}/correct").text
    assert 'value="recumbent_bike" checked' in again
    assert 'name="caregiver_at_home" value="no" checked' in again
