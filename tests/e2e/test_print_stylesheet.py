"""Printing the prescription page and the patient's Today in a real browser: the content only
(no navigation, preferences, forms or buttons), black on white, and no text cut off."""

import re

import pytest
from tests.e2e.browser import sign_in

pytestmark = pytest.mark.slow

# Everything a reader could click or that belongs to the screen, if it is drawn at all.
VISIBLE_CONTROLS = """() => [...document.querySelectorAll(
    'nav, header, button, select, input:not([type=hidden]), textarea, a.button, details.prefs')]
  .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                 return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; })
  .map(e => e.tagName + '.' + e.className)"""
# An element of the main content whose text is wider than its box, or whose box hides its
# overflow: text that the paper would not show.
CLIPPED = """() => [...document.querySelectorAll('main, main *')]
  .filter(e => !(e instanceof SVGElement))
  .filter(e => { const s = getComputedStyle(e);
                 const hides = ['hidden', 'clip'].includes(s.overflowX) ||
                               ['hidden', 'clip'].includes(s.overflowY);
                 const wide = e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0;
                 const tall = s.height !== 'auto' && e.scrollHeight > e.clientHeight + 1 &&
                              e.clientHeight > 0 && hides;
                 const sr = e.classList.contains('visually-hidden');  // clipped on purpose
                 return (wide && s.display !== 'inline' && !sr) || tall ||
                        (hides && e.textContent.trim() && !e.classList.contains('visually-hidden'));
               })
  .map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""
NOT_BLACK_ON_WHITE = """() => [...document.querySelectorAll('main, main *')]
  .filter(e => !(e instanceof SVGElement) && e.textContent.trim())
  .filter(e => { const s = getComputedStyle(e);
                 const bg = s.backgroundColor;
                 return s.color !== 'rgb(0, 0, 0)' ||
                        !(bg === 'rgb(255, 255, 255)' || bg === 'rgba(0, 0, 0, 0)'); })
  .map(e => e.tagName + '.' + e.className)"""


def _printed(page):
    page.emulate_media(media="print")
    # Paper is narrower than the screen: A4 at 96 dpi less the margins is about 680 px.
    page.set_viewport_size({"width": 680, "height": 1000})
    return {
        "controls": page.evaluate(VISIBLE_CONTROLS),
        "clipped": page.evaluate(CLIPPED),
        "colour": page.evaluate(NOT_BLACK_ON_WHITE)[:5],
        "text": page.inner_text("main"),
    }


def _prescription(page):
    sign_in(page, "demo-clinician")
    page.wait_for_url(re.compile(r"/clinic"))
    page.click("tbody tr th a")
    page.locator("a[href^='/clinic/prescriptions/']").first.click()
    page.wait_for_selector("h1:has-text('Prescription for')")


def test_the_printed_prescription_page_shows_content_only_and_cuts_nothing_off(page):
    _prescription(page)
    on_screen = page.evaluate(VISIBLE_CONTROLS)
    assert on_screen, "the test must see the controls on screen to be able to fail"
    printed = _printed(page)
    assert printed["controls"] == []
    assert printed["clipped"] == []
    assert printed["colour"] == []
    assert "Stop and get help" in printed["text"] and "Print handout" not in printed["text"]


def test_the_printed_today_page_shows_the_plan_with_its_steps_and_no_buttons(page):
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    printed = _printed(page)
    assert printed["controls"] == []
    assert printed["clipped"] == []
    assert printed["colour"] == []
    assert "Done: " not in printed["text"]  # the named Done buttons ("Done: Aerobic")
    steps = page.locator("main ol.steps li")
    if steps.count():  # a folded exercise's steps are printed, not hidden behind their fold
        assert steps.first.is_visible()
