"""The follow-up API: logging with as little effort as possible, alerts, inbox, proposals."""

import pytest
from sqlalchemy import text
from tests.web.test_api_basics import VISIT
from tests.web.test_pages import start_plan

from alsrx.db.session import transaction


@pytest.fixture
def planned(world):
    start_plan(world)
    return world


def sessions_url(world):
    return f"/api/v1/patients/{world.patient_a}/sessions"


def test_done_as_planned_needs_nothing_but_the_component(planned):
    r = planned.client.post(
        sessions_url(planned), json={"component": "aerobic"}, headers=planned.as_("patient")
    )
    assert r.status_code == 201, r.text
    s = r.json()["session"]
    assert s["completed"] == "done" and s["filled_from_plan"] and s["duration_min"] == 15
    assert s["entered_as"] == "patient" and r.json()["stop_now"] is False


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"component": "aerobic", "rpe": 25}, "rpe"),
        ({"component": "aerobic", "duration_min": -5}, "duration_min"),
        ({"component": "swimming"}, "component"),
        ({"component": "aerobic", "completed": "skipped"}, "skip_reason"),
        ({"component": "aerobic", "symptoms": ["headache"]}, "symptoms.0"),
        ({"component": "aerobic", "date": "2099-01-01"}, "date"),
    ],
)
def test_bad_values_get_a_422_naming_the_field_and_nothing_is_stored(planned, body, path):
    r = planned.client.post(sessions_url(planned), json=body, headers=planned.as_("caregiver"))
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["path"] == path
    assert (
        planned.client.get(sessions_url(planned), headers=planned.as_("clinician")).json()[
            "sessions"
        ]
        == []
    )


def test_without_an_active_prescription_there_is_nothing_to_log(world):
    r = world.client.post(
        sessions_url(world), json={"component": "aerobic"}, headers=world.as_("patient")
    )
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["path"] == "component"


def test_an_idempotent_retry_stores_one_session(planned):
    h = planned.as_("patient") | {"Idempotency-Key": "phone-7f3a"}
    a = planned.client.post(sessions_url(planned), json={"component": "aerobic"}, headers=h)
    b = planned.client.post(sessions_url(planned), json={"component": "aerobic"}, headers=h)
    assert a.json() == b.json()
    assert len(planned.client.get(sessions_url(planned), headers=h).json()["sessions"]) == 1


def test_a_red_flag_tells_the_patient_to_stop_and_reaches_the_centre_inbox(planned):
    r = planned.client.post(
        sessions_url(planned),
        json={"component": "aerobic", "symptoms": ["chest_pain"]},
        headers=planned.as_("patient"),
    )
    body = r.json()
    assert body["stop_now"] is True and "+86 10 0000 0000" in body["message"]
    inbox = planned.client.get("/api/v1/alerts", headers=planned.as_("clinician")).json()["alerts"]
    assert [(a["code"], a["severity"]) for a in inbox] == [("red_flag", "urgent")]
    assert (
        planned.client.get("/api/v1/alerts", headers=planned.as_("clinician_b")).json()["alerts"]
        == []
    )
    alert_id = inbox[0]["id"]
    h = planned.as_("clinician")
    assert (
        planned.client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=h).json()["status"]
        == "acknowledged"
    )
    resolved = planned.client.post(
        f"/api/v1/alerts/{alert_id}/resolve", json={"note": "seen in clinic"}, headers=h
    )
    assert resolved.json()["status"] == "resolved"
    with transaction(planned.factory, write=False) as s:
        actions = [
            r[0] for r in s.execute(text("SELECT action FROM audit_events WHERE entity = 'alert'"))
        ]
    assert actions == ["create", "acknowledge", "resolve"]


def test_a_pause_proposal_is_approved_into_the_patients_plan(planned):
    planned.client.post(
        sessions_url(planned),
        json={"component": "aerobic", "symptoms": ["fall_with_injury"]},
        headers=planned.as_("caregiver"),
    )
    h = planned.as_("clinician")
    proposals = planned.client.get(
        f"/api/v1/patients/{planned.patient_a}/proposals", headers=h
    ).json()["proposals"]
    assert [p["proposal"]["kind"] for p in proposals] == ["pause"]
    assert {"path": "components.aerobic", "old": "present", "new": None} in proposals[0][
        "proposal"
    ]["diff"]
    ack = {"acknowledge": [r["code"] for r in proposals[0]["prescription"]["reasons"]]}
    approved = planned.client.post(
        f"/api/v1/prescriptions/{proposals[0]['id']}/approve", headers=h, json=ack
    )
    assert approved.status_code == 200
    r = planned.client.post(
        sessions_url(planned), json={"component": "aerobic"}, headers=planned.as_("patient")
    )
    assert r.status_code == 422  # aerobic is no longer in the plan


def test_a_proposal_can_be_rejected_with_a_reason(planned):
    planned.client.post(
        sessions_url(planned),
        json={"component": "aerobic", "symptoms": ["dizziness"]},
        headers=planned.as_("patient"),
    )
    h = planned.as_("clinician")
    proposal = planned.client.get(
        f"/api/v1/patients/{planned.patient_a}/proposals", headers=h
    ).json()["proposals"][0]
    r = planned.client.post(
        f"/api/v1/prescriptions/{proposal['id']}/reject",
        json={"note": "orthostatic, known"},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected"


def test_the_weekly_summary_shows_planned_and_done(planned):
    planned.client.post(
        sessions_url(planned),
        json={"component": "aerobic", "avg_hr_bpm": 115, "rpe": 12},
        headers=planned.as_("patient"),
    )
    summary = planned.client.get(
        f"/api/v1/patients/{planned.patient_a}/summary?weeks=1", headers=planned.as_("patient")
    ).json()
    aerobic = next(w for w in summary["weeks"] if w["component"] == "aerobic")
    assert (
        aerobic["planned_sessions"] >= 2
        and aerobic["done_sessions"] == 1
        and aerobic["mean_rpe"] == 12
    )


def test_an_assessment_posted_through_the_api_runs_the_course_rules_like_the_pages(planned):
    h = planned.as_("clinician")
    later = dict(VISIT, date="2026-10-20", alsfrs_r=dict(VISIT["alsfrs_r"], q8_walking=1))
    r = planned.client.post(
        f"/api/v1/patients/{planned.patient_a}/assessments", json=later, headers=h
    )
    assert r.status_code == 201, r.text
    inbox = planned.client.get("/api/v1/alerts", headers=h).json()["alerts"]
    assert "walking_lost" in {a["code"] for a in inbox}
    listed = planned.client.get(
        f"/api/v1/patients/{planned.patient_a}/prescriptions", headers=h
    ).json()["prescriptions"]
    assert [p["origin"] for p in listed if p["status"] == "draft"] == ["proposal:represcribe"]
