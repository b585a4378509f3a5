"""Clinical provenance: patients and caregivers enter what they can measure at home; what sets
exercise targets is a clinician's; a self-entered assessment is the basis of a draft only once
a clinician has confirmed it; every assessment says who entered it."""

import pytest
from tests.web.test_api_basics import HOME_VISIT, VISIT
from tests.web.test_pages import csrf_of, sign_in


def paths_of(response):
    return sorted(f["path"] for f in response.json()["error"]["fields"])


@pytest.mark.parametrize("who", ["patient", "caregiver"])
def test_a_patient_or_caregiver_cannot_enter_clinical_measurements(world, who):
    body = dict(HOME_VISIT, fvc_l=4.0, cpet={"peak_hr_bpm": 220}, resting_hr_bpm=60)
    r = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments", json=body, headers=world.as_(who)
    )
    assert r.status_code == 422
    assert paths_of(r) == ["assessment.cpet", "assessment.fvc_l", "assessment.resting_hr_bpm"]
    assert "clinician" in r.json()["error"]["fields"][0]["message"]


def test_a_home_entry_states_its_mode_and_may_not_claim_a_clinician(world):
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    items = dict(HOME_VISIT["alsfrs_r"])
    items.pop("mode")
    unstated = world.client.post(
        path, json=dict(HOME_VISIT, alsfrs_r=items), headers=world.as_("caregiver")
    )
    assert unstated.status_code == 201
    assert unstated.json()["assessment"]["alsfrs_r"]["mode"] == "caregiver"
    claimed = world.client.post(
        path,
        json=dict(HOME_VISIT, alsfrs_r=dict(items, mode="clinician")),
        headers=world.as_("patient"),
    )
    assert claimed.status_code == 422 and paths_of(claimed) == ["assessment.alsfrs_r.mode"]


def test_a_self_entered_assessment_is_not_the_basis_of_a_draft_until_a_clinician_confirms_it(
    world,
):
    c, clinician = world.client, world.as_("clinician")
    path = f"/api/v1/patients/{world.patient_a}/assessments"
    own = c.post(path, json=dict(HOME_VISIT, date="2026-11-20"), headers=world.as_("patient"))
    assert own.status_code == 201 and own.json()["basis_for_drafts"] is False
    refused = c.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=clinician)
    assert refused.status_code == 422 and paths_of(refused) == ["assessment"]

    measured = c.post(path, json=dict(VISIT, date="2026-10-01"), headers=clinician).json()
    draft = c.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=clinician).json()
    assert draft["assessment_id"] == measured["id"]  # the older, clinician-entered one

    confirmed = c.post(
        f"/api/v1/assessments/{own.json()['id']}/confirm",
        headers=clinician | {"If-Match": own.headers["ETag"]},
    )
    assert confirmed.status_code == 200 and confirmed.json()["basis_for_drafts"] is True
    assert confirmed.json()["confirmed_by"] is not None
    draft = c.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=clinician).json()
    assert draft["assessment_id"] == own.json()["id"]
    again = c.post(f"/api/v1/assessments/{measured['id']}/confirm", headers=clinician)
    assert again.status_code == 409  # a clinician's own entry needs no confirmation


def test_only_a_clinician_of_the_patients_centre_may_confirm(world):
    own = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=HOME_VISIT,
        headers=world.as_("patient"),
    ).json()
    for who, status in (("patient", 403), ("caregiver", 403), ("clinician_b", 404)):
        r = world.client.post(f"/api/v1/assessments/{own['id']}/confirm", headers=world.as_(who))
        assert r.status_code == status, who


def test_the_patient_page_says_who_entered_each_assessment_and_offers_the_confirmation(world):
    items = {k: v for k, v in HOME_VISIT["alsfrs_r"].items() if k != "mode"}
    world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=dict(HOME_VISIT, alsfrs_r=items),
        headers=world.as_("caregiver"),
    )
    c = world.client
    c.cookies.clear()
    sign_in(c, "clinician")
    c.post("/prefs", data={"lang": "zh", "csrf": csrf_of(c.get("/clinic").text), "next": "/"})
    page = c.get(f"/clinic/patients/{world.patient_a}").text
    assert "照护者（caregiver）" in page and "照护者代评" in page
    assert "确认可作为起草依据" in page
    assessment_id = page.split('action="/clinic/assessments/')[1].split("/")[0]
    r = c.post(
        f"/clinic/assessments/{assessment_id}/confirm",
        data={"csrf": csrf_of(page), "version": "1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    assert "已由 clinician 确认" in page


def test_a_self_report_that_changes_the_picture_alerts_but_proposes_no_re_prescription(world):
    from tests.web.test_pages import start_plan

    start_plan(world)
    worse = dict(HOME_VISIT["alsfrs_r"], q8_walking=1, q9_climbing_stairs=0, q7_turning_in_bed=2)
    r = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=dict(HOME_VISIT, date="2026-11-20", alsfrs_r=worse),
        headers=world.as_("patient"),
    )
    assert r.status_code == 201
    clinician = world.as_("clinician")
    codes = {
        a["code"]
        for a in world.client.get(
            f"/api/v1/patients/{world.patient_a}/alerts", headers=clinician
        ).json()["alerts"]
    }
    assert {"alsfrs_r_decline", "walking_lost"} <= codes
    proposals = world.client.get(
        f"/api/v1/patients/{world.patient_a}/proposals", headers=clinician
    ).json()["proposals"]
    assert [p["proposal"]["kind"] for p in proposals] == []
