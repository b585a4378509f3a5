"""One tap stores one session however often it arrives; a session logged by mistake can be
undone (pages and API); the patient's weeks cover the weeks of an earlier plan."""

import datetime as dt
import re

from sqlalchemy import text
from starlette.requests import Request
from tests.web.test_pages import csrf_of, sign_in, start_plan

from alsrx.db.session import transaction
from alsrx.web.pages import render


def sessions(world):
    url = f"/api/v1/patients/{world.patient_a}/sessions"
    return world.client.get(url, headers=world.as_("clinician")).json()["sessions"]


def done_form(html, component="aerobic"):
    """The fields of a card's one-tap form, as the page rendered them."""
    form = re.search(
        r'<form method="post" action="/today/done"[^>]*>(.*?)</form>',
        html.split(f'id="c-{component}"')[1],
        re.S,
    ).group(1)
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))


def test_a_double_tap_or_a_retry_of_one_rendered_button_stores_one_session(world):
    start_plan(world)
    sign_in(world.client, "patient")
    fields = done_form(world.client.get("/today").text)
    assert len(fields["idempotency_key"]) >= 20
    first = world.client.post("/today/done", data=fields, follow_redirects=False)
    second = world.client.post("/today/done", data=fields, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert "saved=aerobic" in first.headers["location"]
    assert len(sessions(world)) == 1
    again = done_form(world.client.get("/today").text)  # a new page: a new tap, a new session
    assert again["idempotency_key"] != fields["idempotency_key"]
    world.client.post("/today/done", data=again, follow_redirects=False)
    assert len(sessions(world)) == 2


def test_a_key_sent_again_for_another_card_is_refused_and_stores_nothing(world):
    start_plan(world)
    sign_in(world.client, "patient")
    fields = done_form(world.client.get("/today").text)
    world.client.post("/today/done", data=fields, follow_redirects=False)
    other = world.client.post("/today/done", data=fields | {"component": "flexibility"})
    assert other.status_code == 422 and "different body" in other.text
    assert [s["component"] for s in sessions(world)] == ["aerobic"]


def test_a_tap_undone_on_the_today_page_is_kept_marked_and_no_longer_counted(world):
    start_plan(world)
    sign_in(world.client, "patient")
    world.client.post("/today/done", data=done_form(world.client.get("/today").text))
    (logged,) = sessions(world)
    page = world.client.get("/today").text
    form = {"csrf": csrf_of(page), "patient": world.patient_a, "log": logged["id"]}
    r = world.client.post("/today/undo", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/today?patient={world.patient_a}"
    (kept,) = sessions(world)
    assert kept["id"] == logged["id"] and kept["undone_at"] is not None
    summary = world.client.get(
        f"/api/v1/patients/{world.patient_a}/summary?weeks=1", headers=world.as_("patient")
    ).json()
    aerobic = next(w for w in summary["weeks"] if w["component"] == "aerobic")
    assert aerobic["done_sessions"] == 0
    forged = world.client.post("/today/undo", data=form | {"csrf": "forged"})
    assert forged.status_code == 403


def test_the_api_undoes_a_session_once_and_only_for_whoever_logged_it_or_a_clinician(world):
    start_plan(world)
    url = f"/api/v1/patients/{world.patient_a}/sessions"
    body = {"component": "aerobic"}
    mine = world.client.post(url, json=body, headers=world.as_("patient")).json()["session"]
    theirs = world.client.post(url, json=body, headers=world.as_("patient")).json()["session"]
    r = world.client.post(f"/api/v1/sessions/{mine['id']}/undo", headers=world.as_("patient"))
    assert r.status_code == 200 and r.json()["session"]["undone_at"] is not None
    again = world.client.post(f"/api/v1/sessions/{mine['id']}/undo", headers=world.as_("patient"))
    assert again.status_code == 409
    other = f"/api/v1/sessions/{theirs['id']}/undo"
    assert world.client.post(other, headers=world.as_("caregiver")).status_code == 403
    assert world.client.post(other, headers=world.as_("clinician_b")).status_code == 404
    assert world.client.post(other, headers=world.as_("clinician")).status_code == 200


def test_the_patients_weeks_show_the_weeks_of_the_previous_plan(world):
    start_plan(world)
    today = dt.date.today()
    earlier = today - dt.timedelta(weeks=3)
    with transaction(world.factory) as s:  # the first plan started three weeks ago
        s.execute(
            text("UPDATE prescriptions SET starts_on = :d WHERE patient_id = :p"),
            {"d": earlier, "p": world.patient_a},
        )
    url = f"/api/v1/patients/{world.patient_a}/sessions"
    body = {"component": "aerobic", "date": earlier.isoformat()}
    assert world.client.post(url, json=body, headers=world.as_("patient")).status_code == 201
    start_plan(world)  # a new plan, approved today
    sign_in(world.client, "patient")
    page = world.client.get("/history").text
    week_of = render.format_date(earlier - dt.timedelta(days=earlier.weekday()), "en")
    row = next(r for r in page.split("<tr>") if week_of in r and "Aerobic" in r)
    assert re.findall(r"<td>([^<]*)</td>", row)[3] == "1"  # done under the earlier plan


def _today_page(logged_today):
    request = Request({"type": "http", "path": "/today", "query_string": b"", "headers": []})
    env = render.environment("en")
    patient = type("P", (), {"id": "p1", "code": "A-001"})()
    plan = {
        "entries": [
            {
                "type": "flexibility",
                "title": "Stretching",
                "what": "",
                "heart_rate": None,
                "week": "",
                "count": "",
                "twice": None,
            }
        ],
        "not_planned": [],
        "stop_rules": [],
        "paused": False,
        "stop": False,
        "yesterday": False,
        "next": None,
    }
    return env.get_template("today.html").render(
        request=request,
        prefs={"text": "normal", "contrast": "normal"},
        lang="en",
        html_lang="en",
        actor=None,
        csrf="c",
        patient=patient,
        patients=[patient],
        plan=plan,
        today=dt.date(2026, 3, 2),
        saved=None,
        logged_today=logged_today,
        contacts=type("C", (), {"emergency_number": None, "clinic_phone": None})(),
        for_someone_else=False,
        rating_wanted=False,
    )


def test_after_a_tap_the_card_says_when_with_an_undo_and_counts_a_twice_daily_plan():
    at = dt.datetime(2026, 3, 2, 10, 42).astimezone()
    entry = {
        "done_today": 1,
        "planned_today": 2,
        "last_at": at,
        "undo_log_id": "log-1",
        "undo_window_min": 30,
    }
    html = _today_page({"flexibility": entry})
    assert "1 of 2 today" in html and "Done today at 10:42" in html
    assert 'name="log" value="log-1"' in html and "within 30 minutes" in html
    once = _today_page({"flexibility": entry | {"planned_today": 1, "undo_log_id": None}})
    assert "of 1 today" not in once and "Done today at 10:42" in once
    assert 'action="/today/undo"' not in once
    assert "Done today" not in _today_page({})
