"""Remembered devices in the pages: remember this phone on the account page, sign in with the
PIN on /login, the clinic revokes it from the patient page and the session ends at once; wrong
PINs lock it and the sign-in page says so in words; the forms check CSRF and the PIN's bounds."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_admin_pages import admin
from tests.web.test_pages import csrf_of, login_csrf, sign_in

from alsrx.db import models
from alsrx.domain import device_trust as rules

PIN = "2468"
COOKIE = "alsrx_device"  # cookie_secure is off in the tests: no __Host- prefix


def remember(client, pin=PIN, label="Phone (Chrome)"):
    page = client.get("/account").text
    return client.post(
        "/account/devices",
        data={"csrf": csrf_of(page), "label": label, "pin": pin, "pin_confirm": pin},
        follow_redirects=False,
    )


def pin_post(client, pin, **extra):
    data = {"pin": pin, "login_csrf": login_csrf(client), **extra}
    return client.post("/login/pin", data=data, follow_redirects=False)


def forget_session(client):
    """Sign out of the session only: the device cookie stays, as on a phone the next day."""
    for name in list(client.cookies.keys()):
        if name != COOKIE:
            del client.cookies[name]


def test_a_remembered_phone_signs_in_with_its_pin_until_the_clinic_revokes_it(world):
    c = world.client
    sign_in(c, "patient")
    r = remember(c)
    assert r.status_code == 303 and r.headers["location"] == "/account?devices=trusted#devices"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Max-Age=15552000" in cookie and "Path=/" in cookie
    account = c.get("/account").text
    assert (
        "This device is remembered" in account
        and "<strong>Phone (Chrome)</strong> (this device)" in account
    )
    forget_session(c)
    login = c.get("/login").text
    assert "Sign in with your PIN" in login and 'inputmode="numeric"' in login
    assert 'name="password"' not in login and "/login?password=1" in login
    r = pin_post(c, PIN)
    assert r.status_code == 303 and r.headers["location"] == "/today"
    assert c.get("/today", follow_redirects=False).status_code == 200
    patient_client_cookies = dict(c.cookies)

    sign_in(c, "clinician")
    page = c.get(f"/clinic/patients/{world.patient_a}").text
    assert "Revoke: Phone (Chrome) · patient" in page
    action = re.search(r'action="(/clinic/patients/[^"]+/devices/\d+/revoke)"', page).group(1)
    r = c.post(action, data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert "The device was revoked" in c.get(r.headers["location"]).text

    c.cookies.clear()
    c.cookies.update(patient_client_cookies)
    r = c.get("/today", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    login = c.get("/login").text
    assert "no longer remembered" in login and 'name="password"' in login


def test_wrong_pins_lock_the_device_and_the_sign_in_page_says_so(world):
    c = world.client
    sign_in(c, "caregiver")
    remember(c)
    forget_session(c)
    for left in range(rules.MAX_FAILED_PINS - 1, 0, -1):
        r = pin_post(c, "1357")
        assert r.status_code == 401
        assert f"Tries left before this device is locked: {left}." in r.text
    device = c.cookies[COOKIE]
    r = pin_post(c, "1357")
    assert r.status_code == 401 and "locked after too many wrong PINs" in r.text
    assert 'name="password"' in r.text and f'{COOKIE}=""' in r.headers["set-cookie"]
    c.cookies.set(COOKIE, device)  # a thief who kept the cookie
    r = pin_post(c, PIN)
    assert r.status_code == 401 and "/today" not in r.headers.get("location", "")


@SQLITE_ONLY
def test_a_pin_without_a_device_cookie_or_with_a_forged_one_gets_nothing(world):
    c = world.client
    r = pin_post(c, PIN)
    assert r.status_code == 401 and "not a remembered device" in r.text
    c.cookies.set(COOKIE, "forged-" + "x" * 36)
    r = pin_post(c, PIN)
    assert r.status_code == 401 and "location" not in r.headers


@SQLITE_ONLY
def test_a_new_pin_outside_the_bounds_is_refused_in_words_and_nothing_is_stored(world):
    c = world.client
    sign_in(c, "patient")
    r = remember(c, pin="1234")
    assert r.status_code == 422 and "PIN: is too easy to guess" in r.text
    r = remember(c, pin="12")
    assert r.status_code == 422 and "PIN: must be 4 to 8 digits (0–9)" in r.text
    assert COOKIE not in c.cookies
    page = c.get("/account").text
    r = c.post(
        "/account/devices",
        data={"csrf": csrf_of(page), "label": "x", "pin": "2468", "pin_confirm": "2469"},
    )
    assert r.status_code == 422 and "PIN again: does not match" in r.text


@SQLITE_ONLY
def test_the_device_forms_need_their_csrf_token(world):
    c = world.client
    sign_in(c, "patient")
    r = c.post("/account/devices", data={"label": "x", "pin": "2468", "pin_confirm": "2468"})
    assert r.status_code == 403 and COOKIE not in c.cookies
    r = c.post("/login/pin", data={"pin": PIN}, follow_redirects=False)
    assert r.status_code == 403


@SQLITE_ONLY
def test_clinicians_are_not_offered_a_remembered_device(world):
    c = world.client
    sign_in(c, "clinician")
    assert "Remember this device" not in c.get("/account").text
    page = c.get("/account").text
    data = {"csrf": csrf_of(page), "label": "x", "pin": "2468", "pin_confirm": "2468"}
    assert c.post("/account/devices", data=data).status_code == 403


@SQLITE_ONLY
def test_the_pin_sign_in_keeps_a_draft_and_the_next_page(world):
    c = world.client
    sign_in(c, "patient")
    remember(c)
    forget_session(c)
    r = pin_post(c, PIN, next="/history", draft='{"note": "tired"}')
    assert r.status_code == 303 and r.headers["location"] == "/history?restored=1"
    assert "alsrx_draft=" in r.headers["set-cookie"]


@SQLITE_ONLY
def test_the_patient_forgets_a_device_from_the_account_page(world):
    c = world.client
    sign_in(c, "patient")
    remember(c)
    page = c.get("/account").text
    action = re.search(r'action="(/account/devices/\d+/revoke)"', page).group(1)
    assert "Forget: Phone (Chrome)" in page
    r = c.post(action, data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303 and f'{COOKIE}=""' in r.headers["set-cookie"]
    assert "Forgotten: it can no longer sign in" in c.get("/account").text


def test_the_administrators_reset_page_forgets_a_caregivers_devices_and_ends_the_pin_session(
    world,
):
    from sqlalchemy import select

    from alsrx.db import models
    from alsrx.db.session import transaction

    c = world.client
    sign_in(c, "caregiver")
    remember(c)
    forget_session(c)
    assert pin_post(c, PIN).status_code == 303
    carer_cookies = dict(c.cookies)
    with transaction(world.factory, write=False) as s:
        carer = s.scalars(select(models.User.id).where(models.User.username == "caregiver")).one()
    c.cookies.clear()
    admin(world)  # admins need two-step sign-in: a completed one's session
    page = c.get(f"/admin/users/{carer}").text
    r = c.post(f"/admin/users/{carer}/reset", data={"csrf": csrf_of(page)})
    assert r.status_code == 200 and "one-time" in r.text.lower()
    c.cookies.clear()
    c.cookies.update(carer_cookies)
    assert c.get("/today", follow_redirects=False).status_code == 303
    r = pin_post(c, PIN)
    assert r.status_code == 401 and "no longer remembered" in r.text


def test_today_offers_the_pin_right_after_a_password_sign_in_and_not_once_remembered(world):
    c = world.client
    sign_in(c, "patient")
    today = c.get("/today").text
    assert "Sign in with a PIN next time" in today and 'href="/account#devices"' in today
    assert today.index('id="pin-offer"') > today.index("<h1")  # after the day's content
    remember(c)
    assert "Sign in with a PIN next time" not in c.get("/today").text
    forget_session(c)
    assert pin_post(c, PIN).status_code == 303  # a PIN session: nothing more to offer
    assert "Sign in with a PIN next time" not in c.get("/today").text
    sign_in(c, "clinician")
    assert "Sign in with a PIN next time" not in c.get("/clinic").text


def test_today_stops_offering_the_pin_once_the_password_sign_in_is_no_longer_fresh(world):
    c = world.client
    sign_in(c, "caregiver")
    with world.factory() as s, s.begin():  # the sign-in, as if made a while ago
        s.execute(
            update(models.ApiToken)
            .where(models.ApiToken.kind == "session")
            .values(created_at=models.utcnow() - rules.FRESH_SIGN_IN - dt.timedelta(minutes=1))
        )
    assert "Sign in with a PIN next time" not in c.get("/today").text


def test_the_sign_in_page_says_who_resets_a_forgotten_password_and_pin(world):
    c = world.client
    page = c.get("/login").text
    assert "Forgot your password? Ask your clinic" in page and 'href="/login/reset"' in page
    sign_in(c, "patient")
    remember(c)
    forget_session(c)
    assert "Forgot your PIN? Sign in with your password" in c.get("/login").text
    c.cookies.set("alsrx_lang", "zh")
    assert "忘记 PIN 码？" in c.get("/login").text


def test_a_refused_pin_shows_the_whole_account_page_with_the_refusal_at_the_pin(world):
    c = world.client
    sign_in(c, "patient")
    whole = c.get("/account").text
    r = remember(c, pin="1234")
    assert r.status_code == 422
    assert "Signed in as patient (Patient)." in r.text  # the role in words, as on GET /account
    assert ("/account/access" in r.text) == ("/account/access" in whole)  # nothing missing
    assert 'aria-describedby="dev-pin-help dev-errors" autofocus' in r.text
    assert 'id="dev-errors" role="alert"' in r.text
    assert 'value="Phone (Chrome)"' in r.text and 'value="1234"' not in r.text
