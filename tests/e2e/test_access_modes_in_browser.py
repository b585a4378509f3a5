"""Switch scanning, dwell and read aloud in a real browser (static/scan.js), with the CSP
enforced: one switch (Space alone, or a tap anywhere) logs today's first exercise in the stated
number of scan steps; dwell activates after its time and not before; axe finds no serious or
critical violation in any mode. Short times are set through the account page, as a therapist
would; the waits leave wide margins for a loaded CI machine."""

import re
import time

import pytest
from tests.e2e.browser import axe_violations, sign_in

from alsrx.domain import access_modes

pytestmark = pytest.mark.slow
FIRST_DONE = "main form[action='/today/done'] button.done"


@pytest.fixture
def context(browser, site):  # type: ignore[no-untyped-def]
    """A phone-sized context that keeps the site's CSP (scan.js must work under it)."""
    made = browser.new_context(
        base_url=site, viewport={"width": 390, "height": 844}, has_touch=True
    )
    yield made
    made.close()


def set_access(page, mode, **fields):  # type: ignore[no-untyped-def]
    page.goto("/account")
    page.check(f"input[name=mode][value={mode}]")
    page.set_checked("input[name=read_aloud]", fields.pop("read_aloud", "") == "on")
    for name, value in fields.items():
        page.fill(f"#acc-{name}", value)
    page.click("text=Save access settings")
    page.wait_for_selector("text=Access settings saved.")


def stored(page, patient, component):  # type: ignore[no-untyped-def]
    found = page.request.get(f"/api/v1/patients/{patient}/sessions").json()["sessions"]
    return sum(1 for s in found if s["component"] == component and s["undone_at"] is None)


def highlighted(page):  # type: ignore[no-untyped-def]
    return page.evaluate(
        "document.querySelector('.scan-hl') && document.querySelector('.scan-hl').innerText"
    )


def card_of(page, selector):  # type: ignore[no-untyped-def]
    form = page.locator(selector).locator("xpath=ancestor::form[1]")
    return (
        form.locator("input[name=patient]").get_attribute("value"),
        form.locator("input[name=component]").get_attribute("value"),
    )


def test_space_alone_logs_done_for_todays_first_exercise_in_one_scan_step(context):
    page = context.new_page()
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "scan", scan_s="5")  # the first highlight stays 5 s x 1.5: time to press
    page.goto("/today")
    patient, component = card_of(page, f"{FIRST_DONE} >> nth=0")
    before = stored(page, patient, component)
    page.wait_for_selector(".scan-hl")
    first = page.locator(f"{FIRST_DONE} >> nth=0")
    assert highlighted(page) == first.inner_text()
    assert first.evaluate("b => b === document.activeElement")  # focus follows the highlight
    steps = int(page.get_attribute("body", "data-scan-step"))
    assert steps <= access_modes.STEPS_TO_FIRST_DONE
    page.keyboard.press("Space")
    page.wait_for_selector("#saved")
    assert stored(page, patient, component) == before + 1
    # Back on Today, the scan starts at the next card's Done: one more press logs it.
    page.wait_for_selector(".scan-hl")
    assert highlighted(page).startswith("Done: ") and highlighted(page) != first.inner_text()


def test_a_tap_anywhere_selects_the_highlighted_action_not_the_one_under_the_finger(context):
    page = context.new_page()
    sign_in(page, "demo-caregiver")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "scan", scan_s="5")
    page.goto("/today")
    page.wait_for_selector(".scan-hl")
    patient, component = card_of(page, "main button.done.scan-hl")
    before = stored(page, patient, component)
    weeks = page.locator("header nav a", has_text="My weeks").bounding_box()
    page.touchscreen.tap(weeks["x"] + weeks["width"] / 2, weeks["y"] + weeks["height"] / 2)
    page.wait_for_selector("#saved")
    assert "/history" not in page.url
    assert stored(page, patient, component) == before + 1


