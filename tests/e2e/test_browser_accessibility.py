"""axe-core (from npm, run in the page) finds no serious or critical violation on any page."""

import re

import pytest
from tests.e2e.browser import axe_violations, save_details, sign_in

pytestmark = pytest.mark.slow


def test_public_pages_have_no_serious_violations(page):
    found = {}
    for path in ("/", "/login"):
        page.goto(path)
        found[path] = axe_violations(page)
    assert found == {"/": [], "/login": []}


def test_patient_pages_have_no_serious_violations(page):
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    found = {"/today": axe_violations(page)}
    page.click("text=Add details or report a problem >> nth=0")
    found["details"] = axe_violations(page)
    for path in ("/history", "/account"):
        page.goto(path)
        found[path] = axe_violations(page)
    page.goto("/today")
    page.click("text=Add details or report a problem >> nth=0")
    page.check("input[name=symptoms][value=dizziness]")
    save_details(page)
    found["red flag"] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}


def test_clinician_pages_have_no_serious_violations(page):
    sign_in(page, "demo-clinician")
    page.wait_for_url(re.compile(r"/clinic"))
    found = {"/clinic": axe_violations(page)}
    page.click("tbody tr th a")
    found["patient"] = axe_violations(page)
    patient_url = page.url
    page.click("text=Record an assessment")
    found["assessment form"] = axe_violations(page)
    page.goto(patient_url)
    link = page.locator("a[href^='/clinic/prescriptions/']").first
    if link.count():
        link.click()
        found["prescription"] = axe_violations(page)
    page.goto("/clinic/alerts")
    found["alerts"] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}


def test_large_text_and_high_contrast_modes_have_no_serious_violations(page):
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    page.select_option("#pref-text", "large")
    page.select_option("#pref-contrast", "high")
    page.click("button:has-text('Apply')")
    page.wait_for_selector("html.text-large.contrast-high")
    page.set_viewport_size({"width": 640, "height": 900})  # about 200 % zoom of a 1280 px screen
    assert axe_violations(page) == []
    overflow = page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
    )
    assert not overflow


def test_research_and_admin_pages_have_no_serious_violations(page):
    found = {}
    for user, path in (("demo-researcher", "/research"), ("demo-admin", "/admin")):
        page.context.clear_cookies()
        sign_in(page, user)
        page.wait_for_url(re.compile(path))
        found[path] = axe_violations(page)
        page.goto("/account")
        found[f"{user} /account"] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}
