"""The session logs page: every session in words in both languages, the patient's own notes
and red flags, paging, filters, and another centre's patient not found (as a page)."""

import pytest
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_pages import csrf_of, sign_in, start_plan

from alsrx.db import models
from alsrx.db.session import transaction


@pytest.fixture
def planned(world):
    start_plan(world)
    return world


def log(world, body, who="patient"):
    url = f"/api/v1/patients/{world.patient_a}/sessions"
    r = world.client.post(url, json={"component": "aerobic", **body}, headers=world.as_(who))
    assert r.status_code == 201, r.text
    return r.json()


def page(world, lang="en", query=""):
    c = world.client
    sign_in(c, "clinician")
    if lang == "zh":
        c.post("/prefs", data={"lang": "zh", "csrf": csrf_of(c.get("/clinic").text), "next": "/"})
    r = c.get(f"/clinic/patients/{world.patient_a}/sessions{query}")
    assert r.status_code == 200, r.text
    return r.text


WORDS = {
    "en": ("Red flag: Chest pain", "The patient (patient)", "Caregiver caregiver", "Skipped"),
    "zh": ("危险信号：胸痛", "患者", "照护者", "已跳过"),
}


@SQLITE_ONLY
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_lists_each_session_with_the_patients_note_and_red_flag_in_words(planned, lang):
    log(planned, {"symptoms": ["chest_pain"], "notes": "Tight <b>chest</b> on the stairs"})
    log(planned, {"completed": "skipped", "skip_reason": "too tired"}, who="caregiver")
    log(planned, {"max_hr_bpm": 200, "rpe": 13, "duration_min": 20, "fatigue_recovery_min": 15})
    html = page(planned, lang)
    assert "Tight &lt;b&gt;chest&lt;/b&gt; on the stairs" in html  # their words, escaped
    for word in WORDS[lang]:
        assert word in html
    assert "chest_pain" not in html and "skipped</" not in html and "too tired" not in html
    assert ("200 bpm" if lang == "en" else "200 次/分") in html and "13 · " in html


@SQLITE_ONLY
def test_a_session_links_to_the_alert_it_raised_and_an_undone_one_is_marked(planned):
    first = log(planned, {"symptoms": ["dizziness"]})
    planned.client.post(
        f"/api/v1/sessions/{first['session']['id']}/undo", headers=planned.as_("patient")
    )
    html = page(planned)
    assert f'href="/clinic/patients/{planned.patient_a}#al-h"' in html
    assert "Alert raised (urgent)" in html
    assert "Undone on" in html and "not counted" in html


@SQLITE_ONLY
def test_sessions_are_paged_newest_first(planned):
    with transaction(planned.factory) as s:
        rx = s.query(models.Prescription).filter_by(patient_id=planned.patient_a).first()
        user = s.query(models.User).filter_by(username="patient").one()
        import datetime as dt

        for i in range(55):
            s.add(
                models.SessionLog(
                    patient_id=planned.patient_a,
                    prescription_id=rx.id,
                    date=dt.date(2026, 9, 1) + dt.timedelta(days=i),
                    component="aerobic",
                    completed="done",
                    duration_min=10 + i,
                    symptoms=[],
                    planned={},
                    entered_by=user.id,
                    entered_as="patient",
                )
            )
    html = page(planned)
    assert "Sessions: 55" in html and "Page 1 of 2" in html
    assert html.index("64 min") < html.index("63 min")  # newest first
    assert "10 min" not in html
    second = planned.client.get(f"/clinic/patients/{planned.patient_a}/sessions?page=2").text
    assert "10 min" in second and "64 min" not in second


@SQLITE_ONLY
def test_the_filters_pick_out_an_outcome_and_red_flags(planned):
    log(planned, {"completed": "skipped", "skip_reason": "no time"})
    log(planned, {"symptoms": ["fall_with_injury"]})
    log(planned, {})
    skipped = page(planned, query="?outcome=skipped")
    assert "Sessions: 1" in skipped and "No time" in skipped
    red = planned.client.get(f"/clinic/patients/{planned.patient_a}/sessions?flags=red").text
    assert "Sessions: 1" in red and "Fell and got hurt" in red
    none = planned.client.get(
        f"/clinic/patients/{planned.patient_a}/sessions?component=strengthening&outcome=partial"
    ).text
    assert "No session matches these filters." in none


@SQLITE_ONLY
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_another_centres_patient_is_not_found_as_a_page(world, lang):
    c = world.client
    sign_in(c, "clinician")
    if lang == "zh":
        c.post("/prefs", data={"lang": "zh", "csrf": csrf_of(c.get("/clinic").text), "next": "/"})
    r = c.get(f"/clinic/patients/{world.patient_b}/sessions")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html") and "<h1" in r.text


def test_the_read_counts_and_pages_on_both_backends(planned):
    from alsrx.services import session_log_views
    from alsrx.services.actor import Actor

    log(planned, {})
    log(planned, {"completed": "partial"})
    with transaction(planned.factory) as s:
        centre = s.get(models.Patient, planned.patient_a).centre_id
        actor = Actor(1, "c", "clinician", frozenset({centre}))
        found = session_log_views.page(s, actor, planned.patient_a, outcome="partial")
        assert found.total == 1 and found.entries[0].log.completed == "partial"
        assert found.components == ["aerobic"]
