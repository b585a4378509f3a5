"""Today through the ASGI app: the day's plan, yesterday, a stop after a red flag, caregivers
who keep their chosen patient, and preference changes that keep the page's query string."""

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select
from tests.db_fixtures import PASSWORD, PATIENT_A, SQLITE_ONLY
from tests.web.test_pages import csrf_of, sign_in, start_plan

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.followup import today as today_mod
from alsrx.services import accounts, patients
from alsrx.services.actor import SYSTEM, Actor

# Pages and documents rendered from stored data: the services they call run on both backends
# in their own tests.
pytestmark = [SQLITE_ONLY]


def _active(s, patient_id):
    return s.scalars(
        select(models.Prescription).where(
            models.Prescription.patient_id == patient_id, models.Prescription.status == "active"
        )
    ).one()


def plan_started(world, days_ago):
    """Patient A's plan, approved `days_ago` days before today."""
    start_plan(world)
    with transaction(world.factory) as s:
        _active(s, world.patient_a).starts_on = dt.date.today() - dt.timedelta(days=days_ago)


def logged(world):
    h = world.as_("clinician")
    found = world.client.get(f"/api/v1/patients/{world.patient_a}/sessions", headers=h)
    return found.json()["sessions"]


def caregiver_of_two(world):
    """A second patient at centre A and a caregiver linked to both; returns the second's id."""
    with transaction(world.factory) as s:
        boot = Actor(0, "boot", "clinician", frozenset({world.centre_a}))
        second = patients.create(
            s, boot, dict(PATIENT_A, code="A-002"), centre_id=world.centre_a, today=dt.date.today()
        )
        accounts.create_user(
            s,
            SYSTEM,
            username="carer",
            role="caregiver",
            password=PASSWORD,
            linked_patient_ids=(world.patient_a, second.id),
        )
        return second.id


def prefs_next(page_html):
    return html.unescape(re.search(r'name="next" value="([^"]*)"', page_html).group(1))


def change_language(client, page, lang="zh"):
    form = {"csrf": csrf_of(page.text), "next": prefs_next(page.text), "lang": lang}
    return client.post("/prefs", data=form | {"text": "large"}, follow_redirects=False)


def test_today_lists_the_days_plan_in_the_stored_order_with_this_weeks_counts(world):
    plan_started(world, days_ago=0)
    c = world.client
    sign_in(c, "patient")
    with transaction(world.factory, write=False) as s:
        content = _active(s, world.patient_a).content
    day_1 = today_mod.for_day(content, started_on=dt.date.today(), day=dt.date.today())
    page = c.get("/today").text
    cards = re.findall(r'<h2 id="c-([a-z_]+)">', page)
    assert cards[: len(day_1.planned)] == [p.component for p in day_1.planned]
    assert "Not planned today" in page or not day_1.not_planned
    first = day_1.planned[0].component
    token = csrf_of(page)
    form = {"csrf": token, "patient": world.patient_a, "component": first}
    again = c.post("/today/done", data=form).text  # the redirect back to Today, followed
    card = again[again.index(f'id="c-{first}"') :]
    assert re.search(r"This week: 1 of \d+ done", card[: card.index("</li>")])


def test_todays_heart_rate_is_one_number_and_the_same_as_the_stop_rules(world):
    plan_started(world, days_ago=0)
    sign_in(world.client, "patient")
    page = world.client.get("/today").text
    on_card = re.findall(r"Keep your heart rate below (\d+)\.", page)
    in_rule = re.findall(r"Heart rate above (\d+) bpm", page)
    assert "Keep your heart rate between" not in page
    assert on_card and set(on_card) == set(in_rule)


def test_a_patient_logs_yesterdays_session_with_one_tap_and_returns_to_yesterday(world):
    plan_started(world, days_ago=3)
    c = world.client
    sign_in(c, "patient")
    # Today's one tap sends no date: a page left open overnight logs for the day of the tap.
    assert 'name="date"' not in c.get("/today").text
    page = c.get("/today?day=yesterday").text
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert f'name="date" value="{yesterday}"' in page
    form = {"csrf": csrf_of(page), "patient": world.patient_a, "component": "aerobic"}
    r = c.post("/today/done", data=form | {"date": yesterday}, follow_redirects=False)
    assert r.status_code == 303 and "day=yesterday" in r.headers["location"]
    assert r.headers["location"].endswith("#c-next")
    details = c.get(r.headers["location"].replace("/today?", "/today/details?component=aerobic&"))
    assert re.search(rf'name="date" value="{yesterday}" checked', details.text)
    c.post("/today/details", data=form | {"date": yesterday, "completed": "partial"})
    assert [s["date"] for s in logged(world)] == [yesterday, yesterday]


def test_a_session_older_than_yesterday_is_refused_in_words_and_not_stored(world):
    plan_started(world, days_ago=5)
    c = world.client
    sign_in(c, "patient")
    token = csrf_of(c.get("/today").text)
    older = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    form = {"csrf": token, "patient": world.patient_a, "component": "aerobic", "date": older}
    r = c.post("/today/details", data=form | {"completed": "done"})
    assert r.status_code == 422 and "must be today or yesterday" in r.text
    assert "ask your clinic to enter an older session" in r.text
    one_tap = c.post("/today/done", data=form)
    assert one_tap.status_code == 422 and "text/html" in one_tap.headers["content-type"]
    assert logged(world) == []


