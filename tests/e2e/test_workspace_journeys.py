"""The clinic run from the web alone, in Chinese and in English, in a real browser: a new patient
from admission to an approved plan, the session logs and a red-flag note, an inbox of 2,000
alerts, and an administrator resetting a password and linking a caregiver.

Selectors are ids, names and URLs, never visible text, so one journey serves both languages;
what the page says is checked against the language's own words where it matters."""

import datetime as dt
import os
import re
import uuid

import pytest
from sqlalchemy import create_engine, insert, select
from tests.e2e import server
from tests.e2e.browser import CHROMIUM, axe_violations, sign_in

from alsrx.db import models

pytestmark = pytest.mark.slow
LANGS = ["en", "zh"]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def site_db(demo_db):
    """A seeded demo database of this module's own, which the journeys add data to."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    return demo_db("--patients", "3", "--months", "2")


@pytest.fixture(scope="module")
def site(site_db):
    with server.running(site_db) as base:
        yield base


def choose_language(page, lang):
    page.goto("/account")
    if page.locator("details.prefs > summary").is_visible():
        page.click("details.prefs > summary")
    page.select_option("#pref-lang", lang)
    page.click("header .prefs form button[type=submit]")
    page.wait_for_load_state()


def in_language(page, lang):
    main = page.inner_text("main")
    assert bool(HAN.search(main)) == (lang == "zh"), main[:300]
    assert not re.search(r"\b[a-z]+(?:_[a-z0-9]+)+\b", main), main[:300]


def signed_in(page, user, lang):
    sign_in(page, user)
    page.wait_for_load_state()
    choose_language(page, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_clinician_admits_a_patient_assesses_drafts_edits_and_approves(page, lang):
    signed_in(page, "demo-clinician", lang)
    page.goto("/clinic")
    page.click("a[href='/clinic/patients/new']")
    code = f"J-{lang}-{uuid.uuid4().hex[:4]}"
    page.fill("#code", code)
    page.select_option("#sex", "female")
    page.fill("#birth_date", "1968-05-04")
    page.fill("#symptom_onset_date", "2026-03-01")
    page.fill("#diagnosis_date", "2026-08-01")
    page.fill("#height_cm", "163")
    page.fill("#weight_kg", "61")
    page.select_option("#ethnicity", index=1)
    page.select_option("#onset_region", "lower_limb")
    page.click("main form button.done")
    page.click("main a[href$='/assessments/new']")
    in_language(page, lang)
    for key, score in (
        ("q1_speech", 4),
        ("q2_salivation", 4),
        ("q3_swallowing", 4),
        ("q4_handwriting", 4),
        ("q5a_cutting_food", 4),
        ("q6_dressing_hygiene", 3),
        ("q7_turning_in_bed", 4),
        ("q8_walking", 3),
        ("q9_climbing_stairs", 3),
        ("q10_dyspnea", 4),
        ("q11_orthopnea", 4),
        ("q12_respiratory_insufficiency", 4),
    ):
        page.check(f"input[name={key}][value='{score}']")
    page.fill("#assessment-fvc_l", "2.9")
    page.fill("#assessment-resting_hr_bpm", "70")
    page.click("main form button.done")
    page.wait_for_url(re.compile(r"/clinic/patients/[^/?]+\?notice=assessment"))
    page.click("main form[action$='/prescriptions'] button[type=submit]")
    page.wait_for_url(re.compile(r"/clinic/prescriptions/[^/]+$"))
    in_language(page, lang)
    rx_url = page.url
    edit_the_dose(page, lang)
    page.goto(rx_url)
    page.click("main form[action$='/approve'] button[type=submit]")
    if page.locator("input[name=acknowledge]").count():  # refused until every point is ticked
        assert page.locator("[role=alert]").count() >= 1
        for box in page.locator("input[name=acknowledge]").all():
            box.check()
        page.click("main form[action$='/approve'] button[type=submit]")
    page.wait_for_url(re.compile(r"notice=approved"))
    assert axe_violations(page) == []


def edit_the_dose(page, lang):
    """One refused change (an inverted range) and one accepted change of a component's dose."""
    page.click("main a[href*='/components/']")
    form = page.locator("main form[method=post]").first
    numbers = form.locator("input[inputmode=numeric], input[inputmode=decimal]")
    low, high = numbers.nth(0), numbers.nth(1)
    kept_low, kept_high = low.input_value(), high.input_value()
    low.fill("15")
    high.fill("6")
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    in_language(page, lang)
    assert axe_violations(page) == []
    form = page.locator("main form[method=post]").first
    numbers = form.locator("input[inputmode=numeric], input[inputmode=decimal]")
    numbers.nth(0).fill(kept_low)
    numbers.nth(1).fill(kept_high)
    form.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() == 0


