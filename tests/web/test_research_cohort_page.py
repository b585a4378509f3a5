"""The cohort builder, in the page and the API: filters, groups, the comparison and its refusal,
words in both languages, bad query values named."""

from __future__ import annotations

import pytest
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_every_page_in_both_languages import set_language
from tests.web.test_pages import sign_in
from tests.web.test_research_export import cohort

pytestmark = [SQLITE_ONLY]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_builder_shows_the_cohort_its_groups_and_why_there_is_no_comparison(world, lang):
    cohort(world, 9)
    c = world.client
    sign_in(c, "researcher")
    set_language(c, lang)
    page = c.get("/research?group_by=programme").text
    heading, refusal = (
        ("建立队列", "本队列只有一组") if lang == "zh" else ("Build a cohort", "Only one group")
    )
    assert heading in page and refusal in page
    assert "lmm_reml" not in page and "combined" not in page.split("<main", 1)[1].split("value=")[0]
    assert 'name="onset_region" value="bulbar"' in page


def test_a_filter_that_matches_nobody_says_so(world):
    cohort(world, 9)
    sign_in(world.client, "researcher")
    page = world.client.get("/research?onset_region=bulbar").text
    assert "No patient in this cohort." in page


def test_a_bad_query_value_is_named_on_a_page_in_words(world):
    sign_in(world.client, "researcher")
    r = world.client.get("/research?group_by=shoe_size")
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    assert "Compare groups by" in r.text and "must be one of" in r.text


def test_the_api_returns_disclosed_counts_methods_and_the_refusal_code(world):
    cohort(world, 9)
    h = world.as_("researcher")
    body = world.client.get("/api/v1/research/cohort?group_by=adherence", headers=h).json()
    assert body["patients"] == 10  # 9 rounded to the nearest 5
    assert (
        body["disclosure_policy"] == "opensafely" and "d50_sigmoid_nls_batched" in body["methods"]
    )
    assert body["comparison"] is None and body["comparison_refused"] == "one_group"
    for role in ("clinician", "patient", "admin"):
        r = world.client.get("/api/v1/research/cohort", headers=world.as_(role))
        assert r.status_code == 403
    bad = world.client.get("/api/v1/research/cohort?kings=5", headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["path"] == "kings"


def test_exposure_filters_keep_one_adherence_third_and_the_slopes_plot_shows_its_groups(world):
    from tests.research_seed import seed

    seed(world.factory, clinician="clinician", n=30)
    h = world.as_("researcher")
    body = world.client.get("/api/v1/research/cohort?adherence=high", headers=h).json()
    assert [g["group"] for g in body["groups"]] == ["high"] and body["patients"] == 10
    sign_in(world.client, "researcher")
    page = world.client.get("/research?group_by=adherence").text
    assert page.count("<circle") >= 6  # three groups' slopes, drawn at both sizes
    assert "Lowest third of adherence" in page and "&lt; 0.001" in page
    bad = world.client.get("/api/v1/research/cohort?dose=lots", headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["path"] == "dose"
