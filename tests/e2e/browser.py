"""A real server on a seeded demo database, and Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "demo-password-ALS"


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    # Until the sign-in has answered: argon2 runs on one low-priority thread per server, and
    # under the whole suite's load one check took longer than a wait's default 30 s.
    with page.expect_navigation(timeout=90_000):
        page.click("form.card button[type=submit]")


def save_details(page) -> None:  # type: ignore[no-untyped-def]
    """Saves the details form and waits for the page it leads to: the outbox stores the entry
    first and then moves on by script, after the click has returned (a check run in between
    meets a document being replaced)."""
    with page.expect_navigation(timeout=60_000):
        page.click("button:has-text('Save')")


def axe_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Serious and critical axe-core violations on the current page (once it has loaded: a
    click that navigates returns before the new document has a head to add the script to)."""
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
