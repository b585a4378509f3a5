"""Benchmark the pages: the patient's Today page (bytes transferred, first render in Chromium)
and the clinician dashboard with 2,000 patients (server time, p50/p95).

A real `alsrx serve` on a temporary SQLite database. The dashboard cohort is made through the
services: 2,000 patients, each with an assessment; every fifth with an approved plan and a few
alerts. Prints JSON lines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from tests.db_fixtures import build_world
from tests.e2e import browser, server
from tests.web.test_api_basics import VISIT

from alsrx.db.migrate import upgrade
from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.domain.followup.model import Severity, Signal
from alsrx.services import accounts, assessments, patients, prescriptions
from alsrx.services import actor as actor_mod
from alsrx.services import alerts as alerts_service
from alsrx.services.actor import Actor
from alsrx.settings import DEMO_AUDIT_KEY

PATIENTS = 2000
TODAY = dt.date.today()


def clinician_actor(factory) -> Actor:  # type: ignore[no-untyped-def]
    with transaction(factory, write=False) as s:
        return actor_mod.load(s, accounts.user_by_name(s, "clinician"))


def cohort(factory, world) -> None:  # type: ignore[no-untyped-def]
    clinician = clinician_actor(factory)
    with transaction(factory) as s:
        for i in range(PATIENTS):
            body = {
                "code": f"P{i:05d}",
                "sex": "male" if i % 3 else "female",
                "birth_date": "1958-05-01",
                "symptom_onset_date": "2025-06-01",
                "height_cm": 170,
                "ethnicity": "north_east_asian",
            }
            p = patients.create(s, clinician, body, centre_id=world.centre_a, today=TODAY)
            s.flush()
            visit = dict(VISIT, date=(TODAY - dt.timedelta(days=i % 120)).isoformat())
            row = assessments.record(s, clinician, p.id, visit, today=TODAY)
            s.flush()
            if i % 5 == 0:
                rx = prescriptions.draft(s, clinician, p.id, today=TODAY)
                s.flush()
                prescriptions.approve(
                    s,
                    clinician,
                    rx.id,
                    if_match=None,
                    today=TODAY,
                    acknowledged=prescriptions.points(rx.content),
                )
                signals = [
                    Signal("fatigue_prolonged", Severity.WARNING, ()),
                    Signal("red_flag", Severity.URGENT, ()),
                ]
                alerts_service.raise_alerts(
                    s,
                    None,
                    p.id,
                    signals[: 1 + i % 2],
                    source="scan",
                    source_id=row.id,
                    today=TODAY,
                )


def dashboard_times(base: str, token_cookie: dict[str, str], rounds: int = 30) -> list[float]:
    times = []
    with httpx.Client(base_url=base, cookies=token_cookie, timeout=30) as http:
        http.get("/clinic")
        for i in range(rounds):
            sort = ("alerts", "code", "adherence", "last_assessment")[i % 4]
            t0 = time.perf_counter()
            r = http.get(f"/clinic?sort={sort}&page={1 + i % 3}")
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200 and "P0" in r.text
    return times


def login_cookie(base: str, username: str, password: str) -> dict[str, str]:
    """Sign in as a browser does: the form's pre-session CSRF token first (issue 11)."""
    with httpx.Client(base_url=base) as http:
        form = http.get("/login").text
        token = re.search(r'name="login_csrf" value="([0-9a-f]+)"', form)
        assert token is not None, "the sign-in form carries its CSRF token"
        data = {"username": username, "password": password, "login_csrf": token.group(1)}
        r = http.post("/login", data=data)
        return {"alsrx_session": r.cookies["alsrx_session"]}


def today_page(base: str, cookie: dict[str, str]) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser.CHROMIUM, args=browser.ARGS)
        context = chromium.new_context(base_url=base)
        context.add_cookies(
            [{"name": "alsrx_session", "value": cookie["alsrx_session"], "url": base}]
        )
        page = context.new_page()
        sizes: list[int] = []
        page.on("response", lambda r: sizes.append(len(r.body())) if r.ok else None)
        page.goto("/today")
        page.wait_for_function(
            "performance.getEntriesByName('first-contentful-paint').length > 0", timeout=5000
        )
        fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
        nav = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
        chromium.close()
    return {
        "bytes": sum(sizes),
        "first_contentful_paint_ms": round(fcp, 1),
        "dom_content_loaded_ms": round(nav["domContentLoadedEventEnd"], 1),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'pages.db'}"
        upgrade(url)
        engine = make_engine(url)
        factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
        world = build_world(factory, None)
        started = time.perf_counter()
        cohort(factory, world)
        with transaction(factory) as s:
            # the patient of the Today page gets a plan too
            clinician = clinician_actor(factory)
            assessments.record(s, clinician, world.patient_a, VISIT, today=TODAY)
            s.flush()
            rx = prescriptions.draft(s, clinician, world.patient_a, today=TODAY)
            s.flush()
            prescriptions.approve(
                s,
                clinician,
                rx.id,
                if_match=None,
                today=TODAY,
                acknowledged=prescriptions.points(rx.content),
            )
        engine.dispose()
        print(
            json.dumps(
                {
                    "bench": "pages.setup",
                    "patients": PATIENTS,
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
        )
        with server.running(url) as base:
            today = today_page(base, login_cookie(base, "patient", "correct horse battery"))
            print(json.dumps({"bench": "pages.patient_today", **today}))
            times = dashboard_times(base, login_cookie(base, "clinician", "correct horse battery"))
            print(
                json.dumps(
                    {
                        "bench": "pages.clinician_dashboard",
                        "patients": PATIENTS,
                        "requests": len(times),
                        "p50_ms": round(statistics.median(times), 1),
                        "p95_ms": round(sorted(times)[int(0.95 * len(times)) - 1], 1),
                    }
                )
            )


if __name__ == "__main__":
    main()
