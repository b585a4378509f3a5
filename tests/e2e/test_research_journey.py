"""A researcher in a real browser, in Chinese and in English: builds a cohort, reads the
comparison and its plots, and downloads the de-identified data set."""

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from tests.e2e import server
from tests.e2e.browser import CHROMIUM, PASSWORD, axe_violations
from tests.e2e.test_workspace_journeys import in_language, signed_in
from tests.research_seed import seed

from alsrx.db.session import make_engine, session_factory, transaction
from alsrx.services import accounts
from alsrx.services.actor import SYSTEM
from alsrx.settings import DEMO_AUDIT_KEY

pytestmark = pytest.mark.slow
SHOTS = os.environ.get("ALSRX_SCREENSHOTS")  # a folder to keep screenshots in, when set


@pytest.fixture(scope="module")
def site(demo_db):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    url = demo_db("--patients", "3", "--months", "2")
    engine = make_engine(url)
    factory = session_factory(engine, audit_key=DEMO_AUDIT_KEY)
    with transaction(factory) as s:  # a centre of its own: the demo's few patients all differ
        centre = accounts.create_centre(s, SYSTEM, "Research centre")
        for name, role in (("demo-clinician-r", "clinician"), ("demo-researcher-r", "researcher")):
            accounts.create_user(s, SYSTEM, username=name, password=PASSWORD, role=role,
                                 centre_ids=(centre.id,))  # fmt: skip
    seed(factory, clinician="demo-clinician-r")
    engine.dispose()
    with server.running(url) as base:
        yield base


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_researcher_builds_a_cohort_reads_the_comparison_and_downloads_the_data(site, page, lang):
    signed_in(page, "demo-researcher-r", lang)
    page.goto("/research")
    page.check("input[name=onset_region][value=lower_limb]")
    page.select_option("#group-by", "adherence")
    page.click("form.cohort-form button[type=submit]")
    page.wait_for_url(re.compile(r"/research\?.*group_by=adherence"))
    in_language(page, lang)
    assert page.locator("#cmp-cap").count() == 1, page.inner_text("main")[:500]
    rows = page.locator("#cmp-cap >> xpath=.. >> tbody tr")
    assert rows.count() == 3  # lowest, middle and highest third of adherence
    assert page.locator("figure.chart-card svg.trend-wide").count() == 3
    assert axe_violations(page) == []
    shot(page, f"research-{lang}-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the page scrolls sideways on a phone ({wide} px)"
    shot(page, f"research-{lang}-phone")
    with page.expect_download() as download:
        page.click("form[action='/research/export.zip'] button[type=submit]")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    names = archive.namelist()
    assert "alsrx-research/exposure_weeks.csv" in names and "alsrx-research/codebook.csv" in names
    book = archive.read("alsrx-research/codebook.csv").decode("utf-8")
    assert ("随机研究编号" in book) == (lang == "zh")
