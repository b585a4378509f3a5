"""Approving a plan needs its points for the clinician acknowledged: the rule in
services/prescriptions.approve, through the API's body and the page's checkboxes (both
backends: this is a write path)."""

from tests.conftest import NORMAL_ITEMS
from tests.web.test_api_basics import VISIT
from tests.web.test_pages import csrf_of, sign_in

# A visit whose draft holds a point for the clinician (a first FVC below the threshold).
LOW_FVC = dict(
    VISIT,
    date="2026-10-08",
    alsfrs_r=dict(
        NORMAL_ITEMS, q8_walking=2, q9_climbing_stairs=1, q4_handwriting=2, q6_dressing_hygiene=2
    ),
    fvc_l=2.0,
)


def drafted(world, visit=LOW_FVC):
    h = world.as_("clinician")
    made = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments", json=visit, headers=h
    )
    assert made.status_code == 201, made.text
    rx = world.client.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h)
    assert rx.status_code == 201, rx.text
    return rx.json()


def codes(rx):
    return [r["code"] for r in rx["prescription"]["reasons"]]


def approve_api(world, rx, body=None):
    h = world.as_("clinician")
    return world.client.post(f"/api/v1/prescriptions/{rx['id']}/approve", headers=h, json=body)


def status_of(world, rx):
    h = world.as_("clinician")
    return world.client.get(f"/api/v1/prescriptions/{rx['id']}", headers=h).json()["status"]


def test_the_api_refuses_an_approval_that_does_not_acknowledge_every_point(world):
    rx = drafted(world)
    assert codes(rx), "the visit must give the draft a point for the clinician"
    for body in (None, {}, {"acknowledge": []}, {"acknowledge": ["something_else"]}):
        r = approve_api(world, rx, body)
        assert r.status_code == 422, r.text
        fields = r.json()["error"]["fields"]
        assert [f["path"] for f in fields] == ["acknowledge"] * len(codes(rx))
        assert all(code in f["message"] for f, code in zip(fields, codes(rx), strict=True))
    assert status_of(world, rx) == "draft"  # a refused approval changes nothing


def test_the_api_approves_with_every_point_acknowledged(world):
    rx = drafted(world)
    r = approve_api(world, rx, {"acknowledge": codes(rx)})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"


def test_a_plan_without_points_is_approved_without_a_body(world):
    rx = drafted(world, VISIT)
    assert codes(rx) == []
    assert approve_api(world, rx).status_code == 200


def test_the_api_refuses_a_malformed_acknowledgement(world):
    rx = drafted(world)
    r = approve_api(world, rx, {"acknowledge": "all", "extra": 1})
    assert r.status_code == 422
    assert status_of(world, rx) == "draft"


def test_the_page_refuses_at_the_checkbox_and_approves_once_ticked(world):
    rx = drafted(world)
    sign_in(world.client, "clinician")
    url = f"/clinic/prescriptions/{rx['id']}"
    page = world.client.get(url)
    assert 'name="acknowledge"' in page.text
    form = {"csrf": csrf_of(page.text), "version": str(rx["version"])}
    refused = world.client.post(f"{url}/approve", data=form)
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.text and "ack-1-err" in refused.text
    assert 'role="alert"' in refused.text
    assert status_of(world, rx) == "draft"
    ticked = world.client.post(
        f"{url}/approve", data=form | {"acknowledge": codes(rx)}, follow_redirects=False
    )
    assert ticked.status_code == 303, ticked.text
    assert status_of(world, rx) == "active"


def test_a_rejected_version_shows_its_reason(world):
    rx = drafted(world)
    sign_in(world.client, "clinician")
    url = f"/clinic/prescriptions/{rx['id']}"
    csrf = csrf_of(world.client.get(url).text)
    note = "Wait for the respiratory review first"
    r = world.client.post(
        f"{url}/reject", data={"csrf": csrf, "note": note}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    page = world.client.get(url).text
    history = page[page.index('id="hist-h"') :]
    assert note in history and "Rejected" in history
