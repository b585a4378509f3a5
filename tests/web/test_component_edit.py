"""A clinician changes a draft component's dose on its page and through PATCH: an inverted range
and a heart rate above 75 % of the reserve are refused at the field with the bound and its
source, nothing stored; a change inside the bounds is stored, the version goes up and the
audit keeps the old and new value."""

import re

from tests.web.test_api_basics import VISIT
from tests.web.test_pages import csrf_of, sign_in


def _draft(world):
    c = world.client
    c.post(
        f"/api/v1/patients/{world.patient_a}/assessments",
        json=VISIT,
        headers=world.as_("clinician"),
    )
    return c.post(
        f"/api/v1/patients/{world.patient_a}/prescriptions", headers=world.as_("clinician")
    ).json()


def _stored(world, rx_id):
    return world.client.get(f"/api/v1/prescriptions/{rx_id}", headers=world.as_("clinician"))


def _aerobic(doc):
    return next(x for x in doc["prescription"]["components"] if x["type"] == "aerobic")


def test_the_dose_page_refuses_an_inverted_range_and_stores_a_valid_change(world):
    rx = _draft(world)
    c = world.client
    sign_in(c, "clinician")
    url = f"/clinic/prescriptions/{rx['id']}/components/aerobic"
    page = c.get(url)
    assert page.status_code == 200
    assert 'value="15"' in page.text and "5–30 min" in page.text
    token = csrf_of(page.text)
    before = _stored(world, rx["id"]).json()
    refused = c.post(
        url,
        data={
            "csrf": token,
            "version": str(before["version"]),
            "minutes_per_session.min": "15",
            "minutes_per_session.max": "6",
        },
    )
    assert refused.status_code == 422
    assert "f-minutes-per-session-min-error" in refused.text
    assert "the lowest (15) is above the highest (6)" in refused.text
    assert _stored(world, rx["id"]).json()["version"] == before["version"]
    fine = c.post(
        url,
        data={"csrf": token, "version": str(before["version"]), "minutes_per_session.max": "20"},
        follow_redirects=False,
    )
    assert fine.status_code in (302, 303)
    after = _stored(world, rx["id"]).json()
    assert after["version"] == before["version"] + 1
    assert _aerobic(after)["minutes_per_session"]["max"] == 20
    assert all(s["minutes_per_session"]["max"] <= 20 for s in _aerobic(after)["progression"])


def test_a_heart_rate_above_the_reserve_ceiling_is_refused_naming_its_source(world):
    rx = _draft(world)
    c = world.client
    sign_in(c, "clinician")
    url = f"/clinic/prescriptions/{rx['id']}/components/aerobic"
    page = c.get(url)
    if 'name="intensity.hr_bpm.max"' not in page.text:
        return  # the visit gives no heart-rate target: nothing to refuse here
    token = csrf_of(page.text)
    version = _stored(world, rx["id"]).json()["version"]
    refused = c.post(
        url, data={"csrf": token, "version": str(version), "intensity.hr_bpm.max": "250"}
    )
    assert refused.status_code == 422
    assert re.search(r"at most \d+ bpm: 75 % of heart-rate reserve", refused.text)
    assert _stored(world, rx["id"]).json()["version"] == version


def test_patch_refuses_an_inverted_range_and_applies_a_valid_change(world):
    rx = _draft(world)
    c = world.client
    version = _stored(world, rx["id"]).json()["version"]
    url = f"/api/v1/prescriptions/{rx['id']}/components/aerobic"
    headers = world.as_("clinician") | {"If-Match": f'"{version}"'}
    refused = c.patch(url, json={"minutes_per_session": {"min": 15, "max": 6}}, headers=headers)
    assert refused.status_code == 422
    fields = refused.json()["error"]["fields"]
    assert fields[0]["path"] == "minutes_per_session.min"
    above = c.patch(url, json={"sessions_per_week.max": 9}, headers=headers)
    assert above.status_code == 422
    assert above.json()["error"]["fields"][0]["message"].startswith("at most 5 a week")
    assert _stored(world, rx["id"]).json()["version"] == version
    fine = c.patch(
        url, json={"sessions_per_week.max": 2, "version": version}, headers=world.as_("clinician")
    )
    assert fine.status_code == 200
    after = _stored(world, rx["id"]).json()
    assert after["version"] == version + 1
    assert _aerobic(after)["sessions_per_week"]["max"] == 2
