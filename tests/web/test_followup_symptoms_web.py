"""Every symptom has an answer, through the API and the pages: advice in words, a red flag that
leads with the emergency number and is not counted as done, the patient's notes in the alert."""

import html
import re

import pytest
from tests.web.test_pages import csrf_of, sign_in, start_plan

from alsrx.db import models
from alsrx.db.session import transaction


@pytest.fixture
def planned(world):
    start_plan(world)
    return world


def set_emergency_number(world, number):
    """Centre A's emergency number (centres are created with it; there is no edit yet)."""
    with transaction(world.factory) as s:
        s.get(models.Centre, world.centre_a).emergency_number = number


def log(world, body, who="patient"):
    url = f"/api/v1/patients/{world.patient_a}/sessions"
    return world.client.post(url, json={"component": "aerobic", **body}, headers=world.as_(who))


def aerobic_done(world):
    summary = world.client.get(
        f"/api/v1/patients/{world.patient_a}/summary?weeks=1", headers=world.as_("clinician")
    ).json()
    return next(w for w in summary["weeks"] if w["component"] == "aerobic")["done_sessions"]


def test_a_red_flag_that_does_not_say_how_much_was_done_is_stopped_and_not_credited(planned):
    flagged = log(planned, {"symptoms": ["chest_pain"], "rpe": 15})
    assert flagged.status_code == 201, flagged.text
    assert flagged.json()["session"]["completed"] == "stopped"
    assert aerobic_done(planned) == 0
    said = log(planned, {"symptoms": ["dizziness"], "completed": "done"})
    assert said.json()["session"]["completed"] == "done"  # the patient says so: it counts
    assert aerobic_done(planned) == 1


def test_a_symptom_without_a_red_flag_still_defaults_to_done(planned):
    r = log(planned, {"symptoms": ["cramps"]})
    assert r.json()["session"]["completed"] == "done"


def test_the_api_answers_each_symptom_in_words_and_gives_the_emergency_number_on_a_red_flag(
    planned,
):
    set_emergency_number(planned, "120")
    body = log(planned, {"symptoms": ["fasciculations", "chest_pain"]}).json()
    assert [(a["symptom"], a["advice"]) for a in body["advice"]] == [
        ("chest_pain", "advice_chest_pain"),
        ("fasciculations", "advice_fasciculations"),
    ]
    assert "no reason to stop" in body["advice"][1]["message"]
    assert body["stop_now"] is True and body["emergency_number"] == "120"
    assert body["emergency_message"] == "Call the emergency number 120"
    assert body["clinic_phone"] == "+86 10 0000 0000"
    quiet = log(planned, {"symptoms": ["fasciculations"]}).json()
    assert quiet["stop_now"] is False and "emergency_number" not in quiet
    assert quiet["alerts"] == []


def test_without_a_centre_emergency_number_the_api_names_no_number(planned):
    body = log(planned, {"symptoms": ["fall_with_injury"]}).json()
    assert body["emergency_number"] is None
    assert body["emergency_message"] == "In an emergency, call your local emergency number."


def test_the_patients_notes_reach_the_alert_the_clinician_reads(planned):
    log(planned, {"symptoms": ["fall"], "notes": "tripped on the rug, no pain"})
    log(planned, {"symptoms": ["chest_pain"], "notes": "tight chest on the stairs"}, "caregiver")
    inbox = planned.client.get("/api/v1/alerts", headers=planned.as_("clinician")).json()
    notes = {a["code"]: a["notes"] for a in inbox["alerts"]}
    assert notes == {
        "red_flag": "tight chest on the stairs",
        "fall_reported": "tripped on the rug, no pain",
    }
    sign_in(planned.client, "clinician")
    page = html.unescape(planned.client.get("/clinic/alerts").text)
    assert "tight chest on the stairs" in page and "tripped on the rug, no pain" in page
    assert "A fall without injury" in page


