"""The prescription review page in words (render only: SQLite): no engine code, no program
data, units and ranges as people write them, in English and Chinese; the changes against the
active plan as sentences; the assessment the plan is based on, and a newer one."""

import html
import re

import pytest
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_pages import csrf_of, sign_in
from tests.web.test_prescription_review_flow import LOW_FVC, approve_api, codes, drafted

from alsrx.render import prescription_diff

CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
# Six weeks on: walking now needs help and the knees are weaker, so the plan changes.
LATER = dict(
    LOW_FVC,
    date="2026-11-12",
    alsfrs_r=dict(LOW_FVC["alsfrs_r"], q8_walking=1),
    mrc={"knee_extension_left": 3, "knee_extension_right": 3},
    resting_hr_bpm=64,
)


def visible(page):
    """The text a person reads: no tags, attributes, figures or scripts."""
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r"<(svg|script|style)\b.*?</\1>", "", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def in_lang(world, lang):
    sign_in(world.client, "clinician")
    csrf = csrf_of(world.client.get("/clinic").text)
    world.client.post("/prefs", data={"csrf": csrf, "next": "/clinic", "lang": lang})


def review(world, rx):
    r = world.client.get(f"/clinic/prescriptions/{rx['id']}")
    assert r.status_code == 200, r.text
    return r.text


def active_and_proposal(world):
    """An approved plan and a new draft from a later assessment."""
    first = drafted(world)
    assert approve_api(world, first, {"acknowledge": codes(first)}).status_code == 200
    second = drafted(world, LATER)
    return first, second


@SQLITE_ONLY
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_review_page_has_no_codes_or_program_data(world, lang):
    _first, second = active_and_proposal(world)
    in_lang(world, lang)
    text = visible(review(world, second))
    assert not CODE.findall(text), sorted(set(CODE.findall(text)))
    for raw in ("{'", "None", "–150.0", ".0–", "3.0"):
        assert raw not in text, raw
    if lang == "zh":
        assert "每周" in text and "批准" in text and "处方" in text
        for english in ("Approve", "Points for the clinician", "Based on", "times a week"):
            assert english not in text, english


@SQLITE_ONLY
def test_the_changes_against_the_active_plan_are_the_diff_in_sentences(world):
    first, second = active_and_proposal(world)
    in_lang(world, "en")
    text = visible(review(world, second))
    section = text[text.index("Changes against the active plan") :]
    expected = prescription_diff.sentences(
        prescription_diff.changes(first["prescription"], second["prescription"]), "en"
    )
    assert expected
    for sentence in expected:
        assert html.unescape(sentence) in section, sentence
    assert "components." not in text


@SQLITE_ONLY
def test_a_newer_assessment_is_named_on_the_older_plan(world):
    first = drafted(world)
    in_lang(world, "en")
    text = visible(review(world, first))
    assert "The assessment of October 8, 2026" in text
    assert "A newer assessment exists" not in text
    h = world.as_("clinician")
    made = world.client.post(
        f"/api/v1/patients/{world.patient_a}/assessments", json=LATER, headers=h
    )
    assert made.status_code == 201, made.text
    text = visible(review(world, first))
    assert "A newer assessment exists (November 12, 2026)" in text


@SQLITE_ONLY
def test_a_draft_links_to_change_each_component_dose_and_the_old_aerobic_form_is_gone(world):
    rx = drafted(world)
    in_lang(world, "en")
    page = review(world, rx)
    for c in rx["prescription"]["components"]:
        assert f'href="/clinic/prescriptions/{rx["id"]}/components/{c["type"]}"' in page
    assert "Adjust the aerobic component" not in page and 'name="hr_max"' not in page
