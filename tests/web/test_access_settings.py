"""The account page's access settings (switch scanning, dwell, read aloud): saved for the user,
refused out of range in words naming the field and the range with nothing stored, and handed to
static/scan.js as data attributes on the patient pages."""

import html
import re

from sqlalchemy import select
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_pages import csrf_of, sign_in, start_plan

from alsrx.db import models
from alsrx.db.session import transaction

pytestmark = [SQLITE_ONLY]  # the service's write is one JSON column, the same on both backends


def stored(world, username):
    with transaction(world.factory) as s:
        return s.scalars(
            select(models.User.access_prefs).where(models.User.username == username)
        ).one()


def post(world, **fields):
    c = world.client
    token = csrf_of(c.get("/account").text)
    return c.post("/account/access", data={"csrf": token, **fields}, follow_redirects=False)


def body_tag(page):
    return re.search(r"<body[^>]*>", page).group(0)


def test_a_patient_saves_switch_scanning_and_today_carries_the_settings(world):
    start_plan(world)
    sign_in(world.client, "patient")
    r = post(world, mode="scan", scan_s="0.8", first_factor="2", loops="4", read_aloud="on")
    assert r.status_code == 303
    assert stored(world, "patient")["scan_ms"] == 800
    tag = body_tag(world.client.get("/today").text)
    for attribute in (
        'data-access="scan"',
        'data-scan-ms="800"',
        'data-first-ms="1600"',
        'data-loops="4"',
        'data-read-aloud="on"',
    ):
        assert attribute in tag
    assert 'data-t-start="Start scanning"' in tag  # the script's words come from the page


def test_a_value_out_of_range_is_refused_naming_the_field_and_the_range_and_nothing_is_kept(
    world,
):
    sign_in(world.client, "patient")
    post(world, mode="dwell", dwell_s="1.5")
    before = stored(world, "patient")
    r = post(world, mode="dwell", dwell_s="3", scan_s="0.1")
    assert r.status_code == 422
    text = html.unescape(r.text)
    dwell = "Dwell time: how long to look at an action to choose it"
    assert f"{dwell}: must be a number from 0.8 to 2 seconds" in text
    assert (
        "Scan time: how long each action stays highlighted: must be a number from 0.5 to 5 seconds"
        in text
    )
    assert 'value="3"' in r.text  # what was typed stays in its box
    assert stored(world, "patient") == before


def test_the_refusal_is_in_chinese_for_a_chinese_reader(world):
    c = world.client
    sign_in(c, "caregiver")
    c.post("/prefs", data={"csrf": csrf_of(c.get("/account").text), "lang": "zh", "next": "/"})
    r = post(world, mode="scan", loops="12")
    assert r.status_code == 422
    assert "须为 1 到 10 之间的整数" in r.text and "扫描几轮后停下等待" in r.text


def test_with_the_mode_off_the_pages_carry_no_settings_and_the_buttons_name_their_exercise(world):
    start_plan(world)
    sign_in(world.client, "patient")
    page = world.client.get("/today").text
    assert "data-access" not in body_tag(page)
    buttons = re.findall(r'<button type="submit" class="done"[^>]*>(.*?)</button>', page)
    names = [re.sub(r"<[^>]+>", "", b) for b in buttons]  # the visible text is the name
    assert names and all(n.startswith("Done: ") for n in names)
    assert len(set(names)) == len(names)  # each Done button's name is unique on the page
    assert page.count("data-scan-start") == 1
    first = re.search(r'<button type="submit" class="done"[^>]*>', page).group(0)
    assert "data-scan-start" in first  # the scan's first step: today's first exercise's Done


def test_a_clinician_has_no_access_section_and_pages_carry_no_settings(world):
    sign_in(world.client, "clinician")
    page = world.client.get("/account").text
    assert "/account/access" not in page and "data-access" not in body_tag(page)


def _start_of(page):
    """The one tag the switch scan starts on."""
    tags = re.findall(r"<(?:button|a)\b[^>]*data-scan-start[^>]*>", page)
    assert len(tags) == 1, tags
    return tags[0]


def test_the_scan_starts_on_the_first_exercise_still_waiting_and_never_on_one_done(world):
    start_plan(world)
    c = world.client
    sign_in(c, "patient")
    planned = c.get("/today").text.split('id="others-h"')[0]  # not the cards not planned today
    forms = re.findall(r'<form method="post" action="/today/done".*?</form>', planned, re.S)
    assert len(forms) >= 2  # the test plan's day: resistance, aerobic and a stretch
    for left, form in reversed(list(enumerate(forms))):  # each planned card once, as planned
        data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        c.post("/today/done", data=data, follow_redirects=False)
        now = c.get("/today").text
        waiting = now.split('id="others-h"')[0].count("Done today at")
        start = _start_of(now)
        if left:  # the next one still waiting, never the one just logged
            assert 'class="done"' in start and waiting == len(forms) - left
            assert _component_of(now, start) != data["component"]
    start = _start_of(c.get("/today").text)
    assert 'class="done"' not in start and "/today/details" in start  # all logged: no Done


def _component_of(page, start_tag):
    form = page[: page.index(start_tag)].rsplit('<form method="post" action="/today/done"', 1)[1]
    return re.search(r'name="component" value="(\w+)"', form).group(1)