def details(client, world, **form):
    page = client.get(f"/today/details?component=aerobic&patient={world.patient_a}")
    data = {"csrf": csrf_of(page.text), "patient": world.patient_a, "component": "aerobic"}
    return client.post("/today/details", data=data | form)


def test_the_chest_pain_page_leads_with_the_emergency_number_then_the_clinic(planned):
    set_emergency_number(planned, "120")
    sign_in(planned.client, "patient")
    page = details(planned.client, planned, symptoms="chest_pain").text
    emergency, clinic = page.find('href="tel:120"'), page.find('href="tel:+861000000000"')
    assert 0 < emergency < clinic
    assert 'class="button emergency"' in page and "Stop exercising now" in page
    logged = planned.client.get(
        f"/api/v1/patients/{planned.patient_a}/sessions", headers=planned.as_("clinician")
    ).json()["sessions"]
    assert [s["completed"] for s in logged] == ["stopped"]


def test_without_an_emergency_number_the_red_flag_page_says_call_the_local_one(planned):
    sign_in(planned.client, "patient")
    page = html.unescape(details(planned.client, planned, symptoms="dizziness").text)
    assert "call your local emergency number" in page
    assert len(re.findall(r'href="tel:', page)) == 1  # the clinic only: no number guessed


def test_after_a_symptom_the_patient_reads_the_advice_in_chinese_not_well_done(planned):
    c = planned.client
    sign_in(c, "patient")
    c.post("/prefs", data={"lang": "zh", "csrf": csrf_of(c.get("/today").text), "next": "/today"})
    r = details(c, planned, symptoms=["cramps", "fasciculations"])
    assert r.status_code == 200
    page = html.unescape(r.text)
    assert "做得好" not in page and "今天请停止运动" in page
    assert "轻柔牵伸抽筋（痛性痉挛）的肌肉" in page  # the cramp advice
    assert "肌束震颤" in page and "不是停止运动的理由" in page  # fasciculations
    assert "已告知您的康复团队" in page


def test_the_details_form_preselects_no_completion_and_offers_stopped_early(planned):
    sign_in(planned.client, "patient")
    page = planned.client.get(f"/today/details?component=aerobic&patient={planned.patient_a}")
    radios = re.findall(r'name="completed" value="(\w+)"( checked)?', page.text)
    assert [v for v, _ in radios] == ["done", "partial", "stopped", "skipped"]
    assert all(not checked for _, checked in radios)
    recovery = re.findall(r'name="fatigue_recovery_min" value="(\d+)"', page.text)
    assert recovery == ["5", "15", "30", "60", "1440"]
    assert 'value="new_weakness_next_day"' in page.text and 'value="fasciculations"' in page.text


def test_a_fatigue_bucket_past_the_limit_reaches_the_clinician(planned):
    sign_in(planned.client, "patient")
    details(planned.client, planned, fatigue_recovery_min="1440")
    inbox = planned.client.get("/api/v1/alerts", headers=planned.as_("clinician")).json()
    ((alert,),) = [[a for a in inbox["alerts"] if a["code"] == "fatigue_overwork"]]
    assert alert["data"]["into_next_day"] is True


@pytest.mark.parametrize(
    ("number", "status"),
    [
        *[(n, 201) for n in ("120", "112", "999", "911")],
        *[(n, 422) for n in ("1", "12a", "+86120", "1 2 0", "１２０", "1" * 16)],
    ],
)
def test_a_centre_is_created_with_a_digits_only_emergency_number(world, number, status):
    r = world.client.post(
        "/api/v1/centres",
        json={"name": f"Centre {number}", "emergency_number": number},
        headers=world.as_("admin"),
    )
    assert r.status_code == status, r.text
    centres = world.client.get("/api/v1/centres", headers=world.as_("admin")).json()["centres"]
    if status == 201:
        assert {"name": f"Centre {number}", "emergency_number": number}.items() <= next(
            c for c in centres if c["name"] == f"Centre {number}"
        ).items()
    else:
        assert r.json()["error"]["fields"][0]["path"] == "emergency_number"
        assert f"Centre {number}" not in {c["name"] for c in centres}
