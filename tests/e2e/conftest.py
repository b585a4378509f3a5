"""Browser fixtures: a seeded server per test module and headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from tests.e2e import server
from tests.e2e.browser import ARGS, CHROMIUM


@contextmanager
def seeded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a freshly seeded demo database of its own."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    db = tmp_path_factory.mktemp("browser") / "demo.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    for args in (
        ["db", "upgrade"],
        ["demo", "seed", "--patients", "3", "--months", "2", "--seed", "3"],
    ):
        subprocess.run(
            [sys.executable, "-m", "alsrx", *args], env=env, check=True, capture_output=True
        )
    with server.running(f"sqlite:///{db}") as base:
        yield base


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with seeded_site(tmp_path_factory) as base:
        yield base


@pytest.fixture(scope="module")
def stopped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second server for journeys that report a red flag: after one, the patient's Today
    shows 'stop for today' for the rest of the day, which the other journeys must not meet."""
    with seeded_site(tmp_path_factory) as base:
        yield base


@pytest.fixture(scope="module")
def browser(site: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=site, bypass_csp=True, viewport={"width": 1000, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def stopped_page(browser, stopped_site):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=stopped_site, bypass_csp=True, viewport={"width": 1000, "height": 900}
    )
    page = context.new_page()
    yield page
    context.close()
