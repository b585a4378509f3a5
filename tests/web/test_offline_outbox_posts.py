"""The log forms as the offline outbox posts them (static/outbox.js): once per key, with the
moment of the tap, answered in JSON; the worker and the manifest of the installable app."""

import datetime as dt

from tests.web.test_one_tap_and_undo import sessions
from tests.web.test_pages import csrf_of, sign_in, start_plan
from tests.web.test_today_page import plan_started

OUTBOX = {"X-Alsrx-Outbox": "1"}


def signed_in_patient(world, *, started_days_ago=0):
    plan_started(world, started_days_ago) if started_days_ago else start_plan(world)
    sign_in(world.client, "patient")
    return {"csrf": csrf_of(world.client.get("/today").text), "patient": world.patient_a}


def local(day: dt.date, hour: int = 12) -> str:
    return dt.datetime.combine(day, dt.time(hour)).astimezone().isoformat()


def test_a_replayed_details_post_stores_one_row_and_answers_as_the_first(world):
    form = signed_in_patient(world) | {"component": "aerobic", "symptoms": "chest_pain"}
    form |= {"idempotency_key": "client-id-1", "performed_at": local(dt.date.today())}
    first = world.client.post("/today/details", data=form, headers=OUTBOX)
    again = world.client.post("/today/details", data=form, headers=OUTBOX)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["next"].startswith(f"/today/advice?patient={world.patient_a}&log=")
    (row,) = sessions(world)
    assert row["symptoms"] == ["chest_pain"] and row["performed_at"] is not None
    advice = world.client.get(first.json()["next"])
    assert advice.status_code == 200 and "Stop exercising now" in advice.text


def test_a_browser_resending_the_details_form_stores_it_once(world):
    form = signed_in_patient(world) | {"component": "aerobic", "rpe": "11"}
    form["idempotency_key"] = "rendered-key"
    first = world.client.post("/today/details", data=form, follow_redirects=False)
    again = world.client.post("/today/details", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(sessions(world)) == 1


def test_a_replayed_tap_stores_one_row_for_the_day_it_was_performed(world):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    form = signed_in_patient(world, started_days_ago=7)
    form |= {"component": "aerobic", "idempotency_key": "tap-1"}
    form["performed_at"] = local(yesterday, 23)
    answers = [world.client.post("/today/done", data=form, headers=OUTBOX) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    (row,) = sessions(world)
    assert row["date"] == yesterday.isoformat()
    sign_in(world.client, "clinician")  # the clinic sees when it was done and when it came
    listed = world.client.get(f"/clinic/patients/{world.patient_a}/sessions").text
    assert "done at 11:00" in listed and "received at" in listed


def test_a_tap_performed_three_days_ago_is_refused_naming_the_field_and_stores_nothing(world):
    form = signed_in_patient(world) | {"component": "aerobic", "idempotency_key": "old-1"}
    form["performed_at"] = local(dt.date.today() - dt.timedelta(days=3))
    r = world.client.post("/today/done", data=form, headers=OUTBOX)
    assert r.status_code == 422
    (line,) = r.json()["error"]["lines"]
    assert line.startswith("Time the session was done: must be today or yesterday")
    assert sessions(world) == []
    page = world.client.post("/today/done", data=form | {"idempotency_key": "old-2"})
    assert page.status_code == 422 and "Time the session was done" in page.text


def test_an_outbox_post_after_the_session_ended_is_kept_for_a_new_sign_in(world):
    form = signed_in_patient(world) | {"component": "aerobic", "idempotency_key": "late-1"}
    world.client.cookies.clear()
    r = world.client.post("/today/done", data=form, headers=OUTBOX)
    assert r.status_code == 401 and r.json()["error"]["code"] == "sign_in"
    assert "Sign in again" in r.json()["error"]["message"]
    sign_in(world.client, "patient")  # a new session: the old page's token is stale, not wrong
    stale = world.client.post("/today/done", data=form, headers=OUTBOX)
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "stale_form"
    fresh = form | {"csrf": csrf_of(world.client.get("/today").text)}
    assert world.client.post("/today/done", data=fresh, headers=OUTBOX).status_code == 200
    assert len(sessions(world)) == 1


def test_the_worker_and_the_manifest_are_served_for_the_installable_app(world):
    worker = world.client.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["cache-control"] == "no-cache"
    assert "%ASSETS_VERSION%" not in worker.text
    manifest = world.client.get("/manifest.webmanifest?lang=zh")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    doc = manifest.json()
    assert doc["name"] == "alsrx 居家运动" and doc["start_url"] == "/today"
    assert {i["sizes"] for i in doc["icons"]} == {"192x192", "512x512"}
    for icon in doc["icons"]:
        assert world.client.get(icon["src"]).status_code == 200


def test_the_advice_of_a_log_is_shown_only_for_its_own_patient(world):
    form = signed_in_patient(world) | {"component": "aerobic", "symptoms": "chest_pain"}
    form |= {"idempotency_key": "client-id-advice", "performed_at": local(dt.date.today())}
    link = world.client.post("/today/details", data=form, headers=OUTBOX).json()["next"]
    log_id = link.rsplit("log=", 1)[1]
    other = world.client.get(f"/today/advice?patient={world.patient_b}&log={log_id}")
    assert other.status_code == 404 and "Chest pain" not in other.text
    unknown = world.client.get(f"/today/advice?patient={world.patient_a}&log=no-such-log")
    assert unknown.status_code == 404
    world.client.cookies.clear()
    sign_in(world.client, "clinician_b")
    assert world.client.get(link).status_code in (403, 404)