def test_a_long_hold_goes_back_and_the_scan_stops_after_its_rounds(context):
    page = context.new_page()
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "scan", scan_s="5", long_hold_s="1", loops="1")
    page.goto("/today")
    page.wait_for_selector(".scan-hl")
    assert page.locator(f"{FIRST_DONE}.scan-hl").count() == 1
    page.keyboard.down("Space")  # the scan waits while the switch is held
    # Held past the long-hold time: back to the action before the first one (whichever the
    # page has there: the card's Undo, the card before, or round to the menu); nothing is
    # selected.
    back = page.wait_for_selector(".scan-hl:not(button.done)", timeout=5000)
    page.keyboard.up("Space")
    assert back.evaluate("e => e.hasAttribute('data-scan') && !e.hasAttribute('data-scan-start')")
    assert "/today" in page.url and page.locator("#saved").count() == 0
    set_access(page, "scan", scan_s="0.5", first_factor="1", loops="1")
    page.goto("/history")  # one item (the menu): one round is over after 0.5 s
    page.wait_for_selector(".scan-bar:not([hidden]) button.scan-again", timeout=10000)
    assert page.evaluate("document.activeElement.classList.contains('scan-again')")
    page.keyboard.press("Space")
    page.wait_for_selector(".scan-hl")
    assert page.locator(".scan-bar").is_hidden()


def test_the_switch_opens_an_exercises_step_by_step_instructions(context):
    page = context.new_page()
    sign_in(page, "demo-caregiver")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "scan", scan_s="2")
    page.goto("/today")
    page.wait_for_selector("main ul.exercises.scan-hl", timeout=15000)  # the step after Done
    page.keyboard.press("Space")  # into the card's exercises
    page.wait_for_selector("main ul.exercises summary.scan-hl")
    page.keyboard.press("Space")
    page.wait_for_selector("main ul.exercises details.how[open]")
    assert page.locator("main details.how[open] ol.steps li").count() >= 1


def test_on_an_error_page_one_press_of_the_switch_goes_back(context):
    page = context.new_page()
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "scan", scan_s="5")
    page.goto("/today/details?component=no_such_exercise")  # a link cut short: a message page
    page.wait_for_selector(".scan-hl")
    assert highlighted(page) == "Back"
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/today(\?[^/]*)?$"))
    page.wait_for_selector(f"{FIRST_DONE}.scan-hl")


def test_the_account_form_is_left_to_the_helper_and_the_switch_still_finds_the_way_out(context):
    page = context.new_page()
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "scan", scan_s="5")
    page.goto("/account")
    # Nothing moves by itself on a form: no highlight, the focus is left alone, the bar waits.
    page.wait_for_selector(".scan-bar:not([hidden]) button.scan-again")
    time.sleep(1)
    assert page.locator(".scan-hl").count() == 0
    # The helper's mouse works on the form as on any page (no tap is taken as the switch).
    page.check("input[name=mode][value=dwell]")
    assert page.is_checked("input[name=mode][value=dwell]")
    assert page.locator(".scan-hl").count() == 0
    assert page.locator(".scan-bar").is_hidden()  # out of the way while the form has the focus
    # The switch user, on the page as it opens: the menu, then its first link, then Today.
    page.goto("/account")
    page.wait_for_selector(".scan-bar:not([hidden])")
    page.keyboard.press("Space")
    page.wait_for_selector("header nav.scan-hl")
    page.keyboard.press("Space")
    page.wait_for_selector("header nav a.scan-hl")
    assert highlighted(page) == "Today"
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"/today$"))


SPOKEN = """window.__spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (u) => window.__spoken.push([u.text, u.lang]);
}"""


def test_read_aloud_speaks_the_highlighted_action_in_the_pages_language(context):
    page = context.new_page()
    page.add_init_script(SPOKEN)  # the utterances, kept instead of played
    sign_in(page, "demo-caregiver")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "scan", scan_s="5", read_aloud="on")
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    page.request.post("/prefs", form={"csrf": csrf, "lang": "zh", "next": "/today"})
    page.goto("/today")
    page.wait_for_selector(".scan-hl")
    spoken = page.evaluate("window.__spoken")
    assert spoken and spoken[-1] == [highlighted(page), "zh-CN"]
    assert spoken[-1][0].startswith("完成：")
    page.request.post("/prefs", form={"csrf": csrf, "lang": "en", "next": "/today"})


# When the pointer first rests on the button, and when the form was sent: kept in
# sessionStorage, which outlives the page the dwell navigates away from.
TIMING = """() => {
  const button = document.querySelector("main button.done");
  window.addEventListener("pointermove", (e) => {
    if (button.contains(e.target)) {
      const at = performance.timeOrigin + performance.now();
      if (!sessionStorage.on) sessionStorage.on = String(at);
    } else { sessionStorage.removeItem("on"); }
  }, true);
  button.form.addEventListener("submit", () => {
    sessionStorage.sent = String(performance.timeOrigin + performance.now());
  });
}"""


