"""Browser fixtures: a seeded server per test module and headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.e2e import server
from tests.e2e.browser import ARGS, CHROMIUM

SITE_SEED = ("--patients", "3", "--months", "2", "--seed", "3")
DemoDb = Callable[..., str]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> DemoDb:
    """demo_db(*seed_args): the URL of a seeded demo database of the caller's own. `alsrx db
    upgrade` and `alsrx demo seed *seed_args` (two processes, seconds each) run once per
    session and arguments; each caller gets a copy of the file they made."""
    templates: dict[tuple[str, ...], Path] = {}

    def copy(*seed_args: str) -> str:
        if seed_args not in templates:
            templates[seed_args] = _seeded(tmp_path_factory.mktemp("demo-template"), seed_args)
        db = tmp_path_factory.mktemp("browser") / "demo.db"
        shutil.copy(templates[seed_args], db)
        return f"sqlite:///{db}"

    return copy


def _seeded(folder: Path, seed_args: tuple[str, ...]) -> Path:
    db = folder / "demo.db"
    env = dict(os.environ, ALSRX_DATABASE_URL=f"sqlite:///{db}", ALSRX_DEMO_MODE="true")
    for args in (["db", "upgrade"], ["demo", "seed", *seed_args]):
        subprocess.run(
            [sys.executable, "-m", "alsrx", *args], env=env, check=True, capture_output=True
        )
    # Each process closed its last connection, which checkpoints the WAL into the file.
    assert not any(db.with_name(db.name + s).exists() for s in ("-wal", "-journal")), db
    return db


@contextmanager
def seeded_site(demo_db: DemoDb) -> Iterator[str]:
    """A server on a freshly seeded demo database of its own."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    with server.running(demo_db(*SITE_SEED)) as base:
        yield base


@pytest.fixture(scope="module")
def site(demo_db: DemoDb) -> Iterator[str]:
    with seeded_site(demo_db) as base:
        yield base


@pytest.fixture(scope="module")
def stopped_site(demo_db: DemoDb) -> Iterator[str]:
    """A second server for journeys that report a red flag: after one, the patient's Today
    shows 'stop for today' for the rest of the day, which the other journeys must not meet."""
    with seeded_site(demo_db) as base:
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