@pytest.mark.parametrize("lang", LANGS)
def test_a_clinician_reads_the_session_logs_and_a_red_flag_note(page, site_db, lang):
    patient_id = red_flag_note(site_db)
    signed_in(page, "demo-clinician", lang)
    page.goto(f"/clinic/patients/{patient_id}")
    page.click(f"main a[href='/clinic/patients/{patient_id}/sessions']")
    in_language(page, lang)
    assert "Tight in the chest on the stairs" in page.inner_text("main")
    assert axe_violations(page) == []
    page.goto("/clinic/alerts?code=red_flag&view=all")
    assert "Tight in the chest on the stairs" in page.inner_text("main")


@pytest.mark.parametrize("lang", LANGS)
def test_the_inbox_of_two_thousand_alerts_is_paged_and_filtered(page, site_db, lang):
    many_alerts(site_db, 2000)
    signed_in(page, "demo-clinician", lang)
    page.goto("/clinic/alerts")
    assert page.locator("main table.alerts tbody tr").count() <= 25
    page.select_option("#f-severity", "urgent")
    page.select_option("#f-sort", "newest")
    page.click("main form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"severity=urgent"))
    severities = page.locator("main table.alerts tbody td span[class^=sev-]")
    assert {severities.nth(i).get_attribute("class") for i in range(severities.count())} == {
        "sev-urgent"
    }
    page.click("main nav.pager a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    assert "severity=urgent" in page.url
    page.check("main table.alerts tbody input[type=checkbox] >> nth=0")
    page.check("main table.alerts tbody input[type=checkbox] >> nth=1")
    page.click("main button[form=bulk]")
    page.wait_for_url(re.compile(r"notice=acknowledged"))
    assert "severity=urgent" in page.url
    in_language(page, lang)
    assert axe_violations(page) == []


# -- data the journeys start from, written straight into the server's database -----------------


def _demo_patient(engine):
    with engine.connect() as conn:
        return (
            conn.execute(select(models.Patient.id).order_by(models.Patient.code)).scalars().first()
        )


def red_flag_note(db_url):
    """A red-flag session with the patient's own words, and the alert it raised (as the
    session service stores them; written directly so the journey starts from a known note)."""
    engine = create_engine(db_url)
    patient_id = _demo_patient(engine)
    with engine.begin() as conn:
        rx = conn.execute(
            select(models.Prescription.id, models.Prescription.created_by)
            .where(models.Prescription.patient_id == patient_id)
            .order_by(models.Prescription.created_at.desc())
        ).first()
        user = (
            conn.execute(
                select(models.User.id).where(models.User.patient_id == patient_id)
            ).scalar()
            or conn.execute(select(models.User.id)).scalar()
        )
        log_id = str(uuid.uuid4())
        today = dt.date.today()
        note = "Tight in the chest on the stairs"
        conn.execute(
            insert(models.SessionLog),
            {
                "id": log_id,
                "patient_id": patient_id,
                "prescription_id": rx.id,
                "date": today,
                "component": "aerobic",
                "completed": "stopped",
                "symptoms": ["chest_pain"],
                "notes": note,
                "planned": {},
                "entered_by": user,
                "entered_as": "patient",
            },
        )
        conn.execute(
            insert(models.Alert),
            {
                "id": str(uuid.uuid4()),
                "patient_id": patient_id,
                "code": "red_flag",
                "severity": "urgent",
                "status": "open",
                "evidence": [],
                "data": {"symptoms": ["chest_pain"], "notes": note},
                "source": "session",
                "source_id": log_id,
                "raised_on": today,
            },
        )
    engine.dispose()
    return patient_id


def many_alerts(db_url, n):
    engine = create_engine(db_url)
    patient_id = _demo_patient(engine)
    severities = ("urgent", "warning", "info")
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "patient_id": patient_id,
            "code": "fvc_low",
            "severity": severities[i % 3],
            "status": "open",
            "evidence": [],
            "data": {"percent_predicted": 48.0 + (i % 10)},
            "source": "assessment",
            "raised_on": (start + dt.timedelta(minutes=i)).date(),
            "created_at": start + dt.timedelta(minutes=i),
        }
        for i in range(n)
    ]
    with engine.begin() as conn:
        conn.execute(insert(models.Alert), rows)
    engine.dispose()


