"""Remembered devices through the API: the clinic lists a patient's devices and revokes one,
and the PIN session on that device ends at the next request; the reach is the pages' (another
centre gets 404); bad input names the field and changes nothing."""

from __future__ import annotations

from sqlalchemy import select
from tests.db_fixtures import transaction
from tests.web.test_pages import sign_in
from tests.web.test_trusted_device_pages import PIN, forget_session, pin_post, remember

from alsrx.db import models


def phone_with_a_pin_session(world, who="patient"):
    """A device `who` remembered and then opened with the PIN: that browser's cookies."""
    c = world.client
    sign_in(c, who)
    assert remember(c).status_code == 303
    forget_session(c)
    assert pin_post(c, PIN).status_code == 303
    cookies = dict(c.cookies)
    c.cookies.clear()
    return cookies


def devices(world, who, patient=None):
    url = f"/api/v1/patients/{patient or world.patient_a}/devices"
    return world.client.get(url, headers=world.as_(who))


def revoke(world, who, device, body=None, patient=None):
    url = f"/api/v1/patients/{patient or world.patient_a}/devices/{device}/revoke"
    return world.client.post(url, headers=world.as_(who), json={} if body is None else body)


def test_the_clinic_revokes_a_patients_device_and_its_pin_session_ends_at_once(world):
    phone = phone_with_a_pin_session(world)
    listed = devices(world, "clinician").json()["devices"]
    assert [(d["user"], d["role"], d["label"], d["status"]) for d in listed] == [
        ("patient", "patient", "Phone (Chrome)", "active")
    ]
    assert set(listed[0]) == {
        "id",
        "user",
        "role",
        "label",
        "status",
        "created_at",
        "last_used_at",
        "expires_at",
    }
    r = revoke(world, "clinician", listed[0]["id"], {"reason": "phone lost"})
    assert r.status_code == 200
    assert r.json()["revoked"] is True and r.json()["device"]["status"] == "revoked"
    c = world.client
    c.cookies.update(phone)
    answer = c.get("/today", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    c.cookies.clear()
    again = revoke(world, "clinician", listed[0]["id"])
    assert again.status_code == 200 and again.json()["revoked"] is False
    with transaction(world.factory, write=False) as s:
        events = s.execute(
            select(models.AuditEvent.action, models.AuditEvent.reason).where(
                models.AuditEvent.action == "device_revoke"
            )
        ).all()
    assert [tuple(e) for e in events] == [("device_revoke", "phone lost")]


def test_a_caregiver_sees_the_patients_devices_and_the_patient_their_own(world):
    phone_with_a_pin_session(world, "patient")
    phone_with_a_pin_session(world, "caregiver")
    by_role = {
        who: sorted(d["user"] for d in devices(world, who).json()["devices"])
        for who in ("clinician", "patient", "caregiver")
    }
    assert by_role == {
        "clinician": ["caregiver", "patient"],
        "patient": ["patient"],
        "caregiver": ["patient"],  # the patient's; a caregiver's own are on Account
    }


def test_another_centre_and_a_device_out_of_reach_get_404_and_nothing_changes(world):
    phone_with_a_pin_session(world)
    device = devices(world, "clinician").json()["devices"][0]["id"]
    assert devices(world, "clinician_b").status_code == 404
    assert revoke(world, "clinician_b", device).status_code == 404
    assert revoke(world, "clinician_b", device, patient=world.patient_b).status_code == 404
    assert revoke(world, "clinician", "not-a-number").status_code == 404
    assert revoke(world, "clinician", "999999").status_code == 404
    assert devices(world, "clinician").json()["devices"][0]["status"] == "active"


def test_a_reason_too_long_is_refused_naming_the_field_and_the_device_stays(world):
    phone_with_a_pin_session(world)
    device = devices(world, "clinician").json()["devices"][0]["id"]
    r = revoke(world, "clinician", device, {"reason": "x" * 5000})
    assert r.status_code == 422
    assert "reason" in r.text
    r = revoke(world, "clinician", device, {"pin": "1234"})
    assert r.status_code == 422
    assert devices(world, "clinician").json()["devices"][0]["status"] == "active"
