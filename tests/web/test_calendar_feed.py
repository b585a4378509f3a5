"""The patient's week as an iCalendar feed: behind sign-in and through revocable links.

Parsed with the `icalendar` package (a test oracle only) and read line by line for what RFC
5545 asks of the text itself (CRLF, lines of at most 75 octets)."""

import datetime as dt
import html
import re

import icalendar
import pytest
from sqlalchemy import select
from tests.web.test_pages import csrf_of, sign_in
from tests.web.test_today_exercises import start_plan

from alsrx.db import models
from alsrx.db.session import transaction
from alsrx.domain.followup import today as today_mod
from alsrx.render import calendar_ics, exercise_view
from alsrx.render import prescription_labels as labels


def _active(world, patient_id=None):
    with transaction(world.factory, write=False) as s:
        return s.scalars(
            select(models.Prescription).where(
                models.Prescription.patient_id == (patient_id or world.patient_a),
                models.Prescription.status == "active",
            )
        ).one()


def _started(rx):
    return rx.starts_on or (rx.approved_at or rx.created_at).date()


def _events(text):
    return icalendar.Calendar.from_ical(text).walk("VEVENT")


def _make_link(client, patient_id, page="/today/calendar"):
    form = client.get(page).text
    made = client.post("/calendar/links", data={"csrf": csrf_of(form), "patient": patient_id})
    assert made.status_code == 200, made.text
    found = re.search(r'id="made-url" class="wide" rows="3" readonly>([^<]+)</textarea>', made.text)
    return html.unescape(found.group(1))


def _path(url):
    return url[url.index("/calendar/") :]