def test_dwell_activates_after_its_time_and_not_before_and_leaving_cancels_it(context):
    page = context.new_page()
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "dwell", dwell_s="2")
    page.goto("/today")
    patient, component = card_of(page, f"{FIRST_DONE} >> nth=0")
    before = stored(page, patient, component)
    page.evaluate(TIMING)
    box = page.locator(f"{FIRST_DONE} >> nth=0").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(5, 5)  # from no action: the first one met on a new page must be left first
    page.mouse.move(centre[0] - 20, centre[1], steps=2)
    assert page.locator(".dwell-ring").is_visible()  # the ring is filling, nothing activated yet
    assert int(page.get_attribute("body", "data-dwell-progress")) < 100
    page.mouse.move(5, 5)  # away, well within the 2 s: cancelled
    assert page.locator(".dwell-ring").is_hidden()
    time.sleep(2.5)
    assert page.locator("#saved").count() == 0 and stored(page, patient, component) == before
    page.mouse.move(centre[0], centre[1], steps=2)
    page.wait_for_selector("#saved", timeout=15000)
    on, sent = page.evaluate("[Number(sessionStorage.on), Number(sessionStorage.sent)]")
    assert sent - on >= 2000 - 20  # never before the dwell time (timer rounding aside)
    assert stored(page, patient, component) == before + 1


def test_a_gaze_resting_where_a_new_page_puts_an_action_does_not_activate_it(context):
    page = context.new_page()
    sign_in(page, "demo-patient")
    page.wait_for_url(re.compile(r"/today"))
    set_access(page, "dwell", dwell_s="0.8")
    page.goto("/today")
    # The menu stays in place from page to page: after a dwell on "My weeks" the new page has
    # "My weeks" again under the resting gaze (after a Done, it can be the card's Undo).
    link = page.locator("header nav a", has_text="My weeks").bounding_box()
    x, y = link["x"] + link["width"] / 2, link["y"] + link["height"] / 2
    page.mouse.move(5, 5)
    page.mouse.move(x, y, steps=2)
    page.wait_for_url(re.compile(r"/history"), timeout=15000)
    page.wait_for_load_state("load")
    opened = page.evaluate("performance.timeOrigin")
    for dx in (1, 2, 1, 0, 2, 1):  # the jitter of a gaze at rest, over several dwell times
        page.mouse.move(x + dx, y)
        time.sleep(0.5)
    assert page.evaluate("performance.timeOrigin") == opened  # not opened again
    assert page.locator(".dwell-ring").is_hidden()
    with page.expect_navigation(timeout=15000):  # left, and back: now it is chosen
        page.mouse.move(5, 5)
        page.mouse.move(x, y, steps=2)


@pytest.fixture
def axe_page(browser, site):  # type: ignore[no-untyped-def]
    made = browser.new_context(
        base_url=site, bypass_csp=True, viewport={"width": 1000, "height": 900}
    )
    yield made.new_page()
    made.close()


def test_axe_finds_nothing_serious_in_any_mode_on_today_and_details(axe_page):
    page = axe_page
    sign_in(page, "demo-caregiver")
    page.wait_for_url(re.compile(r"/today"))
    found = []
    for mode in ("off", "scan", "dwell"):
        set_access(page, mode, scan_s="5", dwell_s="2")
        page.goto("/today")
        if mode == "dwell":
            box = page.locator(f"{FIRST_DONE} >> nth=0").bounding_box()
            page.mouse.move(box["x"] + 10, box["y"] + 10)
        elif mode == "scan":
            page.wait_for_selector(".scan-hl")
        found += [f"{mode} /today: {v}" for v in axe_violations(page)]
        page.mouse.move(1, 1)
        page.goto(page.locator("main a[href*='/today/details'] >> nth=0").get_attribute("href"))
        found += [f"{mode} details: {v}" for v in axe_violations(page)]
        if mode == "scan":  # the form page's waiting bar
            page.goto("/account")
            found += [f"{mode} /account: {v}" for v in axe_violations(page)]
    assert found == []