def test_yesterday_is_not_offered_on_the_day_the_plan_starts(world):
    plan_started(world, days_ago=0)
    c = world.client
    sign_in(c, "patient")
    assert "Log for yesterday" not in c.get("/today").text
    details = c.get(f"/today/details?patient={world.patient_a}&component=aerobic").text
    assert "Which day?" not in details


def test_after_a_red_flag_today_shows_stop_for_today_with_the_contacts_and_no_plan(world):
    plan_started(world, days_ago=0)
    c = world.client
    sign_in(c, "patient")
    token = csrf_of(c.get("/today").text)
    form = {"csrf": token, "patient": world.patient_a, "component": "aerobic"}
    c.post("/today/details", data=form | {"symptoms": "dizziness", "completed": "partial"})
    page = c.get("/today").text
    assert "Stop for today" in page and "Done: " not in page
    assert "call your local emergency number" in page
    assert 'href="tel:+8610' in page  # the clinic
    with transaction(world.factory) as s:
        s.get(models.Centre, world.centre_a).emergency_number = "120"
    page = c.get("/today").text
    assert 'href="tel:120"' in page and page.index("tel:120") < page.index("tel:+8610")


def test_the_details_page_without_an_exercise_is_a_page_that_leads_back_to_today(world):
    plan_started(world, days_ago=0)
    c = world.client
    sign_in(c, "patient")
    for url in (f"/today/details?patient={world.patient_a}", "/today/details?component=nothing"):
        r = c.get(url)
        assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
        assert 'href="/today?patient=' in r.text


def test_a_caregivers_chosen_patient_survives_a_language_change(world):
    start_plan(world)
    second = caregiver_of_two(world)
    c = world.client
    sign_in(c, "carer")
    for path in ("/today", "/history"):
        page = c.get(f"{path}?patient={second}")
        assert f'href="{path}?patient={second}" aria-current="page"' in page.text
        back = change_language(c, page)
        assert back.headers["location"] == f"{path}?patient={second}"
        after = c.get(back.headers["location"]).text
        assert "A-002" in after and f'href="{path}?patient={second}" aria-current="page"' in after
        assert 'lang="zh-CN"' in after and "text-large" in after
        change_language(c, c.get(f"{path}?patient={second}"), "en")


def test_a_caregiver_sees_whose_plan_on_every_card_and_in_the_details_heading(world):
    start_plan(world)
    caregiver_of_two(world)
    c = world.client
    sign_in(c, "carer")
    page = c.get(f"/today?patient={world.patient_a}").text
    cards = page.count('<li class="card exercise"')
    assert cards and page.count('<span class="who">· A-001</span>') == cards
    details = c.get(f"/today/details?patient={world.patient_a}&component=aerobic").text
    assert re.search(r"<h1>[^<]*· A-001</h1>", details)
    form = {"csrf": csrf_of(page), "patient": world.patient_a, "component": "aerobic"}
    saved = c.post("/today/done", data=form)
    assert "Saved for A-001" in saved.text


@pytest.mark.parametrize(
    "url",
    [
        "/today?patient={a}",
        "/today?patient={a}&day=yesterday",
        "/today/details?patient={a}&component=aerobic",
        "/history?patient={a}",
    ],
)
def test_a_preference_change_keeps_the_patient_pages_query_string(world, url):
    plan_started(world, days_ago=2)
    c = world.client
    sign_in(c, "patient")
    target = url.format(a=world.patient_a)
    back = change_language(c, c.get(target))
    assert back.status_code == 303 and back.headers["location"] == target
    assert c.get(target).status_code == 200


def test_a_preference_change_keeps_the_clinic_pages_query_string(world):
    c = world.client
    sign_in(c, "clinician")
    patient_page = f"/clinic/patients/{world.patient_a}?notice=x"
    for target in ("/clinic?sort=code&desc=1&q=A-0", patient_page):
        back = change_language(c, c.get(target))
        assert back.headers["location"] == target


@pytest.mark.parametrize(
    "sent", ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/to\x00day", ""]
)
def test_a_preference_change_never_leaves_the_site(world, sent):
    c = world.client
    sign_in(c, "patient")
    token = csrf_of(c.get("/today").text)
    r = c.post("/prefs", data={"csrf": token, "next": sent, "lang": "en"}, follow_redirects=False)
    # Sent home, or (a control character) refused whole before anything is read.
    assert (r.status_code, r.headers.get("location")) in ((303, "/"), (422, None))


def test_todays_stop_list_sends_serious_chest_pain_to_the_emergency_number_with_buttons(world):
    start_plan(world)
    sign_in(world.client, "patient")
    page = world.client.get("/today").text
    stop = page[page.index('id="stop-h"') :]
    stop = stop[: stop.index("</section>")]
    assert "Chest pain: stop now." in stop and "call the emergency number" in stop
    assert 'href="tel:+861000000000">Call the clinic</a>' in stop  # the centre's phone
    with transaction(world.factory) as s:
        s.get(models.Centre, world.centre_a).emergency_number = "120"
    stop = world.client.get("/today").text.split('id="stop-h"')[1].split("</section>")[0]
    assert "Emergency number: 120" in stop and 'href="tel:120">Call 120</a>' in stop


def test_the_details_form_lists_the_red_flags_first(world):
    start_plan(world)
    sign_in(world.client, "patient")
    page = world.client.get("/today/details?component=aerobic").text
    ticked = re.findall(r'name="symptoms" value="(\w+)"', page)
    flags = len(today_mod.RED_FLAGS)
    assert set(ticked[:flags]) == set(today_mod.RED_FLAGS) and len(ticked) > flags
