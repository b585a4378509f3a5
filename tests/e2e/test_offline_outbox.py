"""Logs made without a connection: kept on the device, the red-flag advice shown at once, sent
once when the connection returns, and a refusal shown in words (static/outbox.js).

Playwright's offline switch governs the page's own fetches, not the service worker's
(microsoft/playwright#2311): the outbox sends from the page, so that is what is tested."""

from __future__ import annotations

import re

import pytest
from tests.e2e import server
from tests.e2e.browser import sign_in
from tests.e2e.conftest import SITE_SEED


@pytest.fixture
def app_page(browser, site):  # type: ignore[no-untyped-def]
    """A phone-sized page with the CSP enforced: the worker and the outbox are self-only."""
    context = browser.new_context(base_url=site, viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


ENTRIES = """async () => {
  const db = await new Promise(r => {
    const q = indexedDB.open("alsrx-outbox", 1);
    q.onsuccess = () => r(q.result);
  });
  return await new Promise(r => {
    const q = db.transaction("entries").objectStore("entries").getAll();
    q.onsuccess = () => { db.close(); r(q.result); };
  });
}"""


# The worker has kept the details forms Today links to (outbox.js asks it to).
WARMED = """async () => (await (await caches.open("alsrx-pages")).keys())
  .some(r => r.url.includes("/today/details"))"""


def signed_in_today(page, who: str = "demo-patient") -> None:  # type: ignore[no-untyped-def]
    sign_in(page, who)
    page.wait_for_url(re.compile(r"/today"))
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(WARMED)


def sessions(page, patient: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    found = page.request.get(f"/api/v1/patients/{patient}/sessions").json()["sessions"]
    return [s for s in found if s["undone_at"] is None]


def waiting(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#outbox-waiting").inner_text()


def test_a_done_and_a_red_flag_logged_offline_wait_then_reach_the_server_once(app_page):
    page = app_page
    signed_in_today(page)
    card = page.locator("form[action='/today/done']").first
    patient = card.locator("input[name=patient]").get_attribute("value")
    kind = card.locator("input[name=component]").get_attribute("value")
    before = sessions(page, patient)

    page.context.set_offline(True)
    card.locator("button.done").click()
    page.wait_for_function("() => document.querySelector('#outbox-waiting').textContent !== ''")
    page.click(f"a[href*='component={kind}']")  # the details form, from the worker
    page.check("input[name=symptoms][value=chest_pain]")
    page.click("form[action='/today/details'] button[type=submit]")
    alarm = page.locator("#outbox-alarm")
    alarm.wait_for()
    assert alarm.get_attribute("role") == "alert" and "120" in alarm.inner_text()
    assert page.evaluate("document.activeElement.id") == "outbox-alarm"
    assert waiting(page) == "2 entries waiting to be sent"
    queued = page.evaluate(ENTRIES)
    assert sessions(page, patient) == before

    page.context.set_offline(False)  # the `online` event: red flag first, then the tap
    page.wait_for_function("() => document.querySelector('#outbox-waiting').textContent === ''")
    assert "2 entries you logged earlier were sent" in page.locator("#outbox").inner_text()
    after = sessions(page, patient)
    new = [s for s in after if s["id"] not in {b["id"] for b in before}]
    assert sorted(bool(s["symptoms"]) for s in new) == [False, True]
    assert all(s["performed_at"] and s["component"] == kind for s in new)

    page.evaluate(  # the same entries again, as a second replay would send them
        "async (rows) => { for (const e of rows) await AlsrxOutbox.put(e); }", queued
    )
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.querySelector('#outbox-waiting').textContent === ''")
    assert len(sessions(page, patient)) == len(after)


def test_an_entry_the_server_refuses_is_shown_in_words_and_dropped(app_page):
    page = app_page
    signed_in_today(page)
    link = page.locator("a[href*='patient=']").first.get_attribute("href")
    patient = re.search(r"patient=([\w-]+)", link).group(1)
    before = sessions(page, patient)
    entry = """async (patient) => {
      const cfg = JSON.parse(document.getElementById("outbox-config").textContent);
      const old = new Date(Date.now() - 3 * 86400000).toISOString().replace("Z", "+00:00");
      await AlsrxOutbox.put({id: "refused-1", user: cfg.user, url: "/today/done", label: "Walk",
        fields: [["patient", patient], ["component", "aerobic"]], performed_at: old,
        red_flag: false, queued_at: new Date().toISOString()});
    }"""
    page.evaluate(entry, patient)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    refused = page.locator(".outbox-note[role=alert]")
    refused.wait_for()
    assert "Not saved: Walk" in refused.inner_text()
    assert "must be today or yesterday" in refused.inner_text()
    assert page.evaluate(ENTRIES) == [] and waiting(page) == ""
    assert sessions(page, patient) == before


def test_a_card_with_a_log_still_waiting_says_so_on_today_opened_again(app_page):
    page = app_page
    signed_in_today(page, "demo-caregiver")  # the patient's own Today is stopped by the red flag
    for link in page.locator("nav.switcher a.button").all():  # above: a patient with a plan
        if page.locator("form[action='/today/done']").count():
            break
        link.click()
        page.wait_for_function(WARMED)
    form = page.locator("form[action='/today/done']").first
    kind = form.locator("input[name=component]").get_attribute("value")
    page.context.set_offline(True)
    form.locator("button.done").click()
    mark = page.locator(".outbox-waiting-here")
    mark.wait_for()
    assert re.fullmatch(  # written as the page writes times
        r"Logged on this device at \d{1,2}:\d\d [AP]M, not sent yet\.", mark.inner_text()
    )
    page.reload()  # Today again: it knows nothing of the tap, the outbox does
    card = page.locator(f"li.card:has(input[name=component][value={kind}])")
    card.locator(".outbox-waiting-here").wait_for()
    assert page.locator(".outbox-waiting-here").count() == 1  # only on the card tapped
    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelector('#outbox-waiting').textContent === ''")
    # The page was drawn before the log reached the server: the card says it went.
    sent = card.locator(".outbox-waiting-here")
    assert re.fullmatch(r"Logged at \d{1,2}:\d\d [AP]M and sent\.", sent.inner_text())
    assert page.locator(".outbox-waiting-here").count() == 1
    page.reload()  # drawn again, the card itself shows it done: no mark
    page.wait_for_load_state("load")
    assert card.locator(".done-state").count() == 1
    assert page.locator(".outbox-waiting-here").count() == 0


def test_a_page_not_kept_opened_without_a_connection_leads_to_today_saying_why(browser, demo_db):
    """The server itself gone (Playwright's offline switch does not reach the worker's
    fetches): Account was never kept, so the worker sends the patient to Today as kept."""
    with server.running(demo_db(*SITE_SEED)) as base:
        context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
        page = context.new_page()
        signed_in_today(page)
    try:
        page.goto("/account")
        assert re.search(r"/today\?offline=1$", page.url)
        note = page.locator(".outbox-note", has_text="No connection")
        assert "the page you chose is not saved on this device" in note.inner_text()
        assert page.locator("form[action='/today/done'], h1").count() >= 1  # Today, as kept
    finally:
        context.close()
