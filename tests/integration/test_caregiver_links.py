"""A clinician links and unlinks a caregiver in the patient's page: the caregiver's access to
the patient begins at the link and ends at the unlink, and both are audited."""

import re

from sqlalchemy import text
from tests.web.test_pages import csrf_of, sign_in

from alsrx.db.session import transaction
from alsrx.services import accounts, api_tokens
from alsrx.services.actor import SYSTEM


def new_caregiver(world, name="second-carer"):
    from tests.db_fixtures import PASSWORD

    with transaction(world.factory) as s:
        # A caregiver account starts with one patient (of the other centre, here).
        user = accounts.create_user(
            s,
            SYSTEM,
            username=name,
            password=PASSWORD,
            role="caregiver",
            linked_patient_ids=(world.patient_b,),
        )
        return user.id, api_tokens.issue_token(s, SYSTEM, user)


def link_events(world):
    with transaction(world.factory, write=False) as s:
        query = "SELECT action FROM audit_events WHERE entity = 'caregiver_link' ORDER BY seq"
        return [r[0] for r in s.execute(text(query))]


def test_a_linked_caregiver_reaches_the_patient_until_unlinked(world):
    c = world.client
    carer_id, token = new_caregiver(world)
    bearer = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/patients/{world.patient_a}"
    assert c.get(url, headers=bearer).status_code == 404
    sign_in(c, "clinician")
    page = c.get(f"/clinic/patients/{world.patient_a}/edit").text
    assert f'<option value="{carer_id}">second-carer</option>' in page
    linked = c.post(
        f"/clinic/patients/{world.patient_a}/caregivers",
        data={"csrf": csrf_of(page), "caregiver_id": str(carer_id), "link_reason": "daughter"},
    )
    assert linked.status_code == 200 and "Caregiver linked" in linked.text
    assert re.search(r'id="cg-\d+">second-carer</span>', linked.text)
    assert c.get(url, headers=bearer).status_code == 200
    unlinked = c.post(
        f"/clinic/patients/{world.patient_a}/caregivers/{carer_id}/unlink",
        data={"csrf": csrf_of(linked.text)},
    )
    assert unlinked.status_code == 200 and "access to this patient has ended" in unlinked.text
    assert c.get(url, headers=bearer).status_code == 404
    assert link_events(world)[-2:] == ["link", "unlink"]


def test_a_clinician_of_another_centre_cannot_link_to_the_patient(world):
    c = world.client
    carer_id, _token = new_caregiver(world)
    sign_in(c, "clinician_b")
    page = c.get("/clinic").text
    before = link_events(world)
    r = c.post(
        f"/clinic/patients/{world.patient_a}/caregivers",
        data={"csrf": csrf_of(page), "caregiver_id": str(carer_id)},
    )
    assert r.status_code == 404
    assert link_events(world) == before