def _patient_code(db_url, patient_id):
    engine = create_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(select(models.Patient.code).where(models.Patient.id == patient_id))
        code = found.scalar_one()
    engine.dispose()
    return code


def _user_id(db_url, username):
    engine = create_engine(db_url)
    with engine.connect() as conn:
        found = conn.execute(select(models.User.id).where(models.User.username == username))
        user_id = found.scalar_one()
    engine.dispose()
    return user_id


@pytest.mark.parametrize("lang", LANGS)
def test_an_admin_relinks_a_caregiver_and_resets_a_password_the_user_then_uses(
    page, browser, site, site_db, lang
):
    signed_in(page, "demo-admin", lang)
    page.goto("/admin/users?search=demo-caregiver")
    page.click(f"main a[href='/admin/users/{_user_id(site_db, 'demo-caregiver')}']")
    in_language(page, lang)
    links = page.locator("main ul.links li")
    before = links.count()
    patient_id = page.get_attribute("main form[action$='/unlink'] input[name=patient_id]", "value")
    code = _patient_code(site_db, patient_id)
    page.click("main form[action$='/unlink'] button >> nth=0")
    page.wait_for_load_state()
    assert page.locator("main form[action$='/unlink']").count() == before - 1
    page.select_option("#f-patient_centre", index=1)
    page.fill("#f-patient_code", code)
    page.click("main form[action$='/links'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("main form[action$='/unlink']").count() == before
    assert axe_violations(page) == []

    page.goto(f"/admin/users/{_user_id(site_db, 'demo-researcher')}")
    page.click("main form[action$='/reset'] button[type=submit]")
    one_time = page.inner_text("main p.one-time-code code").strip()
    in_language(page, lang)
    assert len(one_time.replace(" ", "")) >= 16
    user = browser.new_context(base_url=site, viewport={"width": 390, "height": 844}).new_page()
    user.goto("/login/reset")
    user.fill("#f-username", "demo-researcher")
    user.fill("#f-code", one_time)
    user.fill("#f-new", f"a fresh pass phrase {lang}")
    user.click("main form button[type=submit]")
    user.wait_for_url(re.compile(r"/research"))
    user.goto("/login/reset")  # the code works once
    user.fill("#f-username", "demo-researcher")
    user.fill("#f-code", one_time)
    user.fill("#f-new", "another pass phrase")
    user.click("main form button[type=submit]")
    assert "/research" not in user.url
    user.context.close()


WIDE = "() => document.documentElement.scrollWidth - window.innerWidth"
SAME_SITE_LINKS = """() => [...document.querySelectorAll('main a[href^="/"]:not([download])')]
  .map(a => a.getAttribute('href')).filter(h => !h.includes('.pdf') && !h.includes('.ics'))"""


def test_the_workspace_fits_a_phone_without_sideways_scrolling_and_passes_axe(browser, site):
    """Every page two links from the clinician's and the admin's home, at 390 x 844, in
    Chinese (the longer labels): nothing wider than the screen but scroll regions, and no
    serious or critical axe finding."""
    too_wide, axe = {}, {}
    for user in ("demo-clinician", "demo-admin"):
        context = browser.new_context(
            base_url=site, bypass_csp=True, viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        signed_in(page, user, "zh")
        home = "/clinic" if user == "demo-clinician" else "/admin"
        page.goto(home)
        seen, queue = set(), [home, *page.evaluate(SAME_SITE_LINKS)]
        while queue and len(seen) < 14:
            url = queue.pop(0).split("#")[0]
            path = re.sub(r"[?].*", "", url)
            if path in seen or path.startswith(("/logout", "/static", "/api")):
                continue
            seen.add(path)
            # The document, then its load (axe_violations waits for it): a wait for "load"
            # inside goto itself once missed it on a page slow to answer, for 30 s.
            page.goto(url, wait_until="domcontentloaded")
            if page.evaluate(WIDE) > 0:
                too_wide[url] = page.evaluate(WIDE)
            if found := axe_violations(page):
                axe[url] = found
            if len(seen) < 6:
                queue += page.evaluate(SAME_SITE_LINKS)
        context.close()
    assert (too_wide, axe) == ({}, {})