def test_the_signed_in_feed_has_one_weekly_event_per_planned_day_at_ten(world):
    start_plan(world)
    sign_in(world.client, "patient")
    r = world.client.get("/today/calendar.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    rx = _active(world)
    planned = [d for d in rx.content["weekly_schedule"] if d["components"]]
    events = _events(r.text)
    assert len(events) == len(planned) >= 1
    by_day = {int(str(e["UID"]).split("-day")[1].split("@")[0]): e for e in events}
    for d in planned:
        event = by_day[d["day"]]
        start = event.decoded("DTSTART")
        assert start == dt.datetime.combine(
            _started(rx) + dt.timedelta(days=d["day"] - 1), dt.time(10, 0)
        )
        assert start.tzinfo is None  # floating: 10:00 wherever the phone is
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert event.decoded("DURATION") == dt.timedelta(minutes=d["minutes_max"])
        assert event.decoded("DTSTAMP").tzinfo is not None
        summary = str(event["SUMMARY"])
        assert all(labels.COMPONENTS[t] in summary for t in d["components"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_event_names_the_days_exercises_in_the_readers_language(world, lang):
    start_plan(world)
    sign_in(world.client, "patient")
    page = world.client.get("/today").text
    world.client.post("/prefs", data={"csrf": csrf_of(page), "next": "/today", "lang": lang})
    text = world.client.get("/today/calendar.ics").text
    rx = _active(world)
    by_type = {c["type"]: c for c in rx.content["components"]}
    events = {str(e["UID"]): e for e in _events(text)}
    named = 0
    for d in rx.content["weekly_schedule"]:
        if not d["components"]:
            continue
        uid = next(u for u in events if u.split("-day")[1].startswith(f"{d['day']}@"))
        description = str(events[uid]["DESCRIPTION"])
        for kind in d["components"]:
            for card in exercise_view.cards(by_type[kind], lang=lang):
                assert card.name in description
                named += 1
    assert named, "no planned day names an exercise"
    assert f"LANGUAGE={'zh-CN' if lang == 'zh' else 'en'}" in text


def test_the_feed_names_no_one_and_is_the_same_through_a_link(world):
    start_plan(world)
    sign_in(world.client, "patient")
    signed_in = world.client.get("/today/calendar.ics").text
    url = _make_link(world.client, world.patient_a)
    world.client.cookies.clear()
    linked = world.client.get(_path(url))
    assert linked.status_code == 200 and "set-cookie" not in linked.headers
    assert linked.text == signed_in  # the same UIDs, the same DTSTAMP: the app sees one plan
    for private in ("A-001", world.patient_a, "1961-03-02"):
        assert private not in linked.text


def test_the_feed_is_folded_at_75_octets_with_crlf_and_escaped(world):
    start_plan(world)
    sign_in(world.client, "patient")
    page = world.client.get("/today").text
    world.client.post("/prefs", data={"csrf": csrf_of(page), "next": "/today", "lang": "zh"})
    raw = world.client.get("/today/calendar.ics").content
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert all(line.decode("utf-8") for line in lines)  # no character cut between two lines
    assert any(line.startswith(b" ") for line in lines)  # Chinese text long enough to fold


def test_folding_and_escaping_follow_rfc_5545():
    line = "DESCRIPTION:" + "坐位伸膝，" * 20
    folded = calendar_ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    assert calendar_ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_a_plan_without_a_week_has_an_event_every_day_and_rest_days_have_none():
    content = {
        "components": [{"type": "flexibility", "minutes_per_session": {"min": 10, "max": 15}}],
        "session_order": ["flexibility"],
    }
    started = dt.date(2026, 11, 2)
    every_day = calendar_ics.events(content, started_on=started, uid_key="p", lang="en")
    assert [e.day for e in every_day] == list(range(1, 8))
    assert {e.minutes for e in every_day} == {15}
    week = [
        {"day": n, "components": ["flexibility"] if n % 2 else [], "minutes_max": 15}
        for n in range(1, 8)
    ]
    some = calendar_ics.events(
        content | {"weekly_schedule": week}, started_on=started, uid_key="p", lang="en"
    )
    assert [e.day for e in some] == [1, 3, 5, 7]
    assert [e.starts.date() for e in some] == [started + dt.timedelta(days=n) for n in (0, 2, 4, 6)]
    assert today_mod.DAYS == 7


def test_a_made_link_is_shown_once_and_works_until_revoked(world):
    start_plan(world)
    c = world.client
    sign_in(c, "patient")
    url = _make_link(c, world.patient_a)
    token = _path(url).removeprefix("/calendar/").split(".ics")[0]
    listing = c.get("/today/calendar").text
    assert token not in listing and "Made on" in listing
    assert c.get(_path(url)).status_code == 200
    link_id = re.search(r'action="/calendar/links/([^/]+)/revoke"', listing).group(1)
    revoked = c.post(f"/calendar/links/{link_id}/revoke", data={"csrf": csrf_of(listing)})
    assert revoked.status_code == 200 and "no longer opens the plan" in revoked.text
    gone = c.get(_path(url))
    assert gone.status_code == 404 and gone.text == "Not found"
    unknown = c.get("/calendar/" + "x" * 43 + ".ics")
    assert unknown.status_code == 404 and unknown.text == gone.text


@pytest.mark.parametrize("maker", ["caregiver", "clinician"])
def test_a_caregiver_or_the_patients_clinician_makes_and_revokes_links_too(world, maker):
    start_plan(world)
    c = world.client
    sign_in(c, maker)
    page = (
        f"/clinic/patients/{world.patient_a}/calendar"
        if maker == "clinician"
        else f"/today/calendar?patient={world.patient_a}"
    )
    url = _make_link(c, world.patient_a, page)
    assert c.get(_path(url)).status_code == 200
    listing = c.get(page).text
    link_id = re.search(r'action="/calendar/links/([^/]+)/revoke"', listing).group(1)
    c.post(f"/calendar/links/{link_id}/revoke", data={"csrf": csrf_of(listing)})
    assert c.get(_path(url)).status_code == 404


def test_another_patients_feed_and_links_are_never_reachable(world):
    c = world.client
    sign_in(c, "clinician_b")  # patient B's clinician makes B a link
    b_url = _make_link(c, world.patient_b, f"/clinic/patients/{world.patient_b}/calendar")
    b_list = c.get(f"/clinic/patients/{world.patient_b}/calendar").text
    b_link = re.search(r'action="/calendar/links/([^/]+)/revoke"', b_list).group(1)
    c.cookies.clear()
    for who in ("patient", "caregiver", "clinician"):
        sign_in(c, who)
        page = c.get("/today/calendar" if who != "clinician" else "/clinic").text
        token = csrf_of(page)
        assert c.get(f"/today/calendar.ics?patient={world.patient_b}").status_code in (403, 404)
        assert c.get(f"/today/calendar?patient={world.patient_b}").status_code in (403, 404)
        assert c.get(f"/clinic/patients/{world.patient_b}/calendar").status_code in (403, 404)
        made = c.post("/calendar/links", data={"csrf": token, "patient": world.patient_b})
        assert made.status_code == 404
        revoke = c.post(f"/calendar/links/{b_link}/revoke", data={"csrf": token})
        assert revoke.status_code == 404
        c.cookies.clear()
    assert c.get(_path(b_url)).status_code == 200  # still B's, untouched
    assert "A-001" not in c.get(_path(b_url)).text


def test_a_researcher_makes_no_links(world):
    c = world.client
    sign_in(c, "researcher")
    page = c.get("/account").text
    made = c.post("/calendar/links", data={"csrf": csrf_of(page), "patient": world.patient_a})
    assert made.status_code == 403
    assert c.get(f"/clinic/patients/{world.patient_a}/calendar").status_code == 403
